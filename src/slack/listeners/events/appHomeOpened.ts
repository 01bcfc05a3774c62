import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from '../deps';

type Args = SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs;

/** Publishes the person's dashboard when they open the Home tab (Slack may send the event twice). */
export function appHomeOpened(deps: ListenerDeps, renderHome: (teamId: string, userId: string) => unknown) {
  return async ({ event, body, client }: Args): Promise<void> => {
    if (event.tab !== 'home') return;
    const teamId = body.team_id;
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId && !await deps.requests.claim(teamId, `event:${eventId}`, deps.clock.now())) return;
    await deps.status.homeOpened(teamId, event.user);
    try {
      await client.views.publish({ user_id: event.user, view: await renderHome(teamId, event.user) as never });
    } catch (error) {
      deps.logger.log('warn', 'could not publish the Home tab', { error });
    }
  };
}
