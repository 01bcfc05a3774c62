import type { Delivery } from '../../domain/deliveries';
import type { EngagementStore } from '../../store/engagements';
import type { ImpedimentStore } from '../../store/impediments';
import { impedimentCard } from '../views/impedimentCard';
import { joiningIfNeeded, postOnce, updateMessage } from './post';
import type { DeliveryHandler, Handled } from './sender';

type Of<K extends Delivery['kind']> = Extract<Delivery, { kind: K }>;
const skipped = (why: string): Handled => ({ result: { skipped: why } });

/** Cards and their threads: rendered from the stored impediment when sent. */
export function impedimentHandlers(deps: { engagements: EngagementStore; impediments: ImpedimentStore; timeZone: string }) {
  const { engagements, impediments, timeZone } = deps;

  const render = async (impedimentId: number) => {
    const imp = await impediments.get(impedimentId);
    const e = imp && await engagements.get(imp.engagementId);
    if (!imp || !e) return null;
    const levelName = e.escalation.find((l) => l.level === imp.level)?.name ?? `Level ${imp.level}`;
    return { imp, message: impedimentCard(imp, { engagement: e, levelName, timeZone }) };
  };

  const card: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'impediment_card'>;
      const r = await render(item.impedimentId);
      const existing = r?.imp.cards.find((c) => c.target === item.target);
      if (!r || !existing) return skipped('impediment gone');
      if (existing.ts) return skipped('card already posted');
      const posted = await joiningIfNeeded(ctx.client, item.target, () => postOnce(ctx, item.target, r.message));
      return {
        result: { channel: posted.channel, ts: posted.ts },
        commit: async () => await impediments.setCard(item.impedimentId, item.target, posted.channel, posted.ts),
      };
    },
  };

  const cardUpdate: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'impediment_card_update'>;
      const r = await render(item.impedimentId);
      const c = r?.imp.cards.find((x) => x.target === item.target);
      if (!r || !c?.channel || !c.ts) return skipped('card was never posted');
      await updateMessage(ctx.client, c.channel, c.ts, r.message);
      return { result: { channel: c.channel, ts: c.ts } };
    },
  };

  const thread: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'impediment_thread'>;
      const c = (await impediments.get(item.impedimentId))?.cards.find((x) => x.target === item.target);
      if (!c?.channel || !c.ts) return skipped('card was never posted');
      const posted = await postOnce(ctx, c.channel, item.message, { threadTs: c.ts });
      return { result: { channel: posted.channel, ts: posted.ts, threadTs: c.ts } };
    },
  };

  return { impediment_card: card, impediment_card_update: cardUpdate, impediment_thread: thread };
}
