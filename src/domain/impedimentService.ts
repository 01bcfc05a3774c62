import type { Clock } from '../lib/clock';
import type { Delivery, RenderedMessage } from './deliveries';
import { AppError } from './errors';
import { followUpCodeFor, generateFollowUpSecret, hashFollowUpCode, parseFollowUpCode, verifyFollowUpCode } from './followUpCode';
import { assertCanAcknowledge, assertCanEdit, assertCanEscalate, assertCanResolve, assertCanTakeOwnership, autoEscalationReason, dueAtFor, nextLevel, parseImpedimentRef } from './impedimentRules';
import { impedimentRef, type Impediment, type RaiseInput, type Severity } from './impedimentTypes';

export type { RaiseInput } from './impedimentTypes';
import { assertCanManage } from './permissions';
import { claimRequest } from './requestClaim';
import type { Deliver, EngagementRepository, EventLog, ImpedimentChange, ImpedimentRepository, RequestLedger, Transaction } from './ports';
import type { Engagement, EscalationLevel } from './types';

/** Messages rendered when a change is committed (views live in src/slack/views). */
export interface ImpedimentRender {
  thread: {
    acknowledged(userId: string, levelName: string): RenderedMessage;
    owned(userId: string): RenderedMessage;
    escalated(actorId: string | null, from: string, to: string, reason: string): RenderedMessage;
    resolved(userId: string, resolution: 'resolved' | 'wont_fix', note: string): RenderedMessage;
    anonymousReply(text: string): RenderedMessage;
    edited(userId: string, changes: string[]): RenderedMessage;
  };
  escalationDm(imp: Impediment, e: Engagement, ctx: { level: EscalationLevel; reason: string; actorId: string | null; history: { at: Date; text: string }[] }): RenderedMessage;
  resolvedDm(imp: Impediment, e: Engagement, userId: string): RenderedMessage;
}

export interface ImpedimentPorts {
  transaction: Transaction;
  impediments: ImpedimentRepository;
  engagements: Pick<EngagementRepository, 'get' | 'getByKey' | 'setAutoEscalate'>;
  requests: RequestLedger;
  events: Pick<EventLog, 'append' | 'forImpediment'>;
  deliver: Deliver;
  render: ImpedimentRender;
  adminIds: readonly string[];
  timeZone: string;
  clock: Clock;
  afterCommit(): void;
  /** People whose App Home shows this impediment (called inside the transaction). */
  refreshHomes?(teamId: string, e: Engagement, userIds: string[]): Promise<void>;
}


const levelOf = (e: Engagement, n: number) => e.escalation.find((l) => l.level === n);
const levelName = (e: Engagement, n: number) => levelOf(e, n)?.name ?? `Level ${n}`;

export class ImpedimentService {
  constructor(private readonly p: ImpedimentPorts) {}

  /** Creates the impediment at level 1 with its clock and card; anonymous ones get a follow-up code. */
  async raise(teamId: string, input: RaiseInput): Promise<{ impediment: Impediment; engagement: Engagement; followUpCode: string | null }> {
    const e = await this.p.engagements.get(input.engagementId);
    if (!e || e.teamId !== teamId) throw new AppError('not_found', 'That engagement does not exist any more. Pick another one.');
    if (e.lifecycle !== 'active') throw new AppError('inactive', `\`${e.key}\` is ${e.lifecycle}; impediments can only be raised on active engagements.`);
    const first = e.escalation[0];
    if (!first) throw new AppError('no_line', `\`${e.key}\` has no escalation line; ask its sponsor to add one with \`/kickoff edit ${e.key}\`.`);
    // The number is only known inside the transaction, so the code's secret part is drawn first and hashed (slowly) outside it.
    const secret = input.anonymous ? generateFollowUpSecret() : null;
    const hash = secret ? await hashFollowUpCode(secret) : null;
    const now = this.p.clock.now();
    const impediment = await this.p.transaction(async () => {
      await claimRequest(this.p.requests, teamId, input.requestKey, now);
      const { requestKey: _requestKey, ...fields } = input;
      const imp = await this.p.impediments.insert(
        { ...fields, teamId, engagementId: e.id, reporterId: input.anonymous ? null : input.reporterId, dueAt: dueAtFor(first, now, this.p.timeZone), followupHash: hash },
        now,
      );
      await this.event(imp, input.anonymous ? null : input.reporterId, 'impediment_raised', { severity: input.severity, organisational: input.organisational, anonymous: input.anonymous }, now);
      const targets = e.engagementChannelId ? [e.engagementChannelId] : e.coachIds;
      for (const target of targets) {
        await this.p.impediments.addCardTarget(teamId, imp.id, target);
        await this.p.deliver(teamId, { kind: 'impediment_card', engagementId: e.id, impedimentId: imp.id, target }, e.sponsorId);
      }
      await this.p.refreshHomes?.(teamId, e, [...(levelOf(e, 1)?.contactIds ?? []), ...e.coachIds]);
      return await this.p.impediments.get(imp.id) as Impediment;
    });
    this.p.afterCommit();
    const followUpCode = secret ? followUpCodeFor(impediment.number, secret) : null;
    return { impediment, engagement: e, followUpCode };
  }

  /** Finds `IMP-n` (or `imp-n`, `n`) in this workspace, or explains what is wrong. */
  async find(teamId: string, ref: string): Promise<{ imp: Impediment; e: Engagement }> {
    const parsed = parseImpedimentRef(ref);
    if (!parsed.ok) throw new AppError('bad_ref', parsed.message);
    const imp = await this.p.impediments.getByNumber(teamId, parsed.number);
    const e = imp && await this.p.engagements.get(imp.engagementId);
    if (!imp || !e) throw new AppError('not_found', `There is no ${impedimentRef(parsed.number)} in this workspace. \`/impediment list\` shows the open ones.`);
    return { imp, e };
  }

  async byId(teamId: string, id: number): Promise<{ imp: Impediment; e: Engagement }> {
    const imp = await this.p.impediments.get(id);
    const e = imp && await this.p.engagements.get(imp.engagementId);
    if (!imp || !e || imp.teamId !== teamId) throw new AppError('not_found', 'That impediment no longer exists.');
    return { imp, e };
  }

  async acknowledge(teamId: string, id: number, userId: string, opts: { requestKey?: string } = {}): Promise<Impediment> {
    return await this.change(teamId, id, async (imp, e, now) => {
      assertCanAcknowledge({ impediment: imp, engagement: e, userId, adminIds: this.p.adminIds });
      if (imp.state !== 'open') throw new AppError('not_open', `${impedimentRef(imp.number)} is already ${stateWords(imp.state)}.`);
      await this.cas(imp, { state: 'acknowledged', dueAt: null }, now);
      await this.p.impediments.acknowledgeClock(imp.id, imp.level, now);
      await this.event(imp, userId, 'impediment_acknowledged', { level: imp.level }, now);
      return this.p.render.thread.acknowledged(userId, levelName(e, imp.level));
    }, opts);
  }

  async takeOwnership(teamId: string, id: number, userId: string, opts: { requestKey?: string } = {}): Promise<Impediment> {
    return await this.change(teamId, id, async (imp, e, now) => {
      assertCanTakeOwnership({ impediment: imp, engagement: e, userId, adminIds: this.p.adminIds });
      if (imp.state === 'resolved' || imp.state === 'wont_fix') throw new AppError('closed', `${impedimentRef(imp.number)} is already ${stateWords(imp.state)}.`);
      if (imp.ownerId === userId) throw new AppError('already_owner', `You already own ${impedimentRef(imp.number)}.`);
      await this.cas(imp, { ownerId: userId }, now);
      await this.event(imp, userId, 'impediment_owned', {}, now);
      return this.p.render.thread.owned(userId);
    }, opts);
  }

  /** Moves to the next level: new clock, DMs to that level's contacts; `actorId` null for the sweep. */
  async escalate(teamId: string, id: number, actorId: string | null, reason: string, opts: { expectedLevel?: number; requestKey?: string } = {}): Promise<Impediment> {
    return await this.change(teamId, id, async (imp, e, now) => {
      if (actorId !== null) assertCanEscalate({ impediment: imp, engagement: e, userId: actorId, adminIds: this.p.adminIds });
      if (opts.expectedLevel !== undefined && opts.expectedLevel !== imp.level) {
        throw new AppError('changed', `${impedimentRef(imp.number)} was escalated meanwhile; it is now at ${levelName(e, imp.level)}. Look at the card before escalating again.`);
      }
      const next = nextLevel(imp, e);
      if (!next.ok) throw new AppError('top', next.message);
      const dueAt = dueAtFor(next.level, now, this.p.timeZone);
      await this.cas(imp, { level: next.level.level, state: 'open', dueAt, waitingOnExecutives: next.isTop }, now);
      await this.p.impediments.endClocks(imp.id, now);
      await this.p.impediments.startClock(teamId, imp.id, e.id, next.level.level, now, dueAt, actorId === null);
      await this.event(imp, actorId, 'impediment_escalated', { from: imp.level, to: next.level.level, reason, automatic: actorId === null }, now);
      const updated = await this.p.impediments.get(imp.id) as Impediment;
      const history = (await this.p.events.forImpediment(imp.id)).map((ev) => ({ at: ev.createdAt, text: historyLine(ev, e) }));
      const dm = this.p.render.escalationDm(updated, e, { level: next.level, reason, actorId, history });
      for (const userId of next.level.contactIds) await this.p.deliver(teamId, { kind: 'dm', userId, engagementId: e.id, message: dm }, e.sponsorId);
      return this.p.render.thread.escalated(actorId, levelName(e, imp.level), next.level.name, reason);
    }, { requestKey: opts.requestKey });
  }

  async resolve(teamId: string, id: number, userId: string, resolution: 'resolved' | 'wont_fix', note: string, opts: { requestKey?: string } = {}): Promise<Impediment> {
    return await this.change(teamId, id, async (imp, e, now) => {
      assertCanResolve({ impediment: imp, engagement: e, userId, adminIds: this.p.adminIds });
      if (imp.state === 'resolved' || imp.state === 'wont_fix') throw new AppError('closed', `${impedimentRef(imp.number)} is already ${stateWords(imp.state)}.`);
      await this.cas(imp, { state: resolution, dueAt: null, waitingOnExecutives: false, resolutionNote: note, closedAt: now }, now);
      // Resolving is a response: the current level's commitment counts as answered now (in time or late).
      await this.p.impediments.acknowledgeClock(imp.id, imp.level, now);
      await this.p.impediments.endClocks(imp.id, now);
      await this.event(imp, userId, 'impediment_resolved', { resolution }, now);
      const updated = await this.p.impediments.get(imp.id) as Impediment;
      if (imp.reporterId && imp.reporterId !== userId) {
        await this.p.deliver(teamId, { kind: 'dm', userId: imp.reporterId, engagementId: e.id, message: this.p.render.resolvedDm(updated, e, userId) }, e.sponsorId);
      }
      return this.p.render.thread.resolved(userId, resolution, note);
    }, opts);
  }

  async edit(teamId: string, id: number, userId: string, change: { description: string; severity: Severity }, opts: { requestKey?: string } = {}): Promise<Impediment> {
    return await this.change(teamId, id, async (imp, e, now) => {
      assertCanEdit({ impediment: imp, engagement: e, userId, adminIds: this.p.adminIds });
      const changes: string[] = [];
      if (change.description !== imp.description) changes.push('description');
      if (change.severity !== imp.severity) changes.push(`severity ${imp.severity} → ${change.severity}`);
      if (changes.length === 0) throw new AppError('unchanged', 'Nothing changed.');
      await this.cas(imp, { description: change.description, severity: change.severity }, now);
      await this.event(imp, userId, 'impediment_edited', { changes }, now);
      return this.p.render.thread.edited(userId, changes);
    }, opts);
  }

  /** Checks an anonymous follow-up code; the impediment it belongs to, or an explanation. */
  async follow(teamId: string, codeText: string): Promise<{ imp: Impediment; e: Engagement; code: string }> {
    const parsed = parseFollowUpCode(codeText);
    if (!parsed.ok) throw new AppError('bad_code', parsed.message);
    const imp = await this.p.impediments.getByNumber(teamId, parsed.number);
    const stored = imp ? await this.p.impediments.followupHash(imp.id) : null;
    const secret = parsed.code.replace(/^F\d+-/, '');
    const ok = stored !== null && (await verifyFollowUpCode(secret, stored));
    const e = ok && imp ? await this.p.engagements.get(imp.engagementId) : null;
    if (!imp || !e) throw new AppError('bad_code', 'That follow-up code does not match any impediment. Codes cannot be recovered; raise a new impediment if you lost yours.');
    return { imp, e, code: parsed.code };
  }

  /** Posts the reporter's anonymous reply in the card's thread (never attributed). */
  async replyAnonymously(teamId: string, codeText: string, text: string, opts: { requestKey?: string } = {}): Promise<Impediment> {
    const { imp } = await this.follow(teamId, codeText);
    return await this.change(teamId, imp.id, async (i, _e, now) => {
      await this.event(i, null, 'impediment_anonymous_reply', {}, now);
      return this.p.render.thread.anonymousReply(text);
    }, { updateCard: false, requestKey: opts.requestKey });
  }

  async setAutoEscalation(teamId: string, key: string, userId: string, on: boolean, opts: { requestKey?: string } = {}): Promise<Engagement> {
    const e = await this.p.engagements.getByKey(teamId, key);
    if (!e) throw new AppError('not_found', `There is no engagement with the key \`${key}\`.`);
    assertCanManage(e, userId, this.p.adminIds, `turn auto-escalation ${on ? 'on' : 'off'} for \`${e.key}\``);
    const now = this.p.clock.now();
    await this.p.transaction(async () => {
      await claimRequest(this.p.requests, teamId, opts.requestKey, now);
      await this.p.engagements.setAutoEscalate(e.id, on);
      await this.p.events.append({ teamId, engagementId: e.id, actorId: userId, type: on ? 'auto_escalation_on' : 'auto_escalation_off', at: now });
    });
    return await this.p.engagements.get(e.id) as Engagement;
  }

  /** The sweep: escalates what passed its due time without acknowledgement; one failure never stops the rest. */
  async sweep(onError: (impedimentId: number, err: unknown) => void, limit = 500, afterDueAt = ''): Promise<{ escalated: number; looked: number; lastDueAt: string }> {
    let escalated = 0;
    const due_ = await this.p.impediments.dueForEscalation(this.p.clock.now(), limit, afterDueAt);
    for (const due of due_) {
      try {
        const imp = await this.p.impediments.get(due.id);
        const e = imp && await this.p.engagements.get(imp.engagementId);
        const level = imp && e && levelOf(e, imp.level);
        // Re-read: another tick may have escalated it since the due list was read.
        if (!imp || !level || imp.state !== 'open' || imp.level !== due.level || !imp.dueAt || imp.dueAt > this.p.clock.now()) continue;
        await this.escalate(imp.teamId, imp.id, null, autoEscalationReason(level), { expectedLevel: due.level });
        escalated++;
      } catch (err) {
        // Another tick got there first (the state changed): not a failure.
        if (err instanceof AppError && err.code === 'changed') continue;
        onError(due.id, err);
      }
    }
    return { escalated, looked: due_.length, lastDueAt: due_[due_.length - 1]?.dueAt ?? afterDueAt };
  }

  /** Runs one change in a transaction; then the card is updated in place and the line added to its thread. */
  private async change(
    teamId: string,
    id: number,
    fn: (imp: Impediment, e: Engagement, now: Date) => Promise<RenderedMessage>,
    opts: { updateCard?: boolean; requestKey?: string } = {},
  ): Promise<Impediment> {
    const now = this.p.clock.now();
    const result = await this.p.transaction(async () => {
      await claimRequest(this.p.requests, teamId, opts.requestKey, now);
      const { imp, e } = await this.byId(teamId, id);
      const line = await fn(imp, e, now);
      for (const card of imp.cards) {
        if (opts.updateCard !== false) await this.p.deliver(teamId, { kind: 'impediment_card_update', engagementId: e.id, impedimentId: imp.id, target: card.target }, e.sponsorId);
        await this.p.deliver(teamId, { kind: 'impediment_thread', engagementId: e.id, impedimentId: imp.id, target: card.target, message: line }, e.sponsorId);
      }
      const after = await this.p.impediments.get(imp.id) as Impediment;
      const people = [imp.ownerId, after.ownerId, ...(levelOf(e, imp.level)?.contactIds ?? []), ...(levelOf(e, after.level)?.contactIds ?? [])];
      await this.p.refreshHomes?.(teamId, e, people.filter((u): u is string => !!u));
      return after;
    });
    this.p.afterCommit();
    return result;
  }

  /** Compare-and-set: a concurrent change (another click, another tick) makes this one stop. */
  private async cas(imp: Impediment, change: ImpedimentChange, now: Date): Promise<void> {
    if (!await this.p.impediments.update(imp.id, { state: imp.state, level: imp.level }, change, now)) {
      throw new AppError('changed', `${impedimentRef(imp.number)} was changed by someone else a moment ago. Look at the card and try again.`);
    }
  }

  private async event(imp: Impediment, actorId: string | null, type: string, data: Record<string, unknown>, at: Date): Promise<void> {
    await this.p.events.append({ teamId: imp.teamId, engagementId: imp.engagementId, impedimentId: imp.id, actorId, type, data: { number: imp.number, ...data }, at });
  }
}

function stateWords(state: Impediment['state']): string {
  return state === 'wont_fix' ? "closed as won't fix" : state;
}

function historyLine(ev: { actorId: string | null; type: string; data: Record<string, unknown> }, e: Engagement): string {
  const who = ev.actorId ? `<@${ev.actorId}>` : 'coachline';
  switch (ev.type) {
    case 'impediment_raised':
      return ev.actorId ? `raised by ${who}` : 'raised anonymously';
    case 'impediment_acknowledged':
      return `acknowledged by ${who} at ${levelName(e, Number(ev.data.level))}`;
    case 'impediment_owned':
      return `${who} took ownership`;
    case 'impediment_escalated':
      return `escalated to ${levelName(e, Number(ev.data.to))} by ${ev.actorId ? who : 'coachline (no response in time)'}`;
    case 'impediment_edited':
      return `edited by ${who}`;
    case 'impediment_anonymous_reply':
      return 'the reporter replied anonymously';
    default:
      return ev.type.replace(/_/g, ' ');
  }
}
