import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { stateValues } from '../../input/viewState';
import { todayIn } from '../../../lib/time';
import { BLOCK } from '../../ids';
import { ackSubmissionError } from '../../respond';
import { requestIdentity } from '../../requestIdentity';
import { parseKickoffMetadata, parseKickoffSubmission } from '../../input/kickoffView';
import type { ListenerDeps } from '../deps';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Kickoff modal submitted: validate everything, store in one transaction, close the modal. */
export function kickoffSubmit(deps: ListenerDeps) {
  return async ({ ack, body, view }: Args): Promise<void> => {
    const errors = (fields: Record<string, string>) => ack({ response_action: 'errors', errors: fields });
    const meta = parseKickoffMetadata(view.private_metadata);
    if (!meta) return errors({ [BLOCK.kickoffName]: 'This form could not be read (it may be out of date). Close it and run /kickoff again.' });
    const parsed = parseKickoffSubmission(stateValues(view), { submitterId: body.user.id, today: todayIn(deps.config.defaultTimezone, deps.clock.now()) });
    if (!parsed.ok) return errors(parsed.errors);
    const teamId = body.team?.id ?? view.team_id;
    const requestKey = requestIdentity(body);
    try {
      if (meta.mode === 'create') {
        await deps.kickoff.kickoff(teamId, parsed.draft, {
          actorId: body.user.id,
          keyWasDerived: parsed.keyWasDerived,
          keyField: BLOCK.kickoffKey,
          confirmField: BLOCK.kickoffConfirmAssociates,
          requestKey,
          fromRequestId: meta.requestId,
        });
      } else {
        await deps.kickoff.edit(teamId, meta.engagementId, parsed.draft, { actorId: body.user.id, keyField: BLOCK.kickoffKey, requestKey });
      }
      await ack();
    } catch (err) {
      await ackSubmissionError(ack, deps.logger, BLOCK.kickoffName, err, 'the kickoff modal', { mode: meta.mode });
    }
  };
}
