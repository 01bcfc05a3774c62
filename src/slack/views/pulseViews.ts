/**
 * Team pulse views: the DM that asks (and the reminder), the modal, what is posted when a pulse
 * closes, and the pulse section of `/status KEY` and the coach's Home. Pure and within Slack's
 * limits. Results appear only from the threshold; comments are escaped and shuffled upstream.
 */
import type { Button, KnownBlock, ModalView, PlainTextOption, RadioButtons } from '@slack/types';
import type { Pulse, PulseSummary } from '../../domain/ports';
import { PULSE_COMMENT_MAX, PULSE_SCALE, PULSE_STATEMENTS, PULSE_TIMING, type PulseResults } from '../../domain/pulseRules';
import type { Engagement } from '../../domain/types';
import { ACTION, BLOCK, CALLBACK, PULSE_BLOCKS } from '../ids';
import { encodePulseMetadata } from '../input/pulseInput';
import { formatDay, type Message } from './announcement';
import { context, escapeMrkdwn as esc, fallback, header, inputBlock, listSections, mrkdwnSection, plainText, SLACK_LIMITS, truncate } from './blocks';
import { dayOnly } from './impedimentCard';

const REASON_WORDS: Record<Pulse['reason'], string> = {
  baseline: 'the first week',
  review: 'the review',
  closing: 'the close of the engagement',
  manual: 'now',
};

const anonymityNote =
  'Answers are anonymous: coachline stores them without your name and with the day only, and shows results only when enough people have answered.';

function answerButton(pulse: Pulse): Button {
  return { type: 'button', action_id: ACTION.pulseOpen, style: 'primary', text: plainText('Answer the pulse', SLACK_LIMITS.buttonText), value: String(pulse.id) };
}

/** The DM asking one person to answer; the button opens the modal. */
export function pulseInvitation(e: Engagement, pulse: Pulse, timeZone: string): Message {
  const intro = `*${esc(truncate(e.name, 150))}* (\`${e.key}\`) asks how the coaching is going, at ${REASON_WORDS[pulse.reason]}: five statements, about a minute.`;
  return {
    text: fallback(`Team pulse for ${e.name} (${e.key}): five statements, about a minute. Open Slack to answer.`),
    blocks: [
      mrkdwnSection(`:bar_chart: ${intro}`),
      context([`${anonymityNote} Open until ${dayOnly(pulse.closesAt, timeZone)}.`]),
      { type: 'actions', block_id: BLOCK.pulseActions, elements: [answerButton(pulse)] },
    ],
  };
}

/** The one reminder, a few business days in, to people who have not answered. */
export function pulseReminder(e: Engagement, pulse: Pulse, timeZone: string): Message {
  return {
    text: fallback(`A reminder: the team pulse for ${e.name} (${e.key}) is open until ${pulse.closesAt.toISOString().slice(0, 10)}.`),
    blocks: [
      mrkdwnSection(`:hourglass_flowing_sand: A reminder: the team pulse for *${esc(truncate(e.name, 150))}* (\`${e.key}\`) is open until ${dayOnly(pulse.closesAt, timeZone)}. It takes about a minute.`),
      context([anonymityNote]),
      { type: 'actions', block_id: BLOCK.pulseActions, elements: [answerButton(pulse)] },
    ],
  };
}

function scaleRadio(): RadioButtons {
  const options: PlainTextOption[] = PULSE_SCALE.map((s) => ({ text: plainText(`${s.value} · ${s.label}`, SLACK_LIMITS.optionText), value: String(s.value) }));
  return { type: 'radio_buttons', action_id: ACTION.value, options };
}

/** The pulse modal: five statements on 1–5 and an optional comment. */
export function pulseModal(e: Engagement, pulse: Pulse): ModalView {
  const blocks: KnownBlock[] = [
    mrkdwnSection(`How is the coaching in *${esc(truncate(e.name, 150))}* (\`${e.key}\`) going for you? 1 is strongly disagree, 5 strongly agree.`),
    ...PULSE_STATEMENTS.map((s, i) => inputBlock(PULSE_BLOCKS[i]!, s.text, scaleRadio())),
    inputBlock(
      BLOCK.pulseComment,
      'Anything else? (optional)',
      { type: 'plain_text_input', multiline: true, max_length: PULSE_COMMENT_MAX, placeholder: plainText('What would make this coaching more useful?', 150) },
      { optional: true, hint: 'Comments are shown only when enough people have answered, mixed in no particular order. Leave out anything that would say who you are.' },
    ),
    context([anonymityNote]),
  ];
  return {
    type: 'modal',
    callback_id: CALLBACK.pulse,
    private_metadata: encodePulseMetadata({ pulseId: pulse.id }),
    title: plainText('Team pulse', SLACK_LIMITS.modalTitle),
    submit: plainText('Send', SLACK_LIMITS.modalTitle),
    close: plainText('Cancel', SLACK_LIMITS.modalTitle),
    blocks,
  };
}

const signed = (n: number): string => (n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : '±0');
const score = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** `▁▂▅█▃` — how many answered 1…5, as bars. */
export function distributionBars(d: readonly number[]): string {
  const bars = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
  const max = Math.max(...d, 1);
  return d.map((n) => (n === 0 ? '·' : bars[Math.min(bars.length - 1, Math.round((n / max) * (bars.length - 1)))])).join('');
}

/** One line per statement, buy-in and safety, or why nothing is shown yet. */
export function pulseResultLines(r: PulseResults): string[] {
  if (!r.shown) return [`${r.responses} answered; results show from ${r.needed} answers, so that nobody's answer can be singled out.`];
  const change = (c: number | null) => (c === null ? '' : ` (${signed(c)} since the last pulse)`);
  return [
    `*Buy-in* ${score(r.buyIn)} of 5${change(r.buyInChange)} · *Safety* ${score(r.safety)} of 5${change(r.safetyChange)} · ${r.responses} answers`,
    ...r.statements.map((s, i) => `${distributionBars(s.distribution)}  ${score(s.median)} · ${esc(PULSE_STATEMENTS[i]!.short)}${change(s.change)}`),
  ];
}

/** A few words for a Home line: `pulse: buy-in 4 · safety 3 (−2)`, `pulse open, 3 of 8 answered`. */
export function pulseWords(summary: PulseSummary | null): string | null {
  if (!summary) return null;
  if (summary.open) return `pulse open, ${summary.open.answered} of ${summary.open.asked} answered`;
  const r = summary.latest?.results;
  if (!r) return null;
  if (!r.shown) return `last pulse: ${r.responses} answered (too few to show)`;
  const change = (c: number | null) => (c === null || c === 0 ? '' : ` (${signed(c)})`);
  return `pulse: buy-in ${score(r.buyIn)}${change(r.buyInChange)} · safety ${score(r.safety)}${change(r.safetyChange)}`;
}

/** The pulse part of `/status KEY` (and the coach's Home): the latest results and the pulse open now. */
export function pulseStatusBlocks(summary: PulseSummary | null, timeZone: string): KnownBlock[] {
  if (!summary || (!summary.latest && !summary.open)) return [];
  const lines: string[] = [];
  if (summary.latest) {
    const { pulse, results } = summary.latest;
    lines.push(`_Closed ${pulse.closedOn ? formatDay(pulse.closedOn) : ''} (${REASON_WORDS[pulse.reason] === 'now' ? 'on request' : `at ${REASON_WORDS[pulse.reason]}`})_`, ...pulseResultLines(results));
  }
  if (summary.open) lines.push(`:hourglass_flowing_sand: A pulse is open until ${dayOnly(summary.open.closesAt, timeZone)}: ${summary.open.answered} of ${summary.open.asked} answered so far.`);
  return listSections('Team pulse', lines, { bullet: '' });
}

/** Posted when a pulse closes: to the sponsor and coaches, and (when shown) the engagement channel. */
export function pulseClosedMessage(e: Engagement, pulse: Pulse, r: PulseResults): Message {
  const blocks: KnownBlock[] = [
    header(`Team pulse: ${truncate(e.name, 120)}`),
    mrkdwnSection(`The pulse for \`${e.key}\` at ${REASON_WORDS[pulse.reason] === 'now' ? 'the sponsor’s request' : REASON_WORDS[pulse.reason]} closed: ${r.responses} of ${pulse.asked} answered.`),
    ...listSections('', pulseResultLines(r), { bullet: '' }),
  ];
  if (r.shown && r.comments.length > 0) blocks.push(...listSections('Comments (in no particular order)', r.comments.slice(0, 40).map((c) => `> ${esc(truncate(c, 500)).replace(/\n/g, '\n> ')}`), { bullet: '' }));
  blocks.push(context([`${anonymityNote} \`/status ${e.key}\` shows these results with the rest of the engagement.`]));
  return { text: fallback(`Team pulse for ${e.name} (${e.key}) closed: ${r.responses} of ${pulse.asked} answered.`), blocks };
}

/** The ephemeral answer to `/kickoff pulse KEY`. */
export function pulseSentReceipt(e: Engagement, teamIds: readonly string[], minResponses: number): Message {
  const who = teamIds.length > 0 ? `the ${teamIds.length} people in its Team field` : e.engagementChannelId ? `the members of <#${e.engagementChannelId}>` : 'the team';
  const text = `:bar_chart: Sending a team pulse for \`${e.key}\` to ${who}. It stays open for ${PULSE_TIMING.closeAfterBusinessDays} business days, with one reminder; results show when it closes, if at least ${minResponses} answered.`;
  return { text: fallback(text), blocks: [mrkdwnSection(text)] };
}
