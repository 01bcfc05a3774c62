import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { parsePulseMetadata, parsePulseSubmission } from '../../input/pulseInput';
import { stateValues } from '../../input/viewState';
import { BLOCK } from '../../ids';
import { ackSubmissionError } from '../../respond';
import { requestIdentity } from '../../requestIdentity';
import type { ListenerDeps } from '../deps';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * A pulse answer: stored without the person (the day only), the person marked apart as having
 * answered. Nothing about who answered goes to the log, not even on failure.
 */
export function pulseSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view }: Args): Promise<void> => {
    const meta = parsePulseMetadata(view.private_metadata);
    const teamId = body.team?.id ?? view.team_id;
    if (!meta) return ack({ response_action: 'errors', errors: { [BLOCK.pulseComment]: 'This form could not be read. Close it and press “Answer the pulse” again.' } });
    const parsed = parsePulseSubmission(stateValues(view));
    if (!parsed.ok) return ack({ response_action: 'errors', errors: parsed.errors });
    try {
      await deps.pulses.answer(teamId, meta.pulseId, body.user.id, parsed.answer, { requestKey: requestIdentity(body) });
      await ack();
    } catch (err) {
      // No ids in the log: who answered is nobody's business.
      await ackSubmissionError(ack, deps.logger, BLOCK.pulseComment, err, 'a pulse answer');
    }
  };
}
