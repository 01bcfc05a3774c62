/**
 * The kickoff modal, for `/kickoff` (create) and `/kickoff edit KEY` (edit, prefilled).
 * Pure: data in, View out. Block ids come from `ids.ts` so the parser reads the same fields.
 */
import { addDays, format, parseISO } from 'date-fns';
import type { InputBlock, InputBlockElement, KnownBlock, ModalView, PlainTextInput, PlainTextOption, RadioButtons } from '@slack/types';
import { ESCALATION_DEFAULTS, LEVEL_LABELS, LIMITS, outcomeToLine } from '../../domain/kickoffRules';
import type { Engagement, EscalationLevel, IsoDate } from '../../domain/types';
import { ACTION, BLOCK, CONFIRM_ASSOCIATES_OPTION, CALLBACK, CREATE_CHANNEL_OPTION, ESCALATION_BLOCKS } from '../ids';
import { encodeKickoffMetadata } from '../input/kickoffView';
import { SLACK_LIMITS, context, divider, inputBlock, mrkdwnSection, plainText, escapeMrkdwn } from './blocks';

interface ModalCommon {
  submitterId: string;
  today: IsoDate;
  /** Where `/kickoff` was typed; null from App Home. */
  channelId: string | null;
  /** The workspace's IANA time zone, in which response times are counted. */
  timezone: string;
}
/** What a coaching request prefills when an engagement is started from it (origin pull). */
export interface KickoffPrefill {
  requestId: number;
  teamName: string;
  requesterId: string;
  painPoints: string[];
  outcomes: string;
}
export type KickoffModalOptions = ModalCommon & ({ mode: 'create'; initial?: undefined; fromRequest?: KickoffPrefill } | { mode: 'edit'; initial: Engagement });

const REVIEW_AFTER_DAYS = 90;

const LEVEL_DESCRIPTIONS = {
  team: 'One team and its way of working',
  program: 'Several teams delivering together',
  organization: 'Leadership, structure and culture',
} as const;

function option(text: string, value: string, description?: string): PlainTextOption {
  const o: PlainTextOption = { text: plainText(text, SLACK_LIMITS.optionText), value };
  if (description !== undefined) o.description = plainText(description, SLACK_LIMITS.optionText);
  return o;
}

interface InputOptions {
  hint?: string;
  optional?: boolean;
}

/**
 * Slack rejects a view whose `initial_users` / `initial_conversations` exceed the element's
 * `max_selected_items`: keep the first `max` and say so in the block's hint.
 */
export function clampSelection(ids: readonly string[], max: number, what: string, hint?: string): { ids: string[]; hint?: string } {
  if (ids.length <= max) return { ids: [...ids], hint };
  const note = `Only the first ${max} of ${ids.length} ${what} fit in this field; saving keeps only these ${max}.`;
  return { ids: ids.slice(0, max), hint: hint ? `${hint} ${note}` : note };
}

function radio(options: PlainTextOption[], initialValue: string | undefined): RadioButtons {
  const initial = options.find((o) => o.value === initialValue);
  return { type: 'radio_buttons', options, ...(initial ? { initial_option: initial } : {}) };
}

/** Clamps in characters (code points), as Slack counts `max_length`. */
const clamp = (text: string, max: number): string => Array.from(text).slice(0, max).join('');

function textInput(max: number, opts: { initial?: string | undefined; placeholder?: string; multiline?: boolean } = {}): PlainTextInput {
  const el: PlainTextInput = { type: 'plain_text_input', max_length: max };
  if (opts.multiline === true) el.multiline = true;
  if (opts.placeholder !== undefined) el.placeholder = plainText(opts.placeholder, 150);
  if (opts.initial !== undefined && opts.initial !== '') el.initial_value = clamp(opts.initial, max);
  return el;
}

/** The stored line back in the three slots: first, optional middle, last. */
function slotsOf(levels: readonly EscalationLevel[]): (EscalationLevel | undefined)[] {
  if (levels.length >= 3) return [levels[0], levels[1], levels[levels.length - 1]];
  if (levels.length === 2) return [levels[0], undefined, levels[1]];
  return [levels[0], undefined, undefined];
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

function escalationBlocks(e: Engagement | undefined, timezone: string): KnownBlock[] {
  const slots = e ? slotsOf(e.escalation) : [undefined, undefined, undefined];
  const hints = ['Leave empty to use the coaches', 'Optional — leave empty to skip this level', 'Leave empty to use the sponsor'];
  const blocks: KnownBlock[] = [
    divider(),
    mrkdwnSection(
      '*Escalation lines*\nAn impediment nobody acknowledges within a level’s response time climbs to the next level. ' +
        `Business days and hours count in ${escapeMrkdwn(timezone)}; weekends don’t count.`,
      BLOCK.kickoffEscalationIntro,
    ),
  ];
  ESCALATION_BLOCKS.forEach((ids, i) => {
    const slot = slots[i];
    const defaults = ESCALATION_DEFAULTS[i] ?? { name: `Level ${i + 1}`, responseTime: 2 };
    let contacts = slot?.contactIds ?? [];
    // Contacts equal to the default stay empty, so the default keeps following coach/sponsor changes.
    if (e && i === 0 && sameSet(contacts, e.coachIds)) contacts = [];
    if (e && i === 2 && sameSet(contacts, [e.sponsorId])) contacts = [];
    const response = slot ? (slot.responseUnit === 'business_hours' ? `${slot.responseTime}h` : String(slot.responseTime)) : String(defaults.responseTime);
    const n = i + 1;
    const picked = clampSelection(contacts, LIMITS.contactsMax, 'contacts', hints[i] ?? 'Optional');
    blocks.push(
      inputBlock(ids.name, `Level ${n} name`, textInput(LIMITS.levelNameMax, { initial: slot?.name ?? defaults.name }), { optional: true }),
      inputBlock(
        ids.contacts,
        `Level ${n} contacts`,
        { type: 'multi_users_select', max_selected_items: LIMITS.contactsMax, ...(picked.ids.length ? { initial_users: picked.ids } : {}) },
        { optional: true, hint: picked.hint },
      ),
      inputBlock(ids.response, `Level ${n} response time`, textInput(20, { initial: response, placeholder: '2' }), {
        optional: true,
        hint: 'Business days, e.g. 2 — or hours, e.g. 4h',
      }),
    );
  });
  return blocks;
}

export function kickoffModal(opts: KickoffModalOptions): ModalView {
  const e = opts.mode === 'edit' ? opts.initial : undefined;
  const pre = opts.mode === 'create' ? opts.fromRequest : undefined;
  const review = format(addDays(parseISO(opts.today), REVIEW_AFTER_DAYS), 'yyyy-MM-dd');
  const levelOptions = (['team', 'program', 'organization'] as const).map((l) => option(LEVEL_LABELS[l], l, LEVEL_DESCRIPTIONS[l]));
  const originOptions = [option('Requested by the team (pull)', 'pull', 'The team asked for a coach'), option('Assigned (push)', 'push', 'Someone else decided the team gets a coach')];
  const createOption = option('Create an engagement channel', CREATE_CHANNEL_OPTION, 'A channel for this engagement’s impediments and check-ins');

  const coaches = clampSelection(e?.coachIds ?? [], LIMITS.coachesMax, 'coaches');
  const team = clampSelection(e?.teamIds ?? [], LIMITS.teamMax, 'people', 'Who a team pulse asks when there is no engagement channel (with one, its members are asked).');
  const channels = clampSelection(e?.announcementChannelIds ?? [], LIMITS.announcementChannelsMax, 'channels', 'For a private channel, invite @coachline first.');
  const blocks: KnownBlock[] = [
    context(['Announce a coaching engagement: what it addresses, what success looks like, and who to go to when something is stuck.']),
    inputBlock(BLOCK.kickoffName, 'Engagement name', textInput(LIMITS.nameMax, { initial: e?.name ?? pre?.teamName, placeholder: 'e.g. Payments platform teams' })),
    inputBlock(BLOCK.kickoffKey, 'Short key', textInput(LIMITS.keyMax, { initial: e?.key, placeholder: 'e.g. payments-platform' }), {
      optional: true,
      hint: 'Used in commands such as /status KEY. Lowercase letters, digits and dashes. Leave empty to make one from the name.',
    }),
    inputBlock(BLOCK.kickoffLevel, 'Coaching level', radio(levelOptions, e?.level ?? 'team')),
    inputBlock(BLOCK.kickoffOrigin, 'How did this engagement start?', radio(originOptions, e?.origin ?? (pre ? 'pull' : undefined))),
    inputBlock(BLOCK.kickoffRequester, 'Who asked for coaching?', { type: 'users_select', ...((e?.requestedBy ?? pre?.requesterId) ? { initial_user: e?.requestedBy ?? pre?.requesterId } : {}) }, {
      optional: true,
      hint: 'Needed when the team asked for it (pull)',
    }),
    inputBlock(BLOCK.kickoffCoaches, 'Coaches', { type: 'multi_users_select', max_selected_items: LIMITS.coachesMax, ...(e ? { initial_users: coaches.ids } : {}) }, { hint: coaches.hint }),
    inputBlock(
      BLOCK.kickoffConfirmAssociates,
      'Associate coaches only',
      { type: 'checkboxes', options: [option('The sponsor agrees: associate coaches alone run it', CONFIRM_ASSOCIATES_OPTION, 'Only asked for an organisation-level engagement whose coaches are all Associate Agile Coaches')] },
      { optional: true },
    ),
    inputBlock(BLOCK.kickoffTeam, 'Team', { type: 'multi_users_select', max_selected_items: LIMITS.teamMax, ...(team.ids.length ? { initial_users: team.ids } : {}) }, {
      optional: true,
      hint: team.hint,
    }),
    inputBlock(BLOCK.kickoffSponsor, 'Sponsor', { type: 'users_select', initial_user: e?.sponsorId ?? opts.submitterId }, {
      optional: true,
      hint: 'Who backs this engagement and takes the last escalation. Empty means you.',
    }),
    inputBlock(
      BLOCK.kickoffPainPoints,
      'Pain points the coach will address',
      textInput(SLACK_LIMITS.inputMaxLength, { multiline: true, initial: e?.painPoints.join('\n') ?? pre?.painPoints.join('\n'), placeholder: 'e.g. Releases take three weeks to reach customers' }),
      { hint: `One per line, at least one (up to ${LIMITS.painPointsMax}).` },
    ),
    inputBlock(
      BLOCK.kickoffOutcomes,
      'What success looks like',
      textInput(SLACK_LIMITS.inputMaxLength, { multiline: true, initial: e?.outcomes.map(outcomeToLine).join('\n') ?? (pre?.outcomes || undefined), placeholder: 'e.g. Lead time: 12 -> 5 days' }),
      { optional: true, hint: 'One outcome per line. To measure one, write metric: baseline -> target unit, e.g. Lead time: 12 -> 5 days' },
    ),
    ...escalationBlocks(e, opts.timezone),
    divider(),
    inputBlock(BLOCK.kickoffStartDate, 'Start date', { type: 'datepicker', initial_date: e?.startDate ?? opts.today }),
    inputBlock(BLOCK.kickoffReviewDate, 'Review date', { type: 'datepicker', initial_date: e?.reviewDate ?? review }, { hint: 'When you will look at the outcomes together' }),
    inputBlock(
      BLOCK.kickoffChannels,
      'Announce in',
      {
        type: 'multi_conversations_select',
        max_selected_items: LIMITS.announcementChannelsMax,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        ...(e ? { initial_conversations: channels.ids } : { default_to_current_conversation: true }),
      },
      { hint: channels.hint },
    ),
    inputBlock(BLOCK.kickoffCreateChannel, 'Engagement channel', { type: 'checkboxes', options: [createOption], ...(e?.engagementChannelName ? { initial_options: [createOption] } : {}) }, {
      optional: true,
    }),
    inputBlock(BLOCK.kickoffChannelName, 'Engagement channel name', textInput(LIMITS.channelNameMax, { initial: e?.engagementChannelName ?? undefined, placeholder: 'e.g. coaching-payments' }), {
      optional: true,
      hint: 'Lowercase letters, digits, - and _. Leave empty for coaching-KEY.',
    }),
  ];

  return {
    type: 'modal',
    callback_id: CALLBACK.kickoff,
    private_metadata: encodeKickoffMetadata(
      e ? { mode: 'edit', engagementId: e.id, channelId: opts.channelId } : { mode: 'create', channelId: opts.channelId, ...(pre ? { requestId: pre.requestId } : {}) },
    ),
    title: plainText(opts.mode === 'edit' ? 'Edit engagement' : 'Kick off an engagement', SLACK_LIMITS.modalTitle),
    submit: plainText(opts.mode === 'edit' ? 'Save changes' : 'Announce', SLACK_LIMITS.modalTitle),
    close: plainText('Cancel', SLACK_LIMITS.modalTitle),
    blocks,
  };
}
