import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from '../deps';
import { openRaiseModal } from '../impedimentShared';

type Args = SlackShortcutMiddlewareArgs<MessageShortcut> & AllMiddlewareArgs;

/** Message shortcut "Raise as impediment": the modal with the message's text and permalink. */
export function raiseShortcut(deps: ListenerDeps) {
  return async ({ ack, shortcut, client }: Args): Promise<void> => {
    await ack();
    const channelId = shortcut.channel?.id;
    let permalink: string | undefined;
    try {
      const res = await client.chat.getPermalink({ channel: channelId, message_ts: shortcut.message_ts ?? shortcut.message.ts });
      permalink = typeof res.permalink === 'string' && res.permalink.startsWith('https://') ? res.permalink : undefined;
    } catch (error) {
      deps.logger.log('warn', 'no permalink for a shortcut message', { error });
    }
    const text = typeof shortcut.message?.text === 'string' ? shortcut.message.text.slice(0, 3000) : '';
    await openRaiseModal(client, deps, {
      teamId: shortcut.team?.id ?? '',
      triggerId: shortcut.trigger_id,
      meta: { source: 'shortcut', channelId, permalink },
      description: text,
    });
  };
}
