/**
 * Coaching-request views: the request modal, the post in the requests channel (or an admin's DM)
 * with Start engagement / Decline, the decline modal, and what the requester receives. Pure;
 * everything people typed is escaped.
 */
import type { Button, KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { CoachingRequest, Urgency } from '../../domain/ports';
import type { Engagement } from '../../domain/types';
import type { CoachProfile } from '../../domain/profiles';
import { coachIntroLines } from './profileViews';
import { ACTION, BLOCK, CALLBACK } from '../ids';
import { encodeRequestMetadata, REQUEST_LIMITS } from '../input/requestInput';
import type { Message } from './announcement';
import { channelMention, context, escapeMrkdwn as esc, fallback, fieldsSection, header, inputBlock, listSections, mrkdwnSection, plainText, safeLink, SLACK_LIMITS, truncate, userMention as user } from './blocks';
import { exactTime } from './impedimentCard';

export const URGENCY_WORDS: Record<Urgency, string> = { low: 'Low — when a coach has time', medium: 'Medium — in the next few weeks', high: 'High — it hurts now' };
const URGENCY_EMOJI: Record<Urgency, string> = { low: ':large_blue_circle:', medium: ':large_yellow_circle:', high: ':red_circle:' };


/** `/kickoff request`: which team, the pain points they see, what success would look like, how urgent. */
export function requestModal(): ModalView {
  const urgency: PlainTextOption[] = (['low', 'medium', 'high'] as const).map((u) => ({ text: plainText(URGENCY_WORDS[u], SLACK_LIMITS.optionText), value: u }));
  return {
    type: 'modal',
    callback_id: CALLBACK.coachingRequest,
    title: plainText('Ask for a coach', SLACK_LIMITS.modalTitle),
    submit: plainText('Send request', SLACK_LIMITS.modalTitle),
    close: plainText('Cancel', SLACK_LIMITS.modalTitle),
    blocks: [
      context(['Tell the coaches what your team is struggling with. An admin or a coach picks it up, starts an engagement with you, or says why not.']),
      inputBlock(BLOCK.reqTeam, 'Which team?', { type: 'plain_text_input', max_length: REQUEST_LIMITS.teamMax, placeholder: plainText('e.g. Payments platform', 150) }),
      inputBlock(
        BLOCK.reqPainPoints,
        'The pain points you see',
        { type: 'plain_text_input', multiline: true, max_length: REQUEST_LIMITS.painPointsTextMax, placeholder: plainText('e.g. Releases take three weeks to reach customers', 150) },
        { hint: 'One per line.' },
      ),
      inputBlock(
        BLOCK.reqOutcomes,
        'What would success look like?',
        { type: 'plain_text_input', multiline: true, max_length: REQUEST_LIMITS.outcomesMax, placeholder: plainText('e.g. Lead time: 12 -> 5 days', 150) },
        { optional: true, hint: 'One per line; a measurable one as metric: baseline -> target, e.g. Lead time: 12 -> 5 days' },
      ),
      inputBlock(BLOCK.reqUrgency, 'How urgent is it?', { type: 'radio_buttons', options: urgency }),
    ],
  };
}

function button(actionId: string, text: string, r: CoachingRequest, style?: 'primary' | 'danger'): Button {
  return { type: 'button', action_id: actionId, text: plainText(text, SLACK_LIMITS.buttonText), value: String(r.id), ...(style ? { style } : {}) };
}

/** The request as posted: open with its buttons, or what became of it. */
export function requestPost(r: CoachingRequest, opts: { engagementKey?: string | null; coaches?: readonly CoachProfile[] } = {}): Message {
  const blocks: KnownBlock[] = [
    header(`Coaching request: ${truncate(r.teamName, 120)}`),
    fieldsSection([`*Asked by*\n${user(r.requesterId)}`, `*Urgency*\n${URGENCY_EMOJI[r.urgency]} ${URGENCY_WORDS[r.urgency]}`, `*Asked*\n${exactTime(r.createdAt)}`]),
    ...listSections('Pain points they see', r.painPoints.map((p) => esc(truncate(p, 500)))),
  ];
  const outcomes = r.outcomes.split('\n').map((l) => l.trim()).filter(Boolean);
  if (outcomes.length) blocks.push(...listSections('What success would look like', outcomes.map((o) => esc(truncate(o, 500)))));
  if (r.status === 'open') {
    blocks.push({ type: 'actions', block_id: BLOCK.reqActions, elements: [button(ACTION.requestStart, 'Start engagement', r, 'primary'), button(ACTION.requestDecline, 'Decline', r)] });
    const coaches = coachIntroLines((opts.coaches ?? []).map((p) => p.userId), opts.coaches ?? []);
    if (coaches.length) blocks.push(...listSections('Coaches', coaches, { bullet: '' }));
    blocks.push(context(['Start engagement opens the kickoff form filled in from this request (a coach or an admin).']));
  } else if (r.status === 'started') {
    blocks.push(mrkdwnSection(`:white_check_mark: ${r.decidedBy ? user(r.decidedBy) : 'Someone'} started ${opts.engagementKey ? `\`${esc(opts.engagementKey)}\`` : 'an engagement'} from this request.`));
  } else {
    blocks.push(mrkdwnSection(`:no_entry_sign: Declined by ${r.decidedBy ? user(r.decidedBy) : 'someone'}: ${esc(truncate(r.declineReason ?? '', 1000))}`));
  }
  return { text: fallback(`Coaching request from ${r.teamName} (urgency ${r.urgency}, ${r.status}).`), blocks };
}

/** Decline: the reason goes to the requester. */
export function declineModal(r: CoachingRequest): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.declineRequest,
    private_metadata: encodeRequestMetadata({ requestId: r.id }),
    title: plainText('Decline the request', SLACK_LIMITS.modalTitle),
    submit: plainText('Decline', SLACK_LIMITS.modalTitle),
    close: plainText('Cancel', SLACK_LIMITS.modalTitle),
    blocks: [
      mrkdwnSection(`${user(r.requesterId)} asked for a coach for *${esc(truncate(r.teamName, 150))}*.`),
      inputBlock(BLOCK.reqReason, 'Why not (the requester receives this)', { type: 'plain_text_input', multiline: true, max_length: REQUEST_LIMITS.reasonMax }),
    ],
  };
}

export function requestReceived(r: CoachingRequest, channelId: string | null): Message {
  const where = channelId ? `to ${channelMention(channelId)}` : 'to the coachline admins';
  const text = `:inbox_tray: Your request for a coach for *${esc(truncate(r.teamName, 150))}* went ${where}. You will hear here when someone starts an engagement with you or declines it.`;
  return { text: fallback(text), blocks: [mrkdwnSection(text)] };
}

export function requestDeclined(r: CoachingRequest): Message {
  const text = `Your request for a coach for *${esc(truncate(r.teamName, 150))}* was declined by ${r.decidedBy ? user(r.decidedBy) : 'a coach'}: ${esc(truncate(r.declineReason ?? '', 1000))}`;
  return { text: fallback(text), blocks: [mrkdwnSection(text), context([`Ask ${r.decidedBy ? user(r.decidedBy) : 'them'} about it, or send a new request later with \`/kickoff request\`.`])] };
}

/** To the requester once the engagement is announced (the link when one is posted). */
export function requestStartedDm(r: CoachingRequest, e: Engagement, permalink: string | null): Message {
  const link = safeLink(permalink, 'the announcement');
  const text = `:tada: ${r.decidedBy ? user(r.decidedBy) : 'A coach'} started *${esc(truncate(e.name, 150))}* (\`${esc(e.key)}\`) from your request for ${esc(truncate(r.teamName, 150))}.${link ? ` Here is ${link}.` : ''}`;
  return { text: fallback(text), blocks: [mrkdwnSection(text), context([`\`/status ${esc(e.key)}\` shows how it goes.`])] };
}

/** The portfolio's list of open requests, oldest first, with their age. */
export function openRequestLines(requests: readonly CoachingRequest[], age: (d: Date) => string): string[] {
  return requests.map((r) => `${URGENCY_EMOJI[r.urgency]} *${esc(truncate(r.teamName, 80))}* · asked by ${user(r.requesterId)} ${age(r.createdAt)} ago`);
}

/** The answer to `/kickoff requests-channel`. */
export function requestsChannelReceipt(channelId: string): Message {
  const text = `:inbox_tray: Coaching requests (\`/kickoff request\`) now go to ${channelMention(channelId)}, with Start engagement and Decline. For a private channel, invite @coachline there.`;
  return { text: fallback(text), blocks: [mrkdwnSection(text)] };
}
