import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { parseDeclineSubmission, parseRequestMetadata, parseRequestSubmission } from '../../input/requestInput';
import { stateValues } from '../../input/viewState';
import { BLOCK } from '../../ids';
import { ackSubmissionError } from '../../respond';
import { requestIdentity } from '../../requestIdentity';
import type { ListenerDeps } from '../deps';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** `/kickoff request` submitted: stored and posted to the requests channel (or the admins). */
export function coachingRequestSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view }: Args): Promise<void> => {
    const parsed = parseRequestSubmission(stateValues(view));
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    try {
      await deps.coachingRequests.submit(body.team?.id ?? view.team_id, body.user.id, parsed.input, { requestKey: requestIdentity(body) });
      await ack();
    } catch (err) {
      await ackSubmissionError(ack, deps.logger, BLOCK.reqTeam, err, 'a coaching request');
    }
  };
}

/** Decline submitted: the requester gets the reason; the post says who declined. */
export function declineRequestSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view }: Args): Promise<void> => {
    const meta = parseRequestMetadata(view.private_metadata);
    if (!meta) return ack({ response_action: 'errors', errors: { [BLOCK.reqReason]: 'This form could not be read. Close it and press Decline again.' } });
    const parsed = parseDeclineSubmission(stateValues(view));
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    try {
      await deps.coachingRequests.decline(body.team?.id ?? view.team_id, meta.requestId, body.user.id, parsed.reason, { requestKey: requestIdentity(body) });
      await ack();
    } catch (err) {
      await ackSubmissionError(ack, deps.logger, BLOCK.reqReason, err, 'a declined request');
    }
  };
}
