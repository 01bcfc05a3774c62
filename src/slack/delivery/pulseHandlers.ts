import type { WebClient } from '@slack/web-api';
import type { Delivery } from '../../domain/deliveries';
import type { PulseService } from '../../domain/pulseService';
import type { EngagementStore } from '../../store/engagements';
import { slackErrorCode } from './errors';
import type { DeliveryHandler, Handled } from './sender';

type Of<K extends Delivery['kind']> = Extract<Delivery, { kind: K }>;
const skipped = (why: string): Handled => ({ result: { skipped: why } });

/** Members of a channel, every page (Slack answers at most `limit` per call). */
async function channelMembers(client: WebClient, channel: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const res = await client.conversations.members({ channel, limit: 500, cursor });
    out.push(...((res.members ?? []) as string[]));
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  return out;
}

/** People only: bots (the app itself included), deactivated accounts and Slackbot are never asked. */
async function peopleAmong(client: WebClient, userIds: string[]): Promise<string[]> {
  const people: string[] = [];
  for (const user of new Set(userIds)) {
    if (user === 'USLACKBOT') continue;
    try {
      const res = await client.users.info({ user });
      const u = res.user as { is_bot?: boolean; deleted?: boolean; is_app_user?: boolean } | undefined;
      if (u && !u.is_bot && !u.deleted && !u.is_app_user) people.push(user);
    } catch (err) {
      if (slackErrorCode(err) !== 'user_not_found') throw err;
    }
  }
  return people;
}

/**
 * `pulse_invite`: find who the pulse asks (the kickoff's Team field, or the engagement channel's
 * members), then record them and queue one DM each in the same transaction that marks this done.
 * Only the count goes into the outbox row's result.
 */
export function pulseHandlers(deps: { engagements: EngagementStore; pulses: Pick<PulseService, 'asked' | 'teamOf'> }): Pick<Record<Delivery['kind'], DeliveryHandler>, 'pulse_invite'> {
  const invite: DeliveryHandler = {
    async send(d, ctx) {
      const item = d as Of<'pulse_invite'>;
      const e = await deps.engagements.get(item.engagementId);
      if (!e) return skipped('engagement gone');
      const team = await deps.pulses.teamOf(e.id);
      const candidates = team.length > 0 ? team : e.engagementChannelId ? await channelMembers(ctx.client, e.engagementChannelId) : [];
      const people = await peopleAmong(ctx.client, candidates);
      return {
        result: { asked: people.length },
        commit: async (enqueue) => {
          await deps.pulses.asked(item.pulseId, people, enqueue);
        },
      };
    },
  };
  return { pulse_invite: invite };
}
