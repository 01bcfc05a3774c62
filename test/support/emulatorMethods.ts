/**
 * Web API methods of the Slack emulator (chat.*, conversations.*, pins.*,
 * users.*, auth.*, apps.*). Views live in emulatorViews.ts.
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
  int,
  str,
} from './emulatorState';
import { viewMethods } from './emulatorViews';

export interface MethodContext {
  state: EmulatorState;
  args: Args;
  token: string;
  method: string;
  socketUrl: string | undefined;
}

export type Answer = Record<string, unknown>;
export type Handler = (ctx: MethodContext) => Answer;

const PERMALINK_HOST = 'https://example.slack.com';

// ---- rendering ----

function apiMessage(state: EmulatorState, channel: EmulatedChannel, m: EmulatedMessage, withMetadata: boolean): Answer {
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

function channelInfo(state: EmulatorState, ch: EmulatedChannel): Answer {
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
  let permalink = `${PERMALINK_HOST}/archives/${channel.id}/p${message.ts.replace('.', '')}`;
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

// ---- conversations.* ----

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

function isTopLevel(m: EmulatedMessage): boolean {
  return !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast === true;
}

function tsNum(ts: string | undefined): number | undefined {
  return ts === undefined || ts === '' ? undefined : Number(ts);
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
    .filter(isTopLevel)
    .filter((m) => {
      const t = Number(m.ts);
      if (oldest !== undefined && (inclusive ? t < oldest : t <= oldest)) return false;
      if (latest !== undefined && (inclusive ? t > latest : t >= latest)) return false;
      return true;
    })
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
  const thread = channel.messages
    .filter((m) => m.ts === rootTs || m.thread_ts === rootTs)
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
  url: `${PERMALINK_HOST}/`,
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
  'conversations.join': join,
  'conversations.create': create,
  'conversations.invite': invite,
  'conversations.open': open,
  'conversations.info': info,
  'conversations.history': history,
  'conversations.replies': replies,
  'pins.add': pinsAdd,
  'pins.remove': pinsRemove,
  'users.info': usersInfo,
  ...viewMethods,
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
