import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps';
import { escalateCommand } from './escalate';
import { impedimentCommand } from './impediment';
import { kickoffCommand } from './kickoff';
import { statusCommand } from './status';

export function registerCommands(app: App, deps: ListenerDeps): void {
  app.command('/kickoff', kickoffCommand(deps));
  app.command('/impediment', impedimentCommand(deps));
  app.command('/escalate', escalateCommand(deps));
  app.command('/status', statusCommand(deps));
}
