import type { Delivery } from '../../domain/deliveries';
import type { EngagementStore } from '../../store/engagements';
import type { CoachingRequestStore } from '../../store/coachingRequests';
import type { ProfileStore } from '../../store/profiles';
import { requestPost, requestStartedDm } from '../views/requestViews';
import { joiningIfNeeded, postOnce, updateMessage } from './post';
import type { DeliveryHandler, Handled } from './sender';

type Of<K extends Delivery['kind']> = Extract<Delivery, { kind: K }>;
const skipped = (why: string): Handled => ({ result: { skipped: why } });

/** Coaching requests: the post (rendered from the stored request), its updates, and the requester's note. */
export function requestHandlers(deps: { engagements: EngagementStore; coachingRequests: CoachingRequestStore; profiles: ProfileStore }): Pick<Record<Delivery['kind'], DeliveryHandler>, 'request_post' | 'request_update' | 'request_started'> {
  const { engagements, coachingRequests } = deps;
  const render = async (id: number) => {
    const r = await coachingRequests.get(id);
    if (!r) return null;
    const e = r.engagementId !== null ? await engagements.get(r.engagementId) : null;
    return { r, message: requestPost(r, { engagementKey: e?.key ?? null, coaches: r.status === 'open' ? await deps.profiles.all(r.teamId, 10) : [] }) };
  };

  const post: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'request_post'>;
      const x = await render(item.requestId);
      const at = x && (await coachingRequests.post(item.requestId, item.target));
      if (!x || !at) return skipped('request gone');
      if (at.ts) return skipped('already posted');
      const posted = await joiningIfNeeded(ctx.client, item.target, () => postOnce(ctx, item.target, x.message));
      return { result: { channel: posted.channel, ts: posted.ts }, commit: async () => await coachingRequests.setPosted(item.requestId, item.target, posted.channel, posted.ts) };
    },
  };

  const update: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'request_update'>;
      const x = await render(item.requestId);
      const at = x && (await coachingRequests.post(item.requestId, item.target));
      if (!x || !at?.channel || !at.ts) return skipped('not posted');
      await updateMessage(ctx.client, at.channel, at.ts, x.message);
      return { result: { updated: at.ts } };
    },
  };

  const started: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'request_started'>;
      const r = await coachingRequests.get(item.requestId);
      const e = r?.engagementId != null ? await engagements.get(r.engagementId) : null;
      if (!r || !e) return skipped('request or engagement gone');
      if (r.requesterTold) return skipped('already told');
      const posted = e.announcements.find((a) => a.active && a.status === 'posted' && a.permalink);
      // An announcement still on its way queues this note again once it is posted (with its link).
      if (!posted && e.announcements.some((a) => a.active && a.status === 'pending')) return skipped('the first posted announcement tells the requester');
      const sent = await postOnce(ctx, r.requesterId, requestStartedDm(r, e, posted?.permalink ?? null));
      return { result: { channel: sent.channel, ts: sent.ts }, commit: async () => void (await coachingRequests.markRequesterTold(r.id)) };
    },
  };

  return { request_post: post, request_update: update, request_started: started };
}
