import type { WebClient } from '@slack/web-api';
import type { HandlerContext } from './sender';
import type { RenderedMessage } from '../../domain/deliveries';
import { slackErrorCode } from './errors';

/** Marks every message coachline posts, so a lost response can be checked before re-sending. */
export const DELIVERY_EVENT_TYPE = 'coachline_delivery';

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { outbox_id?: unknown } };
}

/** Resolves a user id to the bot's DM channel with them; channel ids pass through. */
export async function conversationFor(client: WebClient, channelOrUser: string): Promise<string> {
  if (!/^[UW]/.test(channelOrUser)) return channelOrUser;
  const res = await client.conversations.open({ users: channelOrUser });
  return (res.channel as { id: string }).id;
}

/** At most this many pages (of up to 200 messages) are read to settle one attempt in doubt. */
export const IN_DOUBT_MAX_PAGES = 10;

/**
 * Looks for a message this outbox item already posted (its previous attempt may have
 * reached Slack although we never heard back): by its metadata, among the messages posted
 * since that attempt began, paging with the cursor until the window is read (bounded by
 * IN_DOUBT_MAX_PAGES; where a workspace limits history, what is beyond it counts as not found).
 */
async function findPosted(ctx: HandlerContext, channel: string, threadTs?: string): Promise<{ channel: string; ts: string } | null> {
  const conv = await conversationFor(ctx.client, channel);
  // From the first attempt in doubt, with a margin for clock skew between us and Slack.
  const since = (ctx.row.attemptStarted ?? ctx.clock.now()).getTime() / 1000 - 5 * 60;
  let cursor: string | undefined;
  for (let page = 0; page < IN_DOUBT_MAX_PAGES; page++) {
    const args = { channel: conv, oldest: since.toFixed(6), include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
    const res = threadTs ? await ctx.client.conversations.replies({ ...args, ts: threadTs }) : await ctx.client.conversations.history(args);
    const found = ((res.messages ?? []) as HistoryMessage[]).find(
      (m) => m.metadata?.event_type === DELIVERY_EVENT_TYPE && m.metadata.event_payload?.outbox_id === ctx.row.id,
    );
    if (found?.ts) return { channel: conv, ts: found.ts };
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) return null;
  }
  ctx.logger.log('warn', 'outbox: the in-doubt lookup read its page limit without finding the message; posting again', { pages: IN_DOUBT_MAX_PAGES });
  return null;
}

/**
 * Posts a message exactly once in effect: when the last attempt is in doubt, looks for
 * it first. Mentions typed by users are escaped by the views; `parse: 'none'` keeps Slack
 * from turning anything else into links or pings.
 */
export async function postOnce(
  ctx: HandlerContext,
  channel: string,
  message: RenderedMessage,
  opts: { threadTs?: string } = {},
): Promise<{ channel: string; ts: string; reused: boolean }> {
  if (ctx.row.inDoubt) {
    const existing = await findPosted(ctx, channel, opts.threadTs);
    if (existing) {
      ctx.logger.log('info', 'outbox: found the message from an earlier attempt; not posting again');
      return { ...existing, reused: true };
    }
  }
  const res = await ctx.client.chat.postMessage({
    channel,
    text: message.text,
    // Block Kit built by our own pure view functions.
    blocks: message.blocks as never,
    thread_ts: opts.threadTs,
    parse: 'none',
    link_names: false,
    unfurl_links: false,
    unfurl_media: false,
    metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { outbox_id: ctx.row.id } },
  });
  return { channel: res.channel as string, ts: res.ts as string, reused: false };
}

export async function updateMessage(client: WebClient, channel: string, ts: string, message: RenderedMessage): Promise<void> {
  await client.chat.update({
    channel,
    ts,
    text: message.text,
    blocks: message.blocks as never,
    parse: 'none',
    link_names: false,
  });
}

/** Runs `fn`, and on `not_in_channel` joins the (public) channel once and runs it again. */
export async function joiningIfNeeded<T>(client: WebClient, channel: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (slackErrorCode(err) !== 'not_in_channel') throw err;
    await client.conversations.join({ channel });
    return fn();
  }
}
