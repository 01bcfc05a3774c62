/**
 * The impediment card (in the engagement channel, or a DM to the coaches), the one-line replies
 * in its thread, and small formatters the other impediment views share. Pure and within limits.
 *
 * Anonymous impediments: the reporter is never shown (even if a row carried one by mistake),
 * and every time is shown as a day only. The `<!date>` token then carries noon of that local
 * day, so the exact minute is not in the payload either — due times count from the raise time,
 * so they are coarsened too.
 */
import { TZDate } from '@date-fns/tz';
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { impedimentRef, type Impediment, type ImpedimentState, type Severity } from '../../domain/impedimentTypes';
import type { Engagement } from '../../domain/types';
import { todayIn } from '../../lib/time';
import { ACTION, BLOCK } from '../ids';
import type { Message } from './announcement';
import { context, escapeMrkdwn as esc, fallback, fieldsSection, mrkdwnSection, plainText, safeLink, truncate, truncateMrkdwn, userMention as user } from './blocks';



export const SEVERITY_LABELS: Record<Severity, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };
export const SEVERITY_EMOJI: Record<Severity, string> = {
  low: ':large_blue_circle:',
  medium: ':large_yellow_circle:',
  high: ':large_orange_circle:',
  critical: ':red_circle:',
};
export const STATE_LABELS: Record<ImpedimentState, string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved', wont_fix: 'Won’t fix' };

export const isClosed = (imp: Impediment): boolean => imp.state === 'resolved' || imp.state === 'wont_fix';
/** No level above the impediment's current one: escalating further is not possible. */
export const isTopLevel = (imp: Impediment, e: Engagement): boolean => !e.escalation.some((l) => l.level > imp.level);
export const severityText = (s: Severity): string => `${SEVERITY_EMOJI[s]} ${SEVERITY_LABELS[s]}`;

const pad = (n: number): string => String(n).padStart(2, '0');
const unix = (d: Date): number => Math.floor(d.getTime() / 1000);

/** An instant in the viewer's time zone: `<!date^…^{date_short_pretty} at {time}|2026-11-23 14:05 UTC>`. */
export function exactTime(d: Date): string {
  const utc = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
  return `<!date^${unix(d)}^{date_short_pretty} at {time}|${utc}>`;
}

/** The day `d` falls on in `timeZone`; the token carries noon of that day, never the instant itself. */
export function dayOnly(d: Date, timeZone: string): string {
  let zone = timeZone;
  let day: string;
  try {
    day = todayIn(zone, d);
  } catch {
    zone = 'UTC';
    day = todayIn(zone, d);
  }
  const [y, m, dd] = day.split('-').map(Number);
  const noon = new TZDate(y ?? 1970, (m ?? 1) - 1, dd ?? 1, 12, zone);
  return `<!date^${unix(noon)}^{date_short_pretty}|${day}>`;
}

/** How a time about this impediment is shown: exact, or the day only when it is anonymous. */
export const impTime = (imp: Impediment, d: Date, timeZone: string): string => (imp.anonymous ? dayOnly(d, timeZone) : exactTime(d));

/** `<url|label>` for an http(s) URL without spaces or mrkdwn control characters; otherwise null. */
export type ImpButton = 'acknowledge' | 'own' | 'escalate' | 'resolve' | 'edit';

const BUTTONS: Record<ImpButton, { actionId: string; text: string; style?: 'primary' | 'danger' }> = {
  acknowledge: { actionId: ACTION.impAcknowledge, text: 'Acknowledge', style: 'primary' },
  own: { actionId: ACTION.impTakeOwnership, text: 'Take ownership' },
  escalate: { actionId: ACTION.impEscalate, text: 'Escalate…' },
  resolve: { actionId: ACTION.impResolve, text: 'Resolve…' },
  edit: { actionId: ACTION.impEdit, text: 'Edit…' },
};

/** An actions block of the given buttons, each carrying the impediment id; null when none apply. */
export function impedimentButtons(imp: Impediment, which: readonly ImpButton[]): ActionsBlock | null {
  if (which.length === 0) return null;
  const elements: Button[] = which.map((b) => {
    const spec = BUTTONS[b];
    const el: Button = { type: 'button', action_id: spec.actionId, text: plainText(spec.text, 75), value: String(imp.id) };
    if (spec.style) el.style = spec.style;
    return el;
  });
  return { type: 'actions', block_id: BLOCK.impActions, elements };
}

export interface CardContext {
  engagement: Engagement;
  /** Name of the impediment's current level. */
  levelName: string;
  /** The workspace's IANA time zone (for the day of anonymous impediments). */
  timeZone: string;
}

const SOURCE_WORDS: Record<Impediment['source'], string> = {
  command: 'Raised with `/impediment`',
  shortcut: 'Raised from a message',
  modal: 'Raised with the form',
  button: 'Raised from App Home',
};

export function reporterText(imp: Impediment): string {
  if (imp.anonymous) return 'anonymous';
  return imp.reporterId ? user(imp.reporterId) : '—';
}

export function impedimentCard(imp: Impediment, ctx: CardContext): Message {
  const e = ctx.engagement;
  const ref = impedimentRef(imp.number);
  const closed = isClosed(imp);
  const due = !closed && imp.dueAt ? impTime(imp, imp.dueAt, ctx.timeZone) : '—';
  const level = `${imp.level} · ${esc(ctx.levelName)}`;
  const fields = [
    `*Severity*\n${severityText(imp.severity)}`,
    `*Organisational*\n${imp.organisational ? 'Yes — beyond the team’s control' : 'No'}`,
    `*Reporter*\n${reporterText(imp)}`,
    `*Owner*\n${imp.ownerId ? user(imp.ownerId) : 'nobody yet'}`,
    `*State*\n${STATE_LABELS[imp.state]}`,
    `*Level*\n${level}`,
    `*Response due*\n${due}`,
    `*Raised*\n${impTime(imp, imp.createdAt, ctx.timeZone)}`,
    ...(closed && imp.closedAt ? [`*Closed*\n${impTime(imp, imp.closedAt, ctx.timeZone)}`] : []),
  ];
  const link = safeLink(imp.sourcePermalink, 'the original message');
  const blocks: KnownBlock[] = [
    mrkdwnSection(`${SEVERITY_EMOJI[imp.severity]} *${ref}* · impediment in *${esc(e.name)}* (\`${esc(e.key)}\`)`),
    ...(imp.waitingOnExecutives && !closed ? [context([':rotating_light: *Waiting on executives* — this is at the top of the escalation line.'])] : []),
    mrkdwnSection(esc(imp.description)),
    fieldsSection(fields),
  ];
  if (closed && imp.resolutionNote) blocks.push(mrkdwnSection(`*${STATE_LABELS[imp.state]}:* ${esc(imp.resolutionNote)}`));
  // How an anonymous one was raised narrows who raised it (App Home, say, next to someone's Home visit): not said.
  const source = imp.anonymous ? (link ? 'Raised from a message' : 'Raised anonymously') : SOURCE_WORDS[imp.source];
  blocks.push(context([link ? `${source}: ${link}` : source, `\`/impediment help\` · refer to it as \`${ref}\``]));
  const actions = closed ? null : impedimentButtons(imp, isTopLevel(imp, e) ? ['acknowledge', 'own', 'resolve'] : ['acknowledge', 'own', 'escalate', 'resolve']);
  if (actions) blocks.push(actions);

  const summary = `${ref} (${SEVERITY_LABELS[imp.severity].toLowerCase()}) in ${esc(e.name)}: ${esc(truncate(imp.description, 300))}`;
  const status = `${STATE_LABELS[imp.state]}, level ${level}${imp.waitingOnExecutives && !closed ? ', waiting on executives' : ''}.`;
  return { text: fallback(`${truncateMrkdwn(summary, 2000)} — ${status}`), blocks };
}

// --- the card's thread ------------------------------------------------------------------------

/** One reply in the card's thread; `text` is mrkdwn (escape what people typed first). */
export function threadLine(text: string): Message {
  return { text: fallback(text), blocks: [mrkdwnSection(text)] };
}

const quote = (text: string, max = 2000): string => esc(truncate(text.trim(), max));

/** The words of each thread line, as mrkdwn with user text escaped (also usable in histories). */
export const lines = {
  acknowledged: (userId: string, levelName: string): string => `:eyes: ${user(userId)} acknowledged this at level *${esc(levelName)}*.`,
  owned: (userId: string): string => `:raising_hand: ${user(userId)} took ownership.`,
  escalated(actorId: string | null, fromLevelName: string, toLevelName: string, reason: string): string {
    const who = actorId ? `${user(actorId)} escalated this` : 'Escalated automatically';
    const why = reason.trim() === '' ? '.' : `: ${quote(reason)}`;
    return `:arrow_double_up: ${who} from *${esc(fromLevelName)}* to *${esc(toLevelName)}*${why}`;
  },
  resolved(userId: string, resolution: 'resolved' | 'wont_fix', note: string): string {
    const what = resolution === 'resolved' ? `:white_check_mark: ${user(userId)} resolved this` : `:no_entry_sign: ${user(userId)} closed this as won’t fix`;
    return note.trim() === '' ? `${what}.` : `${what}: ${quote(note)}`;
  },
  anonymousReply: (text: string): string => `*reporter (anonymous):* ${quote(text)}`,
  /** `changes` are our words, e.g. `description`, `severity medium → high`. */
  edited: (userId: string, changes: readonly string[]): string => `:pencil2: ${user(userId)} edited this: ${changes.map((c) => esc(c)).join('; ')}.`,
  autoEscalationChanged: (actorId: string, on: boolean): string =>
    `:gear: ${user(actorId)} turned automatic escalation *${on ? 'on' : 'off'}* for this engagement${on ? '' : ': it now climbs only when someone escalates it'}.`,
  waitingOnExecutives: (levelName: string): string => `:rotating_light: This reached the top level (*${esc(levelName)}*) and is now waiting on executives.`,
};

/** The same lines as thread messages (the shape the impediment service renders with). */
export const thread = {
  acknowledged: (userId: string, levelName: string): Message => threadLine(lines.acknowledged(userId, levelName)),
  owned: (userId: string): Message => threadLine(lines.owned(userId)),
  escalated: (actorId: string | null, from: string, to: string, reason: string): Message => threadLine(lines.escalated(actorId, from, to, reason)),
  resolved: (userId: string, resolution: 'resolved' | 'wont_fix', note: string): Message => threadLine(lines.resolved(userId, resolution, note)),
  anonymousReply: (text: string): Message => threadLine(lines.anonymousReply(text)),
  edited: (userId: string, changes: string[]): Message => threadLine(lines.edited(userId, changes)),
  autoEscalationChanged: (actorId: string, on: boolean): Message => threadLine(lines.autoEscalationChanged(actorId, on)),
  waitingOnExecutives: (levelName: string): Message => threadLine(lines.waitingOnExecutives(levelName)),
};
