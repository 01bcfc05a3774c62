import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { parsePageValue, parseShareValue } from '../../input/statusInput';
import { ACTION } from '../../ids';
import { clickAnswerer, messageForError } from '../../respond';
import { requestIdentity } from '../../requestIdentity';
import { errorMessage } from '../../views/kickoffHelp';
import type { ListenerDeps } from '../deps';
import { engagementMessage, portfolioMessage } from '../statusShared';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** "Share in channel" posts the same view publicly, attributed; Previous/Next pages the ephemeral answer. */
export function statusButton(deps: ListenerDeps) {
  return async ({ ack, body, action, client, respond }: Args): Promise<void> => {
    await ack();
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    const userId = body.user.id;
    const say = clickAnswerer({ body, client, respond }, deps.logger);
    try {
      if (action.action_id === ACTION.statusShare) {
        const v = parseShareValue(action.value);
        const channel = body.channel?.id ?? body.container?.channel_id;
        if (!v || !channel) return await say(errorMessage('That button could not be read. Run `/status` again.'));
        if (v.v === 'engagement') {
          const e = await deps.engagements.get(v.id);
          if (!e || e.teamId !== teamId) return await say(errorMessage('That engagement no longer exists.'));
          const message = await engagementMessage(deps, e, { sharedBy: userId });
          return await deps.status.share(teamId, userId, channel, message, { requestKey: requestIdentity(body), engagementId: e.id });
        }
        const message = await portfolioMessage(deps, teamId, userId, v.filter, v.page, { sharedBy: userId });
        return await deps.status.share(teamId, userId, channel, message, { requestKey: requestIdentity(body) });
      }
      const page = parsePageValue(action.value);
      if (!page) return await say(errorMessage('That button could not be read. Run `/status` again.'));
      const message = await portfolioMessage(deps, teamId, userId, page.filter, page.page);
      await respond({ response_type: 'ephemeral', replace_original: true, text: message.text, blocks: message.blocks as never });
    } catch (err) {
      await say(messageForError(err, deps.logger, { action: action.action_id }));
    }
  };
}
