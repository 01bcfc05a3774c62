import type { App, MessageShortcut } from '@slack/bolt';
import { CALLBACK } from '../../ids';
import type { ListenerDeps } from '../deps';
import { raiseShortcut } from './raiseShortcut';

export function registerShortcuts(app: App, deps: ListenerDeps): void {
  app.shortcut<MessageShortcut>({ type: 'message_action', callback_id: CALLBACK.raiseShortcut }, raiseShortcut(deps));
}
