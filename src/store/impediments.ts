import type { Db } from './connection';
import type { EscalationClock, Impediment, ImpedimentCard, ImpedimentSource, ImpedimentState, RaiseInput, Severity } from '../domain/impedimentTypes';

interface Row {
  id: number;
  team_id: string;
  number: number;
  engagement_id: number;
  description: string;
  severity: Severity;
  organisational: number;
  anonymous: number;
  reporter_id: string | null;
  owner_id: string | null;
  state: ImpedimentState;
  level: number;
  due_at: string | null;
  waiting_on_executives: number;
  source: ImpedimentSource;
  source_permalink: string | null;
  resolution_note: string | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

const date = (s: string | null) => (s ? new Date(s) : null);

/** A raise as stored: `reporterId` is null for an anonymous impediment (the schema refuses one then). */
export interface NewImpediment extends Omit<RaiseInput, 'requestKey'> {
  teamId: string;
  dueAt: Date;
  followupHash: string | null;
}

/** SQL for impediments, their cards and escalation clocks. Callers own transactions. */
export class ImpedimentStore {
  constructor(private readonly db: Db) {}

  insert(n: NewImpediment, at: Date): Impediment {
    const number = (
      this.db
        .prepare(
          `INSERT INTO impediment_counters (team_id, last_number) VALUES (?, 1)
           ON CONFLICT (team_id) DO UPDATE SET last_number = last_number + 1 RETURNING last_number`,
        )
        .get(n.teamId) as { last_number: number }
    ).last_number;
    const now = at.toISOString();
    const info = this.db
      .prepare(
        `INSERT INTO impediments (team_id, number, engagement_id, description, severity, organisational, anonymous, reporter_id,
           source, source_permalink, due_at, followup_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        n.teamId,
        number,
        n.engagementId,
        n.description,
        n.severity,
        n.organisational ? 1 : 0,
        n.anonymous ? 1 : 0,
        n.anonymous ? null : n.reporterId,
        n.source,
        n.sourcePermalink,
        n.dueAt.toISOString(),
        n.followupHash,
        now,
        now,
      );
    const id = Number(info.lastInsertRowid);
    this.startClock(n.teamId, id, n.engagementId, 1, at, n.dueAt, false);
    return this.get(id) as Impediment;
  }

  get(id: number): Impediment | null {
    const row = this.db.prepare('SELECT * FROM impediments WHERE id = ?').get(id) as Row | undefined;
    return row ? this.toImpediment(row) : null;
  }

  getByNumber(teamId: string, number: number): Impediment | null {
    const row = this.db.prepare('SELECT * FROM impediments WHERE team_id = ? AND number = ?').get(teamId, number) as Row | undefined;
    return row ? this.toImpediment(row) : null;
  }

  followupHash(id: number): string | null {
    const r = this.db.prepare('SELECT followup_hash FROM impediments WHERE id = ?').get(id) as { followup_hash: string | null } | undefined;
    return r?.followup_hash ?? null;
  }

  /** Applies a change only if the impediment is still in the state the caller saw (no double transitions). */
  update(
    id: number,
    expected: { state: ImpedimentState; level: number },
    change: Partial<{ state: ImpedimentState; level: number; dueAt: Date | null; ownerId: string; waitingOnExecutives: boolean; description: string; severity: Severity; resolutionNote: string | null; closedAt: Date }>,
    at: Date,
  ): boolean {
    const sets: string[] = ['updated_at = @at'];
    const params: Record<string, unknown> = { id, at: at.toISOString(), expState: expected.state, expLevel: expected.level };
    const put = (col: string, key: string, v: unknown) => {
      sets.push(`${col} = @${key}`);
      params[key] = v;
    };
    if (change.state !== undefined) put('state', 'state', change.state);
    if (change.level !== undefined) put('level', 'level', change.level);
    if (change.dueAt !== undefined) put('due_at', 'dueAt', change.dueAt ? change.dueAt.toISOString() : null);
    if (change.ownerId !== undefined) put('owner_id', 'ownerId', change.ownerId);
    if (change.waitingOnExecutives !== undefined) put('waiting_on_executives', 'waiting', change.waitingOnExecutives ? 1 : 0);
    if (change.description !== undefined) put('description', 'description', change.description);
    if (change.severity !== undefined) put('severity', 'severity', change.severity);
    if (change.resolutionNote !== undefined) put('resolution_note', 'note', change.resolutionNote);
    if (change.closedAt !== undefined) put('closed_at', 'closedAt', change.closedAt.toISOString());
    const info = this.db
      .prepare(`UPDATE impediments SET ${sets.join(', ')} WHERE id = @id AND state = @expState AND level = @expLevel`)
      .run(params);
    return info.changes === 1;
  }

  startClock(teamId: string, impedimentId: number, engagementId: number, level: number, at: Date, dueAt: Date, automatic: boolean): void {
    this.db
      .prepare(
        `INSERT INTO escalation_clocks (team_id, impediment_id, engagement_id, level, started_at, due_at, automatic)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(teamId, impedimentId, engagementId, level, at.toISOString(), dueAt.toISOString(), automatic ? 1 : 0);
  }

  acknowledgeClock(impedimentId: number, level: number, at: Date): void {
    this.db
      .prepare('UPDATE escalation_clocks SET acknowledged_at = ? WHERE impediment_id = ? AND level = ? AND acknowledged_at IS NULL')
      .run(at.toISOString(), impedimentId, level);
  }

  endClocks(impedimentId: number, at: Date): void {
    this.db.prepare('UPDATE escalation_clocks SET ended_at = ? WHERE impediment_id = ? AND ended_at IS NULL').run(at.toISOString(), impedimentId);
  }

  clocksForEngagement(engagementId: number): EscalationClock[] {
    const rows = this.db
      .prepare('SELECT * FROM escalation_clocks WHERE engagement_id = ? ORDER BY impediment_id, level')
      .all(engagementId) as { impediment_id: number; level: number; started_at: string; due_at: string; acknowledged_at: string | null; ended_at: string | null; automatic: number }[];
    return rows.map((r) => ({
      impedimentId: r.impediment_id,
      level: r.level,
      startedAt: new Date(r.started_at),
      dueAt: new Date(r.due_at),
      acknowledgedAt: date(r.acknowledged_at),
      endedAt: date(r.ended_at),
      automatic: r.automatic === 1,
    }));
  }

  addCardTarget(teamId: string, impedimentId: number, target: string): void {
    this.db.prepare('INSERT OR IGNORE INTO impediment_cards (team_id, impediment_id, target) VALUES (?, ?, ?)').run(teamId, impedimentId, target);
  }

  setCard(impedimentId: number, target: string, channel: string, ts: string): void {
    this.db.prepare('UPDATE impediment_cards SET channel = ?, ts = ? WHERE impediment_id = ? AND target = ?').run(channel, ts, impedimentId, target);
  }

  /** Active engagements a channel belongs to: their engagement channel or an active announcement channel. */
  engagementsForChannel(teamId: string, channelId: string): number[] {
    const rows = this.db
      .prepare(
        `SELECT id FROM engagements WHERE team_id = ? AND lifecycle = 'active' AND engagement_channel_id = ?
         UNION
         SELECT e.id FROM announcements a JOIN engagements e ON e.id = a.engagement_id
         WHERE a.team_id = ? AND a.channel_id = ? AND a.active = 1 AND e.lifecycle = 'active'`,
      )
      .all(teamId, channelId, teamId, channelId) as { id: number }[];
    return rows.map((r) => r.id);
  }

  /** The active engagement whose own engagement channel this is, or null. */
  engagementOfOwnChannel(teamId: string, channelId: string): number | null {
    const r = this.db
      .prepare(`SELECT id FROM engagements WHERE team_id = ? AND engagement_channel_id = ? AND lifecycle = 'active' ORDER BY id DESC LIMIT 1`)
      .get(teamId, channelId) as { id: number } | undefined;
    return r?.id ?? null;
  }

  /** Open (not closed) impediments past their due time, on engagements that auto-escalate, below the top level. */
  dueForEscalation(now: Date, limit: number, afterDueAt = ''): { id: number; level: number; dueAt: string }[] {
    return this.db
      .prepare(
        `SELECT i.id, i.level, i.due_at AS dueAt FROM impediments i JOIN engagements e ON e.id = i.engagement_id
         WHERE i.state = 'open' AND i.due_at <= ? AND i.due_at >= ? AND e.auto_escalate = 1 AND e.lifecycle = 'active'
           AND i.level < (SELECT MAX(level) FROM escalation_levels l WHERE l.engagement_id = i.engagement_id)
         ORDER BY i.due_at LIMIT ?`,
      )
      .all(now.toISOString(), afterDueAt, limit) as { id: number; level: number; dueAt: string }[];
  }

  list(teamId: string, filter: { engagementId?: number; userId?: string; openOnly?: boolean }, limit: number): { items: Impediment[]; total: number } {
    // `+i.team_id` leaves the engagement index to SQLite when an engagement is given; "mine" is a union of two indexed lookups.
    const where = [filter.engagementId !== undefined || filter.userId !== undefined ? '+i.team_id = @teamId' : 'i.team_id = @teamId'];
    if (filter.engagementId !== undefined) where.push('i.engagement_id = @engagementId');
    if (filter.userId !== undefined) {
      where.push(`i.id IN (SELECT id FROM impediments WHERE team_id = @teamId AND reporter_id = @userId
        UNION SELECT id FROM impediments WHERE team_id = @teamId AND owner_id = @userId)`);
    }
    if (filter.openOnly) where.push(`i.state IN ('open', 'acknowledged')`);
    const params = { teamId, engagementId: filter.engagementId, userId: filter.userId, limit };
    const sql = `FROM impediments i WHERE ${where.join(' AND ')}`;
    const total = (this.db.prepare(`SELECT COUNT(*) AS n ${sql}`).get(params) as { n: number }).n;
    const rows = this.db
      .prepare(
        `SELECT i.* ${sql} ORDER BY CASE i.state WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END,
           CASE i.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, i.created_at LIMIT @limit`,
      )
      .all(params) as Row[];
    return { items: rows.map((r) => this.toImpediment(r)), total };
  }

  private toImpediment(r: Row): Impediment {
    const cards = (
      this.db.prepare('SELECT target, channel, ts FROM impediment_cards WHERE impediment_id = ? ORDER BY rowid').all(r.id) as ImpedimentCard[]
    ).map((c) => ({ target: c.target, channel: c.channel, ts: c.ts }));
    return {
      id: r.id,
      teamId: r.team_id,
      number: r.number,
      engagementId: r.engagement_id,
      description: r.description,
      severity: r.severity,
      organisational: r.organisational === 1,
      anonymous: r.anonymous === 1,
      reporterId: r.reporter_id,
      ownerId: r.owner_id,
      state: r.state,
      level: r.level,
      dueAt: date(r.due_at),
      waitingOnExecutives: r.waiting_on_executives === 1,
      source: r.source,
      sourcePermalink: r.source_permalink,
      resolutionNote: r.resolution_note,
      createdAt: new Date(r.created_at),
      updatedAt: new Date(r.updated_at),
      closedAt: date(r.closed_at),
      cards,
    };
  }
}
