/**
 * Scheduled messages: the weekly digest (engagement channel and the sponsor's DM), the two
 * reminders (a check-in owed, an impediment idle) with their "Snooze a week" button, and the
 * snooze receipt. Pure and within Slack's limits.
 *
 * Anonymous impediments never name anyone here — no reporter, no owner — and digests show days
 * only (`dayOnly`), never the minute something happened.
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { impedimentRef, type Impediment } from '../../domain/impedimentTypes';
import type { Checkin, DigestContent, OutcomeMove } from '../../domain/statusTypes';
import type { Engagement, Health } from '../../domain/types';
import { ACTION, BLOCK } from '../ids';
import { encodeSnoozeValue } from '../input/checkinInput';
import type { Message } from './announcement';
import { SLACK_LIMITS, capBlocks, context, escapeMrkdwn as esc, fallback, header, listSections, mrkdwnSection, plainText, truncate, userMention as user } from './blocks';
import { HEALTH_EMOJI, HEALTH_LABELS, healthText } from './checkinViews';
import { SEVERITY_EMOJI, STATE_LABELS, dayOnly, exactTime } from './impedimentCard';
import { pulseStatusBlocks } from './pulseViews';
import { todayIn } from '../../lib/time';


/** A digest's content plus the workspace's IANA zone (which local day things happened on). */
export type DigestInput = DigestContent & { timeZone: string };

/** Items shown per list before "…and N more". */
const SHOWN = { checkins: 5, impediments: 8, outcomes: 20 } as const;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function capped(lines: readonly string[], max: number, more: string, total = lines.length): string[] {
  if (total <= max && lines.length <= max) return [...lines];
  return [...lines.slice(0, max), `…and ${Math.max(total, lines.length) - Math.min(max, lines.length)} more — ${more}`];
}

function healthLine(before: Health | null, now: Health | null): string {
  if (now === null) return '*Health:* no check-in yet, so nobody has rated it.';
  if (before === now) return `*Health:* ${healthText(now)}, unchanged.`;
  const was = before === null ? 'first rating' : `was ${HEALTH_LABELS[before]}`;
  return `*Health:* ${healthText(now)} (${was}).`;
}

/** Nobody is named for an anonymous impediment: not the reporter, not the owner. */
function impLine(imp: Impediment, what: 'raised' | 'resolved' | 'escalated'): string {
  const head = `${SEVERITY_EMOJI[imp.severity]} *${impedimentRef(imp.number)}* — ${esc(truncate(imp.description.trim(), 150))}`;
  if (what === 'raised') {
    const by = imp.anonymous ? 'raised anonymously' : imp.reporterId ? `raised by ${user(imp.reporterId)}` : 'raised';
    return `${head} · ${by}`;
  }
  if (what === 'resolved') {
    const owner = !imp.anonymous && imp.ownerId ? ` · owner ${user(imp.ownerId)}` : '';
    return `${head} · ${STATE_LABELS[imp.state]}${owner}`;
  }
  return `${head} · now at level ${imp.level}${imp.waitingOnExecutives ? ' · :rotating_light: waiting on executives' : ''}`;
}

const num = (n: number | null): string => (n === null ? '—' : String(n));

function moveLine(m: OutcomeMove): string {
  const unit = m.unit.trim() === '' ? '' : ` ${esc(truncate(m.unit, 30))}`;
  return `${esc(truncate(m.text, 200))}: ${num(m.from)} → *${num(m.to)}*${unit}`;
}

const moved = (m: OutcomeMove): boolean => m.from !== m.to;

/** The weekly digest: what changed between `from` and `to` (≤ 50 blocks whatever the input). */
export function digestMessage(input: DigestInput): Message {
  const e = input.engagement;
  const key = esc(e.key);
  const tz = input.timeZone;
  const moves = input.outcomeMoves.filter(moved);
  const healthChanged = input.healthBefore !== input.healthNow;
  const empty =
    !healthChanged && input.checkins.length + input.raised.length + input.resolved.length + input.escalated.length + moves.length === 0;
  const blocks: KnownBlock[] = [
    header(`Weekly digest: ${e.name}`),
    context([`\`${key}\` · ${dayOnly(input.from, tz)} – ${dayOnly(input.to, tz)}`]),
    mrkdwnSection(healthLine(input.healthBefore, input.healthNow)),
  ];
  if (empty) {
    blocks.push(mrkdwnSection(`Nothing changed this week: no check-ins, no impediments raised, resolved or escalated, no outcome movement. A coach or the sponsor can post a check-in with \`/status update ${key}\`.`));
  } else {
    const checkins = input.checkins.map(
      (c) => `${HEALTH_EMOJI[c.health]} ${dayOnly(c.createdAt, tz)} · ${user(c.authorId)} — ${esc(truncate(c.summary.trim(), 200))}`,
    );
    const more = `see \`/impediment list ${key}\``;
    const n = { raised: input.counts?.raised ?? input.raised.length, resolved: input.counts?.resolved ?? input.resolved.length, escalated: input.counts?.escalated ?? input.escalated.length };
    const sections: [string, string[]][] = [
      [`Check-ins (${input.checkins.length})`, capped(checkins, SHOWN.checkins, `see \`/status ${key}\``)],
      [`New impediments (${n.raised})`, capped(input.raised.map((i) => impLine(i, 'raised')), SHOWN.impediments, more, n.raised)],
      [`Resolved (${n.resolved})`, capped(input.resolved.map((i) => impLine(i, 'resolved')), SHOWN.impediments, more, n.resolved)],
      [`Escalated (${n.escalated})`, capped(input.escalated.map((i) => impLine(i, 'escalated')), SHOWN.impediments, more, n.escalated)],
      ['Outcome movement', capped(moves.map(moveLine), SHOWN.outcomes, `see \`/status ${key}\``)],
    ];
    for (const [title, lines] of sections) if (lines.length > 0) blocks.push(...listSections(title, lines));
  }
  // The pulse is news when it closed in this window; an open one is a nudge to answer.
  const pulse = input.pulse;
  const closedInWindow = pulse?.latest && pulse.latest.pulse.closedOn !== null && pulse.latest.pulse.closedOn >= todayIn(tz, input.from);
  if (closedInWindow || pulse?.open) blocks.push(...pulseStatusBlocks({ latest: closedInWindow ? pulse!.latest : null, open: pulse?.open ?? null }, tz));
  const foot = context([`\`/status ${key}\` shows the whole picture, any time.`]);

  const facts = empty
    ? 'nothing changed this week'
    : [
        `health ${input.healthNow ? HEALTH_LABELS[input.healthNow] : 'not rated'}${healthChanged && input.healthBefore ? ` (was ${HEALTH_LABELS[input.healthBefore]})` : ''}`,
        plural(input.checkins.length, 'check-in'),
        `${input.counts?.raised ?? input.raised.length} impediments raised, ${input.counts?.resolved ?? input.resolved.length} resolved, ${input.counts?.escalated ?? input.escalated.length} escalated`,
        plural(moves.length, 'outcome') + ' moved',
      ].join('; ');
  return {
    text: fallback(`Weekly digest for ${esc(e.name)}: ${facts}.`),
    blocks: [...capBlocks(blocks, SLACK_LIMITS.messageBlocks - 1, `see \`/status ${key}\``), foot],
  };
}

// --- reminders -------------------------------------------------------------------------------

function button(actionId: string, text: string, value: string, style?: 'primary'): Button {
  const b: Button = { type: 'button', action_id: actionId, text: plainText(text, SLACK_LIMITS.buttonText), value };
  if (style) b.style = style;
  return b;
}

const snoozeButton = (kind: 'checkin' | 'impediment', id: number): Button =>
  button(ACTION.snoozeReminder, 'Snooze a week', encodeSnoozeValue({ kind, id }));

const actions = (elements: Button[]): ActionsBlock => ({ type: 'actions', block_id: BLOCK.reminderActions, elements });

/** To a coach or the sponsor: no check-in for `daysSince` days (null: never since kickoff). */
export function checkinReminder(e: Engagement, daysSince: number | null): Message {
  const how = daysSince === null ? 'has had no check-in since kickoff' : `has had no check-in for ${plural(daysSince, 'day')}`;
  const text = `:wave: *${esc(e.name)}* (\`${esc(e.key)}\`) ${how}.`;
  return {
    text: fallback(`${text} Check in with /status update ${esc(e.key)}.`),
    blocks: [
      mrkdwnSection(text),
      context(['A check-in takes a minute — health, a short summary, next steps and outcome values — and feeds `/status` and the weekly digest.']),
      actions([button(ACTION.homeCheckin, 'Check in', String(e.id), 'primary'), snoozeButton('checkin', e.id)]),
    ],
  };
}

/** To an impediment's owner: no activity for `businessDaysIdle` business days. */
export function impedimentReminder(imp: Impediment, engagementKey: string, businessDaysIdle: number): Message {
  const ref = impedimentRef(imp.number);
  const text = `:hourglass_flowing_sand: *${ref}* in \`${esc(engagementKey)}\`, which you own, has had no activity for ${plural(businessDaysIdle, 'business day')}.`;
  const quote = `> ${esc(truncate(imp.description.trim(), 500)).replace(/\n/g, '\n> ')}`;
  return {
    text: fallback(`${ref} in ${esc(engagementKey)}, which you own, has had no activity for ${plural(businessDaysIdle, 'business day')}.`),
    blocks: [
      mrkdwnSection(`${text}\n${quote}`),
      context([`Resolve it, escalate it with \`/impediment escalate ${ref} REASON\`, or snooze this for a week if it is waiting on something outside your hands.`]),
      actions([button(ACTION.impResolve, 'Resolve…', String(imp.id)), snoozeButton('impediment', imp.id)]),
    ],
  };
}

/** Ephemeral answer to "Snooze a week". */
export function snoozedReceipt(until: Date): Message {
  const text = `:zzz: Snoozed. No reminder about this until ${exactTime(until)}.`;
  return { text: fallback(text), blocks: [mrkdwnSection(text)] };
}
