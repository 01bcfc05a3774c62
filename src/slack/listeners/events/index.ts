import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps';
import { appHomeOpened } from './appHomeOpened';

export function registerEvents(app: App, deps: ListenerDeps): void {
  app.event('app_home_opened', appHomeOpened(deps));
}
