/**
 * conversations.* methods of the Slack emulator, and how messages and
 * channels are rendered in answers (shared with chat.*).
 */
import type { Answer, Handler } from './emulatorMethods';
import {
  ApiFailure,
  type Args,
  type EmulatedChannel,
  type EmulatedMessage,
  type EmulatorState,
  bool,
  int,
  str,
} from './emulatorState';

export function apiMessage(state: EmulatorState, channel: EmulatedChannel, m: EmulatedMessage, withMetadata: boolean): Answer {
  const out: Answer = { type: 'message', user: m.user, text: m.text, ts: m.ts, team: state.teamId };
  if (m.bot_id) Object.assign(out, { bot_id: m.bot_id, app_id: state.appId });
  if (m.blocks) out.blocks = m.blocks;
  if (m.attachments) out.attachments = m.attachments;
  if (m.reply_broadcast) out.subtype = 'thread_broadcast';
  const replies = channel.messages.filter((r) => r.thread_ts === m.ts && r.ts !== m.ts);
  if (m.thread_ts) out.thread_ts = m.thread_ts;
  if (replies.length > 0) {
    Object.assign(out, {
      thread_ts: m.ts,
      reply_count: replies.length,
      reply_users: [...new Set(replies.map((r) => r.user))],
      latest_reply: replies[replies.length - 1]?.ts,
    });
  }
  if (m.edited) out.edited = { user: m.user, ts: m.ts };
  if (m.pinned) out.pinned_to = [channel.id];
  if (withMetadata && m.metadata) out.metadata = m.metadata;
  return out;
}

export function channelInfo(state: EmulatorState, ch: EmulatedChannel): Answer {
  if (ch.isIm) return { id: ch.id, is_im: true, user: ch.user, created: ch.created, is_open: true, is_org_shared: false };
  return {
    id: ch.id,
    name: ch.name,
    name_normalized: ch.name,
    is_channel: true,
    is_group: false,
    is_im: false,
    is_private: ch.isPrivate,
    is_member: ch.members.has(state.botUserId),
    is_archived: false,
    is_general: false,
    created: ch.created,
    creator: state.botUserId,
    num_members: ch.members.size,
  };
}

const join: Handler = ({ state, args }) => {
  const channel = state.resolveChannel(args.channel);
  if (channel.isPrivate || channel.isIm) throw new ApiFailure('method_not_supported_for_channel_type');
  const already = channel.members.has(state.botUserId);
  channel.members.add(state.botUserId);
  const answer: Answer = { ok: true, channel: channelInfo(state, channel) };
  if (already) Object.assign(answer, { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } });
  return answer;
};

const create: Handler = ({ state, args }) => {
  const name = str(args, 'name') ?? '';
  if (name === '') throw new ApiFailure('invalid_name_required');
  if (name.length > 80) throw new ApiFailure('invalid_name_maxlength');
  if (/[^a-z0-9_-]/.test(name)) throw new ApiFailure('invalid_name_specials');
  if (/^[-_]+$/.test(name)) throw new ApiFailure('invalid_name_punctuation');
  for (const ch of state.channels.values()) {
    if (!ch.isIm && ch.name === name) throw new ApiFailure('name_taken');
  }
  const id = state.addChannel({ name, isPrivate: bool(args, 'is_private'), botIsMember: true });
  const channel = state.channels.get(id) as EmulatedChannel;
  return { ok: true, channel: channelInfo(state, channel) };
};

const invite: Handler = ({ state, args }) => {
  const channel = state.memberChannel(args.channel);
  if (channel.isIm) throw new ApiFailure('method_not_supported_for_channel_type');
  const users = (str(args, 'users') ?? '').split(',').map((u) => u.trim()).filter((u) => u !== '');
  if (users.length === 0) throw new ApiFailure('no_user');
  for (const user of users) {
    if (user === state.botUserId) throw new ApiFailure('cant_invite_self');
    if (!state.user(user)) throw new ApiFailure('user_not_found');
  }
  const fresh = users.filter((u) => !channel.members.has(u));
  if (fresh.length === 0) {
    throw new ApiFailure('already_in_channel', {
      errors: users.map((user) => ({ user, ok: false, error: 'already_in_channel' })),
    });
  }
  for (const user of fresh) channel.members.add(user);
  return { ok: true, channel: channelInfo(state, channel) };
};

const open: Handler = ({ state, args }) => {
  const users = (str(args, 'users') ?? '').split(',').filter((u) => u !== '');
  const user = users[0];
  if (users.length !== 1 || !user) throw new ApiFailure(users.length === 0 ? 'users_list_not_supplied' : 'not_supported');
  if (!state.user(user)) throw new ApiFailure('user_not_found');
  const channel = state.dmChannel(user);
  return { ok: true, channel: bool(args, 'return_im') ? channelInfo(state, channel) : { id: channel.id } };
};

const info: Handler = ({ state, args }) => {
  const channel = state.visibleChannel(args.channel);
  return { ok: true, channel: channelInfo(state, channel) };
};

/** Members of a channel the bot can see (bots included, as Slack answers), paged by a numeric cursor. */
const members: Handler = ({ state, args }) => {
  const channel = state.visibleChannel(args.channel);
  if (channel.isIm) throw new ApiFailure('method_not_supported_for_channel_type');
  const all = [...channel.members];
  const limit = Math.min(1000, Math.max(1, int(args, 'limit') ?? 100));
  const start = Number(str(args, 'cursor') ?? 0) || 0;
  const next = start + limit < all.length ? String(start + limit) : '';
  return { ok: true, members: all.slice(start, start + limit), response_metadata: { next_cursor: next } };
};

/** Public channels (and private ones the bot is in when asked), paged by a numeric cursor. */
const list: Handler = ({ state, args }) => {
  const types = (str(args, 'types') ?? 'public_channel').split(',');
  const all = [...state.channels.values()].filter(
    (ch) => !ch.isIm && ((!ch.isPrivate && types.includes('public_channel')) || (ch.isPrivate && types.includes('private_channel') && ch.members.has(state.botUserId))),
  );
  const limit = Math.min(1000, Math.max(1, int(args, 'limit') ?? 100));
  const start = Number(str(args, 'cursor') ?? 0) || 0;
  const page = all.slice(start, start + limit);
  const next = start + limit < all.length ? String(start + limit) : '';
  return { ok: true, channels: page.map((ch) => channelInfo(state, ch)), response_metadata: { next_cursor: next } };
};

function isTopLevel(m: EmulatedMessage): boolean {
  return !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast === true;
}

function tsNum(ts: string | undefined): number | undefined {
  return ts === undefined || ts === '' ? undefined : Number(ts);
}

function inWindow(m: EmulatedMessage, oldest: number | undefined, latest: number | undefined, inclusive: boolean): boolean {
  const t = Number(m.ts);
  if (oldest !== undefined && (inclusive ? t < oldest : t <= oldest)) return false;
  if (latest !== undefined && (inclusive ? t > latest : t >= latest)) return false;
  return true;
}

/** Slack's cursors look like base64("next_ts:<ts>"). */
function page(list: EmulatedMessage[], args: Args): { items: EmulatedMessage[]; next?: string } {
  const limit = Math.min(Math.max(int(args, 'limit') ?? 100, 1), 999);
  let start = 0;
  const cursor = str(args, 'cursor');
  if (cursor) {
    const decoded = Buffer.from(cursor, 'base64').toString('utf8');
    const ts = decoded.startsWith('next_ts:') ? decoded.slice('next_ts:'.length) : undefined;
    start = list.findIndex((m) => m.ts === ts);
    if (start < 0) throw new ApiFailure('invalid_cursor');
  }
  const items = list.slice(start, start + limit);
  const nextMessage = list[start + limit];
  return { items, next: nextMessage ? Buffer.from(`next_ts:${nextMessage.ts}`).toString('base64') : undefined };
}

const history: Handler = ({ state, args }) => {
  const channel = state.memberChannel(args.channel);
  const oldest = tsNum(str(args, 'oldest'));
  const latest = tsNum(str(args, 'latest'));
  const inclusive = bool(args, 'inclusive');
  const list = channel.messages
    .filter((m) => isTopLevel(m) && inWindow(m, oldest, latest, inclusive))
    .sort((a, b) => Number(b.ts) - Number(a.ts));
  const { items, next } = page(list, args);
  const withMetadata = bool(args, 'include_all_metadata');
  return {
    ok: true,
    messages: items.map((m) => apiMessage(state, channel, m, withMetadata)),
    has_more: next !== undefined,
    pin_count: channel.messages.filter((m) => m.pinned).length,
    ...(next ? { response_metadata: { next_cursor: next } } : {}),
  };
};

const replies: Handler = ({ state, args }) => {
  const channel = state.memberChannel(args.channel);
  const message = state.findMessage(channel, args.ts);
  if (!message) throw new ApiFailure('thread_not_found');
  const rootTs = message.thread_ts ?? message.ts;
  const oldest = tsNum(str(args, 'oldest'));
  const latest = tsNum(str(args, 'latest'));
  const inclusive = bool(args, 'inclusive');
  // The parent always comes first; oldest/latest narrow the replies.
  const thread = channel.messages
    .filter((m) => m.ts === rootTs || (m.thread_ts === rootTs && inWindow(m, oldest, latest, inclusive)))
    .sort((a, b) => Number(a.ts) - Number(b.ts));
  const { items, next } = page(thread, args);
  const withMetadata = bool(args, 'include_all_metadata');
  return {
    ok: true,
    messages: items.map((m) => apiMessage(state, channel, m, withMetadata)),
    has_more: next !== undefined,
    ...(next ? { response_metadata: { next_cursor: next } } : {}),
  };
};

export const conversationMethods: Record<string, Handler> = {
  'conversations.join': join,
  'conversations.create': create,
  'conversations.invite': invite,
  'conversations.open': open,
  'conversations.info': info,
  'conversations.members': members,
  'conversations.list': list,
  'conversations.history': history,
  'conversations.replies': replies,
};
