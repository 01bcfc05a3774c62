import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { stateValues } from '../../input/viewState';
import { AppError, DuplicateRequest, ValidationError } from '../../../domain/errors';
import { todayIn } from '../../../lib/time';
import { BLOCK } from '../../ids';
import { plainForModal } from '../../respond';
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
          requestKey,
          fromRequestId: meta.requestId,
        });
      } else {
        await deps.kickoff.edit(teamId, meta.engagementId, parsed.draft, { actorId: body.user.id, keyField: BLOCK.kickoffKey, requestKey });
      }
      await ack();
    } catch (err) {
      if (err instanceof DuplicateRequest) return ack();
      if (err instanceof ValidationError) return errors(err.fields);
      if (err instanceof AppError) return errors({ [BLOCK.kickoffName]: plainForModal(err.userMessage) });
      deps.logger.log('error', 'saving the kickoff modal failed', { error: err, mode: meta.mode });
      return errors({ [BLOCK.kickoffName]: 'Something went wrong on our side and nothing was saved. Please press the button again.' });
    }
  };
}
