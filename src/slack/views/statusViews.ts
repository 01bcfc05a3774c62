/**
 * `/status KEY`: one engagement's status, `/status help`, and the pieces the portfolio view
 * shares (health words, the share button, "Shared by"). Pure, ≤ 50 blocks whatever the data;
 * everything people typed is escaped; instants are `<!date>` tokens (the day only for anything
 * about an anonymous report).
 */
import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import { LEVEL_LABELS, ORIGIN_LABELS, formatMetric, joinAnd } from '../../domain/kickoffRules';
import { formatMinutes } from '../../domain/scorecard';
import { SEVERITIES } from '../../domain/impedimentTypes';
import type { EngagementStatusModel, EscalatedItem, EventLine, OutcomeStatus } from '../../domain/statusTypes';
import type { Health, Lifecycle } from '../../domain/types';
import { ACTION, BLOCK } from '../ids';
import { encodeShareValue, type ShareValue } from '../input/statusInput';
import { formatDay, type Message } from './announcement';
import {
  SLACK_LIMITS,
  capBlocks,
  context,
  escapeMrkdwn as esc,
  fallback,
  fieldsSection,
  header,
  listSections,
  mrkdwnSection,
  plainText,
  truncate,
  userMention as user,
} from './blocks';
import { HEALTH_EMOJI, HEALTH_LABELS } from './checkinViews';
import { SEVERITY_EMOJI, SEVERITY_LABELS, dayOnly, exactTime } from './impedimentCard';
import { pulseStatusBlocks } from './pulseViews';

export const NO_HEALTH_EMOJI = ':white_circle:';
/** Mid-sentence health words: `:red_circle: Red`, `:white_circle: no check-in yet`. */
const healthPhrase = (h: Health | null): string => (h ? `${HEALTH_EMOJI[h]} ${HEALTH_LABELS[h]}` : `${NO_HEALTH_EMOJI} no check-in yet`);

export const LIFECYCLE_WORDS: Record<Lifecycle, string> = {
  active: 'Active',
  paused: '⏸ Paused — on hold',
  completed: '✅ Completed',
  cancelled: '✖️ Cancelled',
};

const SLACK_USER = /^[UW][A-Z0-9]{1,30}$/;

/** "Shared by <@U1>" (only for a real user id); `extra` is our own mrkdwn. */
export function sharedByContext(userId: string | undefined, extra = ''): KnownBlock[] {
  return userId !== undefined && SLACK_USER.test(userId) ? [context([`Shared by ${user(userId)}${extra}`])] : [];
}

/** To the person who pressed "Share in channel" when coachline could not post there. */
export function shareFailedDm(channelId: string, code: string): Message {
  const why = code === 'not_in_channel' || code === 'channel_not_found' ? 'I am not in that conversation' : `Slack answered \`${esc(code)}\``;
  const text = `:warning: I could not share the status in <#${channelId}>: ${why}. Invite me with \`/invite @coachline\` there and share again.`;
  return { text: fallback(text), blocks: [mrkdwnSection(text)] };
}

export function shareButton(value: ShareValue): Button {
  return { type: 'button', action_id: ACTION.statusShare, text: plainText('Share in channel', SLACK_LIMITS.buttonText), value: encodeShareValue(value) };
}

export const statusActions = (elements: Button[]): ActionsBlock[] => (elements.length ? [{ type: 'actions', block_id: BLOCK.statusActions, elements }] : []);

const days = (n: number): string => `${n} day${Math.abs(n) === 1 ? '' : 's'}`;

function kickoffWords(n: number | null): string {
  if (n === null) return 'unknown';
  if (n < 0) return `starts in ${days(-n)}`;
  return n === 0 ? 'today' : `${days(n)} ago`;
}

function reviewWords(n: number | null): string {
  if (n === null) return 'unknown';
  if (n < 0) return `*overdue by ${days(-n)}*`;
  return n === 0 ? '*today*' : `in ${days(n)}`;
}

/** `▰▰▰▰▰▰▱▱▱▱ 60%` */
export const progressBar = (percent: number): string => `${'▰'.repeat(Math.round(percent / 10))}${'▱'.repeat(10 - Math.round(percent / 10))} ${percent}%`;

const TREND_WORDS = { toward: 'improving', away: 'moving away from target', flat: 'no change' } as const;

function outcomeLine(o: OutcomeStatus): string {
  const text = esc(truncate(o.text, 300));
  if (!o.metric) return `▫️ ${text} · not measured`;
  const values = esc(formatMetric(o.metric, true));
  if (o.progress === null) return `▫️ ${text}: ${values} · no value reported yet`;
  const mark = o.progress >= 100 ? '✅' : o.trend === 'away' ? '🔻' : '▪️';
  return `${mark} ${text}: ${values} · ${progressBar(o.progress)}${o.trend ? ` · ${TREND_WORDS[o.trend]}` : ''}`;
}

function escalatedLine(x: EscalatedItem, timeZone: string): string {
  const due = x.dueAt ? `due ${x.anonymous ? dayOnly(x.dueAt, timeZone) : exactTime(x.dueAt)}` : 'acknowledged';
  const parts = [
    `${SEVERITY_EMOJI[x.severity]} *${x.ref}* level ${x.level} · ${esc(truncate(x.levelName, 60))}`,
    due + (x.overdue ? ' · *overdue*' : ''),
    ...(x.waitingOnExecutives ? [':rotating_light: waiting on executives'] : []),
    esc(truncate(x.description.replace(/\s+/g, ' '), 100)),
  ];
  return parts.join(' · ');
}

/** `<!date> — <@U> did this`; anonymous lines show the day only and never a person. */
export function eventText(ev: EventLine, timeZone: string): string {
  const when = ev.anonymous ? dayOnly(ev.at, timeZone) : exactTime(ev.at);
  const who = ev.actorId !== null && !ev.anonymous && SLACK_USER.test(ev.actorId) ? `${user(ev.actorId)} ` : '';
  const text = who === '' && ev.actorId !== null ? ev.text.replace(/^./, (c) => c.toUpperCase()) : ev.text;
  return `${when} — ${who}${esc(truncate(text, 300))}`;
}

function healthSection(m: EngagementStatusModel): KnownBlock {
  const key = m.engagement.key;
  const latest = m.checkin.latest;
  const lines = [`*Health* — coach: ${healthPhrase(latest?.health ?? null)} · computed: ${healthPhrase(m.computed.health)}`];
  if (m.disagreement) lines.push(`:warning: ${esc(m.disagreement)}`);
  else if (m.computed.reasons.length) lines.push(`Signals: ${esc(m.computed.reasons.join('; '))}`);
  const stale = m.checkin.stale ? ' — *stale* (none in the last 7 days)' : '';
  if (latest) {
    lines.push(`Last check-in by ${user(latest.authorId)}, ${esc(latest.age)} ago${stale}`);
    if (latest.summary.trim()) lines.push(`> ${esc(truncate(latest.summary.trim(), 500)).replace(/\n/g, '\n> ')}`);
  } else {
    lines.push(`No check-in yet${stale}. Coaches post one with \`/status update ${esc(key)}\`.`);
  }
  return mrkdwnSection(lines.join('\n'));
}

function impedimentBlocks(m: EngagementStatusModel, timeZone: string): KnownBlock[] {
  const key = esc(m.engagement.key);
  const bySeverity = [...SEVERITIES]
    .reverse()
    .filter((s) => m.openBySeverity[s] > 0)
    .map((s) => `${SEVERITY_EMOJI[s]} ${m.openBySeverity[s]} ${SEVERITY_LABELS[s].toLowerCase()}`);
  const summary = m.openTotal === 0
    ? '*Open impediments:* none'
    : `*Open impediments:* ${m.openTotal} — ${bySeverity.join(' · ')}${m.oldestOpen ? `\nOldest: *${m.oldestOpen.ref}*, open ${esc(m.oldestOpen.age)}` : ''}`;
  const blocks: KnownBlock[] = [mrkdwnSection(summary)];
  if (m.escalated.length) {
    const shown = m.escalated.slice(0, 10).map((x) => escalatedLine(x, timeZone));
    const more = m.escalatedTotal - shown.length;
    if (more > 0) shown.push(`…and ${more} more — \`/impediment list ${key}\``);
    blocks.push(...capBlocks(listSections(`Escalated (${m.escalatedTotal})`, shown, { bullet: '' }), 2, `\`/impediment list ${key}\``));
  }
  if (m.scorecard.length) {
    const rows = m.scorecard.map(
      (r) => `*${r.level} · ${esc(truncate(r.name, 60))}* — ${r.inTime} in time · ${r.late} late · ${r.never} never · median ${r.medianMinutesToAck === null ? '—' : formatMinutes(r.medianMinutesToAck)}`,
    );
    blocks.push(...capBlocks(listSections('Escalation scorecard', rows, { bullet: '' }), 2, `\`/impediment list ${key}\``));
  }
  return blocks;
}

export interface EngagementViewOptions {
  timeZone: string;
  /** Ephemeral answers carry "Share in channel". */
  shareable: boolean;
  /** Set when this is the shared (public) copy: who shared it. */
  sharedBy?: string;
}

export function engagementStatusView(m: EngagementStatusModel, opts: EngagementViewOptions): Message {
  const e = m.engagement;
  const key = esc(e.key);
  const coaches = e.coachIds.length ? joinAnd(e.coachIds.map(user)) : 'nobody yet';
  const origin = e.origin === 'pull' && e.requestedBy ? `${ORIGIN_LABELS.pull} — asked for by ${user(e.requestedBy)}` : ORIGIN_LABELS[e.origin];
  const head: KnownBlock[] = [
    header(`Status: ${e.name}`),
    ...sharedByContext(opts.sharedBy),
    context([`\`${key}\` · ${LIFECYCLE_WORDS[e.lifecycle]}`]),
    fieldsSection([
      `*Sponsor*\n${user(e.sponsorId)}`,
      `*Coaches*\n${coaches}`,
      `*Level*\n${LEVEL_LABELS[e.level]}`,
      `*Origin*\n${origin}`,
      `*Kickoff*\n${kickoffWords(m.daysSinceKickoff)} · ${esc(formatDay(e.startDate))}`,
      `*Review*\n${reviewWords(m.daysToReview)} · ${esc(formatDay(e.reviewDate))}`,
    ]),
    healthSection(m),
  ];
  const note = 'the full list is in the announcement';
  const events = m.events.length ? listSections('Recent activity', m.events.map((ev) => eventText(ev, opts.timeZone))) : [mrkdwnSection('*Recent activity*\nNothing yet.')];
  const tail: KnownBlock[] = [
    ...pulseStatusBlocks(m.pulse, opts.timeZone),
    ...impedimentBlocks(m, opts.timeZone),
    ...capBlocks(events, 2, 'older activity is in the engagement channel'),
    context([`\`/status help\` · check in with \`/status update ${key}\` · raise with \`/impediment\``]),
    ...statusActions(opts.shareable ? [shareButton({ v: 'engagement', id: e.id })] : []),
  ];
  const pain = listSections('Pain points', e.painPoints.map((p) => esc(truncate(p, 500))));
  const outcomes = m.outcomes.length
    ? listSections('Outcomes (baseline → current → target)', m.outcomes.map(outcomeLine), { bullet: '' })
    : [mrkdwnSection('*Outcomes*\nNone agreed yet.')];
  // What is left of the 50 blocks goes to the two lists; each keeps at least half of it.
  const budget = SLACK_LIMITS.messageBlocks - head.length - tail.length;
  const painMax = budget - Math.min(outcomes.length, Math.floor(budget / 2));
  const cappedPain = capBlocks(pain, painMax, note);
  const cappedOutcomes = capBlocks(outcomes, budget - cappedPain.length, note);

  const latest = m.checkin.latest;
  const summary = [
    `Status of ${esc(e.name)} (\`${key}\`): coach says ${latest ? latest.health : 'nothing yet (no check-in)'}, computed ${m.computed.health}.`,
    m.computed.reasons.length ? `Signals: ${esc(m.computed.reasons.join('; '))}.` : '',
    `${m.openTotal} open impediment${m.openTotal === 1 ? '' : 's'}, ${m.escalatedTotal} escalated.`,
    latest ? `Last check-in ${esc(latest.age)} ago${m.checkin.stale ? ' (stale)' : ''}.` : '',
  ];
  return { text: fallback(summary.filter(Boolean).join(' ')), blocks: [...head, ...cappedPain, ...cappedOutcomes, ...tail] };
}

export function statusHelp(): Message {
  const sections = [
    '*`/status`* in an engagement’s channel shows that engagement; anywhere else, the portfolio of active engagements.',
    '*`/status KEY`* shows one engagement: sponsor, coaches, days since kickoff and to review, health from the last check-in and a computed health, pain points, outcomes, open and escalated impediments, the escalation scorecard and recent activity.',
    '*`/status mine`* lists engagements where you are the sponsor, a coach, an escalation contact or a reporter. *`/status all`* includes paused and completed ones.',
    '*`/status update [KEY]`* opens the check-in form (the sponsor, a coach or an admin): health, summary, next steps and outcome values. It is posted under the announcement in the engagement channel.',
    '*`/status export KEY`* or *`/status export all`* (admins) sends you, as files in a direct message, a CSV of the impediments and a JSON of the engagement(s) with their events and team-pulse aggregates. Anonymous reporters are not in it.',
    '*Home tab*: open coachline in the sidebar to see what waits on you. *Weekly digests* go to each engagement channel and its sponsor on Mondays at 09:00 (*`/status digest KEY friday 16:00`* moves them); coaches and impediment owners get gentle reminders, each with *Snooze a week*.',
    '*Computed health* turns amber or red on unanswered escalations, ageing high and critical impediments, missed escalation responses, outcomes moving away from target and check-ins older than 7 days. When it disagrees with the coach, both are shown with the reason.',
    '*Share in channel* posts the same answer for everyone in the channel, with your name on it. Answers are otherwise only visible to you.',
  ];
  return {
    text: esc('How to use /status: `/status`, `/status KEY`, `/status mine`, `/status all`, `/status update [KEY]`, `/status export KEY|all`, `/status digest KEY WEEKDAY HH:MM`, `/status help`.'),
    blocks: [header('/status — status without a meeting'), ...sections.map((s) => mrkdwnSection(esc(s)))],
  };
}
