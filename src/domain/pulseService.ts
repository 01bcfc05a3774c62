import type { Clock } from '../lib/clock';
import { isWorkingHours, localDate } from './businessTime';
import type { Delivery, RenderedMessage } from './deliveries';
import { AppError } from './errors';
import { claimRequest } from './requestClaim';
import { assertCanManage } from './permissions';
import type { Deliver, EngagementRepository, EventLog, Pulse, PulseRepository, PulseSummary, RequestLedger, Transaction } from './ports';
import { duePulse, PULSE_LOOKBACK_DAYS, PULSE_STATEMENTS, pulseResults, pulseSchedule, type PulseAnswer, type PulseResults } from './pulseRules';
import { reminderZone } from './schedules';
import type { Engagement } from './types';

export interface PulseRender {
  /** The DM that asks a person to answer (a button opens the modal). */
  invitation(e: Engagement, pulse: Pulse): RenderedMessage;
  reminder(e: Engagement, pulse: Pulse): RenderedMessage;
  /** What the sponsor, the coaches and the engagement channel see when a pulse closes. */
  closed(e: Engagement, pulse: Pulse, results: PulseResults): RenderedMessage;
}

export interface PulsePorts {
  transaction: Transaction;
  pulses: PulseRepository;
  engagements: Pick<EngagementRepository, 'get' | 'getByKey'>;
  events: Pick<EventLog, 'append'>;
  requests: RequestLedger;
  deliver: Deliver;
  render: PulseRender;
  adminIds: readonly string[];
  timeZone: string;
  /**
   * Who answered, as the database may know it: a keyed hash of (pulse, person) whose key the
   * database never holds, so no row or write names an answer's author.
   */
  answererKey(pulseId: number, userId: string): string;
  /** PULSE_MIN_RESPONSES (the rules never let it below 3). */
  minResponses: number;
  clock: Clock;
  afterCommit(): void;
  refreshHomes(teamId: string, e: Engagement, userIds: string[]): Promise<void>;
}


const DAY = 86_400_000;

/** One closed pulse in an export (aggregates only). */
export interface PulseExport {
  reason: Pulse['reason'];
  openedOn: string;
  closedOn: string | null;
  asked: number;
  responses: number;
  shown: boolean;
  buyIn?: number;
  safety?: number;
  statements?: { statement: string; median: number; distribution: number[]; change: number | null }[];
}

/** Team pulses: sending (scheduled or on request), answering anonymously, reminding, closing. */
export class PulseService {
  constructor(private readonly p: PulsePorts) {}

  /** `/kickoff pulse KEY`: sponsor, coach or admin; one open pulse at a time. */
  async sendNow(teamId: string, key: string, userId: string, opts: { requestKey?: string } = {}): Promise<{ engagement: Engagement; pulse: Pulse }> {
    const e = await this.p.engagements.getByKey(teamId, key);
    if (!e) throw new AppError('not_found', `There is no engagement with the key \`${key}\`.`);
    assertCanManage(e, userId, this.p.adminIds, `send a team pulse for \`${e.key}\``);
    if (e.lifecycle !== 'active') throw new AppError('inactive', `\`${e.key}\` is ${e.lifecycle}; pulses are for active engagements.`);
    await this.assertAudience(e);
    const now = this.p.clock.now();
    const pulse = await this.p.transaction(async () => {
      await claimRequest(this.p.requests, teamId, opts.requestKey, now);
      const open = await this.p.pulses.current(e.id);
      if (open) {
        throw new AppError('pulse_open', `A pulse for \`${e.key}\` is already open (${open.answered} of ${open.asked} answered so far); it closes on ${localDate(open.closesAt, this.p.timeZone)}.`);
      }
      const created = await this.open(e, 'manual', `manual:${now.toISOString()}`, userId, now);
      if (!created) throw new AppError('pulse_open', `A pulse for \`${e.key}\` was just sent.`);
      return created;
    });
    this.p.afterCommit();
    return { engagement: e, pulse };
  }

  /** Who is asked: the engagement channel's members, or the kickoff's Team field without a channel. */
  private async assertAudience(e: Engagement): Promise<void> {
    if (e.engagementChannelId) return;
    if ((await this.p.pulses.teamMembers(e.id)).length > 0) return;
    throw new AppError(
      'no_team',
      `\`${e.key}\` has no engagement channel and no team listed, so there is nobody to ask. Add the team in the *Team* field with \`/kickoff edit ${e.key}\`.`,
    );
  }

  private async hasAudience(e: Engagement): Promise<boolean> {
    return e.engagementChannelId !== null || (await this.p.pulses.teamMembers(e.id)).length > 0;
  }

  /** Inside a transaction: the pulse row (unique occurrence) and the delivery that finds and asks the team. */
  private async open(e: Engagement, reason: Pulse['reason'], occurrence: string, requestedBy: string | null, now: Date): Promise<Pulse | null> {
    const { remindAt, closesAt } = pulseSchedule(now, this.p.timeZone);
    const id = await this.p.pulses.create({ teamId: e.teamId, engagementId: e.id, occurrence, reason, requestedBy, openedAt: now, remindAt, closesAt });
    if (id === null) return null;
    await this.p.events.append({ teamId: e.teamId, engagementId: e.id, actorId: requestedBy, type: 'pulse_sent', data: { reason }, at: now });
    await this.p.deliver(e.teamId, { kind: 'pulse_invite', engagementId: e.id, pulseId: id }, e.sponsorId);
    return await this.p.pulses.get(id);
  }

  /**
   * The delivery found who to ask (`userIds`): records them and queues one DM each, once. Called
   * by the outbox inside the transaction that records the delivery's result.
   */
  async asked(pulseId: number, userIds: string[], enqueue: (d: Delivery) => Promise<void>): Promise<number> {
    const pulse = await this.p.pulses.get(pulseId);
    if (!pulse || pulse.status !== 'inviting') return 0;
    const e = await this.p.engagements.get(pulse.engagementId);
    if (!e) return 0;
    if (!await this.p.pulses.recordAsked(pulseId, userIds)) return 0;
    const opened = (await this.p.pulses.get(pulseId)) as Pulse;
    const message = this.p.render.invitation(e, opened);
    for (const userId of new Set(userIds)) await enqueue({ kind: 'dm', userId, engagementId: e.id, message, pulseId });
    return new Set(userIds).size;
  }

  /** Who the pulse goes to when the engagement has no channel (the kickoff's Team field). */
  async teamOf(engagementId: number): Promise<string[]> {
    return await this.p.pulses.teamMembers(engagementId);
  }

  /** The pulse a DM button points at, for the modal (null when it does not exist in this workspace). */
  async forAnswer(teamId: string, pulseId: number, userId: string): Promise<{ engagement: Engagement; pulse: Pulse }> {
    const pulse = await this.p.pulses.get(pulseId);
    const e = pulse ? await this.p.engagements.get(pulse.engagementId) : null;
    if (!pulse || !e || e.teamId !== teamId) throw new AppError('not_found', 'That pulse no longer exists.');
    await this.assertMayAnswer(e, pulse, userId);
    return { engagement: e, pulse };
  }

  private async assertMayAnswer(e: Engagement, pulse: Pulse, userId: string): Promise<void> {
    if (pulse.status === 'closed') throw new AppError('pulse_closed', `This pulse for \`${e.key}\` closed on ${pulse.closedOn ?? 'its closing day'}. Thank you all the same.`);
    if (!await this.p.pulses.isAsked(pulse.id, userId)) throw new AppError('pulse_not_asked', `This pulse for \`${e.key}\` went to the team when it opened, and you were not among them. The sponsor or a coach can send a new one with \`/kickoff pulse ${e.key}\`.`);
    if (await this.p.pulses.hasAnswered(pulse.id, this.p.answererKey(pulse.id, userId))) throw new AppError('pulse_answered', 'You have already answered this pulse. Answers are anonymous, so they cannot be changed or seen by anyone, you included.');
  }

  /**
   * Stores an answer without the person: the answer row has the day only; the person is marked as
   * having answered apart from it (and that mark is deleted when the pulse closes).
   */
  async answer(teamId: string, pulseId: number, userId: string, answer: PulseAnswer, opts: { requestKey?: string } = {}): Promise<void> {
    const now = this.p.clock.now();
    await this.p.transaction(async () => {
      const pulse = await this.p.pulses.get(pulseId);
      const e = pulse ? await this.p.engagements.get(pulse.engagementId) : null;
      if (!pulse || !e || e.teamId !== teamId) throw new AppError('not_found', 'That pulse no longer exists.');
      // Claimed first: a refusal below rolls the claim back with the rest, so the form can be sent again.
      await claimRequest(this.p.requests, teamId, opts.requestKey, now);
      await this.assertMayAnswer(e, pulse, userId);
      if (!await this.p.pulses.markAnswered(pulseId, this.p.answererKey(pulseId, userId))) throw new AppError('pulse_answered', 'You have already answered this pulse.');
      await this.p.pulses.insertAnswer(pulseId, localDate(now, this.p.timeZone), answer);
    });
  }

  /** Results for /status, digests, Home and exports: the latest closed pulse against the one before it. */
  async summary(engagementId: number): Promise<PulseSummary> {
    const [latest, previous] = await this.p.pulses.closed(engagementId, 2);
    const open = await this.p.pulses.current(engagementId);
    if (!latest) return { latest: null, open };
    return { latest: { pulse: latest, results: await this.resultsOf(latest, previous ?? null) }, open };
  }

  /**
   * Every closed pulse of an engagement, oldest first, as exports show it: aggregates only (no
   * comments), nothing but the count below the threshold, days rather than times.
   */
  async exportHistory(engagementId: number): Promise<PulseExport[]> {
    const closed = (await this.p.pulses.closed(engagementId, 1000)).reverse();
    const out: PulseExport[] = [];
    for (const [i, pulse] of closed.entries()) {
      const r = await this.resultsOf(pulse, closed[i - 1] ?? null);
      const base = { reason: pulse.reason, openedOn: localDate(pulse.openedAt, this.p.timeZone), closedOn: pulse.closedOn, asked: pulse.asked, responses: r.responses, shown: r.shown };
      out.push(
        r.shown
          ? { ...base, buyIn: r.buyIn, safety: r.safety, statements: r.statements.map((s, n) => ({ statement: PULSE_STATEMENTS[n]!.text, median: s.median, distribution: s.distribution, change: s.change })) }
          : base,
      );
    }
    return out;
  }

  private async resultsOf(pulse: Pulse, previous: Pulse | null): Promise<PulseResults> {
    return pulseResults(await this.p.pulses.answers(pulse.id), previous ? await this.p.pulses.answers(previous.id) : null, this.p.minResponses);
  }

  /**
   * The scheduled pass: opens pulses that fell due (each occurrence once, whichever instance
   * computes it), reminds once in people's working hours, closes what ran its course.
   */
  async runPulses(zoneOf: (teamId: string, userId: string) => Promise<string | null>, onError: (what: string, err: unknown) => void): Promise<{ opened: number; reminded: number; closed: number }> {
    const now = this.p.clock.now();
    const counts = { opened: 0, reminded: 0, closed: 0 };
    const today = localDate(now, this.p.timeZone);
    let after = 0;
    for (;;) {
      const page = await this.p.pulses.candidates(now, new Date(now.getTime() - PULSE_LOOKBACK_DAYS * DAY), today, 200, after);
      for (const c of page) {
        const due = duePulse(c, now, today);
        if (!due) continue;
        try {
          const e = await this.p.engagements.get(c.id);
          if (!e || !(await this.hasAudience(e))) continue;
          if (await this.p.transaction(() => this.open(e, due.reason, due.occurrence, null, now))) counts.opened++;
        } catch (err) {
          onError(`pulse for engagement ${c.id}`, err);
        }
      }
      if (page.length < 200) break;
      after = page[page.length - 1]!.id;
    }

    for (const r of await this.dueReminders(now)) {
      try {
        const zone = reminderZone(await zoneOf(r.teamId, r.userId), this.p.timeZone);
        if (!isWorkingHours(now, zone)) continue;
        const e = await this.p.engagements.get(r.engagementId);
        const pulse = await this.p.pulses.get(r.pulseId);
        if (!e || !pulse) continue;
        const sent = await this.p.transaction(async () => {
          if (!await this.p.pulses.markReminded(r.pulseId, r.userId)) return false;
          await this.p.deliver(r.teamId, { kind: 'dm', userId: r.userId, engagementId: e.id, message: this.p.render.reminder(e, pulse), pulseId: pulse.id }, e.sponsorId);
          return true;
        });
        if (sent) counts.reminded++;
      } catch (err) {
        onError(`pulse reminder for pulse ${r.pulseId}`, err);
      }
    }

    for (const pulse of await this.p.pulses.dueToClose(now, 200)) {
      try {
        if (await this.close(pulse, now)) counts.closed++;
      } catch (err) {
        onError(`closing pulse ${pulse.id}`, err);
      }
    }
    if (counts.opened + counts.reminded + counts.closed > 0) this.p.afterCommit();
    return counts;
  }

  /** Everyone asked, not reminded and not answered, of pulses whose reminder time came (in pages). */
  private async dueReminders(now: Date) {
    const due: Awaited<ReturnType<PulseRepository['dueReminders']>> = [];
    let after: { pulseId: number; userId: string } | undefined;
    for (let page = 0; page < 100; page++) {
      const rows = await this.p.pulses.dueReminders(now, 500, after);
      for (const r of rows) if (!await this.p.pulses.hasAnswered(r.pulseId, this.p.answererKey(r.pulseId, r.userId))) due.push(r);
      if (rows.length < 500) break;
      const last = rows[rows.length - 1]!;
      after = { pulseId: last.pulseId, userId: last.userId };
    }
    return due;
  }

  /** Closes a pulse: forgets who was asked, tells the sponsor, the coaches and the channel the results. */
  private async close(pulse: Pulse, now: Date): Promise<boolean> {
    return await this.p.transaction(async () => {
      const e = await this.p.engagements.get(pulse.engagementId);
      if (!await this.p.pulses.close(pulse.id, localDate(now, this.p.timeZone))) return false;
      if (!e) return true;
      const closed = (await this.p.pulses.get(pulse.id)) as Pulse;
      const previous = (await this.p.pulses.closed(e.id, 2)).find((x) => x.id !== pulse.id) ?? null;
      const results = await this.resultsOf(closed, previous);
      await this.p.events.append({ teamId: e.teamId, engagementId: e.id, actorId: null, type: 'pulse_closed', data: { responses: results.responses, shown: results.shown }, at: now });
      const message = this.p.render.closed(e, closed, results);
      for (const userId of new Set([e.sponsorId, ...e.coachIds])) await this.p.deliver(e.teamId, { kind: 'dm', userId, engagementId: e.id, message }, e.sponsorId);
      if (results.shown && e.engagementChannelId) {
        await this.p.deliver(e.teamId, { kind: 'channel_message', engagementId: e.id, channelId: e.engagementChannelId, message }, e.sponsorId);
      }
      await this.p.refreshHomes(e.teamId, e, [e.sponsorId, ...e.coachIds]);
      return true;
    });
  }
}
