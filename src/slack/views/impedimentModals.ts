/**
 * Impediment modals: raise (from `/impediment`, the message shortcut, App Home), escalate,
 * resolve, edit, and the one-time view of an anonymous impediment's follow-up code.
 * Pure: data in, View out. Block ids come from `ids.ts` so the parsers read the same fields.
 */
import type { Checkboxes, InputBlock, InputBlockElement, KnownBlock, ModalView, PlainTextInput, PlainTextOption, RadioButtons } from '@slack/types';
import { SEVERITIES, impedimentRef, type Impediment, type Severity } from '../../domain/impedimentTypes';
import { ACTION, ANONYMOUS_OPTION, BLOCK, CALLBACK, ORGANISATIONAL_OPTION } from '../ids';
import { IMPEDIMENT_LIMITS, encodeImpedimentMetadata } from '../input/impedimentInput';
import { SLACK_LIMITS, context, escapeMrkdwn as esc, inputBlock, mrkdwnSection, plainText, truncate } from './blocks';
import { SEVERITY_EMOJI, SEVERITY_LABELS } from './impedimentCard';

const SEVERITY_DESCRIPTIONS: Record<Severity, string> = {
  low: 'An annoyance; work goes on',
  medium: 'Slows the team down',
  high: 'Blocks important work',
  critical: 'Stops the team or hurts customers',
};

export const ANONYMITY_HINT =
  'Nobody — not the coaches, the sponsor or the admins — will be able to see who reported it: your name is not stored anywhere. ' +
  'You get a follow-up code, shown once, to read the answers and reply anonymously. A lost code cannot be recovered.';

function option(text: string, value: string, description?: string): PlainTextOption {
  const o: PlainTextOption = { text: plainText(text, SLACK_LIMITS.optionText), value };
  if (description !== undefined) o.description = plainText(description, SLACK_LIMITS.optionText);
  return o;
}

/** Clamps in characters (code points), as Slack counts `max_length`. */
const clamp = (text: string, max: number): string => Array.from(text).slice(0, max).join('');

function textArea(max: number, initial?: string, placeholder?: string): PlainTextInput {
  const el: PlainTextInput = { type: 'plain_text_input', multiline: true, max_length: max };
  if (placeholder !== undefined) el.placeholder = plainText(placeholder, 150);
  if (initial !== undefined && initial.trim() !== '') el.initial_value = clamp(initial, max);
  return el;
}

function severityRadio(initial: Severity): RadioButtons {
  const options = SEVERITIES.map((s) => option(`${SEVERITY_LABELS[s]}`, s, SEVERITY_DESCRIPTIONS[s]));
  const chosen = options.find((o) => o.value === initial);
  return { type: 'radio_buttons', options, ...(chosen ? { initial_option: chosen } : {}) };
}

function checkbox(text: string, value: string, ticked: boolean, description?: string): Checkboxes {
  const o = option(text, value, description);
  return { type: 'checkboxes', options: [o], ...(ticked ? { initial_options: [o] } : {}) };
}

function modal(callbackId: string, title: string, submit: string, metadata: string, blocks: KnownBlock[]): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: metadata,
    title: plainText(title, SLACK_LIMITS.modalTitle),
    submit: plainText(submit, SLACK_LIMITS.modalTitle),
    close: plainText('Cancel', SLACK_LIMITS.modalTitle),
    blocks,
  };
}

/** `*IMP-12* :red_circle: what it is about` — a short reminder at the top of a modal. */
function summary(imp: Impediment): KnownBlock {
  return mrkdwnSection(`${SEVERITY_EMOJI[imp.severity]} *${impedimentRef(imp.number)}* — ${esc(truncate(imp.description, 500))}`);
}

export interface RaiseModalOptions {
  /** Active engagements the person may raise on; Slack shows at most 100 options. */
  engagements: readonly { id: number; key: string; name: string }[];
  initial?: { engagementId?: number; description?: string; severity?: Severity; organisational?: boolean };
  /** From `encodeRaiseMetadata`. */
  metadata: string;
}

export function raiseModal(opts: RaiseModalOptions): ModalView {
  const title = plainText('Raise an impediment', SLACK_LIMITS.modalTitle);
  if (opts.engagements.length === 0) {
    return {
      type: 'modal',
      title,
      close: plainText('Close', SLACK_LIMITS.modalTitle),
      blocks: [
        mrkdwnSection(':information_source: There is no active coaching engagement yet, so there is nowhere to raise an impediment.'),
        mrkdwnSection('A sponsor starts one with `/kickoff`: it announces the engagement and agrees who to go to when something is stuck. `/kickoff help` explains how.'),
      ],
    };
  }
  const init = opts.initial ?? {};
  // The preselected engagement stays among the first 100 options.
  const chosenFirst = [...opts.engagements].sort((a, b) => Number(b.id === init.engagementId) - Number(a.id === init.engagementId));
  const options = chosenFirst.slice(0, 100).map((e) => option(`${e.name} (${e.key})`, String(e.id)));
  const chosen = options.find((o) => o.value === String(init.engagementId));
  const blocks: KnownBlock[] = [
    context(['Something slowing or stopping the team? It goes to the engagement’s coaches, who acknowledge it, take it on, or escalate it.']),
    inputBlock(BLOCK.impEngagement, 'Engagement', {
      type: 'static_select',
      placeholder: plainText('Choose an engagement', 150),
      options,
      ...(chosen ? { initial_option: chosen } : {}),
    }),
    inputBlock(BLOCK.impDescription, 'What is blocking you?', textArea(IMPEDIMENT_LIMITS.descriptionMax, init.description, 'e.g. We wait two weeks for every firewall change'), {
      hint: 'Say what happens and what it costs the team. Up to 3,000 characters.',
    }),
    inputBlock(BLOCK.impSeverity, 'Severity', severityRadio(init.severity ?? 'medium')),
    inputBlock(
      BLOCK.impOrganisational,
      'Organisational',
      checkbox('Organisational impediment (beyond the team’s control)', ORGANISATIONAL_OPTION, init.organisational === true, 'e.g. policy, budget, another department'),
      { optional: true },
    ),
    inputBlock(BLOCK.impAnonymous, 'Anonymity', checkbox('Report anonymously', ANONYMOUS_OPTION, false), { optional: true, hint: ANONYMITY_HINT }),
  ];
  return modal(CALLBACK.raiseImpediment, 'Raise an impediment', 'Raise', opts.metadata, blocks);
}

export function escalateModal(imp: Impediment, levelName: string, nextLevelName: string): ModalView {
  const from = `*${esc(levelName)}*`;
  const to = `*${esc(nextLevelName)}*`;
  const blocks: KnownBlock[] = [
    summary(imp),
    mrkdwnSection(`It moves from level ${from} to ${to}. Its contacts get a direct message with the card, your reason, its age and its history.`),
    inputBlock(BLOCK.impReason, 'Why does it need the next level?', textArea(IMPEDIMENT_LIMITS.reasonMax, undefined, 'e.g. Needs a budget decision the team cannot make'), {
      hint: 'Everyone who can see the card sees the reason in its thread.',
    }),
  ];
  return modal(CALLBACK.escalateImpediment, `Escalate ${impedimentRef(imp.number)}`, 'Escalate', encodeImpedimentMetadata({ impedimentId: imp.id, level: imp.level }), blocks);
}

export function resolveModal(imp: Impediment): ModalView {
  const outcome = [option('Resolved', 'resolved', 'It no longer blocks anyone'), option('Won’t fix', 'wont_fix', 'It stays as it is — say why')];
  const blocks: KnownBlock[] = [
    summary(imp),
    inputBlock(BLOCK.impResolution, 'Outcome', { type: 'radio_buttons', options: outcome, initial_option: outcome[0] }),
    inputBlock(BLOCK.impNote, 'Note', textArea(IMPEDIMENT_LIMITS.noteMax, undefined, 'What was done, or why it won’t be fixed'), {
      hint: 'Shown on the card and in its thread; the reporter is told.',
    }),
  ];
  return modal(CALLBACK.resolveImpediment, `Resolve ${impedimentRef(imp.number)}`, 'Close it', encodeImpedimentMetadata({ impedimentId: imp.id }), blocks);
}

export function editModal(imp: Impediment): ModalView {
  const blocks: KnownBlock[] = [
    inputBlock(BLOCK.impDescription, 'What is blocking you?', textArea(IMPEDIMENT_LIMITS.descriptionMax, imp.description)),
    inputBlock(BLOCK.impSeverity, 'Severity', severityRadio(imp.severity)),
    context(['Saving updates the card in place and notes the change in its thread.']),
  ];
  return modal(CALLBACK.editImpediment, `Edit ${impedimentRef(imp.number)}`, 'Save', encodeImpedimentMetadata({ impedimentId: imp.id }), blocks);
}

/** Shown once after an anonymous impediment is raised: its id and follow-up code. No submit. */
export function anonymousRaisedView(ref: string, code: string): ModalView {
  const safe = (s: string) => esc(s).replace(/`/g, '');
  const c = safe(truncate(code, 100));
  return {
    type: 'modal',
    title: plainText('Raised anonymously', SLACK_LIMITS.modalTitle),
    close: plainText('Done', SLACK_LIMITS.modalTitle),
    blocks: [
      mrkdwnSection(`:white_check_mark: *${safe(truncate(ref, 40))}* is raised anonymously. Nobody can see who reported it — not the coaches, the sponsor or the admins.`),
      mrkdwnSection(`*Your follow-up code*\n\`\`\`${c}\`\`\``),
      mrkdwnSection(
        ':warning: *Copy it now: it is shown only once.* It is the only link between you and this impediment, so a lost code cannot be recovered — by anyone.',
      ),
      mrkdwnSection(`*Follow it up*\n• \`/impediment follow ${c}\` shows the answers in its thread\n• \`/impediment follow ${c} your reply\` replies there as “reporter (anonymous)”`),
    ],
  };
}
