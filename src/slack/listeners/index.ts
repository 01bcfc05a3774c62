import type { App } from '@slack/bolt';
import { registerCommands } from './commands';
import type { ListenerDeps } from './deps';
import { registerViews } from './views';

/** Every listener the app has; the manifest declares exactly these surfaces. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  registerCommands(app, deps);
  registerViews(app, deps);
}
