import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { parsePulseButton } from '../../input/pulseInput';
import { clickAnswerer, messageForError } from '../../respond';
import { errorMessage } from '../../views/kickoffHelp';
import { pulseModal } from '../../views/pulseViews';
import type { ListenerDeps } from '../deps';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** A pulse DM's "Answer the pulse": the modal, or why not (closed, already answered, not asked). */
export function pulseButton(deps: ListenerDeps) {
  return async ({ ack, body, action, client, respond }: Args): Promise<void> => {
    await ack();
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const say = clickAnswerer({ body, client, respond }, deps.logger, { dm: (user, m) => deps.tellUser(teamId, user, m) });
    try {
      const parsed = parsePulseButton(action.value);
      if (!parsed) return await say(errorMessage('That button could not be read.'));
      const { engagement, pulse } = await deps.pulses.forAnswer(teamId, parsed.pulseId, body.user.id);
      await client.views.open({ trigger_id: body.trigger_id, view: pulseModal(engagement, pulse) });
    } catch (err) {
      // No ids in the log context: who opened which pulse is nobody's business.
      await say(messageForError(err, deps.logger, { action: action.action_id }));
    }
  };
}
