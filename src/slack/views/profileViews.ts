/** Coach profile views: the modal, the receipt, and how coaches are introduced elsewhere. Pure. */
import type { ModalView, PlainTextOption } from '@slack/types';
import { COACH_LEVEL_LABELS, COACH_LEVELS, STRENGTH_LABELS, STRENGTHS, type CoachProfile } from '../../domain/profiles';
import { BLOCK, CALLBACK } from '../ids';
import { context, inputBlock, mrkdwnSection, plainText, SLACK_LIMITS, userMention as user } from './blocks';

export function profileModal(current: CoachProfile | null): ModalView {
  const levels: PlainTextOption[] = COACH_LEVELS.map((l) => ({ text: plainText(COACH_LEVEL_LABELS[l], SLACK_LIMITS.optionText), value: l }));
  const strengths: PlainTextOption[] = STRENGTHS.map((s) => ({ text: plainText(STRENGTH_LABELS[s], SLACK_LIMITS.optionText), value: s }));
  const level = levels.find((o) => o.value === current?.level);
  const picked = strengths.filter((o) => current?.strengths.some((s) => s === o.value));
  return {
    type: 'modal',
    callback_id: CALLBACK.profile,
    title: plainText('Your coach profile', SLACK_LIMITS.modalTitle),
    submit: plainText('Save', SLACK_LIMITS.modalTitle),
    close: plainText('Cancel', SLACK_LIMITS.modalTitle),
    blocks: [
      context(['Announcements introduce each coach with their level and strengths, and the coaching-requests channel shows them to whoever starts an engagement.']),
      inputBlock(BLOCK.profileLevel, 'Your level', { type: 'radio_buttons', options: levels, ...(level ? { initial_option: level } : {}) }),
      inputBlock(BLOCK.profileStrengths, 'Craft strengths', { type: 'checkboxes', options: strengths, ...(picked.length ? { initial_options: picked } : {}) }, { optional: true }),
    ],
  };
}

/** `Senior Agile Coach · coaching, facilitation` */
export function profileWords(p: CoachProfile): string {
  const strengths = p.strengths.map((s) => STRENGTH_LABELS[s]);
  return [COACH_LEVEL_LABELS[p.level], ...(strengths.length ? [strengths.join(', ')] : [])].join(' · ');
}

/** One line per coach who has a profile: `<@U1> — Senior Agile Coach · coaching, facilitation`. */
export function coachIntroLines(coachIds: readonly string[], profiles: readonly CoachProfile[]): string[] {
  return coachIds.flatMap((id) => {
    const p = profiles.find((x) => x.userId === id);
    return p ? [`${user(id)} — ${profileWords(p)}`] : [];
  });
}

/** What the modal turns into once saved. */
export function profileSavedView(p: CoachProfile): ModalView {
  return {
    type: 'modal',
    callback_id: CALLBACK.profile,
    title: plainText('Your coach profile', SLACK_LIMITS.modalTitle),
    close: plainText('Done', SLACK_LIMITS.modalTitle),
    blocks: [
      mrkdwnSection(`:white_check_mark: Saved: *${profileWords(p)}*.`),
      context(['Announcements of your engagements introduce you with it. Change it any time with `/kickoff profile`.']),
    ],
  };
}
