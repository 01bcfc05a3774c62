import type { WebClient } from '@slack/web-api';
import type { RenderedMessage } from '../../../domain/deliveries';
import { followView } from '../../views/impedimentMessages';
import type { ListenerDeps } from '../deps';

/** How long a follow-up may wait for Slack to return the card's thread. */
const THREAD_READ_MS = 1500;

interface ThreadMessage {
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
}

/**
 * `/impediment follow CODE [reply]`: with a reply, posts it anonymously in the card's thread;
 * then shows the thread's answers. Who asked is never recorded.
 */
export async function followAnswer(deps: ListenerDeps, client: WebClient, teamId: string, code: string, reply: string | null, requestKey?: string): Promise<RenderedMessage> {
  const { imp } = reply ? { imp: await deps.impediments.replyAnonymously(teamId, code, reply, { requestKey }) } : await deps.impediments.follow(teamId, code);
  const card = imp.cards.find((c) => c.channel && c.ts);
  const replies: { author: string; text: string; at: Date }[] = [];
  if (card?.channel && card.ts) {
    try {
      // The answer goes back in the command's own response, so Slack's 3 seconds bound this read.
      const res = await Promise.race([
        client.conversations.replies({ channel: card.channel, ts: card.ts, limit: 100 }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('reading the thread took too long')), THREAD_READ_MS).unref()),
      ]);
      for (const m of ((res.messages ?? []) as ThreadMessage[]).slice(1)) {
        replies.push({ author: m.user && !m.bot_id ? `<@${m.user}>` : 'coachline', text: m.text ?? '', at: new Date(Number(m.ts ?? 0) * 1000) });
      }
    } catch (error) {
      deps.logger.log('warn', 'could not read an impediment thread for a follow-up', { impedimentId: imp.id, error });
    }
  }
  return followView(imp, replies);
}
