import type { WebClient } from '@slack/web-api';
import type { Delivery } from '../../domain/deliveries';
import type { Engagement } from '../../domain/types';
import type { EngagementStore } from '../../store/engagements';
import type { ImpedimentStore } from '../../store/impediments';
import type { OutboxStore } from '../../store/outbox';
import { impedimentHandlers } from './impedimentHandlers';
import { pulseHandlers } from './pulseHandlers';
import { requestHandlers } from './requestHandlers';
import type { CoachingRequestStore } from '../../store/coachingRequests';
import type { ProfileStore } from '../../store/profiles';
import type { PulseService } from '../../domain/pulseService';
import { announcementMessage, deliveryProblemDm, sponsorConfirmation } from '../views/announcement';
import { explainFailure, slackErrorCode } from './errors';
import { shareFailedDm } from '../views/statusViews';
import { joiningIfNeeded, postOnce, updateMessage } from './post';
import type { DeliveryHandler, Handled, HandlerContext } from './sender';

type Of<K extends Delivery['kind']> = Extract<Delivery, { kind: K }>;
const skipped = (why: string): Handled => ({ result: { skipped: why } });

/**
 * Creates the channel; when an earlier attempt may already have created it (its answer was
 * lost), `name_taken` means "ours": find it among the channels the bot is in.
 */
async function createOrFindOwn(ctx: HandlerContext, name: string): Promise<string> {
  try {
    const res = await ctx.client.conversations.create({ name, is_private: false });
    return (res.channel as { id: string }).id;
  } catch (err) {
    if (!ctx.row.inDoubt || slackErrorCode(err) !== 'name_taken') throw err;
    let cursor: string | undefined;
    do {
      const page = await ctx.client.conversations.list({ types: 'public_channel', exclude_archived: true, limit: 1000, cursor });
      const own = ((page.channels ?? []) as { id?: string; name?: string; is_member?: boolean }[]).find((c) => c.name === name && c.is_member);
      if (own?.id) return own.id;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    throw err;
  }
}

/** Never lets a failure after a successful post cause a second post. */
async function permalinkOf(client: WebClient, channel: string, ts: string): Promise<string | null> {
  try {
    const res = await client.chat.getPermalink({ channel, message_ts: ts });
    return (res.permalink as string | undefined) ?? null;
  } catch {
    return null;
  }
}

export function deliveryHandlers(deps: {
  engagements: EngagementStore;
  outbox: OutboxStore;
  impediments: ImpedimentStore;
  timeZone: string;
  /** The person's App Home dashboard as it is now. */
  renderHome: (teamId: string, userId: string) => Promise<unknown>;
  pulses: Pick<PulseService, 'asked' | 'teamOf'>;
  coachingRequests: CoachingRequestStore;
  profiles: ProfileStore;
}): Record<Delivery['kind'], DeliveryHandler> {
  const { engagements, outbox } = deps;
  const load = async (id: number) => await engagements.get(id);
  const announcementIn = (e: Engagement, channelId: string) => e.announcements.find((a) => a.channelId === channelId);

  const announce: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'announce'>;
      const e = await load(item.engagementId);
      const a = e && announcementIn(e, item.channelId);
      if (!e || !a || !a.active) return skipped('no longer announced there');
      if (a.status === 'posted' && a.ts) return skipped('already posted');
      const message = announcementMessage(e, { channelIsEngagementChannel: a.inEngagementChannel, coachProfiles: await deps.profiles.forUsers(e.teamId, e.coachIds) });
      const posted = await joiningIfNeeded(ctx.client, item.channelId, () => postOnce(ctx, item.channelId, message));
      const permalink = await permalinkOf(ctx.client, posted.channel, posted.ts);
      return {
        result: { channel: posted.channel, ts: posted.ts, permalink },
        commit: async (enqueue) => {
          await engagements.announcementPosted(e.id, item.channelId, { channel: posted.channel, ts: posted.ts, permalink });
          if (a.inEngagementChannel) await enqueue({ kind: 'pin', engagementId: e.id, channelId: item.channelId });
          await enqueue({ kind: 'confirmation', engagementId: e.id });
          // Started from a coaching request: the requester hears now, with this announcement's link.
          const request = await deps.coachingRequests.forEngagement(e.id);
          if (request && !request.requesterTold) await enqueue({ kind: 'request_started', requestId: request.id });
        },
      };
    },
    async onPermanentFailure(d, code, enqueue) {
      const item = d as Of<'announce'>;
      const e = await load(item.engagementId);
      if (!e) return;
      await engagements.announcementFailed(e.id, item.channelId, explainFailure(code).replace('KEY', e.key));
      await enqueue({ kind: 'confirmation', engagementId: e.id });
    },
  };

  const announceUpdate: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'announce_update'>;
      const e = await load(item.engagementId);
      const a = e && announcementIn(e, item.channelId);
      if (!e || !a || a.status !== 'posted' || !a.ts || !a.messageChannel) return skipped('announcement was never posted there');
      await updateMessage(ctx.client, a.messageChannel, a.ts, announcementMessage(e, { channelIsEngagementChannel: a.inEngagementChannel, coachProfiles: await deps.profiles.forUsers(e.teamId, e.coachIds) }));
      return { result: { channel: a.messageChannel, ts: a.ts } };
    },
  };

  const announceReply: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'announce_reply'>;
      const e = await load(item.engagementId);
      const a = e && announcementIn(e, item.channelId);
      if (!e || !a || a.status !== 'posted' || !a.ts || !a.messageChannel) return skipped('announcement was never posted there');
      const posted = await postOnce(ctx, a.messageChannel, item.message, { threadTs: a.ts });
      return { result: { channel: posted.channel, ts: posted.ts, threadTs: a.ts } };
    },
  };

  const channelMessage: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'channel_message'>;
      const posted = await joiningIfNeeded(ctx.client, item.channelId, () => postOnce(ctx, item.channelId, item.message));
      return { result: { channel: posted.channel, ts: posted.ts } };
    },
    async onPermanentFailure(d, code, enqueue) {
      const item = d as Of<'channel_message'>;
      if (item.sharedBy) await enqueue({ kind: 'dm', userId: item.sharedBy, message: shareFailedDm(item.channelId, code), notice: true });
    },
  };

  const createChannel: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'create_channel'>;
      const e = await load(item.engagementId);
      if (!e) return skipped('engagement gone');
      if (e.engagementChannelId) return skipped('channel already created');
      const channelId = await createOrFindOwn(ctx, item.name);
      return {
        result: { channel: channelId },
        commit: async (enqueue) => {
          await engagements.setEngagementChannel(e.id, e.teamId, channelId);
          if (item.inviteIds.length > 0) await enqueue({ kind: 'invite', engagementId: e.id, channelId, userIds: item.inviteIds });
          await enqueue({ kind: 'announce', engagementId: e.id, channelId });
        },
      };
    },
  };

  const invite: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'invite'>;
      try {
        await ctx.client.conversations.invite({ channel: item.channelId, users: item.userIds.join(',') });
      } catch (err) {
        const code = slackErrorCode(err);
        if (code !== 'already_in_channel' && code !== 'cant_invite_self') throw err;
      }
      return { result: { invited: item.userIds.length } };
    },
  };

  const pin: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'pin'>;
      const e = await load(item.engagementId);
      const a = e && announcementIn(e, item.channelId);
      if (!a || !a.ts || !a.messageChannel) return skipped('nothing to pin');
      try {
        await ctx.client.pins.add({ channel: a.messageChannel, timestamp: a.ts });
      } catch (err) {
        if (slackErrorCode(err) !== 'already_pinned') throw err;
      }
      return { result: { pinned: a.ts } };
    },
  };

  const dm: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'dm'>;
      const posted = await postOnce(ctx, item.userId, item.message);
      return { result: { channel: posted.channel, ts: posted.ts } };
    },
  };

  const confirmation: DeliveryHandler = {
    async send(d, ctx: HandlerContext) {
      const item = d as Of<'confirmation'>;
      // A later refresh renders the same state; but an attempt in doubt may have posted the DM, so it must settle first.
      if (!ctx.row.inDoubt && await outbox.hasLaterPending(ctx.row.id, 'confirmation', item.engagementId)) return skipped('superseded by a later refresh');
      const e = await load(item.engagementId);
      if (!e) return skipped('engagement gone');
      const message = sponsorConfirmation(e);
      if (e.confirmation) {
        await updateMessage(ctx.client, e.confirmation.channel, e.confirmation.ts, message);
        return { result: e.confirmation };
      }
      const posted = await postOnce(ctx, e.sponsorId, message);
      return {
        result: { channel: posted.channel, ts: posted.ts },
        commit: async () => await engagements.setConfirmation(e.id, { channel: posted.channel, ts: posted.ts }),
      };
    },
  };

  const home: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'home'>;
      // views.publish replaces the whole tab, so only the newest refresh matters.
      if (await outbox.hasLaterPendingKey(ctx.row.id, ctx.row.orderKey)) return skipped('superseded by a later refresh');
      await ctx.client.views.publish({ user_id: item.userId, view: await deps.renderHome(ctx.row.teamId, item.userId) as never });
      return { result: { published: item.userId } };
    },
  };

  return {
    announce,
    home,
    announce_update: announceUpdate,
    announce_reply: announceReply,
    channel_message: channelMessage,
    create_channel: createChannel,
    invite,
    pin,
    dm,
    confirmation,
    ...impedimentHandlers(deps),
    ...pulseHandlers(deps),
    ...requestHandlers(deps),
  };
}

/** The note a sponsor gets about something that could not be delivered (announcements show in the confirmation instead). */
export function problemNoticeFor(engagements: EngagementStore) {
  return async (item: Delivery, code: string): Promise<Delivery | null> => {
    if (item.kind === 'announce' || item.kind === 'confirmation' || item.kind === 'home') return null;
    const engagementId = 'engagementId' in item ? item.engagementId : undefined;
    const e = engagementId !== undefined ? await engagements.get(engagementId) : null;
    if (!e) return null;
    const what: Record<Delivery['kind'], string> = {
      announce: 'the announcement',
      announce_update: `the update of the announcement in <#${'channelId' in item ? item.channelId : ''}>`,
      announce_reply: `a reply under the announcement in <#${'channelId' in item ? item.channelId : ''}>`,
      channel_message: `a message to <#${'channelId' in item ? item.channelId : ''}>`,
      create_channel: `the engagement channel for \`${e.key}\``,
      invite: 'the invitations to the engagement channel',
      pin: 'pinning the announcement in the engagement channel',
      dm: `a direct message to <@${'userId' in item ? item.userId : ''}>`,
      confirmation: 'your confirmation',
      impediment_card: 'an impediment card',
      impediment_card_update: 'the update of an impediment card',
      impediment_thread: 'a reply under an impediment card',
      home: 'an App Home refresh',
      pulse_invite: `the team pulse for \`${e.key}\``,
      request_post: 'a coaching request',
      request_update: 'the update of a coaching request',
      request_started: 'the note to the team that asked for this engagement',
    };
    const message = deliveryProblemDm(what[item.kind], explainFailure(code).replace('KEY', e.key));
    return { kind: 'dm', userId: e.sponsorId, engagementId: e.id, message, notice: true };
  };
}
