/**
 * Impediment messages other than the card: the reporter's confirmation, escalation and
 * resolution DMs, `/impediment list` (with the per-level scorecard), help, the anonymous
 * reporter's follow-up view and the auto-escalation answer. Pure and within Slack's limits.
 */
import type { KnownBlock } from '@slack/types';
import { impedimentRef, type Impediment, type ScorecardRow } from '../../domain/impedimentTypes';
import type { Engagement } from '../../domain/types';
import type { Message } from './announcement';
import { capBlocks, channelMention, context, divider, escapeExceptMentions, escapeMrkdwn as esc, fallback, header, listSections, mrkdwnSection, safeLink, SLACK_LIMITS, truncate, userMention as user } from './blocks';
import { STATE_LABELS, SEVERITY_EMOJI, SEVERITY_LABELS, exactTime, impTime, impedimentButtons, impedimentCard, isClosed, isTopLevel, severityText } from './impedimentCard';

const quote = (text: string, max: number): string => `> ${esc(truncate(text.trim(), max)).replace(/\n/g, '\n> ')}`;

/** `45m`, `3h 20m`, `2d 4h` (calendar time). */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m}m`;
  if (m < 1440) return m % 60 === 0 ? `${m / 60}h` : `${Math.floor(m / 60)}h ${m % 60}m`;
  const h = Math.floor((m % 1440) / 60);
  return h === 0 ? `${Math.floor(m / 1440)}d` : `${Math.floor(m / 1440)}d ${h}h`;
}

/** Where the card lives, in words for the reporter. */
function whereCard(imp: Impediment, e: Engagement): string {
  const posted = imp.cards.find((c) => c.channel !== null && /^[CG]/.test(c.channel));
  if (posted?.channel) return `The card is in ${channelMention(posted.channel)}.`;
  if (e.engagementChannelId) return `The card is on its way to ${channelMention(e.engagementChannelId)}.`;
  return 'The coaches get the card in a direct message.';
}

/**
 * The reporter's ephemeral confirmation. An anonymous one carries no buttons (nobody can tell
 * later that it was you) and shows the follow-up code when given.
 */
export function raisedConfirmation(imp: Impediment, engagement: Engagement, opts: { followUpCode?: string } = {}): Message {
  const ref = impedimentRef(imp.number);
  const head = `:white_check_mark: *${ref}* is raised in *${esc(engagement.name)}* (\`${engagement.key}\`) as ${severityText(imp.severity)}${imp.organisational ? ', organisational' : ''}${imp.anonymous ? ', anonymously' : ''}.`;
  const blocks: KnownBlock[] = [mrkdwnSection(`${head} ${whereCard(imp, engagement)}`), mrkdwnSection(quote(imp.description, 500))];
  if (imp.anonymous && opts.followUpCode) {
    const code = esc(truncate(opts.followUpCode, 100)).replace(/`/g, '');
    blocks.push(
      mrkdwnSection(`*Your follow-up code:* \`${code}\`\nCopy it now: it is shown only once and cannot be recovered. \`/impediment follow ${code}\` shows the answers; add text to reply anonymously.`),
    );
  }
  if (!imp.anonymous) {
    if (imp.source === 'command') blocks.push(context(['Start the text with `!low`, `!high` or `!critical` to set the severity (medium otherwise), or press Edit to change it.']));
    const actions = impedimentButtons(imp, isTopLevel(imp, engagement) || isClosed(imp) ? ['edit'] : ['edit', 'escalate']);
    if (actions) blocks.push(actions);
  }
  return { text: fallback(`${ref} is raised in ${esc(engagement.name)}. ${whereCard(imp, engagement)}`), blocks };
}

/** To a (named) reporter when their impediment is closed. */
export function resolvedDm(imp: Impediment, engagement: Engagement, userId: string): Message {
  const ref = impedimentRef(imp.number);
  const verb = imp.state === 'wont_fix' ? 'closed as won’t fix' : 'resolved';
  const text = `*${ref}*, which you raised in *${esc(engagement.name)}*, was ${verb} by ${user(userId)}.`;
  const blocks: KnownBlock[] = [mrkdwnSection(`${imp.state === 'wont_fix' ? ':no_entry_sign:' : ':white_check_mark:'} ${text}`), mrkdwnSection(quote(imp.description, 300))];
  if (imp.resolutionNote) blocks.push(mrkdwnSection(`*Note*\n${quote(imp.resolutionNote, 2000)}`));
  return { text: fallback(text), blocks };
}

export interface EscalationDmContext {
  /** Name of the level it reached (the recipient's level). */
  levelName: string;
  /** As typed by the person escalating, or our words for an automatic escalation. */
  reason: string;
  /** null when the sweep escalated it. */
  actorId: string | null;
  /** e.g. `3 days` */
  age: string;
  /** Our words with live user mentions; anything else is escaped. */
  history: readonly { at: Date; text: string }[];
  cardPermalink?: string;
  timeZone: string;
}

export function escalationDm(imp: Impediment, engagement: Engagement, ctx: EscalationDmContext): Message {
  const ref = impedimentRef(imp.number);
  const top = isTopLevel(imp, engagement);
  const by = ctx.actorId ? `by ${user(ctx.actorId)}` : 'automatically — nobody responded in time';
  // An anonymous impediment's age in hours or minutes would tell when it was raised.
  const age = imp.anonymous && !/day|week|month|year/.test(ctx.age) ? 'less than a day' : ctx.age;
  const intro = `:arrow_double_up: *${ref}* was escalated to you ${by}. You are a contact at level *${imp.level} · ${esc(ctx.levelName)}* of *${esc(engagement.name)}* (\`${engagement.key}\`).`;
  const history = ctx.history.map((h) => `${impTime(imp, h.at, ctx.timeZone)} — ${escapeExceptMentions(h.text)}`);
  const link = safeLink(ctx.cardPermalink, 'Open the card');
  const blocks: KnownBlock[] = [
    mrkdwnSection(intro),
    ...(top || imp.waitingOnExecutives ? [context([':rotating_light: *Waiting on executives* — this is the top of the escalation line.'])] : []),
    mrkdwnSection(`*Reason*\n${ctx.reason.trim() ? quote(ctx.reason, 2000) : '—'}\n*Open for* ${esc(truncate(age, 100))}`),
    ...capBlocks(listSections('History', history), 6, 'the full history is in the card’s thread'),
    mrkdwnSection(
      '*What acknowledging means:* you have seen it and are on it. It stops the clock at your level' +
        (top ? '.' : '; without it, the impediment climbs to the next level when its response time runs out.') +
        ' Take ownership if you will drive it; resolve it with a note when it is done.',
    ),
    divider(),
    ...impedimentCard(imp, { engagement, levelName: ctx.levelName, timeZone: ctx.timeZone }).blocks,
    ...(link ? [context([link])] : []),
  ];
  return {
    text: fallback(`${ref} was escalated to you (${esc(ctx.levelName)}, ${esc(engagement.name)}): ${esc(truncate(ctx.reason, 500))}`),
    blocks: capBlocks(blocks, SLACK_LIMITS.messageBlocks, 'see the card'),
  };
}

export interface ListItem {
  imp: Impediment;
  engagementKey: string;
  levelName: string;
}

export interface ListOptions {
  /** Plain text (a header). */
  title: string;
  scorecard?: readonly ScorecardRow[];
  /** The engagement's escalation line, level 1 first. */
  levelNames?: readonly string[];
  timeZone: string;
  /** How many matched in all (may be more than `items`). */
  total: number;
}

function itemLine({ imp, engagementKey, levelName }: ListItem, timeZone: string): string {
  const parts = [
    `${SEVERITY_EMOJI[imp.severity]} *${impedimentRef(imp.number)}* ${esc(truncate(imp.description.replace(/\s+/g, ' '), 140))}`,
    `\`${esc(engagementKey)}\``,
    STATE_LABELS[imp.state],
    `level ${imp.level} · ${esc(truncate(levelName, 60))}`,
  ];
  if (imp.ownerId) parts.push(`owner ${user(imp.ownerId)}`);
  if (!isClosed(imp) && imp.dueAt) parts.push(`due ${impTime(imp, imp.dueAt, timeZone)}`);
  if (imp.organisational) parts.push('organisational');
  if (imp.waitingOnExecutives && !isClosed(imp)) parts.push(':rotating_light: waiting on executives');
  return parts.join(' · ');
}

function scorecardBlocks(rows: readonly ScorecardRow[], levelNames: readonly string[] | undefined): KnownBlock[] {
  const line = (r: ScorecardRow) =>
    `*${r.level} · ${esc(truncate(r.name, 60))}* — ${r.inTime} in time · ${r.late} late · ${r.never} never · median time to acknowledge ${r.medianMinutesToAck === null ? '—' : formatMinutes(r.medianMinutesToAck)}`;
  const blocks = capBlocks(listSections('Response by escalation level', rows.map(line), { bullet: '' }), 3, 'more levels than shown');
  if (levelNames && levelNames.length) blocks.push(context([`Escalation line: ${levelNames.map((n) => esc(truncate(n, 60))).join(' → ')}`]));
  return blocks;
}

/** `/impediment list …`: ephemeral, in the order given, never more than 50 blocks. */
export function impedimentList(items: readonly ListItem[], opts: ListOptions): Message {
  const head: KnownBlock[] = [header(opts.title), ...(opts.scorecard && opts.scorecard.length ? scorecardBlocks(opts.scorecard, opts.levelNames) : [])];
  const footer = context(['Ids work as `IMP-12`, `imp-12` or `12` · `/impediment help`']);
  const total = Math.max(opts.total, items.length);
  if (items.length === 0) {
    return { text: fallback(`${esc(opts.title)}: no impediments match.`), blocks: [...head, mrkdwnSection('No impediments match.'), footer] };
  }
  // Pack lines into sections until the budget (minus the overflow note and footer) is used.
  const budget = SLACK_LIMITS.messageBlocks - head.length - 2;
  const sections: KnownBlock[] = [];
  let current = '';
  let shown = 0;
  let pending = 0;
  for (const item of items) {
    const line = itemLine(item, opts.timeZone);
    if (current !== '' && current.length + 1 + line.length > SLACK_LIMITS.sectionText) {
      if (sections.length + 1 >= budget) break;
      sections.push(mrkdwnSection(current));
      shown += pending;
      current = '';
      pending = 0;
    }
    current = current === '' ? line : `${current}\n${line}`;
    pending++;
  }
  if (current !== '') {
    sections.push(mrkdwnSection(current));
    shown += pending;
  }
  const more = total - shown;
  const blocks = [...head, ...sections, ...(more > 0 ? [context([`…and ${more} more — narrow it with \`/impediment list KEY\`, \`mine\` or \`open\``])] : []), footer];
  return { text: fallback(`${esc(opts.title)}: ${total} impediment${total === 1 ? '' : 's'}.`), blocks };
}

export function impedimentHelp(): Message {
  const sev = (['low', 'medium', 'high', 'critical'] as const).map((s) => `${SEVERITY_EMOJI[s]} ${SEVERITY_LABELS[s].toLowerCase()}`).join(' · ');
  const sections = [
    '*`/impediment TEXT`* raises one at once when this channel belongs to one active engagement (otherwise the form opens, filled in). ' +
      'Start with `!low`, `!high` or `!critical` to set the severity; it is medium otherwise. Quick capture is always in your name.',
    '*`/impediment`* alone opens the form: engagement, description, severity, organisational (beyond the team’s control) and *report anonymously*. ' +
      'The message shortcut *Raise as impediment* opens it with the message’s text and link.',
    '*`/impediment list [KEY|mine|open]`* lists impediments; for a KEY its sponsor also sees how each escalation level responds (in time, late, never, median time to acknowledge).',
    '*`/impediment resolve IMP-12 what was done`* closes one. *`/impediment escalate IMP-12 why`* (or *`/escalate IMP-12 why`*) sends it to the next level of the escalation line; at the top it waits on executives.',
    '*`/impediment auto-escalation KEY on|off`* — the sponsor, a coach or an admin decides whether impediments nobody acknowledges in time climb by themselves.',
    '*The card* shows the id, severity, owner, state, level and when a response is due, with buttons to Acknowledge, Take ownership, Escalate and Resolve. Every change updates it and adds a line to its thread.',
    '*Anonymously* — tick *Report anonymously* in the form (quick capture is never anonymous). Your name is not stored or shown to anyone, admins included, and times are shown as days. ' +
      'You get a follow-up code once: `/impediment follow CODE` shows the answers, `/impediment follow CODE your reply` replies as “reporter (anonymous)”. ' +
      '*A lost code cannot be recovered* — nobody knows it was you.',
    `*Severities* — ${sev}. *Ids* — \`IMP-12\`; \`imp-12\` and \`12\` work too.`,
  ];
  return {
    text: esc('How to use /impediment: `/impediment TEXT`, `/impediment` (form), `list [KEY|mine|open]`, `resolve IMP-n NOTE`, `escalate IMP-n REASON`, `follow CODE`, `auto-escalation KEY on|off`, `help`; `/escalate IMP-n REASON`.'),
    blocks: [header('/impediment — raise and follow impediments'), ...sections.map((s) => mrkdwnSection(esc(s)))],
  };
}

export interface FollowReply {
  /** Already-safe mrkdwn label, e.g. `<@U1>` or `reporter (anonymous)`. */
  author: string;
  text: string;
  at: Date;
}

/** What the anonymous reporter sees with `/impediment follow CODE` (ephemeral, to them only). */
export function followView(imp: Impediment, replies: readonly FollowReply[]): Message {
  const ref = impedimentRef(imp.number);
  const status = `*${ref}* · ${STATE_LABELS[imp.state]} · level ${imp.level}${imp.waitingOnExecutives && !isClosed(imp) ? ' · waiting on executives' : ''}`;
  const answers = replies.map((r) => `*${r.author}* · ${exactTime(r.at)}\n${quote(r.text, 1500)}`);
  const blocks: KnownBlock[] = [
    mrkdwnSection(`${status}\n${quote(imp.description, 500)}`),
    ...(isClosed(imp) && imp.resolutionNote ? [mrkdwnSection(`*${STATE_LABELS[imp.state]}:* ${esc(truncate(imp.resolutionNote, 2000))}`)] : []),
    ...(answers.length ? listSections('Answers in its thread', answers, { bullet: '' }) : [mrkdwnSection('No answers in its thread yet.')]),
  ];
  const foot = context(['Reply anonymously with `/impediment follow CODE your reply`. Only you see this message.']);
  return {
    text: fallback(`${ref}: ${STATE_LABELS[imp.state]}, ${replies.length} answer${replies.length === 1 ? '' : 's'}.`),
    blocks: [...capBlocks(blocks, SLACK_LIMITS.messageBlocks - 1, 'the oldest answers are shown'), foot],
  };
}

/** The answer to `/impediment auto-escalation KEY on|off`. */
export function autoEscalationChanged(key: string, on: boolean): Message {
  const k = esc(key);
  const text = on
    ? `Automatic escalation is *on* for \`${k}\`: an impediment nobody acknowledges within its level’s response time climbs to the next level.`
    : `Automatic escalation is *off* for \`${k}\`: impediments stay at their level until someone escalates them.`;
  return { text: fallback(text), blocks: [mrkdwnSection(`:gear: ${text}`)] };
}

