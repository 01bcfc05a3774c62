import type { BlockAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { RenderedMessage } from '../domain/deliveries';
import { AppError, DuplicateRequest, PermissionError, ValidationError } from '../domain/errors';
import type { Logger } from '../lib/logger';
import { appErrorMessage, errorMessage, refusal } from './views/kickoffHelp';

/** The body of an ephemeral answer to a slash command (given to ack or respond). */
export function ephemeral(m: RenderedMessage) {
  // Block Kit built by our own view functions.
  return { response_type: 'ephemeral' as const, text: m.text, blocks: m.blocks as never };
}

/**
 * Turns any error into words for the person; unexpected ones are logged with context. Null for a
 * duplicate request: the first one was acted on and answered, so nothing more is said.
 */
export function messageForError(err: unknown, logger: Logger, context: Record<string, unknown>): RenderedMessage | null {
  if (err instanceof DuplicateRequest) return null;
  if (err instanceof PermissionError) return refusal(err.action, err.whoCan);
  if (err instanceof AppError) return appErrorMessage(err.userMessage);
  if (err instanceof ValidationError) return errorMessage(Object.values(err.fields).join(' '));
  logger.log('error', 'unexpected error while handling a request', { ...context, error: err });
  return errorMessage('Something went wrong on our side and nothing was changed. Please try again in a minute.');
}

/** The ack body of a slash command that failed: the error in words, or nothing (an empty ack) for a duplicate. */
export function ephemeralForError(err: unknown, logger: Logger, context: Record<string, unknown>) {
  const m = messageForError(err, logger, context);
  return m ? ephemeral(m) : undefined;
}

/** A one-line ephemeral answer (already-safe mrkdwn). */
export function ephemeralText(text: string) {
  return ephemeral({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
}

/** The ack of a view submission (what Bolt passes a `view` listener). */
export type SubmissionAck = (response?: { response_action: 'errors'; errors: Record<string, string> }) => Promise<void>;

/**
 * The one way a submission answers a failure: a duplicate (the same submission again) closes
 * quietly; a field problem (ValidationError) goes on its fields; a refusal in words goes on
 * `block`; anything else is logged (`what` names it, never who) and answered plainly there.
 */
export async function ackSubmissionError(ack: SubmissionAck, logger: Logger, block: string, err: unknown, what: string, fields: Record<string, unknown> = {}): Promise<void> {
  if (err instanceof DuplicateRequest) return await ack();
  if (err instanceof ValidationError) return await ack({ response_action: 'errors', errors: err.fields });
  if (!(err instanceof AppError)) logger.log('error', `saving ${what} failed`, { error: err, ...fields });
  const message = err instanceof AppError ? err.userMessage : 'Something went wrong on our side and nothing was saved. Please try again.';
  await ack({ response_action: 'errors', errors: { [block]: plainForModal(message) } });
}

/**
 * Inline modal errors are shown as plain text: drop `(<@U…>)` lists and other mrkdwn so a
 * person reads "Only the sponsor, a coach or a coachline admin can edit payments."
 */
export function plainForModal(text: string): string {
  return text
    .replace(/\s*\((?:[^()]*<[@#!][^()]*)\)/g, '')
    .replace(/<[@#]([A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, label?: string) => (label ? label : id))
    .replace(/`/g, '')
    .slice(0, 1000);
}

/**
 * Answers the person who clicked a button, only to them: through `response_url` when Slack gave
 * one, else an ephemeral in the channel the click came from, else (App Home, no channel) a DM
 * from coachline when `dmWhenNoChannel`, else nothing; null says nothing. A failed answer is logged, never thrown.
 */
export function clickAnswerer(
  args: { body: BlockAction; client: WebClient; respond?: RespondFn },
  logger: Logger,
  /** Where there is neither a response_url nor a channel (App Home): a DM, queued in the outbox like every message. */
  opts: { dm?: (userId: string, m: RenderedMessage) => Promise<void> } = {},
): (m: { text: string; blocks?: unknown[] } | null) => Promise<void> {
  return async (m) => {
    if (!m) return;
    // Block Kit built by our own view functions.
    const blocks = m.blocks as never;
    const userId = args.body.user.id;
    const channel = args.body.channel?.id ?? (args.body.container as { channel_id?: string } | undefined)?.channel_id;
    try {
      if (typeof args.respond === 'function') await args.respond({ response_type: 'ephemeral', replace_original: false, text: m.text, blocks });
      else if (channel) await args.client.chat.postEphemeral({ channel, user: userId, text: m.text, blocks });
      else if (opts.dm) await opts.dm(userId, m);
    } catch (error) {
      logger.log('warn', 'could not answer a button click', { error });
    }
  };
}
