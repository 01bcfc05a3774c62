import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { todayIn } from '../../../lib/time';
import { ACTION } from '../../ids';
import { parseRequestButton } from '../../input/requestInput';
import { clickAnswerer, messageForError } from '../../respond';
import { errorMessage } from '../../views/kickoffHelp';
import { kickoffModal } from '../../views/kickoffModal';
import { declineModal } from '../../views/requestViews';
import type { ListenerDeps } from '../deps';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** A posted coaching request's buttons: Start engagement (the kickoff form, prefilled) and Decline (asks why). */
export function requestButton(deps: ListenerDeps) {
  return async ({ ack, body, action, client, respond }: Args): Promise<void> => {
    await ack();
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const userId = body.user.id;
    const say = clickAnswerer({ body, client, respond }, deps.logger, { dm: (user, m) => deps.tellUser(teamId, user, m) });
    try {
      const parsed = parseRequestButton(action.value);
      if (!parsed) return await say(errorMessage('That button could not be read.'));
      if (action.action_id === ACTION.requestStart) {
        const r = await deps.coachingRequests.forDecision(teamId, parsed.requestId, userId, 'start an engagement from a coaching request');
        const tz = deps.config.defaultTimezone;
        const fromRequest = { requestId: r.id, teamName: r.teamName, requesterId: r.requesterId, painPoints: r.painPoints, outcomes: r.outcomes };
        await client.views.open({
          trigger_id: body.trigger_id,
          view: kickoffModal({ mode: 'create', submitterId: userId, today: todayIn(tz, deps.clock.now()), channelId: null, timezone: tz, fromRequest }),
        });
        return;
      }
      const r = await deps.coachingRequests.forDecision(teamId, parsed.requestId, userId, 'decline a coaching request');
      await client.views.open({ trigger_id: body.trigger_id, view: declineModal(r) });
    } catch (err) {
      await say(messageForError(err, deps.logger, { action: action.action_id }));
    }
  };
}
