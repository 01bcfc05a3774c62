import { ErrorCode } from '@slack/web-api';

/** How the outbox treats a failed Web API call. */
export type Failure =
  | { kind: 'rate_limited'; retryAfterMs: number; detail: string }
  /** Worth another try; `inDoubt` when Slack may have acted before the failure reached us. */
  | { kind: 'retry'; inDoubt: boolean; detail: string }
  /** Will never succeed as it is: park it and tell a person. */
  | { kind: 'permanent'; code: string; detail: string };

/** Slack error codes that a retry cannot fix. */
export const PERMANENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_arguments',
  'msg_too_long',
  'no_text',
  'missing_scope',
  'not_allowed_token_type',
  'restricted_action',
  'cant_update_message',
  'edit_window_closed',
  'message_not_found',
  'thread_not_found',
  'user_not_found',
  'users_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'method_not_supported_for_channel_type',
  'name_taken',
  'invalid_name',
  'invalid_name_specials',
  'invalid_name_maxlength',
  'invalid_name_required',
  'ekm_access_denied',
  'team_access_not_granted',
]);

/** Errors that also stop every other delivery for the workspace until someone fixes the token. */
export const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'missing_scope']);

export function slackErrorCode(err: unknown): string | null {
  const e = err as { code?: string; data?: { error?: string } } | null;
  return e?.code === ErrorCode.PlatformError ? (e.data?.error ?? 'unknown_error') : null;
}

export function classify(err: unknown): Failure {
  const e = err as { code?: string; retryAfter?: number; statusCode?: number; message?: string } | null;
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return { kind: 'rate_limited', retryAfterMs: Math.max(1, e.retryAfter ?? 1) * 1000, detail: `rate limited (Retry-After ${e.retryAfter ?? 1}s)` };
    case ErrorCode.PlatformError: {
      const code = slackErrorCode(err) ?? 'unknown_error';
      if (code === 'ratelimited') return { kind: 'rate_limited', retryAfterMs: 1000, detail: code };
      if (PERMANENT_ERRORS.has(code)) return { kind: 'permanent', code, detail: code };
      // internal_error, fatal_error, service_unavailable, request_timeout …: Slack's side; try again.
      return { kind: 'retry', inDoubt: true, detail: code };
    }
    case ErrorCode.HTTPError:
      if ((e.statusCode ?? 500) >= 500) return { kind: 'retry', inDoubt: true, detail: `HTTP ${e.statusCode}` };
      return { kind: 'permanent', code: `http_${e.statusCode}`, detail: `HTTP ${e.statusCode}` };
    case ErrorCode.RequestError:
      // Timeout or dropped connection: the request may have reached Slack.
      return { kind: 'retry', inDoubt: true, detail: `request failed: ${e.message ?? 'unknown'}` };
    default:
      return { kind: 'retry', inDoubt: true, detail: e?.message ?? String(err) };
  }
}

/** Words for the sponsor or an admin about why something could not be delivered. */
export function explainFailure(code: string): string {
  switch (code) {
    case 'channel_not_found':
    case 'not_in_channel':
    case 'method_not_supported_for_channel_type':
      return "I'm not in that channel and cannot join it (it is private or was deleted). Invite me with `/invite @coachline`, then save the engagement again with `/kickoff edit KEY`.";
    case 'is_archived':
      return 'That channel is archived.';
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'token_expired':
    case 'account_inactive':
      return "coachline's Slack token no longer works; a workspace admin must reinstall the app and update SLACK_BOT_TOKEN.";
    case 'missing_scope':
      return 'coachline lacks a Slack permission it needs; a workspace admin must reinstall the app from the current manifest.';
    case 'invalid_blocks':
    case 'msg_too_long':
      return 'Slack refused the message layout. This is a bug in coachline; please report it.';
    case 'name_taken':
      return 'A channel with that name already exists. Choose another name with `/kickoff edit KEY`.';
    case 'invalid_name':
    case 'invalid_name_specials':
    case 'invalid_name_maxlength':
    case 'invalid_name_required':
      return 'Slack refused the channel name. Use lowercase letters, numbers and hyphens.';
    case 'user_not_found':
    case 'users_not_found':
    case 'user_disabled':
    case 'cannot_dm_bot':
      return 'That person cannot receive messages from coachline (deactivated, a bot, or not in this workspace).';
    default:
      return `Slack answered \`${code}\`.`;
  }
}
