import type { App } from '@slack/bolt';
import type { ListenerDeps } from '../deps';
import { kickoffCommand } from './kickoff';

export function registerCommands(app: App, deps: ListenerDeps): void {
  app.command('/kickoff', kickoffCommand(deps));
}
