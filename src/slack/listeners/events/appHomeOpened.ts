import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { DuplicateRequest } from '../../../domain/errors';
import { requestIdentity } from '../../requestIdentity';
import type { ListenerDeps } from '../deps';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** Queues the person's dashboard when they open the Home tab (Slack may send the event twice: it acts once). */
export function appHomeOpened(deps: ListenerDeps) {
  return async ({ event, body }: Args): Promise<void> => {
    if (event.tab !== 'home') return;
    const teamId = body.team_id;
    try {
      // Recorded, and the dashboard queued for the outbox to publish.
      await deps.status.homeOpened(teamId, event.user, { requestKey: requestIdentity(body) });
    } catch (err) {
      if (err instanceof DuplicateRequest) return;
      throw err;
    }
  };
}
