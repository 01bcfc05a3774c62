import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { parseCheckinMetadata, parseCheckinSubmission } from '../../input/checkinInput';
import { stateValues } from '../../input/viewState';
import { BLOCK } from '../../ids';
import { ackSubmissionError } from '../../respond';
import { requestIdentity } from '../../requestIdentity';
import type { ListenerDeps } from '../deps';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** A check-in: stored, health and outcome values moved, posted under the announcement. */
export function checkinSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view }: Args): Promise<void> => {
    const meta = parseCheckinMetadata(view.private_metadata);
    const teamId = body.team?.id ?? view.team_id;
    const e = meta ? await deps.engagements.get(meta.engagementId) : null;
    if (!meta || !e || e.teamId !== teamId) {
      return ack({ response_action: 'errors', errors: { [BLOCK.checkinSummary]: 'This form could not be read (it may be out of date). Close it and run /status update again.' } });
    }
    const parsed = parseCheckinSubmission(stateValues(view), e.outcomes);
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    try {
      await deps.status.checkin(teamId, e.id, body.user.id, parsed.input, { requestKey: requestIdentity(body) });
      await ack();
    } catch (err) {
      await ackSubmissionError(ack, deps.logger, BLOCK.checkinSummary, err, 'a check-in', { engagementId: e.id });
    }
  };
}
