import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { todayIn } from '../../../lib/time';
import { parseHomeButton, parseSnoozeValue } from '../../input/checkinInput';
import { ACTION } from '../../ids';
import { clickAnswerer, messageForError } from '../../respond';
import { requestIdentity } from '../../requestIdentity';
import { snoozedReceipt } from '../../views/digestViews';
import { errorMessage } from '../../views/kickoffHelp';
import { kickoffModal } from '../../views/kickoffModal';
import { openCheckinModal } from '../checkinShared';
import type { ListenerDeps } from '../deps';
import { openRaiseModal } from '../impedimentShared';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Home buttons (kick off, raise, check in) and the reminders' "Snooze a week". */
export function homeButton(deps: ListenerDeps) {
  return async ({ ack, body, action, client, respond }: Args): Promise<void> => {
    await ack();
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const userId = body.user.id;
    // Buttons on the Home tab come without a response_url: answer in the person's DM with coachline then.
    const say = clickAnswerer({ body, client, respond }, deps.logger, { dm: (user, m) => deps.tellUser(teamId, user, m) });
    try {
      switch (action.action_id) {
        case ACTION.homeKickoff: {
          const tz = deps.config.defaultTimezone;
          await client.views.open({
            trigger_id: body.trigger_id,
            view: kickoffModal({ mode: 'create', submitterId: userId, today: todayIn(tz, deps.clock.now()), channelId: null, timezone: tz }),
          });
          return;
        }
        case ACTION.homeRaise:
          return await openRaiseModal(client, deps, { teamId, triggerId: body.trigger_id, meta: { source: 'button' } });
        case ACTION.homeCheckin: {
          const parsed = parseHomeButton(action.value);
          const e = parsed ? await deps.engagements.get(parsed.engagementId) : null;
          if (!e || e.teamId !== teamId) return await say(errorMessage('That engagement could not be found. Use `/status update KEY`.'));
          return await openCheckinModal(client, deps, e, userId, body.trigger_id);
        }
        case ACTION.snoozeReminder: {
          const parsed = parseSnoozeValue(action.value);
          if (!parsed) return await say(errorMessage('That button could not be read.'));
          const until = await deps.status.snooze(teamId, parsed.kind, parsed.id, userId, await deps.zoneOf(teamId, userId), { requestKey: requestIdentity(body) });
          return await say(snoozedReceipt(until));
        }
      }
    } catch (err) {
      await say(messageForError(err, deps.logger, { action: action.action_id }));
    }
  };
}
