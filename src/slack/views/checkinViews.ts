/**
 * Check-in views: the modal (`/status update [KEY]`, App Home, a reminder's button), the reply
 * posted under the engagement channel's announcement, and the author's receipt. Also the health
 * words and emoji the home and digest views share. Pure and within Slack's limits.
 */
import type { InputBlock, KnownBlock, ModalView, NumberInput, PlainTextInput, PlainTextOption, RadioButtons, SectionBlock } from '@slack/types';
import { progressPercent } from '../../domain/checkinRules';
import { formatMetric, outcomeReached } from '../../domain/kickoffRules';
import type { Checkin } from '../../domain/statusTypes';
import { HEALTHS, type Engagement, type Health, type Outcome } from '../../domain/types';
import { ACTION, BLOCK, CALLBACK, checkinOutcomeBlock } from '../ids';
import { CHECKIN_LIMITS, encodeCheckinMetadata } from '../input/checkinInput';
import type { Message } from './announcement';
import { capBlocks, channelMention, context, inputBlock, escapeMrkdwn as esc, fallback, listSections, mrkdwnSection, plainText, safeLink, SLACK_LIMITS, truncate, userMention as user } from './blocks';
import { exactTime } from './impedimentCard';

export const HEALTH_LABELS: Record<Health, string> = { green: 'Green', amber: 'Amber', red: 'Red' };
export const HEALTH_EMOJI: Record<Health, string> = { green: ':large_green_circle:', amber: ':large_yellow_circle:', red: ':red_circle:' };
const HEALTH_DESCRIPTIONS: Record<Health, string> = {
  green: 'On track',
  amber: 'At risk: needs attention soon',
  red: 'Off track: needs help now',
};

/** `:large_yellow_circle: Amber`, or `:white_circle: No check-in yet`. */
export const healthText = (h: Health | null): string => (h === null ? ':white_circle: No check-in yet' : `${HEALTH_EMOJI[h]} ${HEALTH_LABELS[h]}`);

/**
 * `*title*` then `raw` (escaped here), split over as many sections as it needs, breaking at a
 * space or line end where possible and never inside an entity such as `&amp;`.
 */
export function textSections(title: string, raw: string, max: number = SLACK_LIMITS.sectionText): SectionBlock[] {
  const head = title === '' ? '' : `*${title}*\n`;
  const chunks: string[] = [];
  let current = head;
  for (const ch of raw.trim()) {
    const piece = esc(ch);
    if (current.length + piece.length > max) {
      const cut = Math.max(current.lastIndexOf('\n'), current.lastIndexOf(' '));
      if (cut > max - 500 && cut > head.length) {
        chunks.push(current.slice(0, cut));
        current = current.slice(cut + 1);
      } else {
        chunks.push(current);
        current = '';
      }
    }
    current += piece;
  }
  chunks.push(current);
  return chunks.filter((c) => c.trim() !== '').map((c) => mrkdwnSection(c));
}

// --- the modal --------------------------------------------------------------------------------

function healthRadio(initial: Health | null): RadioButtons {
  const options: PlainTextOption[] = HEALTHS.map((h) => ({
    text: plainText(HEALTH_LABELS[h], SLACK_LIMITS.optionText),
    value: h,
    description: plainText(HEALTH_DESCRIPTIONS[h], SLACK_LIMITS.optionText),
  }));
  const chosen = options.find((o) => o.value === initial);
  return { type: 'radio_buttons', action_id: ACTION.value, options, ...(chosen ? { initial_option: chosen } : {}) };
}

function textArea(max: number, placeholder: string): PlainTextInput {
  return { type: 'plain_text_input', action_id: ACTION.value, multiline: true, max_length: max, placeholder: plainText(placeholder, 150) };
}

const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;

function metricInput(o: Outcome, position: number): InputBlock | null {
  const m = o.metric;
  if (m === null) return null;
  const el: NumberInput = { type: 'number_input', action_id: ACTION.value, is_decimal_allowed: true, placeholder: plainText('e.g. 12.5', 150) };
  const current = m.current === null ? null : String(m.current);
  if (current !== null && PLAIN_NUMBER.test(current)) el.initial_value = current;
  const unit = m.unit.trim() === '' ? '' : ` (${m.unit})`;
  const now = current === null ? 'nothing reported yet' : `now ${current}`;
  return inputBlock(checkinOutcomeBlock(position), truncate(`${o.text}${unit}`, 150), el, {
    optional: true,
    hint: `Baseline → target: ${formatMetric(m)}; ${now}. Leave it as it is, or empty, to keep it unchanged.`,
  });
}

/** A modal whose blocks are all known Block Kit blocks (handy for callers and tests). */
export type CheckinModalView = Omit<ModalView, 'blocks'> & { blocks: KnownBlock[] };

export function checkinModal(e: Engagement, opts: { latest: Checkin | null }): CheckinModalView {
  const latest = opts.latest;
  const last = latest
    ? `Last check-in ${exactTime(latest.createdAt)} by ${user(latest.authorId)}: ${HEALTH_LABELS[latest.health].toLowerCase()}.`
    : 'This is the first check-in.';
  const where = e.engagementChannelId ? 'It goes to the engagement channel, `/status` and the weekly digest.' : 'It goes to `/status` and the weekly digest.';
  const top: KnownBlock[] = [
    context([`*${esc(truncate(e.name, 200))}* (\`${esc(e.key)}\`) · ${last} ${where}`]),
    inputBlock(BLOCK.checkinHealth, 'Health', healthRadio(latest?.health ?? e.health)),
    inputBlock(BLOCK.checkinSummary, 'Summary', textArea(CHECKIN_LIMITS.summaryMax, 'What happened since the last check-in?'), {
      hint: 'Up to 3,000 characters.',
    }),
    inputBlock(BLOCK.checkinNextSteps, 'Next steps', textArea(CHECKIN_LIMITS.nextStepsMax, 'What happens next, and who does it?'), { optional: true }),
  ];
  const metrics = e.outcomes.map(metricInput).filter((b): b is InputBlock => b !== null);
  const plain = e.outcomes.filter((o) => o.metric === null).map((o) => esc(truncate(o.text, 300)));
  const notes: KnownBlock[] =
    metrics.length === 0 ? [context([`No outcome has a measure to report. \`/kickoff edit ${esc(e.key)}\` can add one, e.g. \`Lead time: 12 -> 5 days\`.`])] : [];
  if (plain.length > 0) notes.push(...capBlocks(listSections('Outcomes without a measure (say how they go in the summary)', plain), 3, 'see the announcement'));
  // Whatever the data, the modal stays within 100 blocks; metric fields past that keep their value.
  const room = SLACK_LIMITS.modalBlocks - top.length - notes.length;
  return {
    type: 'modal',
    callback_id: CALLBACK.checkin,
    private_metadata: encodeCheckinMetadata({ engagementId: e.id }),
    title: plainText('Check in', SLACK_LIMITS.modalTitle),
    submit: plainText('Post check-in', SLACK_LIMITS.modalTitle),
    close: plainText('Cancel', SLACK_LIMITS.modalTitle),
    blocks: [...top, ...metrics.slice(0, room), ...notes],
  };
}

// --- the thread reply and the receipt ----------------------------------------------------------

/** `Lead time: 21 → 14 → 5 days · 44% of the way` (or `· reached :white_check_mark:`); escaped. */
export function outcomeValueLine(o: Outcome, value: number): string {
  if (o.metric === null) return esc(o.text);
  const metric = { ...o.metric, current: value };
  const reached = outcomeReached(metric) === true;
  const pct = progressPercent(metric, value);
  const progress = reached ? 'reached :white_check_mark:' : pct === null ? null : `${pct}% of the way`;
  return `${esc(truncate(o.text, 300))}: ${esc(formatMetric(metric, true))}${progress ? ` · ${progress}` : ''}`;
}

/** The check-in, as a reply in the thread under the announcement in the engagement channel. */
export function checkinPost(e: Engagement, checkin: Checkin, authorId: string): Message {
  const lines = checkin.outcomeValues.flatMap(({ position, value }) => {
    const o = e.outcomes[position];
    return o && o.metric ? [outcomeValueLine(o, value)] : [];
  });
  const blocks: KnownBlock[] = [
    mrkdwnSection(`${HEALTH_EMOJI[checkin.health]} *Check-in* by ${user(authorId)} · health *${HEALTH_LABELS[checkin.health]}*`),
    ...textSections('Summary', checkin.summary),
    ...(checkin.nextSteps.trim() === '' ? [] : textSections('Next steps', checkin.nextSteps)),
    ...(lines.length > 0 ? listSections('Outcomes', lines) : []),
  ];
  const foot = context([`\`/status ${esc(e.key)}\` shows the whole picture · \`/status update ${esc(e.key)}\` posts the next check-in`]);
  const summary = esc(truncate(checkin.summary.trim(), 300));
  return {
    text: fallback(`Check-in for ${esc(e.name)} by ${user(authorId)}: ${HEALTH_LABELS[checkin.health]} — ${summary}`),
    blocks: [...capBlocks(blocks, SLACK_LIMITS.messageBlocks - 1, `see \`/status ${esc(e.key)}\``), foot],
  };
}

/** To the author once the check-in is stored. */
export function checkinSavedReceipt(e: Engagement, opts: { health?: Health; permalink?: string | null } = {}): Message {
  const link = safeLink(opts.permalink, 'see it in the thread');
  const where = e.engagementChannelId
    ? `It is posted in ${channelMention(e.engagementChannelId)} under the announcement${link ? ` (${link})` : ''}`
    : 'There is no engagement channel, so it is not posted anywhere';
  const health = opts.health ? ` Health is now ${healthText(opts.health)}.` : '';
  const text = `:white_check_mark: Your check-in for *${esc(e.name)}* is saved.${health} ${where}; it shows in \`/status ${esc(e.key)}\` and the weekly digest.`;
  return { text: fallback(text), blocks: [mrkdwnSection(text)] };
}
