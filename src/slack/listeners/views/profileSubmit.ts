import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { parseProfileSubmission } from '../../input/profileInput';
import { stateValues } from '../../input/viewState';
import { BLOCK } from '../../ids';
import { ackSubmissionError } from '../../respond';
import { profileSavedView } from '../../views/profileViews';
import type { ListenerDeps } from '../deps';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** `/kickoff profile` saved: always the submitter's own profile; the modal says what was saved. */
export function profileSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view }: Args): Promise<void> => {
    const parsed = parseProfileSubmission(stateValues(view));
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    try {
      const saved = await deps.profiles.save(body.team?.id ?? view.team_id, body.user.id, parsed.input);
      await ack({ response_action: 'update', view: profileSavedView(saved) });
    } catch (err) {
      await ackSubmissionError(ack, deps.logger, BLOCK.profileLevel, err, 'a coach profile');
    }
  };
}
