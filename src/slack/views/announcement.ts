/**
 * Messages around an engagement's kickoff: the announcement (the communication plan), the
 * "what changed" thread reply, the closing note, DMs to people named in it, the sponsor's
 * confirmation and the notice for a delivery that could not be made. Pure and within limits.
 */
import type { CoachProfile } from '../../domain/profiles';
import { coachIntroLines } from './profileViews';
import { format, isValid, parseISO } from 'date-fns';
import type { KnownBlock } from '@slack/types';
import { LEVEL_LABELS, ORIGIN_LABELS, formatMetric, formatResponseTime, joinAnd, outcomeReached } from '../../domain/kickoffRules';
import type { Engagement, EscalationLevel, IsoDate, Outcome } from '../../domain/types';
import {
  SLACK_LIMITS,
  capBlocks,
  channelMention,
  context,
  escapeExceptMentions,
  escapeMrkdwn as esc,
  fallback,
  fieldsSection,
  header,
  listSections,
  mrkdwnSection,
  safeLink,
  truncateMrkdwn,
  userMention as user,
} from './blocks';

export interface Message {
  text: string;
  blocks: KnownBlock[];
}

/** A calendar day, `Mon 23 Nov 2026` (not `<!date>`: it is a day, not an instant). */
export function formatDay(iso: IsoDate): string {
  const d = parseISO(iso);
  return isValid(d) ? format(d, 'EEE d MMM yyyy') : iso;
}

const people = (ids: readonly string[]): string => (ids.length ? joinAnd(ids.map(user)) : 'nobody yet');
const statusNote = (key: string) => `see \`/status ${key}\``;

function outcomeLine(o: Outcome): string {
  return o.metric ? `${esc(o.text)}: ${esc(formatMetric(o.metric))}` : esc(o.text);
}

function originText(e: Engagement): string {
  if (e.origin === 'push') return ORIGIN_LABELS.push;
  return e.requestedBy ? `${ORIGIN_LABELS.pull} — asked for by ${user(e.requestedBy)}` : ORIGIN_LABELS.pull;
}

function escalationLine(l: EscalationLevel): string {
  return `Level ${l.level} — *${esc(l.name)}*: ${people(l.contactIds)} · responds within ${formatResponseTime(l.responseTime, l.responseUnit)}`;
}

const LIFECYCLE_MARKERS: Partial<Record<Engagement['lifecycle'], string>> = {
  completed: '✅ *Completed* — this engagement has ended; the closing note is in this channel.',
  paused: '⏸ *Paused* — this engagement is on hold.',
  cancelled: '✖️ *Cancelled* — this engagement was stopped.',
};

/** "Meet your coaches": each coach with a profile, with level and strengths (nothing without any). */
function introBlocks(coachIds: readonly string[], profiles: readonly CoachProfile[]): KnownBlock[] {
  const lines = coachIntroLines(coachIds, profiles);
  return lines.length ? listSections('Meet your coaches', lines, { bullet: '' }) : [];
}

/** The communication plan posted to every announcement channel (≤ 50 blocks whatever the input). */
export function announcementMessage(e: Engagement, opts: { channelIsEngagementChannel?: boolean; coachProfiles?: readonly CoachProfile[] } = {}): Message {
  const marker = LIFECYCLE_MARKERS[e.lifecycle];
  const head: KnownBlock[] = [
    ...(marker ? [context([marker])] : []),
    header(`Coaching engagement: ${e.name}`),
    mrkdwnSection(`*Why now:* ${user(e.sponsorId)} is sponsoring coaching for *${esc(e.name)}* to address the pain points below.`),
    fieldsSection([
      `*Sponsor*\n${user(e.sponsorId)}`,
      `*Coaches*\n${people(e.coachIds)}`,
      `*Level*\n${LEVEL_LABELS[e.level]}`,
      `*Origin*\n${originText(e)}`,
      `*Starts*\n${formatDay(e.startDate)}`,
      `*Review*\n${formatDay(e.reviewDate)}`,
    ]),
    ...introBlocks(e.coachIds, opts.coachProfiles ?? []),
  ];
  const impediment = opts.channelIsEngagementChannel
    ? 'Raise an impediment with `/impediment` in this channel'
    : e.engagementChannelId
      ? `Raise an impediment with \`/impediment\` in ${channelMention(e.engagementChannelId)}`
      : `Raise an impediment with \`/impediment\` and choose \`${e.key}\``;
  const tail: KnownBlock[] = [
    ...capBlocks(listSections('Escalation lines', e.escalation.map(escalationLine)), 3, statusNote(e.key)),
    mrkdwnSection(`*How to take part*\n• ${impediment}\n• See where it stands with \`/status ${e.key}\``),
    context([`Engagement key: \`${e.key}\``, `Sponsor, coaches and admins can change it with \`/kickoff edit ${e.key}\``]),
  ];
  const pain = listSections('Pain points the coach will address', e.painPoints.map(esc));
  const outcomes = e.outcomes.length
    ? listSections('What success looks like', e.outcomes.map(outcomeLine))
    : [mrkdwnSection('*What success looks like*\nTo be agreed')];
  // Share what is left of the 50 blocks between the two lists; each keeps at least half.
  const budget = SLACK_LIMITS.messageBlocks - head.length - tail.length;
  const painMax = budget - Math.min(outcomes.length, Math.floor(budget / 2));
  const cappedPain = capBlocks(pain, painMax, statusNote(e.key));
  const cappedOutcomes = capBlocks(outcomes, budget - cappedPain.length, statusNote(e.key));

  const summary = [
    `Coaching engagement: ${esc(e.name)} (\`${e.key}\`)${marker ? ` — ${e.lifecycle}` : ''}.`,
    `Sponsor ${user(e.sponsorId)}; coaches ${people(e.coachIds)}.`,
    `${LEVEL_LABELS[e.level]} level, ${ORIGIN_LABELS[e.origin].toLowerCase()}, ${formatDay(e.startDate)} to ${formatDay(e.reviewDate)}.`,
    `Pain points: ${e.painPoints.map(esc).join('; ')}.`,
  ];
  // The last sentence must survive the cut, so the summary is cut before it is added.
  const text = `${truncateMrkdwn(summary.join(' '), SLACK_LIMITS.fallbackText - 60)} See \`/status ${e.key}\`.`;
  return { text: fallback(text), blocks: [...head, ...cappedPain, ...cappedOutcomes, ...tail] };
}

/** The reply in each announcement's thread after an edit; `lines` come from `diffEngagement` (mrkdwn). */
export function whatChangedReply(lines: readonly string[], editorId: string): Message {
  if (lines.length === 0) {
    const text = `${user(editorId)} saved the engagement; nothing visible changed.`;
    return { text, blocks: [mrkdwnSection(text)] };
  }
  const title = `${user(editorId)} updated this engagement`;
  return {
    text: fallback(`${title}: ${lines.join('; ')}`),
    blocks: capBlocks(listSections(title, lines), SLACK_LIMITS.messageBlocks, 'see the announcement above'),
  };
}

function reachedLine(o: Outcome): string {
  if (!o.metric) return `▫️ ${esc(o.text)} · no measure`;
  const reached = outcomeReached(o.metric);
  const mark = reached === null ? '▫️' : reached ? '✅' : '➖';
  const verdict = reached === null ? 'no measure yet' : reached ? 'reached' : 'not reached';
  return `${mark} ${esc(o.text)}: ${esc(formatMetric(o.metric, true))} · ${verdict}`;
}

/** Posted to the announcement channels by `/kickoff close KEY [note]`. */
export function closingNote(e: Engagement, closedBy: string, note: string | null): Message {
  const measured = e.outcomes.filter((o) => o.metric && o.metric.current !== null);
  const reached = measured.filter((o) => o.metric && outcomeReached(o.metric) === true);
  const score = measured.length ? `${reached.length} of ${measured.length} measured outcomes reached.` : 'No outcome has a measured value yet.';
  const outcomes = e.outcomes.length
    ? listSections('Outcomes (baseline → current → target)', e.outcomes.map(reachedLine), { bullet: '' })
    : [mrkdwnSection('*Outcomes*\nNo outcomes were set for this engagement.')];
  const noteBlocks = note && note.trim() !== ''
    ? listSections(`Closing note from ${user(closedBy)}`, note.split(/\r?\n/).map((l) => `> ${esc(l)}`), { bullet: '' })
    : [];
  const blocks: KnownBlock[] = [
    header(`Engagement completed: ${e.name}`),
    mrkdwnSection(`${user(closedBy)} closed *${esc(e.name)}* (\`${e.key}\`), which started on ${formatDay(e.startDate)}. ${score}`),
    ...capBlocks(outcomes, 22, statusNote(e.key)),
    ...capBlocks(noteBlocks, 2, 'the full note is in the engagement’s history'),
    mrkdwnSection(`*Thank you* to ${people(e.coachIds)} for coaching, ${user(e.sponsorId)} for sponsoring, and everyone who raised an impediment or tried something new.`),
    context([`Engagement key: \`${e.key}\``]),
    // How push turns into pull: the success story ends with how another team can ask.
    context(['Another team wants a coach? `/kickoff request` asks for one.']),
  ];
  const text = `${esc(e.name)} (\`${e.key}\`) is completed — ${score} Closed by ${user(closedBy)}.`;
  return { text: fallback(text), blocks: capBlocks(blocks, SLACK_LIMITS.messageBlocks, statusNote(e.key)) };
}

export type NamedRole = { kind: 'coach' } | { kind: 'contact'; level: EscalationLevel };

/** Every role `userId` holds in `e`: coach, and contact at each level that names them. */
export function rolesOf(e: Engagement, userId: string): NamedRole[] {
  const roles: NamedRole[] = e.coachIds.includes(userId) ? [{ kind: 'coach' }] : [];
  for (const level of e.escalation) if (level.contactIds.includes(userId)) roles.push({ kind: 'contact', level });
  return roles;
}

function roleText(e: Engagement, role: NamedRole, what: string): { intro: string; means: string[] } {
  if (role.kind === 'coach') {
    return {
      intro: `You’re named as a coach on ${what}.`,
      means: [
        'Impediments raised for this engagement come to the coaches: acknowledge them, take ownership, resolve or escalate.',
        `Post check-ins with \`/status update ${e.key}\` — health, progress and outcome values.`,
        `You can change the engagement with \`/kickoff edit ${e.key}\`.`,
      ],
    };
  }
  const l = role.level;
  const within = formatResponseTime(l.responseTime, l.responseUnit);
  const prev = e.escalation.find((x) => x.level === l.level - 1);
  const next = e.escalation.find((x) => x.level === l.level + 1);
  return {
    intro: `You’re an escalation contact at level ${l.level} (*${esc(l.name)}*) for ${what}.`,
    means: [
      prev
        ? `An impediment nobody at level ${prev.level} (${esc(prev.name)}) acknowledges within ${formatResponseTime(prev.responseTime, prev.responseUnit)} climbs to you.`
        : 'New impediments come to you first.',
      next
        ? `Once one reaches you, you have ${within} to respond before it climbs to level ${next.level} (${esc(next.name)}).`
        : `Once one reaches you, you have ${within} to respond; yours is the last level.`,
    ],
  };
}

/**
 * Tells a person what they were named for and what it asks of them. Give one role, or a
 * user id to cover every role that person holds in one message.
 */
export function namedDm(e: Engagement, role: NamedRole | string, announcementPermalink?: string): Message {
  const what = `*${esc(e.name)}* (\`${e.key}\`), sponsored by ${user(e.sponsorId)}`;
  const roles = typeof role === 'string' ? rolesOf(e, role) : [role];
  const parts = roles.map((r) => roleText(e, r, what));
  const intro = parts.length ? parts.map((p) => p.intro).join('\n') : `You’re named on ${what}.`;
  const means = parts.flatMap((p) => p.means);
  const link = safeLink(announcementPermalink, 'See the announcement');
  const blocks: KnownBlock[] = [
    mrkdwnSection(intro),
    ...(means.length ? [mrkdwnSection(`*What it means*\n${means.map((m) => `• ${m}`).join('\n')}`)] : []),
    context([...(link ? [link] : []), `Anything unclear? Ask ${user(e.sponsorId)} or type \`/kickoff help\`.`]),
  ];
  return { text: fallback(intro), blocks };
}

/** The sponsor's DM: where the announcement went, what is still posting, what failed and why. */
export function sponsorConfirmation(e: Engagement): Message {
  const active = e.announcements.filter((a) => a.active);
  const channels = [...new Set([...e.announcementChannelIds, ...active.map((a) => a.channelId)])];
  const rows = channels.map((channelId) => {
    const a = active.find((x) => x.channelId === channelId);
    const where = `${channelMention(channelId)}${a?.inEngagementChannel ? ' (engagement channel)' : ''}`;
    if (!a || a.status === 'pending') return { state: 'pending', line: `${where} — posting…` };
    if (a.status === 'failed') return { state: 'failed', line: `${where} — not posted: ${escapeExceptMentions((a.failure ?? 'Slack refused the message.').replace(/\bKEY\b/g, e.key))}` };
    return { state: 'posted', line: `${where} — ${safeLink(a.permalink, 'posted') ?? 'posted'}` };
  });
  const posted = rows.filter((r) => r.state === 'posted').length;
  const headline = rows.some((r) => r.state === 'failed')
    ? `\`${e.key}\` is announced in ${posted} of ${rows.length} channels`
    : rows.some((r) => r.state === 'pending')
      ? `\`${e.key}\` is being announced`
      : `\`${e.key}\` is announced`;
  const engagementChannel = e.engagementChannelId
    ? `Engagement channel: ${channelMention(e.engagementChannelId)}`
    : e.engagementChannelName
      ? `Engagement channel #${esc(e.engagementChannelName)}: creating…`
      : null;
  const blocks: KnownBlock[] = [
    ...capBlocks(listSections(headline, rows.map((r) => r.line)), 5, statusNote(e.key)),
    ...(engagementChannel ? [mrkdwnSection(engagementChannel)] : []),
    context([`Change it with \`/kickoff edit ${e.key}\` · close it with \`/kickoff close ${e.key} [note]\``]),
  ];
  return { text: fallback(`${headline} (${esc(e.name)}).`), blocks };
}

/**
 * For a delivery the outbox gave up on. `what` and `reason` are written by our code; they are
 * escaped except for user and channel mentions (`a direct message to <@U1>`).
 */
export function deliveryProblemDm(what: string, reason: string): Message {
  const text = `⚠️ I couldn’t deliver ${escapeExceptMentions(what)}.`;
  return {
    text: fallback(`${text} ${escapeExceptMentions(reason)}`),
    blocks: [mrkdwnSection(`${text}\n${escapeExceptMentions(reason)}`), context(['I’ve stopped retrying it. Once the cause is fixed, do it again and I’ll deliver it.'])],
  };
}
