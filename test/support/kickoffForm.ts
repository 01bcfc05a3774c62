import { ACTION, BLOCK, CALLBACK, CONFIRM_ASSOCIATES_OPTION, CREATE_CHANNEL_OPTION, ESCALATION_BLOCKS } from '../../src/slack/ids';
import { checkboxes, datepicker, multiConversations, multiUsers, plainText, radio, usersSelect, viewSubmission, type StateValues } from '../../src/sandbox/payloads';

/** What a person types into the kickoff modal; every field can be overridden. */
export interface KickoffForm {
  name: string;
  key: string;
  level: string | null;
  origin: string | null;
  requester: string | null;
  coaches: string[];
  /** The Team field (who a pulse asks without an engagement channel). */
  team: string[];
  /** The "sponsor agrees: associate coaches only" tick. */
  confirmAssociates: boolean;
  sponsor: string | null;
  painPoints: string;
  outcomes: string;
  escalation: { name: string; contacts: string[]; response: string }[];
  startDate: string | null;
  reviewDate: string | null;
  channels: string[];
  createChannel: boolean;
  channelName: string;
}

export function kickoffForm(overrides: Partial<KickoffForm> = {}): KickoffForm {
  return {
    name: 'Payments platform',
    key: '',
    level: 'team',
    origin: 'pull',
    requester: 'UREQUESTER',
    coaches: ['UCOACH1'],
    team: [],
    confirmAssociates: false,
    sponsor: 'USPONSOR',
    painPoints: 'Releases take three weeks\nNobody owns the backlog',
    outcomes: 'Lead time: 21 -> 5 days\nThe team runs its own retrospectives',
    escalation: [
      { name: 'Team', contacts: [], response: '2' },
      { name: 'Program', contacts: ['UPROGRAM'], response: '3' },
      { name: 'Executive', contacts: [], response: '5' },
    ],
    startDate: '2026-11-23',
    reviewDate: '2027-02-21',
    channels: [],
    createChannel: false,
    channelName: '',
    ...overrides,
  };
}

const v = (value: unknown) => ({ [ACTION.value]: value as Record<string, unknown> });

export function kickoffState(f: KickoffForm): StateValues {
  const state: StateValues = {
    [BLOCK.kickoffName]: v(plainText(f.name)),
    [BLOCK.kickoffKey]: v(plainText(f.key)),
    [BLOCK.kickoffLevel]: v(radio(f.level)),
    [BLOCK.kickoffOrigin]: v(radio(f.origin)),
    [BLOCK.kickoffRequester]: v(usersSelect(f.requester)),
    [BLOCK.kickoffCoaches]: v(multiUsers(f.coaches)),
    [BLOCK.kickoffTeam]: v(multiUsers(f.team)),
    [BLOCK.kickoffSponsor]: v(usersSelect(f.sponsor)),
    [BLOCK.kickoffPainPoints]: v(plainText(f.painPoints)),
    [BLOCK.kickoffOutcomes]: v(plainText(f.outcomes)),
    [BLOCK.kickoffStartDate]: v(datepicker(f.startDate)),
    [BLOCK.kickoffReviewDate]: v(datepicker(f.reviewDate)),
    [BLOCK.kickoffChannels]: v(multiConversations(f.channels)),
    [BLOCK.kickoffCreateChannel]: v(checkboxes(f.createChannel ? [CREATE_CHANNEL_OPTION] : [])),
    [BLOCK.kickoffConfirmAssociates]: v(checkboxes(f.confirmAssociates ? [CONFIRM_ASSOCIATES_OPTION] : [])),
    [BLOCK.kickoffChannelName]: v(plainText(f.channelName)),
  };
  f.escalation.forEach((l, i) => {
    const ids = ESCALATION_BLOCKS[i];
    state[ids.name] = v(plainText(l.name));
    state[ids.contacts] = v(multiUsers(l.contacts));
    state[ids.response] = v(plainText(l.response));
  });
  return state;
}

/** A view_submission of the kickoff modal, with the private_metadata the app put on the opened view. */
export function kickoffSubmission(form: KickoffForm, opts: { user: string; privateMetadata: string; teamId?: string }) {
  return viewSubmission({
    user: { id: opts.user },
    teamId: opts.teamId,
    view: { callback_id: CALLBACK.kickoff, private_metadata: opts.privateMetadata, state_values: kickoffState(form) },
  } as never);
}
