/**
 * Helpers for driving impediments end to end through the real app (signed HTTP requests) and
 * the Slack emulator: kick off an engagement (with or without an engagement channel), raise
 * impediments by command, modal or message shortcut, click card buttons with block_actions
 * payloads built from the card the emulator actually received, and submit the escalate /
 * resolve / edit modals with the private_metadata the app put on the view it opened.
 */
import type { Engagement } from '../../src/domain/types';
import type { Impediment, Severity } from '../../src/domain/impedimentTypes';
import { ACTION, ANONYMOUS_OPTION, BLOCK, CALLBACK, ORGANISATIONAL_OPTION } from '../../src/slack/ids';
import type { EmulatedMessage } from '../../src/sandbox/emulator';
import { sendAgain, waitFor, type Harness } from './harness';
import type { PostOptions } from '../../src/sandbox/signing';
import { kickoffForm, kickoffSubmission, type KickoffForm } from './kickoffForm';
import { blockActions, checkboxes, messageShortcut, plainText, radio, staticSelect, viewSubmission, type StateValues } from '../../src/sandbox/payloads';

export const TEAM = 'T0001';
export const OTHER_TEAM = 'T0002';

/** The people of the standard engagement. */
export const P = {
  sponsor: 'USPONSOR',
  coach: 'UCOACH1',
  coach2: 'UCOACH2',
  teamLead: 'UTEAMLEAD',
  program: 'UPROGRAM',
  exec: 'UEXEC',
  reporter: 'UREPORTER',
  stranger: 'USTRANGER',
  admin: 'UADMIN',
} as const;

export type Res = { status: number; body: string; json(): unknown };

/** Everything in a message or body as JSON text, for "does it mention" checks. */
export const textOf = (m: unknown): string => JSON.stringify(m);

/** Waits until no listener is running (they ack first and keep working) and the outbox is drained. */
export async function quiesce(h: Harness): Promise<void> {
  await waitFor(() => h.app.built.inFlight() === 0, 'listeners to finish');
  await h.settle();
}

/** Every row of the impediment tables, the events, the outbox (and `moreTables`): equal before and after means nothing changed. */
export async function snapshot(h: Harness, moreTables: string[] = []): Promise<Record<string, unknown[]>> {
  const tables = ['impediments', 'impediment_counters', 'impediment_cards', 'escalation_clocks', 'events', 'outbox', 'engagements', ...moreTables];
  const out: Record<string, unknown[]> = {};
  // Sorted by content, not by rowid: the same order on both engines.
  for (const t of tables) out[t] = (await h.rows(`SELECT * FROM ${t}`)).map((r) => JSON.stringify(r)).sort().map((j) => JSON.parse(j) as unknown);
  return out;
}

export const count = (h: Harness, table: string): Promise<number> => h.count(table);

/**
 * Sends a request (its bytes built once) and waits; then the same bytes again and as Slack's retry
 * (`x-slack-retry-num: 1`). Those two are answered quietly (200, empty body, nothing posted to
 * the response_url or anywhere else) and change no row of the snapshot's tables. Returns the first answer.
 */
export async function actsOnce(h: Harness, send: (opts?: PostOptions) => Promise<Res>, moreTables: string[] = []): Promise<Res> {
  const first = await send();
  await quiesce(h);
  const before = await snapshot(h, moreTables);
  const calls = h.emu.calls.length;
  const answers = h.emu.responses.length;
  const again = await sendAgain(send);
  await quiesce(h);
  expect(again.map((r) => [r.status, r.body])).toEqual([[200, ''], [200, '']]);
  expect(await snapshot(h, moreTables)).toEqual(before);
  expect(h.emu.calls.slice(calls).map((c) => c.method)).toEqual([]);
  expect(h.emu.responses.slice(answers)).toEqual([]);
  return first;
}

// --- kickoff ----------------------------------------------------------------------------------

/** Escalation line with distinct contacts per level: Team → UTEAMLEAD, Program → UPROGRAM, Executive → UEXEC. */
export const LINE = [
  { name: 'Team', contacts: [P.teamLead], response: '2' },
  { name: 'Program', contacts: [P.program], response: '3' },
  { name: 'Executive', contacts: [P.exec], response: '5' },
];

export interface KickOffOptions {
  /** Overrides of the kickoff form; `key` and `name` name the engagement. */
  form?: Partial<KickoffForm>;
  /** A name: an engagement channel of that name is created. Omitted: none. */
  engagementChannel?: string;
  /** Where `/kickoff` is typed (a channel of the emulator). */
  from: string;
  teamId?: string;
}

/** `/kickoff` → modal → submission, as the sponsor; waits for every delivery and returns the stored engagement. */
export async function kickOff(h: Harness, opts: KickOffOptions): Promise<Engagement> {
  const teamId = opts.teamId ?? TEAM;
  const form = kickoffForm({
    key: 'payments-platform',
    coaches: [P.coach],
    sponsor: P.sponsor,
    escalation: LINE,
    channels: [],
    createChannel: opts.engagementChannel !== undefined,
    channelName: opts.engagementChannel ?? '',
    ...opts.form,
  });
  const sponsor = form.sponsor ?? P.sponsor;
  const view = await opening(h, () => h.command({ command: '/kickoff', text: '', user_id: sponsor, channel_id: opts.from, team_id: teamId }));
  const res = await h.interact(kickoffSubmission(form, { user: sponsor, privateMetadata: String(view.private_metadata), teamId }));
  if (res.body !== '') throw new Error(`kickoff refused: ${res.body}`);
  await quiesce(h);
  const e = await h.app.stores.engagements.getByKey(teamId, form.key);
  if (!e) throw new Error('kickoff stored nothing');
  if (opts.engagementChannel !== undefined && !e.engagementChannelId) throw new Error('no engagement channel was created');
  return e;
}

// --- modals -----------------------------------------------------------------------------------

export type OpenedView = Record<string, unknown> & { id: string; callback_id?: string; private_metadata?: string; blocks: unknown[] };

/** Runs `act`, waits for exactly one new views.open, and returns the view as Slack holds it (with its id). */
export async function opening<T>(h: Harness, act: () => Promise<T>): Promise<OpenedView & { result: T }> {
  const before = h.emu.callsTo('views.open').length;
  const result = await act();
  await waitFor(() => h.emu.callsTo('views.open').length > before, 'views.open');
  await waitFor(() => h.app.built.inFlight() === 0, 'listeners to finish');
  const opened = h.emu.callsTo('views.open').slice(before);
  if (opened.length !== 1) throw new Error(`expected one views.open, got ${opened.length}`);
  const answer = opened[0].response as { ok: boolean; view?: OpenedView; error?: string };
  if (!answer.ok || !answer.view) throw new Error(`views.open failed: ${answer.error}`);
  return Object.assign(answer.view, { result });
}

/** The input block of a view by block_id (throws if absent). */
export function inputBlock(view: { blocks: unknown[] }, blockId: string): Record<string, any> {
  const b = (view.blocks as Record<string, any>[]).find((x) => x.block_id === blockId);
  if (!b) throw new Error(`no block ${blockId} in the view`);
  return b;
}

export interface RaiseForm {
  engagementId: number | string | null;
  description: string;
  severity: Severity | string | null;
  organisational: boolean;
  anonymous: boolean;
}

const v = (value: unknown) => ({ [ACTION.value]: value as Record<string, unknown> });

export function raiseState(f: RaiseForm): StateValues {
  return {
    [BLOCK.impEngagement]: v(staticSelect(f.engagementId === null ? null : String(f.engagementId))),
    [BLOCK.impDescription]: v(plainText(f.description)),
    [BLOCK.impSeverity]: v(radio(f.severity)),
    [BLOCK.impOrganisational]: v(checkboxes(f.organisational ? [ORGANISATIONAL_OPTION] : [])),
    [BLOCK.impAnonymous]: v(checkboxes(f.anonymous ? [ANONYMOUS_OPTION] : [])),
  };
}

/** The view_submission of a modal the app opened, with its callback_id, id, hash and private_metadata (or a forged one). */
export function viewPayload(view: OpenedView, state: StateValues, opts: { user: string; privateMetadata?: string; teamId?: string }): Record<string, unknown> {
  return viewSubmission({
    user: opts.user,
    teamId: opts.teamId,
    view: {
      id: view.id,
      ...(typeof view.hash === 'string' ? { hash: view.hash } : {}),
      callback_id: String(view.callback_id),
      private_metadata: opts.privateMetadata ?? String(view.private_metadata ?? ''),
      state_values: state,
      blocks: view.blocks,
    },
  });
}

/** Submits a modal the app opened (see viewPayload). */
export function submitView(h: Harness, view: OpenedView, state: StateValues, opts: { user: string; privateMetadata?: string; teamId?: string }): Promise<Res> {
  return h.interact(viewPayload(view, state, opts));
}

export function submitRaise(h: Harness, view: OpenedView, form: Partial<RaiseForm> & { engagementId: number | string | null }, opts: { user: string; privateMetadata?: string; teamId?: string }) {
  const f: RaiseForm = { description: 'Every firewall change takes two weeks', severity: 'medium', organisational: false, anonymous: false, ...form };
  return submitView(h, view, raiseState(f), opts);
}

export const reasonState = (reason: string): StateValues => ({ [BLOCK.impReason]: v(plainText(reason)) });
export const resolveState = (resolution: string | null, note: string): StateValues => ({
  [BLOCK.impResolution]: v(radio(resolution)),
  [BLOCK.impNote]: v(plainText(note)),
});
export const editState = (description: string, severity: string | null): StateValues => ({
  [BLOCK.impDescription]: v(plainText(description)),
  [BLOCK.impSeverity]: v(radio(severity)),
});

let forged = 0;
/** A modal of the given kind as if it had been opened, for submissions with forged private_metadata (a fresh view id each time). */
export function forgedView(callbackId: string, privateMetadata: string): OpenedView {
  forged += 1;
  return { id: `V0FORGED${String(forged).padStart(4, '0')}`, callback_id: callbackId, private_metadata: privateMetadata, blocks: [] };
}

// --- raising ----------------------------------------------------------------------------------

/** `/impediment TEXT` (or any /impediment subcommand) typed by `user` in `channel`. */
export async function impediment(h: Harness, text: string, opts: { user: string; channel: string; teamId?: string }): Promise<Res> {
  const res = await h.command({ command: '/impediment', text, user_id: opts.user, channel_id: opts.channel, ...(opts.teamId ? { team_id: opts.teamId } : {}) });
  await quiesce(h);
  return res;
}

export async function escalateCommand(h: Harness, text: string, opts: { user: string; channel: string }): Promise<Res> {
  const res = await h.command({ command: '/escalate', text, user_id: opts.user, channel_id: opts.channel });
  await quiesce(h);
  return res;
}

/** The ephemeral answer body of a command as readable text (blocks included). */
export const answer = (res: Res): string => res.body;

/** Quick capture in a channel that belongs to one engagement; returns the stored impediment and the confirmation. */
export async function quickRaise(h: Harness, text: string, opts: { user: string; channel: string }): Promise<{ imp: Impediment; res: Res }> {
  const before = await count(h, 'impediments');
  const res = await impediment(h, text, opts);
  if ((await count(h, 'impediments')) !== before + 1) throw new Error(`quick capture stored nothing: ${res.body}`);
  return { imp: await latest(h), res };
}

/** Opens the modal with `/impediment` (alone) and submits it. */
export async function raiseWithModal(h: Harness, form: Partial<RaiseForm> & { engagementId: number }, opts: { user: string; channel: string }): Promise<{ imp: Impediment; res: Res }> {
  const view = await opening(h, () => h.command({ command: '/impediment', text: '', user_id: opts.user, channel_id: opts.channel }));
  const res = await submitRaise(h, view, form, { user: opts.user });
  await quiesce(h);
  return { imp: await latest(h), res };
}

/** The "Raise as impediment" message shortcut on a message. */
export function shortcutOn(h: Harness, channel: string, message: EmulatedMessage, user: string): Promise<Res> {
  return h.interact(
    messageShortcut({ callback_id: CALLBACK.raiseShortcut, user, channel: { id: channel }, message: { ts: message.ts, text: message.text, user: message.user } }),
  );
}

/** The most recently stored impediment. */
export async function latest(h: Harness): Promise<Impediment> {
  const [row] = await h.rows<{ id: number }>('SELECT id FROM impediments ORDER BY id DESC LIMIT 1');
  if (!row) throw new Error('no impediment stored');
  return await h.app.stores.impediments.get(Number(row.id)) as Impediment;
}

export const reload = async (h: Harness, imp: { id: number }): Promise<Impediment> => await h.app.stores.impediments.get(imp.id) as Impediment;

// --- cards and their threads ------------------------------------------------------------------

export interface PostedCard {
  channel: string;
  ts: string;
  message: EmulatedMessage;
  /** Top-level messages in that channel, for "updated in place, not reposted". */
  topLevel: EmulatedMessage[];
  /** Replies in the card's thread, oldest first. */
  thread: EmulatedMessage[];
}

/** Every posted card of an impediment, as the emulator holds it now. */
export async function cardsOf(h: Harness, imp: { id: number }): Promise<PostedCard[]> {
  return (await reload(h, imp)).cards.map((c) => {
    if (!c.channel || !c.ts) throw new Error(`card for ${c.target} was never posted`);
    const all = h.emu.messages(c.channel);
    const message = all.find((m) => m.ts === c.ts);
    if (!message) throw new Error(`card ${c.ts} is not in ${c.channel}`);
    return { channel: c.channel, ts: c.ts, message, topLevel: all.filter((m) => !m.thread_ts || m.thread_ts === m.ts), thread: all.filter((m) => m.thread_ts === c.ts && m.ts !== c.ts) };
  });
}

/** The one card of an impediment in an engagement channel. */
export async function cardOf(h: Harness, imp: { id: number }): Promise<PostedCard> {
  const cards = await cardsOf(h, imp);
  if (cards.length !== 1) throw new Error(`expected one card, found ${cards.length}`);
  return cards[0];
}

/** chat.update calls made on a message. */
export const updatesOf = (h: Harness, channel: string, ts: string) => h.emu.callsTo('chat.update').filter((c) => c.args.channel === channel && c.args.ts === ts);

/** The mrkdwn of the card's fields section, `*Owner*\n<@U…>` etc. */
export function cardFields(message: { blocks?: unknown[] }): string[] {
  const section = (message.blocks as Record<string, any>[] | undefined)?.find((b) => b.type === 'section' && Array.isArray(b.fields));
  return section ? (section.fields as { text: string }[]).map((f) => f.text) : [];
}

export function field(message: { blocks?: unknown[] }, name: string): string | undefined {
  return cardFields(message)
    .find((f) => f.startsWith(`*${name}*\n`))
    ?.slice(name.length + 3);
}

export interface ButtonEl {
  type: string;
  action_id: string;
  value?: string;
  text: { type: string; text: string };
  style?: string;
  block_id: string;
}

/** The buttons of a message's actions blocks, with their block_id. */
export function buttonsOf(message: { blocks?: unknown[] }): ButtonEl[] {
  const blocks = (message.blocks ?? []) as Record<string, any>[];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => (b.elements as Omit<ButtonEl, 'block_id'>[]).map((e) => ({ ...e, block_id: String(b.block_id) })));
}

export function buttonOf(message: { blocks?: unknown[] }, actionId: string): ButtonEl {
  const b = buttonsOf(message).find((x) => x.action_id === actionId);
  if (!b) throw new Error(`no ${actionId} button; buttons: ${buttonsOf(message).map((x) => x.action_id).join(', ')}`);
  return b;
}

export interface ClickResult {
  status: number;
  /** What the app posted to this click's response_url (ephemeral answers). */
  responses: { text?: string; blocks?: unknown[]; response_type?: string; replace_original?: boolean }[];
  /** The modal the click opened, if any. */
  view: OpenedView | null;
}

type ClickWhere = { channel: string; message?: EmulatedMessage; blocks?: unknown[]; ephemeralTs?: string };

/**
 * Clicks a button of a message the bot posted (card, DM, or an ephemeral confirmation), with the
 * button exactly as it is in that message; `value` overrides the button's value (tampering).
 */
export async function click(h: Harness, where: ClickWhere, actionId: string, opts: { user: string; value?: string; teamId?: string }): Promise<ClickResult> {
  const payload = clickPayload(where, actionId, opts);
  const path = new URL(String(payload.response_url)).pathname;
  const viewsBefore = h.emu.callsTo('views.open').length;
  const res = await h.interact(payload);
  await quiesce(h);
  const opened = h.emu.callsTo('views.open').slice(viewsBefore);
  const view = opened.length === 1 && (opened[0].response as { ok: boolean }).ok ? ((opened[0].response as { view: OpenedView }).view ?? null) : null;
  if (opened.length > 1) throw new Error('one click opened several modals');
  return {
    status: res.status,
    responses: h.emu.responses.filter((r) => r.path === path).map((r) => r.body as ClickResult['responses'][number]),
    view,
  };
}

/** The block_actions payload of a click on a button of a message (see click). */
export function clickPayload(where: ClickWhere, actionId: string, opts: { user: string; value?: string; teamId?: string }): Record<string, unknown> {
  const blocks = where.message?.blocks ?? where.blocks ?? [];
  const button = buttonOf({ blocks }, actionId);
  const { block_id, type, text, ...rest } = button;
  const action = { ...rest, type, block_id, text: text.text, ...(opts.value !== undefined ? { value: opts.value } : {}) };
  return blockActions({
    actions: [action],
    user: opts.user,
    teamId: opts.teamId,
    channel: { id: where.channel },
    ...(where.message
      ? { message: { ts: where.message.ts, text: where.message.text, blocks: where.message.blocks, ...(where.message.thread_ts ? { thread_ts: where.message.thread_ts } : {}) } }
      : { container: { type: 'message', message_ts: where.ephemeralTs ?? '0000000000.000000', channel_id: where.channel, is_ephemeral: true } }),
  });
}

/** Clicks a card button and, when it opens a modal, returns it. */
export async function clickCard(h: Harness, card: PostedCard, actionId: string, opts: { user: string; value?: string }): Promise<ClickResult> {
  return click(h, { channel: card.channel, message: card.message }, actionId, opts);
}

/** Text of all responses of a click. */
export const said = (r: ClickResult): string => r.responses.map((x) => `${x.text ?? ''} ${JSON.stringify(x.blocks ?? [])}`).join('\n');

/** Escalate button → modal → reason, as `user`; returns the modal submission's answer. */
export async function escalateViaCard(h: Harness, imp: { id: number }, reason: string, user: string): Promise<Res> {
  const clicked = await clickCard(h, (await cardsOf(h, imp))[0], ACTION.impEscalate, { user });
  if (!clicked.view) throw new Error(`escalate opened no modal: ${said(clicked)}`);
  const res = await submitView(h, clicked.view, reasonState(reason), { user });
  await quiesce(h);
  return res;
}

/** Resolve button → modal → outcome and note, as `user`. */
export async function resolveViaCard(h: Harness, imp: { id: number }, resolution: 'resolved' | 'wont_fix', note: string, user: string): Promise<Res> {
  const clicked = await clickCard(h, (await cardsOf(h, imp))[0], ACTION.impResolve, { user });
  if (!clicked.view) throw new Error(`resolve opened no modal: ${said(clicked)}`);
  const res = await submitView(h, clicked.view, resolveState(resolution, note), { user });
  await quiesce(h);
  return res;
}

/** Parsed `{ response_action, errors }` of a view submission answer ({} when the modal closed). */
export function viewErrors(res: Res): Record<string, string> {
  if (res.body === '') return {};
  const body = res.json() as { response_action?: string; errors?: Record<string, string> };
  return body.response_action === 'errors' ? (body.errors ?? {}) : {};
}

/** The bot's DMs to a user (top-level messages). */
export const dmsTo = (h: Harness, userId: string): EmulatedMessage[] => h.emu.messages(userId).filter((m) => !m.thread_ts);
