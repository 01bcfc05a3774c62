import type { App } from '@slack/bolt';
import { CALLBACK } from '../../ids';
import type { ListenerDeps } from '../deps';
import { kickoffSubmit } from './kickoffSubmit';

export function registerViews(app: App, deps: ListenerDeps): void {
  app.view(CALLBACK.kickoff, kickoffSubmit(deps));
}
