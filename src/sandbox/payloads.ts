/**
 * Payload factories shaped exactly like what Slack sends, with overrides
 * (as bolt-js does in test/unit/helpers/events.ts). Ids default to the
 * emulator's (SLACK_TEST_IDS) so both sides agree.
 */
import { randomBytes } from 'node:crypto';
import { SLACK_TEST_IDS } from './emulatorState';

export interface PayloadDefaults {
  teamId: string;
  teamDomain: string;
  apiAppId: string;
  botUserId: string;
  /** The legacy verification token Slack still includes in payloads. */
  token: string;
  userId: string;
  userName: string;
  channelId: string;
  channelName: string;
  /** response_url values are `${responseUrlBase}/<kind>/<team>/<n>/<hex>`. */
  responseUrlBase: string;
}

const INITIAL: PayloadDefaults = {
  teamId: SLACK_TEST_IDS.teamId,
  teamDomain: SLACK_TEST_IDS.teamDomain,
  apiAppId: SLACK_TEST_IDS.appId,
  botUserId: SLACK_TEST_IDS.botUserId,
  token: 'verification-token-not-used',
  userId: 'U0001',
  userName: 'ada',
  channelId: 'C0001',
  channelName: 'general',
  responseUrlBase: 'http://127.0.0.1:9/response',
};

export const payloadDefaults: PayloadDefaults = { ...INITIAL };

export function configurePayloads(overrides: Partial<PayloadDefaults>): void {
  Object.assign(payloadDefaults, overrides);
}

export function resetPayloadDefaults(): void {
  Object.assign(payloadDefaults, INITIAL);
}

let counter = 0;
const next = (): number => ++counter;
const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Unique per call, Slack-shaped: <digits>.<digits>.<32 hex>. */
export function triggerId(): string {
  return `${Date.now()}.${1_000_000_000 + next()}.${hex(16)}`;
}

export function responseUrl(kind = 'commands', teamId = payloadDefaults.teamId): string {
  return `${payloadDefaults.responseUrlBase}/${kind}/${teamId}/${next()}/${hex(12)}`;
}

/** Seconds with microseconds, like action_ts / event ts. */
export function slackNow(): string {
  const ms = Date.now();
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000 + (next() % 1000)).padStart(6, '0')}`;
}

type UserRef = string | { id: string; name?: string };
const userOf = (u: UserRef | undefined): { id: string; name: string } => {
  if (u === undefined) return { id: payloadDefaults.userId, name: payloadDefaults.userName };
  if (typeof u === 'string') return { id: u, name: u === payloadDefaults.userId ? payloadDefaults.userName : u.toLowerCase() };
  return { id: u.id, name: u.name ?? u.id.toLowerCase() };
};
const teamOf = (teamId?: string) => ({ id: teamId ?? payloadDefaults.teamId, domain: payloadDefaults.teamDomain });
const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });

// ---------- slash commands ----------

export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
  [extra: string]: string;
}

/** The form fields of a slash command, in Slack's order. Post with postCommand(). */
export function slashCommand(overrides: Partial<SlashCommandFields> = {}): SlashCommandFields {
  const d = payloadDefaults;
  return {
    token: d.token,
    team_id: d.teamId,
    team_domain: d.teamDomain,
    channel_id: d.channelId,
    channel_name: d.channelName,
    user_id: d.userId,
    user_name: d.userName,
    command: '/coach',
    text: '',
    api_app_id: d.apiAppId,
    is_enterprise_install: 'false',
    response_url: responseUrl('commands', overrides.team_id ?? d.teamId),
    trigger_id: triggerId(),
    ...overrides,
  } as SlashCommandFields;
}

// ---------- view state values (view.state.values[block_id][action_id]) ----------

export const plainText = (value: string | null | undefined) => ({
  type: 'plain_text_input' as const,
  value: value === undefined || value === '' ? null : value,
});

const option = (value: string, text?: string) => ({ text: plain(text ?? value), value });

export const staticSelect = (value: string | null, text?: string) => ({
  type: 'static_select' as const,
  selected_option: value === null ? null : option(value, text),
});

export const radio = (value: string | null, text?: string) => ({
  type: 'radio_buttons' as const,
  selected_option: value === null ? null : option(value, text),
});

export const checkboxes = (values: string[]) => ({
  type: 'checkboxes' as const,
  selected_options: values.map((v) => option(v)),
});

export const multiStaticSelect = (values: string[]) => ({
  type: 'multi_static_select' as const,
  selected_options: values.map((v) => option(v)),
});

export const usersSelect = (id: string | null) => ({ type: 'users_select' as const, selected_user: id });

export const multiUsers = (ids: string[]) => ({ type: 'multi_users_select' as const, selected_users: ids });

export const conversationsSelect = (id: string | null) => ({
  type: 'conversations_select' as const,
  selected_conversation: id,
});

export const multiConversations = (ids: string[]) => ({
  type: 'multi_conversations_select' as const,
  selected_conversations: ids,
});

export const channelsSelect = (id: string | null) => ({ type: 'channels_select' as const, selected_channel: id });

export const datepicker = (date: string | null) => ({ type: 'datepicker' as const, selected_date: date });

export const timepicker = (time: string | null) => ({ type: 'timepicker' as const, selected_time: time });

/** Slack sends number_input values as strings. */
export const numberInput = (v: number | string | null) => ({
  type: 'number_input' as const,
  value: v === null || v === '' ? null : String(v),
});

export type StateValues = Record<string, Record<string, Record<string, unknown>>>;

// ---------- views ----------

export interface ViewInput {
  callback_id: string;
  private_metadata?: string;
  state_values?: StateValues;
  id?: string;
  hash?: string;
  external_id?: string;
  title?: string | Record<string, unknown>;
  blocks?: unknown[];
  type?: 'modal' | 'home';
  root_view_id?: string | null;
  previous_view_id?: string | null;
  [extra: string]: unknown;
}

/** A view as it appears inside interaction payloads (Slack's ViewOutput). */
export function viewOutput(input: ViewInput, teamId = payloadDefaults.teamId): Record<string, unknown> {
  const { state_values, title, ...rest } = input;
  // A view the payload invents (not one the emulator opened): its own id space, so it never equals an id views.open hands out later.
  const id = input.id ?? `V0009${String(next()).padStart(5, '0')}`;
  const type = input.type ?? 'modal';
  return {
    id,
    team_id: teamId,
    type,
    blocks: [],
    private_metadata: '',
    hash: `${Math.floor(Date.now() / 1000)}.${hex(4)}`,
    title: typeof title === 'object' ? title : plain(title ?? 'Coachline'),
    clear_on_close: false,
    notify_on_close: false,
    close: type === 'modal' ? plain('Cancel') : null,
    submit: type === 'modal' ? plain('Submit') : null,
    previous_view_id: null,
    root_view_id: id,
    app_id: payloadDefaults.apiAppId,
    external_id: '',
    app_installed_team_id: teamId,
    bot_id: SLACK_TEST_IDS.botId,
    ...rest,
    state: { values: state_values ?? {} },
  };
}

export function viewSubmission(opts: {
  view: ViewInput;
  user?: UserRef;
  teamId?: string;
  response_urls?: unknown[];
}): Record<string, unknown> {
  const user = userOf(opts.user);
  const team = teamOf(opts.teamId);
  return {
    type: 'view_submission',
    team,
    user: { id: user.id, username: user.name, name: user.name, team_id: team.id },
    api_app_id: payloadDefaults.apiAppId,
    token: payloadDefaults.token,
    trigger_id: triggerId(),
    view: viewOutput(opts.view, team.id),
    response_urls: opts.response_urls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function viewClosed(opts: { view: ViewInput; user?: UserRef; teamId?: string }): Record<string, unknown> {
  const user = userOf(opts.user);
  const team = teamOf(opts.teamId);
  return {
    type: 'view_closed',
    team,
    user: { id: user.id, username: user.name, name: user.name, team_id: team.id },
    api_app_id: payloadDefaults.apiAppId,
    token: payloadDefaults.token,
    view: viewOutput(opts.view, team.id),
    is_cleared: false,
    is_enterprise_install: false,
    enterprise: null,
  };
}

// ---------- block actions ----------

export interface ActionInput {
  action_id: string;
  block_id: string;
  type?: string;
  value?: string;
  text?: string;
  [extra: string]: unknown;
}

export function blockActions(opts: {
  actions: ActionInput[];
  user?: UserRef;
  teamId?: string;
  /** Where the action happened. A message needs channel + message; a view needs view. */
  channel?: { id: string; name?: string };
  message?: { ts: string; text?: string; user?: string; blocks?: unknown[]; [extra: string]: unknown };
  view?: ViewInput;
  container?: Record<string, unknown>;
  state_values?: StateValues;
}): Record<string, unknown> {
  const user = userOf(opts.user);
  const team = teamOf(opts.teamId);
  const actionTs = slackNow();
  const actions = opts.actions.map(({ text, type, ...rest }) => ({
    type: type ?? 'button',
    ...(type === undefined || type === 'button' ? { text: plain(text ?? rest.action_id) } : {}),
    ...rest,
    action_ts: actionTs,
  }));
  const view = opts.view ? viewOutput(opts.view, team.id) : undefined;
  const channel = opts.channel ? { id: opts.channel.id, name: opts.channel.name ?? payloadDefaults.channelName } : undefined;
  const container =
    opts.container ??
    (view
      ? { type: 'view', view_id: view.id }
      : { type: 'message', message_ts: opts.message?.ts, channel_id: channel?.id, is_ephemeral: false });
  const payload: Record<string, unknown> = {
    type: 'block_actions',
    user: { id: user.id, username: user.name, name: user.name, team_id: team.id },
    api_app_id: payloadDefaults.apiAppId,
    token: payloadDefaults.token,
    container,
    trigger_id: triggerId(),
    team,
    enterprise: null,
    is_enterprise_install: false,
  };
  if (channel) payload.channel = channel;
  if (opts.message) {
    payload.message = {
      type: 'message',
      user: payloadDefaults.botUserId,
      bot_id: SLACK_TEST_IDS.botId,
      app_id: payloadDefaults.apiAppId,
      team: team.id,
      text: '',
      blocks: [],
      ...opts.message,
    };
  }
  if (view) payload.view = view;
  payload.state = { values: opts.state_values ?? (view ? (view.state as { values: StateValues }).values : {}) };
  // Slack gives a response_url for actions in messages, not in modals or App Home.
  if (!view) payload.response_url = responseUrl('actions', team.id);
  payload.actions = actions;
  return payload;
}

// ---------- shortcuts ----------

export function messageShortcut(opts: {
  callback_id: string;
  user?: UserRef;
  teamId?: string;
  channel?: { id: string; name?: string };
  message: { ts: string; text?: string; user?: string; [extra: string]: unknown };
}): Record<string, unknown> {
  const user = userOf(opts.user);
  const team = teamOf(opts.teamId);
  const channel = opts.channel ?? { id: payloadDefaults.channelId, name: payloadDefaults.channelName };
  return {
    type: 'message_action',
    token: payloadDefaults.token,
    action_ts: slackNow(),
    team,
    user: { id: user.id, username: user.name, name: user.name, team_id: team.id },
    channel: { id: channel.id, name: channel.name ?? payloadDefaults.channelName },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: opts.callback_id,
    trigger_id: triggerId(),
    response_url: responseUrl('app', team.id),
    message_ts: opts.message.ts,
    message: { type: 'message', user: payloadDefaults.userId, text: '', team: team.id, ...opts.message },
  };
}

export function globalShortcut(opts: { callback_id: string; user?: UserRef; teamId?: string }): Record<string, unknown> {
  const user = userOf(opts.user);
  const team = teamOf(opts.teamId);
  return {
    type: 'shortcut',
    token: payloadDefaults.token,
    action_ts: slackNow(),
    team,
    user: { id: user.id, username: user.name, team_id: team.id },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: opts.callback_id,
    trigger_id: triggerId(),
  };
}

// ---------- Events API ----------

export function eventCallback(
  event: Record<string, unknown>,
  opts: { eventId?: string; teamId?: string; eventTime?: number } = {},
): Record<string, unknown> {
  const teamId = opts.teamId ?? payloadDefaults.teamId;
  return {
    token: payloadDefaults.token,
    team_id: teamId,
    context_team_id: teamId,
    context_enterprise_id: null,
    api_app_id: payloadDefaults.apiAppId,
    event,
    type: 'event_callback',
    event_id: opts.eventId ?? `Ev0001${String(next()).padStart(5, '0')}${hex(2).toUpperCase()}`,
    event_time: opts.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: payloadDefaults.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ et: event.type, tid: teamId, aid: payloadDefaults.apiAppId })).toString('base64')}`,
  };
}

export function urlVerification(challenge: string): Record<string, unknown> {
  return { token: payloadDefaults.token, challenge, type: 'url_verification' };
}

export function appHomeOpened(user: string = payloadDefaults.userId, tab: 'home' | 'messages' = 'home'): Record<string, unknown> {
  return { type: 'app_home_opened', user, channel: `D${user}`, tab, event_ts: slackNow() };
}

export function messageEvent(opts: {
  channel?: string;
  user?: string;
  text: string;
  ts?: string;
  thread_ts?: string;
  channel_type?: 'channel' | 'group' | 'im' | 'mpim';
}): Record<string, unknown> {
  const ts = opts.ts ?? slackNow();
  return {
    type: 'message',
    channel: opts.channel ?? payloadDefaults.channelId,
    user: opts.user ?? payloadDefaults.userId,
    text: opts.text,
    ts,
    ...(opts.thread_ts ? { thread_ts: opts.thread_ts } : {}),
    team: payloadDefaults.teamId,
    event_ts: ts,
    channel_type: opts.channel_type ?? 'channel',
  };
}

export function appMention(opts: { channel?: string; user?: string; text: string; ts?: string }): Record<string, unknown> {
  const ts = opts.ts ?? slackNow();
  return {
    type: 'app_mention',
    user: opts.user ?? payloadDefaults.userId,
    text: opts.text,
    ts,
    team: payloadDefaults.teamId,
    channel: opts.channel ?? payloadDefaults.channelId,
    event_ts: ts,
  };
}
