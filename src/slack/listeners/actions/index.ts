import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ACTION } from '../../ids';
import type { ListenerDeps } from '../deps';
import { impedimentButton } from './impedimentButtons';

export function registerActions(app: App, deps: ListenerDeps): void {
  const handler = impedimentButton(deps);
  for (const id of [ACTION.impAcknowledge, ACTION.impTakeOwnership, ACTION.impEscalate, ACTION.impResolve, ACTION.impEdit]) {
    app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: id }, handler);
  }
}
