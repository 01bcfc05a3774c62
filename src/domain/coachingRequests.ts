import type { Clock } from '../lib/clock';
import type { Delivery, RenderedMessage } from './deliveries';
import { AppError, PermissionError } from './errors';
import type { CoachingRequest, CoachingRequestRepository, Deliver, EventLog, RequestLedger, Transaction, Urgency } from './ports';
import { claimRequest } from './requestClaim';

export interface CoachingRequestInput {
  teamName: string;
  painPoints: string[];
  outcomes: string;
  urgency: Urgency;
}

export interface CoachingRequestRender {
  /** To the requester once their request is posted. */
  received(r: CoachingRequest, channelId: string | null): RenderedMessage;
  /** To the requester when it is declined, with the reason. */
  declined(r: CoachingRequest): RenderedMessage;
}

export interface CoachingRequestPorts {
  transaction: Transaction;
  requests: CoachingRequestRepository;
  ledger: RequestLedger;
  events: Pick<EventLog, 'append'>;
  /** Commits deliveries that belong to no engagement (the request's posts and DMs). */
  deliverRaw(teamId: string, d: Delivery): Promise<void>;
  render: CoachingRequestRender;
  adminIds: readonly string[];
  clock: Clock;
  afterCommit(): void;
}

const WHO_DECIDES = ['a coach', 'a coachline admin'];

/** The pull intake: teams ask for a coach; an admin or a coach starts the engagement or declines. */
export class CoachingRequestService {
  constructor(private readonly p: CoachingRequestPorts) {}

  /** Stores the request and posts it to the requests channel (or to each admin without one). */
  async submit(teamId: string, requesterId: string, input: CoachingRequestInput, opts: { requestKey?: string } = {}): Promise<CoachingRequest> {
    const now = this.p.clock.now();
    const r = await this.p.transaction(async () => {
      await claimRequest(this.p.ledger, teamId, opts.requestKey, now);
      const channel = await this.p.requests.requestsChannel(teamId);
      const targets = channel ? [channel] : [...this.p.adminIds];
      if (targets.length === 0) {
        throw new AppError('no_intake', 'Nobody receives coaching requests yet: there is no requests channel and no coachline admin. Ask whoever runs coachline to set ADMIN_USER_IDS, or an admin to run `/kickoff requests-channel #channel`.');
      }
      const id = await this.p.requests.insert({ teamId, requesterId, ...input, targets }, now);
      await this.p.events.append({ teamId, engagementId: null, actorId: requesterId, type: 'coaching_requested', data: { requestId: id, urgency: input.urgency }, at: now });
      for (const target of targets) await this.p.deliverRaw(teamId, { kind: 'request_post', requestId: id, target });
      const stored = (await this.p.requests.get(id)) as CoachingRequest;
      await this.p.deliverRaw(teamId, { kind: 'dm', userId: requesterId, message: this.p.render.received(stored, channel) });
      return stored;
    });
    this.p.afterCommit();
    return r;
  }

  /** Admins and coaches decide requests; the refusal says so. */
  async assertMayDecide(teamId: string, userId: string, action: string): Promise<void> {
    if (this.p.adminIds.includes(userId) || (await this.p.requests.isCoach(teamId, userId))) return;
    throw new PermissionError(action, WHO_DECIDES);
  }

  /** The open request behind a Start/Decline button, for someone who may decide it. */
  async forDecision(teamId: string, id: number, userId: string, action: string): Promise<CoachingRequest> {
    const r = await this.p.requests.get(id);
    if (!r || r.teamId !== teamId) throw new AppError('not_found', 'That coaching request no longer exists.');
    await this.assertMayDecide(teamId, userId, action);
    if (r.status !== 'open') throw new AppError('decided', alreadyDecided(r));
    return r;
  }

  /** Inside the kickoff's transaction: the request becomes the engagement (origin pull). */
  async started(teamId: string, id: number, userId: string, engagementId: number): Promise<void> {
    const r = await this.forDecision(teamId, id, userId, 'start an engagement from a coaching request');
    const now = this.p.clock.now();
    if (!await this.p.requests.decide(id, { status: 'started', by: userId, reason: null, engagementId }, now)) throw new AppError('decided', 'Someone decided this request a moment ago.');
    await this.p.events.append({ teamId, engagementId, actorId: userId, type: 'coaching_request_started', data: { requestId: id }, at: now });
    for (const target of r.targets) await this.p.deliverRaw(teamId, { kind: 'request_update', requestId: id, target });
    // The requester hears once an announcement is out (its link), from the announcement's delivery.
    await this.p.deliverRaw(teamId, { kind: 'request_started', requestId: id });
  }

  async decline(teamId: string, id: number, userId: string, reason: string, opts: { requestKey?: string } = {}): Promise<CoachingRequest> {
    const now = this.p.clock.now();
    const r = await this.p.transaction(async () => {
      await claimRequest(this.p.ledger, teamId, opts.requestKey, now);
      const r = await this.forDecision(teamId, id, userId, 'decline a coaching request');
      if (!await this.p.requests.decide(id, { status: 'declined', by: userId, reason, engagementId: null }, now)) throw new AppError('decided', 'Someone decided this request a moment ago.');
      await this.p.events.append({ teamId, engagementId: null, actorId: userId, type: 'coaching_request_declined', data: { requestId: id }, at: now });
      const after = (await this.p.requests.get(id)) as CoachingRequest;
      for (const target of r.targets) await this.p.deliverRaw(teamId, { kind: 'request_update', requestId: id, target });
      await this.p.deliverRaw(teamId, { kind: 'dm', userId: r.requesterId, message: this.p.render.declined(after) });
      return after;
    });
    this.p.afterCommit();
    return r;
  }

  /** `/kickoff requests-channel #channel`: admins only. */
  async setRequestsChannel(teamId: string, userId: string, channelId: string): Promise<void> {
    if (!this.p.adminIds.includes(userId)) throw new PermissionError('choose where coaching requests go', ['a coachline admin']);
    await this.p.requests.setRequestsChannel(teamId, channelId, userId, this.p.clock.now());
  }

  async open(teamId: string): Promise<CoachingRequest[]> {
    return await this.p.requests.open(teamId, 50);
  }

  async get(id: number): Promise<CoachingRequest | null> {
    return await this.p.requests.get(id);
  }
}

function alreadyDecided(r: CoachingRequest): string {
  return r.status === 'started' ? `<@${r.decidedBy ?? ''}> already started an engagement from this request.` : `<@${r.decidedBy ?? ''}> already declined this request.`;
}
