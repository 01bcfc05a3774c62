import type { Param, Sql } from './sql';
import type { EscalationClock, Impediment, ImpedimentCard, ImpedimentSource, ImpedimentState, Severity } from '../domain/impedimentTypes';
import type { NewImpediment } from '../domain/ports';

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

export type { NewImpediment } from '../domain/ports';

/** SQL for impediments, their cards and escalation clocks. Callers own transactions. */
export class ImpedimentStore {
  constructor(private readonly sql: Sql) {}

  async insert(n: NewImpediment, at: Date): Promise<Impediment> {
    const counter = await this.sql.get<{ last_number: number }>(
      `INSERT INTO impediment_counters (team_id, last_number) VALUES (?, 1)
       ON CONFLICT (team_id) DO UPDATE SET last_number = impediment_counters.last_number + 1 RETURNING last_number`,
      n.teamId,
    );
    const number = Number(counter?.last_number);
    const id = await this.sql.insertId(
      `INSERT INTO impediments (team_id, number, engagement_id, description, severity, organisational, anonymous, reporter_id,
         source, source_permalink, due_at, followup_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      n.teamId,
      number,
      n.engagementId,
      n.description,
      n.severity,
      n.organisational,
      n.anonymous,
      n.anonymous ? null : n.reporterId,
      n.source,
      n.sourcePermalink,
      n.dueAt,
      n.followupHash,
      at,
      at,
    );
    await this.startClock(n.teamId, id, n.engagementId, 1, at, n.dueAt, false);
    return (await this.get(id)) as Impediment;
  }

  async get(id: number): Promise<Impediment | null> {
    const row = await this.sql.get<Row>('SELECT * FROM impediments WHERE id = ?', id);
    return row ? this.toImpediment(row) : null;
  }

  async getByNumber(teamId: string, number: number): Promise<Impediment | null> {
    const row = await this.sql.get<Row>('SELECT * FROM impediments WHERE team_id = ? AND number = ?', teamId, number);
    return row ? this.toImpediment(row) : null;
  }

  async followupHash(id: number): Promise<string | null> {
    const r = await this.sql.get<{ followup_hash: string | null }>('SELECT followup_hash FROM impediments WHERE id = ?', id);
    return r?.followup_hash ?? null;
  }

  /** Applies a change only if the impediment is still in the state the caller saw (no double transitions). */
  async update(
    id: number,
    expected: { state: ImpedimentState; level: number },
    change: Partial<{ state: ImpedimentState; level: number; dueAt: Date | null; ownerId: string; waitingOnExecutives: boolean; description: string; severity: Severity; resolutionNote: string | null; closedAt: Date }>,
    at: Date,
  ): Promise<boolean> {
    const sets: string[] = ['updated_at = ?'];
    const params: Param[] = [at];
    const put = (col: string, v: Param) => {
      sets.push(`${col} = ?`);
      params.push(v);
    };
    if (change.state !== undefined) put('state', change.state);
    if (change.level !== undefined) put('level', change.level);
    if (change.dueAt !== undefined) put('due_at', change.dueAt);
    if (change.ownerId !== undefined) put('owner_id', change.ownerId);
    if (change.waitingOnExecutives !== undefined) put('waiting_on_executives', change.waitingOnExecutives);
    if (change.description !== undefined) put('description', change.description);
    if (change.severity !== undefined) put('severity', change.severity);
    if (change.resolutionNote !== undefined) put('resolution_note', change.resolutionNote);
    if (change.closedAt !== undefined) put('closed_at', change.closedAt);
    const changed = await this.sql.run(`UPDATE impediments SET ${sets.join(', ')} WHERE id = ? AND state = ? AND level = ?`, ...params, id, expected.state, expected.level);
    return changed === 1;
  }

  async startClock(teamId: string, impedimentId: number, engagementId: number, level: number, at: Date, dueAt: Date, automatic: boolean): Promise<void> {
    await this.sql.run(
      `INSERT INTO escalation_clocks (team_id, impediment_id, engagement_id, level, started_at, due_at, automatic)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
      teamId,
      impedimentId,
      engagementId,
      level,
      at,
      dueAt,
      automatic,
    );
  }

  async acknowledgeClock(impedimentId: number, level: number, at: Date): Promise<void> {
    await this.sql.run('UPDATE escalation_clocks SET acknowledged_at = ? WHERE impediment_id = ? AND level = ? AND acknowledged_at IS NULL', at, impedimentId, level);
  }

  async endClocks(impedimentId: number, at: Date): Promise<void> {
    await this.sql.run('UPDATE escalation_clocks SET ended_at = ? WHERE impediment_id = ? AND ended_at IS NULL', at, impedimentId);
  }

  async clocksForEngagement(engagementId: number): Promise<EscalationClock[]> {
    const rows = await this.sql.all<{ impediment_id: number; level: number; started_at: string; due_at: string; acknowledged_at: string | null; ended_at: string | null; automatic: number }>(
      'SELECT * FROM escalation_clocks WHERE engagement_id = ? ORDER BY impediment_id, level',
      engagementId,
    );
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

  async addCardTarget(teamId: string, impedimentId: number, target: string): Promise<void> {
    await this.sql.run('INSERT INTO impediment_cards (team_id, impediment_id, target) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', teamId, impedimentId, target);
  }

  async setCard(impedimentId: number, target: string, channel: string, ts: string): Promise<void> {
    await this.sql.run('UPDATE impediment_cards SET channel = ?, ts = ? WHERE impediment_id = ? AND target = ?', channel, ts, impedimentId, target);
  }

  /** Active engagements a channel belongs to: their engagement channel or an active announcement channel. */
  async engagementsForChannel(teamId: string, channelId: string): Promise<number[]> {
    const rows = await this.sql.all<{ id: number }>(
      `SELECT id FROM engagements WHERE team_id = ? AND lifecycle = 'active' AND engagement_channel_id = ?
       UNION
       SELECT e.id FROM announcements a JOIN engagements e ON e.id = a.engagement_id
       WHERE a.team_id = ? AND a.channel_id = ? AND a.active = 1 AND e.lifecycle = 'active'`,
      teamId,
      channelId,
      teamId,
      channelId,
    );
    return rows.map((r) => r.id);
  }

  /** The active engagement whose own engagement channel this is, or null. */
  async engagementOfOwnChannel(teamId: string, channelId: string): Promise<number | null> {
    const r = await this.sql.get<{ id: number }>(
      `SELECT id FROM engagements WHERE team_id = ? AND engagement_channel_id = ? AND lifecycle = 'active' ORDER BY id DESC LIMIT 1`,
      teamId,
      channelId,
    );
    return r?.id ?? null;
  }

  /** Open (not closed) impediments past their due time, on engagements that auto-escalate, below the top level. */
  async dueForEscalation(now: Date, limit: number, afterDueAt = ''): Promise<{ id: number; level: number; dueAt: string }[]> {
    return this.sql.all(
      `SELECT i.id, i.level, i.due_at AS "dueAt" FROM impediments i JOIN engagements e ON e.id = i.engagement_id
       WHERE i.state = 'open' AND i.due_at <= ? AND i.due_at >= ? AND e.auto_escalate = 1 AND e.lifecycle = 'active'
         AND i.level < (SELECT MAX(level) FROM escalation_levels l WHERE l.engagement_id = i.engagement_id)
       ORDER BY i.due_at LIMIT ?`,
      now,
      afterDueAt,
      limit,
    );
  }

  async list(teamId: string, filter: { engagementId?: number; userId?: string; openOnly?: boolean }, limit: number): Promise<{ items: Impediment[]; total: number }> {
    // SQLite: `+i.team_id` leaves the engagement index to the planner when an engagement is given; "mine" is a union of two indexed lookups.
    const plus = filter.engagementId !== undefined || filter.userId !== undefined ? this.sql.sqliteOnly('+') : '';
    const where = [`${plus}i.team_id = ?`];
    const params: Param[] = [teamId];
    if (filter.engagementId !== undefined) {
      where.push('i.engagement_id = ?');
      params.push(filter.engagementId);
    }
    if (filter.userId !== undefined) {
      where.push(`i.id IN (SELECT id FROM impediments WHERE team_id = ? AND reporter_id = ?
        UNION SELECT id FROM impediments WHERE team_id = ? AND owner_id = ?)`);
      params.push(teamId, filter.userId, teamId, filter.userId);
    }
    if (filter.openOnly) where.push(`i.state IN ('open', 'acknowledged')`);
    const from = `FROM impediments i WHERE ${where.join(' AND ')}`;
    const total = await this.sql.count(`SELECT COUNT(*) AS n ${from}`, ...params);
    const rows = await this.sql.all<Row>(
      `SELECT i.* ${from} ORDER BY CASE i.state WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END,
         CASE i.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, i.created_at LIMIT ?`,
      ...params,
      limit,
    );
    const items: Impediment[] = [];
    for (const r of rows) items.push(await this.toImpediment(r));
    return { items, total };
  }

  private async toImpediment(r: Row): Promise<Impediment> {
    // Cards in the order they were added: SQLite's rowid, PostgreSQL's seq column (migration 0002 there).
    const order = this.sql.engine === 'sqlite' ? 'rowid' : 'seq';
    const cards = (
      await this.sql.all<ImpedimentCard>(`SELECT target, channel, ts FROM impediment_cards WHERE impediment_id = ? ORDER BY ${order}`, r.id)
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
