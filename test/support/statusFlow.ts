/**
 * Helpers for driving `/status`, check-ins, App Home and exports end to end through the real app
 * (signed HTTP requests shaped as Slack sends them) and the Slack emulator: type commands, read
 * the ephemeral answers and the response_url posts, click the answers' buttons, open the Home tab
 * with `app_home_opened` events, press Home buttons, submit the check-in modal, insert many
 * engagements quickly through the kickoff service, and parse the exported CSV.
 */
import type { Engagement, EngagementDraft } from '../../src/domain/types';
import { ACTION, BLOCK, checkinOutcomeBlock } from '../../src/slack/ids';
import { draft } from './drafts';
import { SIGNING_SECRET, waitFor, type Harness } from './harness';
import { TEAM, opening, quiesce, submitView, type OpenedView, type Res } from './impedimentFlow';
import { fileText } from '../../src/sandbox/emulatorFiles';
import { appHomeOpened, blockActions, eventCallback, numberInput, plainText, radio, type StateValues } from '../../src/sandbox/payloads';
import { postEvent } from '../../src/sandbox/signing';

export type Block = Record<string, any>;
export interface Answer {
  response_type?: string;
  replace_original?: boolean;
  text?: string;
  blocks?: Block[];
}

/** Every text a person sees in a message, view or block list (mrkdwn and plain text), one per line. */
export function visible(subject: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o.text);
    for (const [k, x] of Object.entries(o)) if (k !== 'text' || typeof x !== 'string') walk(x);
  };
  walk((subject as { blocks?: unknown })?.blocks ?? subject);
  return out.join('\n');
}

/** A command's ephemeral answer (the ack body). */
export function answerOf(res: Res): Answer {
  if (res.body === '') throw new Error('the command answered with an empty body');
  return res.json() as Answer;
}

/** `/status TEXT` as `user` in `channel`; waits for the listener and the outbox. */
export async function status(h: Harness, text: string, opts: { user: string; channel: string; teamId?: string }): Promise<Res> {
  const res = await h.command({ command: '/status', text, user_id: opts.user, channel_id: opts.channel, ...(opts.teamId ? { team_id: opts.teamId } : {}) });
  await quiesce(h);
  return res;
}

/** `/status TEXT`, and its response_url path (for the answers posted after the ack). */
export async function statusWithUrl(h: Harness, text: string, opts: { user: string; channel: string }): Promise<{ res: Res; posted: () => Answer[] }> {
  const responseUrl = `${h.emu.responseUrlBase}/commands/${TEAM}/status-${Math.random().toString(16).slice(2)}/abc`;
  const res = await h.command({ command: '/status', text, user_id: opts.user, channel_id: opts.channel, response_url: responseUrl });
  await quiesce(h);
  const path = new URL(responseUrl).pathname;
  return { res, posted: () => h.emu.responses.filter((r) => r.path === path).map((r) => r.body as Answer) };
}

/** The buttons of a message's actions blocks. */
export function buttons(m: { blocks?: Block[] }): Block[] {
  return (m.blocks ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements as Block[]);
}

export const buttonIds = (m: { blocks?: Block[] }): string[] => buttons(m).map((b) => String(b.action_id));

/** The "Page x of y" context line, or null. */
export function pageOf(m: { blocks?: Block[] }): string | null {
  const hit = /Page (\d+) of (\d+)/.exec(visible(m));
  return hit ? `${hit[1]}/${hit[2]}` : null;
}

/** Keys of engagements listed on a portfolio page (``*`key`*``). */
export function keysOn(m: { blocks?: Block[] }): string[] {
  return [...visible(m).matchAll(/\*`([a-z0-9-]+)`\*/g)].map((x) => x[1]!);
}

// --- engagements in bulk ---------------------------------------------------------------------

/** Stores an engagement through the kickoff service (no modal; nothing announced, no channel). */
export async function insertEngagement(h: Harness, overrides: Partial<EngagementDraft> = {}, teamId = TEAM): Promise<Engagement> {
  return await h.app.kickoff.kickoff(teamId, draft({ announcementChannelIds: [], engagementChannelName: null, ...overrides }), {
    actorId: overrides.sponsorId ?? 'USPONSOR',
    keyWasDerived: false,
    keyField: BLOCK.kickoffKey,
  });
}

// --- the check-in modal ----------------------------------------------------------------------

export interface CheckinForm {
  health: string | null;
  summary: string;
  nextSteps?: string;
  /** Outcome position (0-based) → what is typed in its number field. */
  metrics?: Record<number, string | null>;
}

const v = (value: unknown) => ({ [ACTION.value]: value as Record<string, unknown> });

export function checkinState(f: CheckinForm): StateValues {
  const state: StateValues = {
    [BLOCK.checkinHealth]: v(radio(f.health)),
    [BLOCK.checkinSummary]: v(plainText(f.summary)),
    [BLOCK.checkinNextSteps]: v(plainText(f.nextSteps ?? '')),
  };
  for (const [position, value] of Object.entries(f.metrics ?? {})) state[checkinOutcomeBlock(Number(position))] = v(numberInput(value));
  return state;
}

/** `/status update TEXT` as `user`: the modal it opened. */
export function openCheckin(h: Harness, text: string, opts: { user: string; channel: string }): Promise<OpenedView & { result: Res }> {
  return opening(h, () => h.command({ command: '/status', text: `update ${text}`.trim(), user_id: opts.user, channel_id: opts.channel }));
}

export async function submitCheckin(h: Harness, view: OpenedView, form: CheckinForm, opts: { user: string; privateMetadata?: string; teamId?: string }): Promise<Res> {
  const res = await submitView(h, view, checkinState(form), opts);
  await quiesce(h);
  return res;
}

// --- App Home ----------------------------------------------------------------------------------

/** Sends `app_home_opened` for `user` (signed, as the Events API does) and waits for what follows. */
export async function openHome(h: Harness, user: string, opts: { eventId?: string; tab?: 'home' | 'messages'; teamId?: string } = {}): Promise<Res> {
  const envelope = eventCallback(appHomeOpened(user, opts.tab ?? 'home'), { eventId: opts.eventId, teamId: opts.teamId });
  const res = await postEvent(`${h.base}/slack/events`, SIGNING_SECRET, envelope);
  await quiesce(h);
  return res;
}

export const publishesFor = (h: Harness, user: string) => h.emu.callsTo('views.publish').filter((c) => c.args.user_id === user);

/** The Home tab Slack holds for `user` now. */
export function homeOf(h: Harness, user: string): Block & { blocks: Block[] } {
  const view = h.emu.homeViews.get(user);
  if (!view) throw new Error(`no Home tab published for ${user}`);
  return view as unknown as Block & { blocks: Block[] };
}

/** Presses a button on the Home tab (block_actions from a `home` view: no response_url). */
export async function clickHome(h: Harness, user: string, actionId: string, opts: { value?: string; blockId?: string } = {}): Promise<{ status: number; view: OpenedView | null; opened: number }> {
  const before = h.emu.callsTo('views.open').length;
  const home = h.emu.homeViews.get(user);
  const payload = blockActions({
    user,
    actions: [{ action_id: actionId, block_id: opts.blockId ?? BLOCK.homeActions, ...(opts.value !== undefined ? { value: opts.value } : {}) }],
    view: { callback_id: '', type: 'home', id: home ? String(home.id) : 'VHOME0001', blocks: home?.blocks as unknown[] | undefined },
  });
  const res = await h.interact(payload);
  await quiesce(h);
  const opened = h.emu.callsTo('views.open').slice(before);
  const ok = opened.filter((c) => (c.response as { ok: boolean }).ok);
  return { status: res.status, view: ok.length === 1 ? ((ok[0]!.response as { view: OpenedView }).view ?? null) : null, opened: opened.length };
}

// --- CSV -----------------------------------------------------------------------------------------

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end in CRLF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i += 1;
        continue;
      }
      field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i += 1;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      field += c;
      i += 1;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** CSV rows as objects keyed by the header. */
export function csvRecords(text: string): { header: string[]; records: Record<string, string>[] } {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error('empty CSV');
  return { header, records: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '<missing>']))) };
}

/** Files the emulator holds, oldest first, with `content` as the file's own text. */
export const filesOf = (h: Harness) => [...h.emu.files.values()].map((f) => ({ ...f, content: fileText(f.content) }));

/**
 * Stops the harness once Bolt's own auth.test (sent from its constructor, awaited by nobody) has
 * an answer: closing the emulator under it ends in an unhandled rejection.
 */
export async function stop(h: Harness): Promise<void> {
  await waitFor(() => h.emu.callsTo('auth.test').some((c) => c.status === 200), 'auth.test', 5000).catch(() => undefined);
  await h.close();
}
