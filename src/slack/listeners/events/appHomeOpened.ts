import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { DuplicateRequest } from '../../../domain/errors';
import { requestIdentity } from '../../requestIdentity';
import type { ListenerDeps } from '../deps';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** Publishes the person's dashboard when they open the Home tab (Slack may send the event twice). */
export function appHomeOpened(deps: ListenerDeps, renderHome: (teamId: string, userId: string) => unknown) {
  return async ({ event, body, client }: Args): Promise<void> => {
    if (event.tab !== 'home') return;
    const teamId = body.team_id;
    try {
      await deps.status.homeOpened(teamId, event.user, { requestKey: requestIdentity(body) });
    } catch (err) {
      if (err instanceof DuplicateRequest) return;
      throw err;
    }
    try {
      await client.views.publish({ user_id: event.user, view: await renderHome(teamId, event.user) as never });
    } catch (error) {
      deps.logger.log('warn', 'could not publish the Home tab', { error });
    }
  };
}
