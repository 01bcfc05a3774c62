import type { CoachingRequest, CoachingRequestRepository, Urgency } from '../domain/ports';
import type { Sql } from './sql';

interface Row {
  id: number;
  team_id: string;
  requester_id: string;
  team_name: string;
  pain_points: string;
  outcomes: string;
  urgency: Urgency;
  status: CoachingRequest['status'];
  decided_by: string | null;
  decline_reason: string | null;
  engagement_id: number | null;
  requester_told: number;
  created_at: string;
  decided_at: string | null;
}

const REQUESTS_CHANNEL = 'requests_channel';

/** Coaching requests, where each was posted, and the workspace's requests channel. */
export class CoachingRequestStore implements CoachingRequestRepository {
  constructor(private readonly sql: Sql) {}

  private async load(r: Row | undefined): Promise<CoachingRequest | null> {
    if (!r) return null;
    const targets = (await this.sql.all<{ target: string }>('SELECT target FROM coaching_request_posts WHERE request_id = ? ORDER BY target', r.id)).map((t) => t.target);
    return {
      id: Number(r.id),
      teamId: r.team_id,
      requesterId: r.requester_id,
      teamName: r.team_name,
      painPoints: r.pain_points === '' ? [] : r.pain_points.split('\n'),
      outcomes: r.outcomes,
      urgency: r.urgency,
      status: r.status,
      decidedBy: r.decided_by,
      declineReason: r.decline_reason,
      engagementId: r.engagement_id === null ? null : Number(r.engagement_id),
      requesterTold: Number(r.requester_told) === 1,
      createdAt: new Date(r.created_at),
      decidedAt: r.decided_at ? new Date(r.decided_at) : null,
      targets,
    };
  }

  async insert(r: Parameters<CoachingRequestRepository['insert']>[0], at: Date): Promise<number> {
    const id = await this.sql.insertId(
      'INSERT INTO coaching_requests (team_id, requester_id, team_name, pain_points, outcomes, urgency, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      r.teamId,
      r.requesterId,
      r.teamName,
      r.painPoints.join('\n'),
      r.outcomes,
      r.urgency,
      at,
    );
    for (const target of new Set(r.targets)) await this.sql.run('INSERT INTO coaching_request_posts (request_id, target) VALUES (?, ?)', id, target);
    return id;
  }

  async get(id: number): Promise<CoachingRequest | null> {
    return await this.load(await this.sql.get<Row>('SELECT * FROM coaching_requests WHERE id = ?', id));
  }

  async decide(id: number, d: Parameters<CoachingRequestRepository['decide']>[1], at: Date): Promise<boolean> {
    return (
      (await this.sql.run(
        "UPDATE coaching_requests SET status = ?, decided_by = ?, decline_reason = ?, engagement_id = ?, decided_at = ? WHERE id = ? AND status = 'open'",
        d.status,
        d.by,
        d.reason,
        d.engagementId,
        at,
        id,
      )) === 1
    );
  }

  async forEngagement(engagementId: number): Promise<CoachingRequest | null> {
    return await this.load(await this.sql.get<Row>('SELECT * FROM coaching_requests WHERE engagement_id = ?', engagementId));
  }

  async markRequesterTold(id: number): Promise<boolean> {
    return (await this.sql.run('UPDATE coaching_requests SET requester_told = 1 WHERE id = ? AND requester_told = 0', id)) === 1;
  }

  async setPosted(requestId: number, target: string, channel: string, ts: string): Promise<void> {
    await this.sql.run('UPDATE coaching_request_posts SET channel = ?, ts = ? WHERE request_id = ? AND target = ?', channel, ts, requestId, target);
  }

  async post(requestId: number, target: string): Promise<{ channel: string | null; ts: string | null } | null> {
    return (await this.sql.get<{ channel: string | null; ts: string | null }>('SELECT channel, ts FROM coaching_request_posts WHERE request_id = ? AND target = ?', requestId, target)) ?? null;
  }

  async open(teamId: string, limit: number): Promise<CoachingRequest[]> {
    const rows = await this.sql.all<Row>("SELECT * FROM coaching_requests WHERE team_id = ? AND status = 'open' ORDER BY created_at, id LIMIT ?", teamId, limit);
    const out: CoachingRequest[] = [];
    for (const r of rows) out.push((await this.load(r)) as CoachingRequest);
    return out;
  }

  async requestsChannel(teamId: string): Promise<string | null> {
    return (await this.sql.get<{ value: string }>('SELECT value FROM workspace_settings WHERE team_id = ? AND name = ?', teamId, REQUESTS_CHANNEL))?.value ?? null;
  }

  async setRequestsChannel(teamId: string, channelId: string, by: string, at: Date): Promise<void> {
    await this.sql.run(
      `INSERT INTO workspace_settings (team_id, name, value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (team_id, name) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      teamId,
      REQUESTS_CHANNEL,
      channelId,
      by,
      at,
    );
  }

  async isCoach(teamId: string, userId: string): Promise<boolean> {
    return (await this.sql.count('SELECT COUNT(*) AS n FROM engagement_coaches WHERE team_id = ? AND user_id = ?', teamId, userId)) > 0;
  }
}
