import type { Clock } from '../lib/clock';
import { needsAssociateConfirmation, type CoachProfile } from './profiles';
import type { Delivery, RenderedMessage } from './deliveries';
import { AppError, ValidationError } from './errors';
import { assertCanManage } from './permissions';
import { claimRequest } from './requestClaim';
import type { Engagement, EngagementDraft } from './types';
import { diffEngagement, nextFreeKey } from './kickoffRules';
import type { Deliver, EngagementRepository, EventLog, RequestLedger, Transaction } from './ports';

/** What the kickoff service needs from the store (SQL lives behind these). */
export interface KickoffPorts {
  transaction: Transaction;
  engagements: EngagementRepository;
  events: Pick<EventLog, 'append'>;
  requests: RequestLedger;
  deliver: Deliver;
  /** Messages that depend on views (rendered when the change is committed). */
  render: {
    namedDm(e: Engagement, userId: string): RenderedMessage;
    whatChanged(lines: string[], editorId: string): RenderedMessage;
    closingNote(e: Engagement, closedBy: string, note: string | null): RenderedMessage;
  };
  adminIds: readonly string[];
  clock: Clock;
  /** Called after a commit that enqueued deliveries. */
  afterCommit(): void;
  /** People whose App Home lists this engagement (called inside the transaction). */
  refreshHomes?(teamId: string, e: Engagement, userIds: string[]): Promise<void>;
  /** A kickoff from a coaching request decides it (inside the kickoff's transaction; throws when it may not). */
  requestStarted(teamId: string, requestId: number, userId: string, engagementId: number): Promise<void>;
  /** Coaches' profiles (level), for the associate-only check. */
  coachProfiles(teamId: string, userIds: readonly string[]): Promise<CoachProfile[]>;
}

/** Everyone named in an engagement who should hear about it by DM (not the sponsor: they get the confirmation). */
function namedPeople(e: Pick<EngagementDraft, 'coachIds' | 'escalation' | 'sponsorId'>): string[] {
  const ids = [...e.coachIds, ...e.escalation.flatMap((l) => l.contactIds)];
  return [...new Set(ids)].filter((id) => id !== e.sponsorId);
}

export class KickoffService {
  constructor(private readonly p: KickoffPorts) {}

  /** Stores a new engagement with everything it announces, in one transaction. */
  async kickoff(teamId: string, draft: EngagementDraft, opts: { actorId: string; keyWasDerived: boolean; keyField: string; confirmField?: string; requestKey?: string; fromRequestId?: number }): Promise<Engagement> {
    const { engagements, events, clock } = this.p;
    const now = clock.now();
    if (!draft.associatesConfirmed && needsAssociateConfirmation(draft.level, draft.coachIds, await this.p.coachProfiles(teamId, draft.coachIds))) {
      throw new ValidationError({
        [opts.confirmField ?? opts.keyField]:
          'Every coach here is an Associate Agile Coach, and this is an organisation-level engagement. Check with the sponsor, then tick “The sponsor agrees” to go ahead — or add a more senior coach.',
      });
    }
    const e = await this.p.transaction(async () => {
      await claimRequest(this.p.requests, teamId, opts.requestKey, now);
      let key = draft.key;
      if (opts.keyWasDerived) key = await nextFreeKey(draft.key, (k) => engagements.keyTaken(teamId, k));
      else if (await engagements.keyTaken(teamId, key)) {
        throw new ValidationError({ [opts.keyField]: `\`${key}\` is already used by another engagement. Choose another key.` });
      }
      const stored = { ...draft, key };
      const id = await engagements.insert(teamId, stored, opts.actorId, now);
      const e = await engagements.get(id) as Engagement;
      await events.append({ teamId, engagementId: id, actorId: opts.actorId, type: 'kicked_off', data: { key, name: e.name }, at: now });
      // Started from a coaching request: the request is decided in this same transaction (or the kickoff is refused).
      if (opts.fromRequestId !== undefined) await this.p.requestStarted(teamId, opts.fromRequestId, opts.actorId, id);
      for (const channelId of e.announcementChannelIds) await this.deliver(e, { kind: 'announce', engagementId: id, channelId });
      if (e.engagementChannelName) {
        await this.deliver(e, { kind: 'create_channel', engagementId: id, name: e.engagementChannelName, inviteIds: [...new Set([e.sponsorId, ...e.coachIds])] });
      }
      for (const userId of namedPeople(e)) await this.deliver(e, { kind: 'dm', userId, engagementId: id, message: this.p.render.namedDm(e, userId) });
      await this.deliver(e, { kind: 'confirmation', engagementId: id });
      await this.p.refreshHomes?.(teamId, e, [e.sponsorId, ...namedPeople(e)]);
      return e;
    });
    this.p.afterCommit();
    return e;
  }

  /** Loads an engagement the user may manage, or explains why not. */
  async forManagement(teamId: string, key: string, userId: string, action: string): Promise<Engagement> {
    const e = await this.p.engagements.getByKey(teamId, key);
    if (!e) throw new AppError('not_found', `There is no engagement with the key \`${key}\`. Check the key in its announcement.`);
    assertCanManage(e, userId, this.p.adminIds, `${action} \`${e.key}\``);
    return e;
  }

  /** Saves an edit: every posted announcement is updated in place with a "what changed" reply. */
  async edit(teamId: string, engagementId: number, draft: EngagementDraft, opts: { actorId: string; keyField: string; requestKey?: string }): Promise<{ engagement: Engagement; changes: string[] }> {
    const { engagements, events, clock } = this.p;
    const now = clock.now();
    const result = await this.p.transaction(async () => {
      await claimRequest(this.p.requests, teamId, opts.requestKey, now);
      const before = await engagements.get(engagementId);
      if (!before || before.teamId !== teamId) throw new AppError('not_found', 'That engagement no longer exists.');
      assertCanManage(before, opts.actorId, this.p.adminIds, `edit \`${before.key}\``);
      if (before.lifecycle === 'completed' || before.lifecycle === 'cancelled') {
        throw new AppError('closed', `\`${before.key}\` is ${before.lifecycle}; it can no longer be edited.`);
      }
      if (draft.key !== before.key && await engagements.keyTaken(teamId, draft.key, engagementId)) {
        throw new ValidationError({ [opts.keyField]: `\`${draft.key}\` is already used by another engagement. Choose another key.` });
      }
      const changes = diffEngagement(before, draft);
      await engagements.update(engagementId, teamId, draft, now);
      const retried = new Set(await engagements.retryFailedAnnouncements(engagementId));
      const after = await engagements.get(engagementId) as Engagement;
      await events.append({ teamId, engagementId, actorId: opts.actorId, type: 'edited', data: { changes }, at: now });
      const known = new Set(before.announcements.map((a) => a.channelId));
      for (const a of after.announcements.filter((x) => x.active)) {
        if (!known.has(a.channelId) || retried.has(a.channelId)) {
          await this.deliver(after, { kind: 'announce', engagementId, channelId: a.channelId });
        } else if (changes.length > 0) {
          await this.deliver(after, { kind: 'announce_update', engagementId, channelId: a.channelId });
          await this.deliver(after, { kind: 'announce_reply', engagementId, channelId: a.channelId, message: this.p.render.whatChanged(changes, opts.actorId) });
        }
      }
      if (!after.engagementChannelId && after.engagementChannelName && !before.engagementChannelName) {
        await this.deliver(after, { kind: 'create_channel', engagementId, name: after.engagementChannelName, inviteIds: [...new Set([after.sponsorId, ...after.coachIds])] });
      }
      const alreadyNamed = new Set(namedPeople(before));
      for (const userId of namedPeople(after).filter((u) => !alreadyNamed.has(u))) {
        await this.deliver(after, { kind: 'dm', userId, engagementId, message: this.p.render.namedDm(after, userId) });
      }
      await this.deliver(after, { kind: 'confirmation', engagementId });
      await this.p.refreshHomes?.(teamId, after, [before.sponsorId, after.sponsorId, ...namedPeople(before), ...namedPeople(after)]);
      return { engagement: after, changes };
    });
    this.p.afterCommit();
    return result;
  }

  /** Marks the engagement completed and posts the closing note where it was announced. */
  async close(teamId: string, key: string, note: string | null, actorId: string, opts: { requestKey?: string } = {}): Promise<Engagement> {
    const { engagements, events, clock } = this.p;
    const now = clock.now();
    const e = await this.p.transaction(async () => {
      await claimRequest(this.p.requests, teamId, opts.requestKey, now);
      const before = await this.forManagement(teamId, key, actorId, 'close');
      if (before.lifecycle === 'completed' || before.lifecycle === 'cancelled') {
        throw new AppError('closed', `\`${before.key}\` is already ${before.lifecycle}.`);
      }
      await engagements.close(before.id, note, now);
      const after = await engagements.get(before.id) as Engagement;
      await events.append({ teamId, engagementId: before.id, actorId, type: 'closed', data: { note }, at: now });
      const message = this.p.render.closingNote(after, actorId, note);
      for (const a of after.announcements.filter((x) => x.active)) {
        if (a.status === 'posted') await this.deliver(after, { kind: 'announce_update', engagementId: after.id, channelId: a.channelId });
        await this.deliver(after, { kind: 'channel_message', engagementId: after.id, channelId: a.channelId, message });
      }
      await this.p.refreshHomes?.(teamId, after, [after.sponsorId, ...namedPeople(after)]);
      return after;
    });
    this.p.afterCommit();
    return e;
  }

  private async deliver(e: Engagement, d: Delivery): Promise<void> {
    await this.p.deliver(e.teamId, d, e.sponsorId);
  }
}
