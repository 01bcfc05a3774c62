import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTION, STATUS_PAGE_ACTION } from '../../ids';
import type { ListenerDeps } from '../deps';
import { homeButton } from './homeButtons';
import { impedimentButton } from './impedimentButtons';
import { pulseButton } from './pulseButton';
import { requestButton } from './requestButtons';
import { statusButton } from './statusButtons';

export function registerActions(app: App, deps: ListenerDeps): void {
  const handler = impedimentButton(deps);
  for (const id of [ACTION.impAcknowledge, ACTION.impTakeOwnership, ACTION.impEscalate, ACTION.impResolve, ACTION.impEdit]) {
    app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: id }, handler);
  }
  const home = homeButton(deps);
  for (const id of [ACTION.homeKickoff, ACTION.homeRaise, ACTION.homeCheckin, ACTION.snoozeReminder]) {
    app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: id }, home);
  }
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ACTION.pulseOpen }, pulseButton(deps));
  const request = requestButton(deps);
  for (const id of [ACTION.requestStart, ACTION.requestDecline]) app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: id }, request);
  const status = statusButton(deps);
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: ACTION.statusShare }, status);
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: STATUS_PAGE_ACTION }, status);
}
