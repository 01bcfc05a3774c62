/**
 * Web API methods of the Slack emulator (chat.*, pins.*, users.*, auth.*,
 * apps.*) and the dispatcher. conversations.* live in emulatorConversations.ts,
 * views.* in emulatorViews.ts.
 * Each handler returns Slack's answer body or throws ApiFailure.
 */
import { LIMITS, validateMessageBlocks } from './emulatorBlocks';
import {
  ApiFailure,
  type Args,
  type EmulatedChannel,
  type EmulatedMessage,
  type EmulatorState,
  type MessageMetadata,
  bool,
  str,
} from './emulatorState';
import { apiMessage, conversationMethods } from './emulatorConversations';
import { viewMethods } from './emulatorViews';
import { fileMethods } from './emulatorFiles';

export interface MethodContext {
  state: EmulatorState;
  args: Args;
  token: string;
  method: string;
  socketUrl: string | undefined;
}

export type Answer = Record<string, unknown>;
export type Handler = (ctx: MethodContext) => Answer;

// ---- shared argument checks ----

interface Content {
  text: string | undefined;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
  warnings: string[];
}

function content(ctx: MethodContext, channelId: string, required: boolean): Content {
  const { args, state } = ctx;
  const text = str(args, 'text');
  if (typeof args.blocks === 'string') throw new ApiFailure('invalid_blocks_format');
  if (typeof args.attachments === 'string') throw new ApiFailure('invalid_attachments');
  const blocks = Array.isArray(args.blocks) ? args.blocks : undefined;
  const attachments = Array.isArray(args.attachments) ? args.attachments : undefined;
  if (args.blocks !== undefined && !blocks) throw new ApiFailure('invalid_blocks_format');
  const empty = !text && (!blocks || blocks.length === 0) && (!attachments || attachments.length === 0);
  if (required && empty) throw new ApiFailure('no_text');
  if (text !== undefined && text.length > LIMITS.messageText) throw new ApiFailure('msg_too_long');
  if (blocks) {
    const errors = validateMessageBlocks(blocks);
    if (errors.length > 0) {
      throw new ApiFailure('invalid_blocks', {
        errors,
        response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
      });
    }
  }
  const warnings: string[] = [];
  if (blocks && blocks.length > 0 && !text) {
    warnings.push('missing_text_fallback');
    state.warn(ctx.method, 'missing_text_fallback', channelId);
  }
  return { text, blocks, attachments, warnings };
}

function withWarnings(answer: Answer, warnings: string[]): Answer {
  if (warnings.length === 0) return answer;
  return { ...answer, warning: warnings.join(','), response_metadata: { warnings } };
}

function metadataArg(args: Args): MessageMetadata | undefined {
  const value = args.metadata;
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiFailure('invalid_metadata_format');
  const m = value as Record<string, unknown>;
  if (typeof m.event_type !== 'string' || m.event_type === '') throw new ApiFailure('invalid_metadata_schema');
  const payload = m.event_payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new ApiFailure('invalid_metadata_schema');
  }
  return { event_type: m.event_type, event_payload: payload as Record<string, unknown> };
}

function messageIn(state: EmulatorState, channel: EmulatedChannel, ts: unknown): EmulatedMessage {
  const message = state.findMessage(channel, ts);
  if (!message) throw new ApiFailure('message_not_found');
  return message;
}

// ---- chat.* ----

const postMessage: Handler = (ctx) => {
  const { state, args } = ctx;
  const channel = state.memberChannel(args.channel, { userMeansDm: true });
  const c = content(ctx, channel.id, true);
  let threadTs = str(args, 'thread_ts');
  if (threadTs) {
    const parent = state.findMessage(channel, threadTs);
    if (!parent) throw new ApiFailure('thread_not_found');
    threadTs = parent.thread_ts ?? parent.ts;
  }
  const metadata = metadataArg(args);
  const message: EmulatedMessage = { ts: state.nextTs(), text: c.text ?? '', user: state.botUserId, bot_id: state.botId };
  if (c.blocks) message.blocks = c.blocks;
  if (c.attachments) message.attachments = c.attachments;
  if (threadTs) message.thread_ts = threadTs;
  if (threadTs && bool(args, 'reply_broadcast')) message.reply_broadcast = true;
  if (metadata) message.metadata = metadata;
  channel.messages.push(message);
  return withWarnings(
    { ok: true, channel: channel.id, ts: message.ts, message: apiMessage(state, channel, message, true) },
    c.warnings,
  );
};

const update: Handler = (ctx) => {
  const { state, args } = ctx;
  const channel = state.visibleChannel(args.channel);
  const message = messageIn(state, channel, args.ts);
  if (message.user !== state.botUserId) throw new ApiFailure('cant_update_message');
  const c = content(ctx, channel.id, true);
  const metadata = metadataArg(args);
  if (c.text !== undefined) message.text = c.text;
  // Slack keeps the previous blocks when `blocks` is omitted; [] removes them.
  if (c.blocks) message.blocks = c.blocks.length > 0 ? c.blocks : undefined;
  if (c.attachments) message.attachments = c.attachments;
  if (metadata) message.metadata = metadata;
  message.edited = true;
  return withWarnings(
    { ok: true, channel: channel.id, ts: message.ts, text: message.text, message: apiMessage(state, channel, message, true) },
    c.warnings,
  );
};

const postEphemeral: Handler = (ctx) => {
  const { state, args } = ctx;
  const channel = state.memberChannel(args.channel);
  const user = str(args, 'user');
  if (!user || !state.user(user)) throw new ApiFailure('user_not_found');
  const c = content(ctx, channel.id, true);
  const messageTs = state.nextTs();
  state.ephemerals.push({
    channel: channel.id,
    user,
    message_ts: messageTs,
    text: c.text ?? '',
    ...(c.blocks ? { blocks: c.blocks } : {}),
    ...(str(args, 'thread_ts') ? { thread_ts: str(args, 'thread_ts') } : {}),
  });
  return withWarnings({ ok: true, message_ts: messageTs }, c.warnings);
};

const getPermalink: Handler = ({ state, args }) => {
  const channel = state.visibleChannel(args.channel);
  const message = messageIn(state, channel, args.message_ts);
  let permalink = `${state.permalinkHost}/archives/${channel.id}/p${message.ts.replace('.', '')}`;
  if (message.thread_ts && message.thread_ts !== message.ts) {
    permalink += `?thread_ts=${message.thread_ts}&cid=${channel.id}`;
  }
  return { ok: true, channel: channel.id, permalink };
};

const deleteMessage: Handler = ({ state, args }) => {
  const channel = state.visibleChannel(args.channel);
  const message = messageIn(state, channel, args.ts);
  if (message.user !== state.botUserId) throw new ApiFailure('cant_delete_message');
  channel.messages.splice(channel.messages.indexOf(message), 1);
  return { ok: true, channel: channel.id, ts: message.ts };
};

// ---- pins.*, users.*, auth.*, apps.* ----

const pinsAdd: Handler = ({ state, args }) => {
  const channel = state.memberChannel(args.channel);
  const message = messageIn(state, channel, args.timestamp);
  if (message.pinned) throw new ApiFailure('already_pinned');
  message.pinned = true;
  return { ok: true };
};

const pinsRemove: Handler = ({ state, args }) => {
  const channel = state.memberChannel(args.channel);
  const message = messageIn(state, channel, args.timestamp);
  if (!message.pinned) throw new ApiFailure('no_pin');
  message.pinned = false;
  return { ok: true };
};

const usersInfo: Handler = ({ state, args }) => {
  const id = str(args, 'user') ?? '';
  const user = state.user(id);
  if (!user) throw new ApiFailure('user_not_found');
  return {
    ok: true,
    user: {
      id: user.id,
      team_id: state.teamId,
      name: user.name,
      deleted: false,
      real_name: user.realName,
      tz: user.tz,
      tz_label: user.tz,
      tz_offset: user.tzOffset,
      is_bot: user.isBot,
      is_app_user: false,
      profile: {
        display_name: user.name,
        display_name_normalized: user.name,
        real_name: user.realName,
        real_name_normalized: user.realName,
        team: state.teamId,
      },
    },
  };
};

const authTest: Handler = ({ state }) => ({
  ok: true,
  url: `${state.permalinkHost}/`,
  team: 'Coachline Test',
  user: state.users.get(state.botUserId)?.name ?? 'coachline',
  team_id: state.teamId,
  user_id: state.botUserId,
  bot_id: state.botId,
  is_enterprise_install: false,
});

const connectionsOpen: Handler = ({ token, socketUrl }) => {
  if (!token.startsWith('xapp-')) throw new ApiFailure('not_allowed_token_type');
  if (!socketUrl) throw new ApiFailure('internal_error');
  return { ok: true, url: socketUrl };
};

export const methods: Record<string, Handler> = {
  'auth.test': authTest,
  'apps.connections.open': connectionsOpen,
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
  'chat.delete': deleteMessage,
  ...conversationMethods,
  'pins.add': pinsAdd,
  'pins.remove': pinsRemove,
  'users.info': usersInfo,
  ...viewMethods,
  ...fileMethods,
};

/** Methods an app-level (xapp-) token may call. */
const APP_TOKEN_METHODS = new Set(['apps.connections.open', 'auth.test']);

/** Run one call: auth checks, then the method. Never throws. */
export function execute(ctx: Omit<MethodContext, 'token'> & { token: string | null }): Answer {
  try {
    const { token, method, state } = ctx;
    if (!token) throw new ApiFailure('not_authed');
    if (!token.startsWith('xoxb-') && !token.startsWith('xapp-')) throw new ApiFailure('invalid_auth');
    if (state.revokedTokens.has(token)) throw new ApiFailure('token_revoked');
    const handler = methods[method];
    if (!handler) throw new ApiFailure('unknown_method');
    if (token.startsWith('xapp-') && !APP_TOKEN_METHODS.has(method)) throw new ApiFailure('not_allowed_token_type');
    return handler({ ...ctx, token });
  } catch (err) {
    if (err instanceof ApiFailure) return { ok: false, error: err.error, ...err.extra };
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, error: 'internal_error', emulator_exception: message };
  }
}
