import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { AppError, DuplicateRequest } from '../../../domain/errors';
import { parseDeclineSubmission, parseRequestMetadata, parseRequestSubmission } from '../../input/requestInput';
import { stateValues } from '../../input/viewState';
import { BLOCK } from '../../ids';
import { plainForModal } from '../../respond';
import { requestIdentity } from '../../requestIdentity';
import type { ListenerDeps } from '../deps';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Turns a service's refusal into an inline error on `block`; anything else is logged and said plainly. */
async function answerError(ack: Args['ack'], deps: ListenerDeps, block: string, err: unknown, what: string): Promise<void> {
  if (err instanceof DuplicateRequest) return await ack();
  if (!(err instanceof AppError)) deps.logger.log('error', `saving ${what} failed`, { error: err });
  const message = err instanceof AppError ? err.userMessage : 'Something went wrong on our side and nothing was saved. Please try again.';
  await ack({ response_action: 'errors', errors: { [block]: plainForModal(message) } });
}

/** `/kickoff request` submitted: stored and posted to the requests channel (or the admins). */
export function coachingRequestSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view }: Args): Promise<void> => {
    const parsed = parseRequestSubmission(stateValues(view));
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    try {
      await deps.coachingRequests.submit(body.team?.id ?? view.team_id, body.user.id, parsed.input, { requestKey: requestIdentity(body) });
      await ack();
    } catch (err) {
      await answerError(ack, deps, BLOCK.reqTeam, err, 'a coaching request');
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
      await answerError(ack, deps, BLOCK.reqReason, err, 'a declined request');
    }
  };
}
