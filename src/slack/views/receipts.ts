import type { RenderedMessage } from '../../domain/deliveries';
import type { Engagement } from '../../domain/types';

/** Ephemeral answer to `/kickoff close KEY`. */
export function closedReceipt(e: Engagement): RenderedMessage {
  const channels = e.announcements.filter((a) => a.active).map((a) => `<#${a.channelId}>`);
  const where = channels.length > 0 ? ` The closing note is on its way to ${channels.join(', ')}.` : '';
  const text = `:checkered_flag: \`${e.key}\` is now completed.${where}`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
