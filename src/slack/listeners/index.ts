import type { App } from '@slack/bolt';
import { registerActions } from './actions';
import { registerCommands } from './commands';
import type { ListenerDeps } from './deps';
import { registerEvents } from './events';
import { registerShortcuts } from './shortcuts';
import { registerViews } from './views';

/** Every listener the app has; the manifest declares exactly these surfaces. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerCommands(app, deps);
  registerViews(app, deps);
  registerActions(app, deps);
  registerShortcuts(app, deps);
  registerEvents(app, deps);
}
