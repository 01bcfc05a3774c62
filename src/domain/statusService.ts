import type { Clock } from '../lib/clock';
import { businessDaysBetween, isWorkingHours, localDate } from './businessTime';
import type { Delivery, RenderedMessage } from './deliveries';
import { AppError, PermissionError } from './errors';
import type { Impediment } from './impedimentTypes';
import { whoManagesEngagement } from './permissions';
import { claimRequest } from './requestClaim';
import { CHECKIN_REMINDER, DEFAULT_DIGEST, digestWindow, formatDigestSchedule, IMPEDIMENT_REMINDER, nextDigestAt, parseDigestSchedule, reminderDue, reminderZone, snoozeUntil } from './schedules';
import { computeScorecard } from './scorecard';
import type { Checkin, DigestContent, EngagementStatusData, PortfolioFilter } from './statusTypes';
import type { CheckinRepository, Deliver, DigestSchedules, EngagementRepository, EventLog, ImpedimentRepository, People, PulseSummary, ReminderLedger, RequestLedger, StatusReads, Transaction } from './ports';
import type { Engagement, Health } from './types';

export interface CheckinInput {
  health: Health;
  summary: string;
  nextSteps: string;
  outcomeValues: { position: number; value: number }[];
}

export interface StatusRender {
  checkinPost(e: Engagement, c: Checkin, authorId: string): RenderedMessage;
  digest(input: DigestContent): RenderedMessage;
  checkinReminder(e: Engagement, daysSince: number): RenderedMessage;
  impedimentReminder(imp: Impediment, engagementKey: string, businessDaysIdle: number): RenderedMessage;
}

export interface StatusPorts {
  transaction: Transaction;
  engagements: Pick<EngagementRepository, 'get' | 'getByKey'>;
  impediments: Pick<ImpedimentRepository, 'get' | 'clocksForEngagement'>;
  checkins: CheckinRepository;
  reads: StatusReads;
  digests: DigestSchedules;
  reminders: ReminderLedger;
  people: Pick<People, 'homeOpened' | 'withHome'>;
  requests: RequestLedger;
  events: Pick<EventLog, 'forEngagement' | 'append'>;
  deliver: Deliver;
  render: StatusRender;
  adminIds: readonly string[];
  timeZone: string;
  clock: Clock;
  afterCommit(): void;
  /** The team pulse of an engagement (results only from the threshold). */
  pulseSummary(engagementId: number): Promise<PulseSummary>;
}

const DAY = 24 * 3600 * 1000;

/** /status read models, check-ins, digests, reminders. */
export class StatusService {
  constructor(private readonly p: StatusPorts) {}

  async engagementData(e: Engagement): Promise<EngagementStatusData> {
    const now = this.p.clock.now();
    const [latest, previous] = await this.p.checkins.latest(e.id, 2);
    return {
      engagement: e,
      latestCheckin: latest ?? null,
      previousCheckin: previous ?? null,
      openBySeverity: await this.p.reads.openBySeverity(e.id),
      openImpediments: await this.p.reads.openImpediments(e.id, 30),
      escalated: await this.p.reads.escalated(e.id, 20),
      escalatedTotal: await this.p.reads.countEscalated(e.id),
      unansweredEscalations: await this.p.reads.unanswered(e.id, now, 20),
      unansweredTotal: await this.p.reads.countUnanswered(e.id, now),
      scorecard: computeScorecard(e.escalation, await this.p.impediments.clocksForEngagement(e.id), now),
      recentEvents: await this.p.events.forEngagement(e.id, 5),
      pulse: await this.p.pulseSummary(e.id),
    };
  }

  async portfolio(teamId: string, filter: PortfolioFilter) {
    const now = this.p.clock.now();
    return {
      rows: await this.p.reads.portfolio(teamId, filter, now),
      executiveWaits: await this.p.reads.executiveWaits(teamId, 10),
      kickoffs: await this.p.reads.kickoffsSince(teamId, new Date(now.getTime() - 200 * DAY)),
    };
  }

  async eventsForExport(engagementId: number) {
    return (await this.p.events.forEngagement(engagementId, 100_000)).reverse();
  }

  async checkinsForExport(engagementId: number): Promise<Checkin[]> {
    return await this.p.checkins.all(engagementId);
  }

  /** Sponsor, coach or admin may post a check-in. */
  assertCanCheckin(e: Engagement, userId: string): void {
    if (e.sponsorId === userId || e.coachIds.includes(userId) || this.p.adminIds.includes(userId)) return;
    throw new PermissionError(`post a check-in for \`${e.key}\``, whoManagesEngagement(e));
  }

  /** Stores a check-in (health, outcome values) and posts it under the announcement in the engagement channel. */
  async checkin(teamId: string, engagementId: number, userId: string, input: CheckinInput, opts: { requestKey?: string } = {}): Promise<Checkin> {
    const now = this.p.clock.now();
    const result = await this.p.transaction(async () => {
      await claimRequest(this.p.requests, teamId, opts.requestKey, now);
      const e = await this.p.engagements.get(engagementId);
      if (!e || e.teamId !== teamId) throw new AppError('not_found', 'That engagement no longer exists.');
      this.assertCanCheckin(e, userId);
      if (e.lifecycle !== 'active') throw new AppError('inactive', `\`${e.key}\` is ${e.lifecycle}; check-ins are for active engagements.`);
      const id = await this.p.checkins.insert({ teamId, engagementId, authorId: userId, ...input, createdAt: now });
      await this.p.events.append({ teamId, engagementId, actorId: userId, type: 'checkin_posted', data: { health: input.health }, at: now });
      const c = (await this.p.checkins.latest(engagementId, 1))[0] as Checkin;
      const after = await this.p.engagements.get(engagementId) as Engagement;
      const where = after.announcements.find((a) => a.inEngagementChannel && a.active) ?? after.announcements.find((a) => a.active);
      if (where) await this.p.deliver(teamId, { kind: 'announce_reply', engagementId, channelId: where.channelId, message: this.p.render.checkinPost(after, c, userId) }, e.sponsorId);
      await this.refreshHomes(teamId, e, [e.sponsorId, ...e.coachIds]);
      return { ...c, id };
    });
    this.p.afterCommit();
    return result;
  }

  /** What a person's App Home shows: what waits on them and their engagements. */
  async homeData(teamId: string, userId: string) {
    const now = this.p.clock.now();
    const mine = (await this.p.reads.portfolio(teamId, { type: 'mine', userId }, now)).filter((r) => r.lifecycle === 'active');
    // Generous limits: the view shows the first few of each list and counts the rest.
    const engagements: Engagement[] = [];
    for (const r of mine.slice(0, 100)) engagements.push((await this.p.engagements.get(r.id)) as Engagement);
    const keyOf = new Map(engagements.map((e) => [e.id, e]));
    const label = async (imp: Impediment) => {
      const e = keyOf.get(imp.engagementId) ?? (await this.p.engagements.get(imp.engagementId));
      return { imp, engagementKey: e?.key ?? '?', levelName: e?.escalation.find((l) => l.level === imp.level)?.name ?? `Level ${imp.level}` };
    };
    const stale = now.getTime() - 7 * DAY;
    return {
      userId,
      waiting: {
        escalations: await Promise.all((await this.p.reads.waitingOn(teamId, userId, 200)).map(label)),
        owned: await Promise.all((await this.p.reads.ownedBy(teamId, userId, 200)).map(label)),
        checkinsOwed: engagements.filter(
          (e) => (e.coachIds.includes(userId) || e.sponsorId === userId) && (mine.find((r) => r.id === e.id)?.lastCheckinAt ?? e.createdAt).getTime() < stale,
        ),
      },
      engagements: await Promise.all(
        engagements.map(async (e) => ({
          e,
          role: e.sponsorId === userId ? 'sponsor' : e.coachIds.includes(userId) ? 'coach' : e.escalation.some((l) => l.contactIds.includes(userId)) ? 'escalation contact' : 'reporter',
          health: e.health,
          // The team pulse is for those who run the engagement.
          pulse: e.sponsorId === userId || e.coachIds.includes(userId) ? await this.p.pulseSummary(e.id) : null,
        })),
      ),
      isAdmin: this.p.adminIds.includes(userId),
    };
  }

  /** Remembers that the person opened the Home tab; a repeated event throws DuplicateRequest. */
  async homeOpened(teamId: string, userId: string, opts: { requestKey?: string } = {}): Promise<void> {
    const now = this.p.clock.now();
    await this.p.transaction(async () => {
      await claimRequest(this.p.requests, teamId, opts.requestKey, now);
      await this.p.people.homeOpened(teamId, userId, now);
      // Home is published by the outbox like every other Slack write (the order key is the person's Home).
      await this.p.deliver(teamId, { kind: 'home', userId }, userId);
    });
    this.p.afterCommit();
  }

  /** "Share in channel": the view as the sharer saw it, posted once in the conversation they were in. */
  async share(teamId: string, userId: string, channelId: string, message: RenderedMessage, opts: { requestKey?: string; engagementId?: number } = {}): Promise<void> {
    const now = this.p.clock.now();
    await this.p.transaction(async () => {
      await claimRequest(this.p.requests, teamId, opts.requestKey, now);
      await this.p.deliver(teamId, { kind: 'channel_message', channelId, message, sharedBy: userId, ...(opts.engagementId !== undefined ? { engagementId: opts.engagementId } : {}) }, userId);
    });
    this.p.afterCommit();
  }

  /** Queues a Home refresh for people who have opened it. */
  async refreshHomes(teamId: string, e: Engagement, userIds: string[]): Promise<void> {
    for (const userId of await this.p.people.withHome(teamId, [...new Set(userIds)])) {
      await this.p.deliver(teamId, { kind: 'home', userId }, e.sponsorId);
    }
  }

  /** Weekly digests whose time came: one per engagement per due time, even after downtime. */
  async runDigests(onError: (engagementId: number, err: unknown) => void, batch = 200): Promise<{ sent: number; looked: number }> {
    const now = this.p.clock.now();
    let sent = 0;
    const due_ = await this.p.digests.digestsDue(now, batch);
    for (const due of due_) {
      try {
        const e = await this.p.engagements.get(due.id);
        if (!e) continue;
        const s = await this.p.digests.digestSchedule(e.id);
        const schedule = { weekday: s.weekday, hour: s.hour, minute: s.minute } as typeof DEFAULT_DIGEST;
        const next = nextDigestAt(now, schedule, this.p.timeZone);
        if (due.nextAt === null) {
          // First sight of this engagement: schedule, send nothing yet.
          await this.p.digests.advanceDigest(e.id, null, null, next);
          continue;
        }
        const didSend = await this.p.transaction(async () => {
          if (!await this.p.digests.advanceDigest(e.id, due.nextAt, now, next)) return false;
          const { from, to } = digestWindow(s.lastAt, e.createdAt, now);
          const changed = await this.p.reads.changedBetween(e.id, from, to);
          const checkins = await this.p.checkins.between(e.id, from, to);
          const before = await this.p.checkins.before(e.id, from);
          const message = this.p.render.digest({
            engagement: e,
            from,
            to,
            healthBefore: before?.health ?? null,
            healthNow: e.health,
            checkins,
            ...changed,
            outcomeMoves: outcomeMoves(e, before, checkins),
            pulse: await this.p.pulseSummary(e.id),
          });
          const channel = e.engagementChannelId ?? e.announcements.find((a) => a.active && a.status === 'posted')?.channelId;
          if (channel) await this.p.deliver(e.teamId, { kind: 'channel_message', engagementId: e.id, channelId: channel, message }, e.sponsorId);
          await this.p.deliver(e.teamId, { kind: 'dm', userId: e.sponsorId, engagementId: e.id, message }, e.sponsorId);
          return true;
        });
        if (didSend) sent++;
      } catch (err) {
        onError(due.id, err);
        // Try this one again in an hour, so a broken engagement never holds up the others.
        try {
          await this.p.digests.advanceDigest(due.id, due.nextAt, null, new Date(now.getTime() + 3600_000));
        } catch (again) {
          onError(due.id, again);
        }
      }
    }
    if (sent > 0) this.p.afterCommit();
    return { sent, looked: due_.length };
  }

  /** `/status digest KEY monday 09:00`: sponsor, coach or admin; the next digest moves to the new time. */
  async setDigestSchedule(teamId: string, key: string, userId: string, text: string, opts: { requestKey?: string } = {}): Promise<{ engagement: Engagement; schedule: string; nextAt: Date }> {
    const e = await this.p.engagements.getByKey(teamId, key);
    if (!e) throw new AppError('not_found', `There is no engagement with the key \`${key}\`.`);
    this.assertCanCheckin(e, userId);
    const parsed = parseDigestSchedule(text);
    if (!parsed.ok) throw new AppError('bad_schedule', parsed.message);
    const nextAt = nextDigestAt(this.p.clock.now(), parsed.schedule, this.p.timeZone);
    await this.p.transaction(async () => {
      await claimRequest(this.p.requests, teamId, opts.requestKey, this.p.clock.now());
      await this.p.digests.setDigestSchedule(e.id, parsed.schedule, nextAt);
      await this.p.events.append({ teamId, engagementId: e.id, actorId: userId, type: 'digest_schedule_changed', data: { schedule: formatDigestSchedule(parsed.schedule) }, at: this.p.clock.now() });
    });
    return { engagement: e, schedule: formatDigestSchedule(parsed.schedule), nextAt };
  }

  /**
   * Reminders for stale check-ins and idle impediments, in each recipient's working hours, once a
   * day. Cheap checks first (working hours per zone, snooze, already today), engagements cached for
   * the run, and a pause every few hundred items so Slack's requests are never kept waiting.
   */
  async runReminders(zoneOf: (teamId: string, userId: string) => Promise<string | null>, onError: (what: string, err: unknown) => void): Promise<number> {
    const now = this.p.clock.now();
    let sent = 0;
    let seen = 0;
    const engagementCache = new Map<number, Engagement | null>();
    const engagement = async (id: number) => {
      if (!engagementCache.has(id)) engagementCache.set(id, await this.p.engagements.get(id));
      return engagementCache.get(id) ?? null;
    };
    const zoneCache = new Map<string, { working: boolean; day: string }>();
    const zoneNow = (zone: string) => {
      let z = zoneCache.get(zone);
      if (!z) zoneCache.set(zone, (z = { working: isWorkingHours(now, zone), day: localDate(now, zone) }));
      return z;
    };
    const pause = async () => {
      if (++seen % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
    };
    const remind = async (teamId: string, kind: 'checkin' | 'impediment', itemId: number, userId: string, lastActivityAt: Date, threshold: typeof CHECKIN_REMINDER, message: () => Promise<RenderedMessage>, sponsorId: string, engagementId: number) => {
      const tz = await zoneOf(teamId, userId);
      const z = zoneNow(reminderZone(tz, this.p.timeZone));
      if (!z.working) return;
      const state = await this.p.reminders.reminderState(kind, itemId, userId);
      if (state.lastDate === z.day) return;
      const due = reminderDue({ lastActivityAt, now, threshold, recipientTz: tz, workspaceTz: this.p.timeZone, lastRemindedLocalDate: state.lastDate, snoozedUntil: state.snoozedUntil });
      if (!due) return;
      await this.p.transaction(async () => {
        if (!await this.p.reminders.markReminded(teamId, kind, itemId, userId, z.day)) return;
        await this.p.deliver(teamId, { kind: 'dm', userId, engagementId, message: await message() }, sponsorId);
        sent++;
      });
    };
    for await (const row of this.staleEngagements(now)) {
      try {
        const e = await engagement(row.id);
        if (!e) continue;
        const last = row.lastCheckinAt ?? row.createdAt;
        const days = Math.floor((now.getTime() - last.getTime()) / DAY);
        for (const coach of e.coachIds) await remind(e.teamId, 'checkin', e.id, coach, last, CHECKIN_REMINDER, async () => this.p.render.checkinReminder(e, days), e.sponsorId, e.id);
      } catch (err) {
        onError(`check-in reminder for engagement ${row.id}`, err);
      }
      await pause();
    }
    for await (const row of this.idleImpediments(now)) {
      try {
        const e = await engagement(row.engagementId);
        if (!e) continue;
        const message = async () => {
          const full = await this.p.impediments.get(row.id) as Impediment;
          return this.p.render.impedimentReminder(full, e.key, businessDaysBetween(row.updatedAt, now, this.p.timeZone));
        };
        await remind(row.teamId, 'impediment', row.id, row.ownerId, row.updatedAt, IMPEDIMENT_REMINDER, message, e.sponsorId, e.id);
      } catch (err) {
        onError(`impediment reminder for ${row.id}`, err);
      }
      await pause();
    }
    if (sent > 0) this.p.afterCommit();
    return sent;
  }

  /** Who the next reminder run may write to (so their time zones can be looked up first). */
  async reminderRecipients(): Promise<{ teamId: string; userId: string }[]> {
    const now = this.p.clock.now();
    return await this.p.reminders.reminderRecipients(new Date(now.getTime() - 7 * DAY), new Date(now.getTime() - 5 * DAY));
  }

  /** Every active engagement without a check-in for 7 days, read in pages (none is ever left out). */
  private async *staleEngagements(now: Date) {
    let after = 0;
    for (;;) {
      const page = await this.p.reminders.checkinsStale(new Date(now.getTime() - 7 * DAY), 500, after);
      yield* page;
      if (page.length < 500) return;
      after = page[page.length - 1]!.id;
    }
  }

  /** Every owned impediment idle for 5 days or more (business days are checked per item), in pages. */
  private async *idleImpediments(now: Date) {
    let after = 0;
    for (;;) {
      const page = await this.p.reminders.impedimentsIdle(new Date(now.getTime() - 5 * DAY), 500, after);
      yield* page;
      if (page.length < 500) return;
      after = page[page.length - 1]!.id;
    }
  }

  async snooze(teamId: string, kind: 'checkin' | 'impediment', itemId: number, userId: string, userTz: string | null, opts: { requestKey?: string } = {}): Promise<Date> {
    const now = this.p.clock.now();
    const until = snoozeUntil(now, reminderZone(userTz, this.p.timeZone));
    await this.p.transaction(async () => {
      await claimRequest(this.p.requests, teamId, opts.requestKey, now);
      await this.p.reminders.snooze(teamId, kind, itemId, userId, until);
    });
    return until;
  }
}

/** Outcome values before the window against the latest reported in it. */
function outcomeMoves(e: Engagement, before: Checkin | null, inWindow: Checkin[]) {
  const latest = inWindow[inWindow.length - 1];
  if (!latest) return [];
  return e.outcomes.flatMap((o, position) => {
    if (!o.metric) return [];
    const to = latest.outcomeValues.find((v) => v.position === position)?.value ?? null;
    const from = before?.outcomeValues.find((v) => v.position === position)?.value ?? o.metric.baseline;
    return to === null || to === from ? [] : [{ text: o.text, from, to, unit: o.metric.unit }];
  });
}
