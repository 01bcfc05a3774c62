/**
 * Every callback_id, block_id and action_id the app uses, in one place, so views,
 * listeners and tests agree. All ids are well under Slack's 255-character limit.
 *
 * Inputs in a modal are read from `view.state.values[block_id][action_id]`. Each input
 * block holds exactly one element whose action_id is `ACTION.value`, so the block_id
 * alone says which field it is (and which field an inline error belongs to).
 */

export const CALLBACK = {
  kickoff: 'kickoff_modal',
  /** The raise-an-impediment modal (from `/impediment`, the shortcut, App Home). */
  raiseImpediment: 'impediment_raise_modal',
  escalateImpediment: 'impediment_escalate_modal',
  resolveImpediment: 'impediment_resolve_modal',
  editImpediment: 'impediment_edit_modal',
  /** The message shortcut "Raise as impediment" (must match the manifest's callback_id). */
  raiseShortcut: 'raise_impediment',
  /** The check-in modal (`/status update`, App Home, a reminder's button). */
  checkin: 'checkin_modal',
  /** The team pulse modal (from the pulse DM's button). */
  pulse: 'pulse_modal',
  /** `/kickoff request`: a team asks for a coach. */
  coachingRequest: 'coaching_request_modal',
  /** A coaching request's "Decline": asks for the reason the requester receives. */
  declineRequest: 'coaching_request_decline_modal',
  /** `/kickoff profile`: a coach's level and strengths. */
  profile: 'coach_profile_modal',
} as const;

export const ACTION = {
  /** The single element inside every input block. */
  value: 'value',
  /** Impediment card and confirmation buttons; each button's `value` is the impediment id. */
  impAcknowledge: 'imp_acknowledge',
  impTakeOwnership: 'imp_take_ownership',
  impEscalate: 'imp_escalate',
  impResolve: 'imp_resolve',
  impEdit: 'imp_edit',
  /** `/status` answers: posts the same view publicly; `value` is JSON `{"v":"engagement","id":1}` or `{"v":"portfolio",…}`. */
  statusShare: 'status_share',
  /** Portfolio pagination; `value` is JSON `{"filter":"mine","page":2}`. Two ids: one actions block cannot repeat an action_id. */
  statusPagePrevious: 'status_page_previous',
  statusPageNext: 'status_page_next',
  /** App Home buttons. `homeCheckin`'s value is the engagement id (also on check-in reminders). */
  homeKickoff: 'home_kickoff',
  homeRaise: 'home_raise',
  homeCheckin: 'home_checkin',
  /** A reminder's "Snooze a week"; value is JSON `{"kind":"checkin"|"impediment","id":n}`. */
  snoozeReminder: 'reminder_snooze',
  /** A pulse DM's "Answer the pulse" button; value is the pulse id in decimal. */
  pulseOpen: 'pulse_open',
  /** A posted coaching request's buttons; value is the request id in decimal. */
  requestStart: 'request_start',
  requestDecline: 'request_decline',
} as const;

/** Value of the one checkbox option in `BLOCK.kickoffCreateChannel`. */
export const CREATE_CHANNEL_OPTION = 'create' as const;

/** Values of the one checkbox option in `BLOCK.impOrganisational` and `BLOCK.impAnonymous`. */
export const ORGANISATIONAL_OPTION = 'organisational' as const;
export const ANONYMOUS_OPTION = 'anonymous' as const;

export const BLOCK = {
  kickoffName: 'kickoff_name',
  kickoffKey: 'kickoff_key',
  kickoffLevel: 'kickoff_level',
  kickoffOrigin: 'kickoff_origin',
  kickoffRequester: 'kickoff_requester',
  kickoffCoaches: 'kickoff_coaches',
  kickoffSponsor: 'kickoff_sponsor',
  kickoffTeam: 'kickoff_team',
  kickoffPainPoints: 'kickoff_pain_points',
  kickoffOutcomes: 'kickoff_outcomes',
  kickoffEscalationIntro: 'kickoff_escalation_intro',
  kickoffEsc1Name: 'kickoff_esc1_name',
  kickoffEsc1Contacts: 'kickoff_esc1_contacts',
  kickoffEsc1Response: 'kickoff_esc1_response',
  kickoffEsc2Name: 'kickoff_esc2_name',
  kickoffEsc2Contacts: 'kickoff_esc2_contacts',
  kickoffEsc2Response: 'kickoff_esc2_response',
  kickoffEsc3Name: 'kickoff_esc3_name',
  kickoffEsc3Contacts: 'kickoff_esc3_contacts',
  kickoffEsc3Response: 'kickoff_esc3_response',
  kickoffStartDate: 'kickoff_start_date',
  kickoffReviewDate: 'kickoff_review_date',
  kickoffChannels: 'kickoff_channels',
  kickoffCreateChannel: 'kickoff_create_channel',
  kickoffChannelName: 'kickoff_channel_name',
  impEngagement: 'imp_engagement',
  impDescription: 'imp_description',
  impSeverity: 'imp_severity',
  impOrganisational: 'imp_organisational',
  impAnonymous: 'imp_anonymous',
  impReason: 'imp_reason',
  impNote: 'imp_note',
  impResolution: 'imp_resolution',
  /** The actions block of an impediment card or confirmation (not an input). */
  impActions: 'imp_actions',
  /** The actions block of a `/status` answer (share, pagination). */
  statusActions: 'status_actions',
  checkinHealth: 'checkin_health',
  checkinSummary: 'checkin_summary',
  checkinNextSteps: 'checkin_next_steps',
  /** App Home's top row of buttons, and a reminder's buttons (not inputs). */
  homeActions: 'home_actions',
  reminderActions: 'reminder_actions',
  /** The pulse modal: one radio block per statement (`pulse_s1` … `pulse_s5`) and the comment. */
  pulseS1: 'pulse_s1',
  pulseS2: 'pulse_s2',
  pulseS3: 'pulse_s3',
  pulseS4: 'pulse_s4',
  pulseS5: 'pulse_s5',
  pulseComment: 'pulse_comment',
  pulseActions: 'pulse_actions',
  /** The coaching-request modal and the decline modal. */
  reqTeam: 'req_team',
  reqPainPoints: 'req_pain_points',
  reqOutcomes: 'req_outcomes',
  reqUrgency: 'req_urgency',
  reqReason: 'req_reason',
  reqActions: 'req_actions',
  profileLevel: 'profile_level',
  profileStrengths: 'profile_strengths',
  /** The kickoff modal's confirmation that associate coaches alone run an organisation-level engagement. */
  kickoffConfirmAssociates: 'kickoff_confirm_associates',
} as const;

/** Value of the one checkbox option in `BLOCK.kickoffConfirmAssociates`. */
export const CONFIRM_ASSOCIATES_OPTION = 'confirmed' as const;

/** The pulse modal's statement blocks, in statement order. */
export const PULSE_BLOCKS = [BLOCK.pulseS1, BLOCK.pulseS2, BLOCK.pulseS3, BLOCK.pulseS4, BLOCK.pulseS5] as const;

export type BlockId = (typeof BLOCK)[keyof typeof BLOCK];

/** The three escalation slots of the kickoff modal, in order (team, program, executive). */
export const ESCALATION_BLOCKS = [
  { name: BLOCK.kickoffEsc1Name, contacts: BLOCK.kickoffEsc1Contacts, response: BLOCK.kickoffEsc1Response },
  { name: BLOCK.kickoffEsc2Name, contacts: BLOCK.kickoffEsc2Contacts, response: BLOCK.kickoffEsc2Response },
  { name: BLOCK.kickoffEsc3Name, contacts: BLOCK.kickoffEsc3Contacts, response: BLOCK.kickoffEsc3Response },
] as const;

/** Prefix of a check-in modal's per-outcome metric input: `checkin_outcome_<position>` (0-based, as stored). */
export const CHECKIN_OUTCOME_PREFIX = 'checkin_outcome_' as const;
export const checkinOutcomeBlock = (position: number): string => `${CHECKIN_OUTCOME_PREFIX}${position}`;

/** Both portfolio pagination buttons, for `app.action(STATUS_PAGE_ACTION, …)`. */
export const STATUS_PAGE_ACTION = /^status_page_(previous|next)$/;
