import type { Impediment, Severity } from '../domain/impedimentTypes';
import type { PortfolioFilter, PortfolioRow } from '../domain/statusTypes';
import type { Engagement, Health } from '../domain/types';
import type { ImpedimentStore } from './impediments';
import type { Param, Sql } from './sql';

interface PortfolioSqlRow {
  id: number;
  key: string;
  name: string;
  level: Engagement['level'];
  origin: Engagement['origin'];
  lifecycle: Engagement['lifecycle'];
  sponsor_id: string;
  health: Health | null;
  last_checkin_at: string | null;
  created_at: string;
  start_date: string;
  open: number;
  escalated: number;
  overdue: number;
  oldest: string | null;
}

/** Read models for /status, App Home and digests: aggregate queries, all indexed. */
export class PortfolioStore {
  constructor(
    private readonly sql: Sql,
    private readonly impediments: ImpedimentStore,
  ) {}

  /** One row per engagement with its impediment rollup, in one query (covering index impediments_rollup). */
  async portfolio(teamId: string, filter: PortfolioFilter, now: Date): Promise<PortfolioRow[]> {
    const where = ['e.team_id = ?'];
    const params: Param[] = [now, teamId];
    if (filter.type === 'active') where.push(`e.lifecycle = 'active'`);
    if (filter.type === 'mine') {
      where.push(`(e.sponsor_id = ?
        OR EXISTS (SELECT 1 FROM engagement_coaches c WHERE c.engagement_id = e.id AND c.user_id = ?)
        OR EXISTS (SELECT 1 FROM escalation_contacts x WHERE x.engagement_id = e.id AND x.user_id = ?)
        OR EXISTS (SELECT 1 FROM impediments r WHERE r.team_id = e.team_id AND r.reporter_id = ? AND r.engagement_id = e.id))`);
      params.push(filter.userId, filter.userId, filter.userId, filter.userId);
    }
    const rows = await this.sql.all<PortfolioSqlRow>(
      `SELECT e.id, e.key, e.name, e.level, e.origin, e.lifecycle, e.sponsor_id, e.health, e.last_checkin_at, e.created_at, e.start_date,
         (SELECT COUNT(*) FROM impediments i WHERE i.engagement_id = e.id AND i.state IN ('open', 'acknowledged')) AS open,
         (SELECT COUNT(*) FROM impediments i WHERE i.engagement_id = e.id AND i.state IN ('open', 'acknowledged') AND i.level > 1) AS escalated,
         (SELECT COUNT(*) FROM impediments i ${this.sql.sqliteOnly('INDEXED BY impediments_engagement_due')} WHERE i.engagement_id = e.id AND i.state = 'open' AND i.due_at <= ?) AS overdue,
         (SELECT MIN(i.created_at) FROM impediments i WHERE i.engagement_id = e.id AND i.state IN ('open', 'acknowledged')) AS oldest
       FROM engagements e WHERE ${where.join(' AND ')}`,
      ...params,
    );
    return rows.map((r) => ({
      id: r.id,
      key: r.key,
      name: r.name,
      level: r.level,
      origin: r.origin,
      lifecycle: r.lifecycle,
      sponsorId: r.sponsor_id,
      health: r.health,
      lastCheckinAt: r.last_checkin_at ? new Date(r.last_checkin_at) : null,
      openImpediments: Number(r.open),
      escalatedImpediments: Number(r.escalated),
      overdueImpediments: Number(r.overdue),
      oldestOpenAt: r.oldest ? new Date(r.oldest) : null,
      createdAt: new Date(r.created_at),
      startDate: r.start_date,
    }));
  }

  /** Kickoffs since a time (for the push/pull share of this and the last quarter). */
  async kickoffsSince(teamId: string, since: Date): Promise<{ origin: Engagement['origin']; createdAt: Date }[]> {
    const rows = await this.sql.all<{ origin: Engagement['origin']; created_at: string }>('SELECT origin, created_at FROM engagements WHERE team_id = ? AND created_at >= ?', teamId, since);
    return rows.map((r) => ({ origin: r.origin, createdAt: new Date(r.created_at) }));
  }

  async openBySeverity(engagementId: number): Promise<Record<Severity, number>> {
    const out: Record<Severity, number> = { low: 0, medium: 0, high: 0, critical: 0 };
    const rows = await this.sql.all<{ severity: Severity; n: number }>(
      `SELECT severity, COUNT(*) AS n FROM impediments WHERE engagement_id = ? AND state IN ('open', 'acknowledged') GROUP BY severity`,
      engagementId,
    );
    for (const r of rows) out[r.severity] = Number(r.n);
    return out;
  }

  private async ids(text: string, ...params: Param[]): Promise<Impediment[]> {
    const out: Impediment[] = [];
    for (const r of await this.sql.all<{ id: number }>(text, ...params)) out.push((await this.impediments.get(r.id)) as Impediment);
    return out;
  }

  /** Open or acknowledged impediments of an engagement, oldest first. */
  openImpediments(engagementId: number, limit: number): Promise<Impediment[]> {
    return this.ids(`SELECT id FROM impediments WHERE engagement_id = ? AND state IN ('open', 'acknowledged') ORDER BY created_at LIMIT ?`, engagementId, limit);
  }

  escalated(engagementId: number, limit: number): Promise<Impediment[]> {
    return this.ids(
      `SELECT id FROM impediments WHERE engagement_id = ? AND state IN ('open', 'acknowledged') AND level > 1 ORDER BY level DESC, due_at LIMIT ?`,
      engagementId,
      limit,
    );
  }

  countEscalated(engagementId: number): Promise<number> {
    return this.sql.count(`SELECT COUNT(*) AS n FROM impediments WHERE engagement_id = ? AND state IN ('open', 'acknowledged') AND level > 1`, engagementId);
  }

  countUnanswered(engagementId: number, now: Date): Promise<number> {
    return this.sql.count(
      `SELECT COUNT(*) AS n FROM impediments ${this.sql.sqliteOnly('INDEXED BY impediments_engagement_due')} WHERE engagement_id = ? AND state = 'open' AND due_at <= ?`,
      engagementId,
      now,
    );
  }

  unanswered(engagementId: number, now: Date, limit: number): Promise<Impediment[]> {
    return this.ids(
      `SELECT id FROM impediments ${this.sql.sqliteOnly('INDEXED BY impediments_engagement_due')} WHERE engagement_id = ? AND state = 'open' AND due_at <= ? ORDER BY due_at LIMIT ?`,
      engagementId,
      now,
      limit,
    );
  }

  /** Organisational impediments at the top of their line, waiting on executives. */
  executiveWaits(teamId: string, limit: number): Promise<Impediment[]> {
    return this.ids(
      `SELECT id FROM impediments WHERE team_id = ? AND state IN ('open', 'acknowledged') AND organisational = 1 AND waiting_on_executives = 1 ORDER BY created_at LIMIT ?`,
      teamId,
      limit,
    );
  }

  /** Impediments waiting on this person at their current level (not yet acknowledged). */
  waitingOn(teamId: string, userId: string, limit: number): Promise<Impediment[]> {
    return this.ids(
      // CROSS JOIN keeps SQLite's order: the person's few contact rows first, then their engagements' open impediments.
      `SELECT i.id FROM escalation_contacts c CROSS JOIN impediments i
       WHERE c.user_id = ? AND c.team_id = ? AND i.engagement_id = c.engagement_id AND i.state = 'open' AND i.level = c.level
       ORDER BY i.due_at LIMIT ?`,
      userId,
      teamId,
      limit,
    );
  }

  ownedBy(teamId: string, userId: string, limit: number): Promise<Impediment[]> {
    return this.ids(`SELECT id FROM impediments WHERE team_id = ? AND owner_id = ? AND state IN ('open', 'acknowledged') ORDER BY created_at LIMIT ?`, teamId, userId, limit);
  }

  /** Impediments between two times by what happened to them (for digests). */
  async changedBetween(
    engagementId: number,
    from: Date,
    to: Date,
  ): Promise<{ raised: Impediment[]; resolved: Impediment[]; escalated: Impediment[]; counts: { raised: number; resolved: number; escalated: number } }> {
    const range: Param[] = [engagementId, from, to];
    const count = (text: string) => this.sql.count(text, ...range);
    return {
      counts: {
        raised: await count(`SELECT COUNT(*) AS n FROM impediments WHERE engagement_id = ? AND created_at >= ? AND created_at < ?`),
        resolved: await count(`SELECT COUNT(*) AS n FROM impediments WHERE engagement_id = ? AND closed_at >= ? AND closed_at < ? AND state IN ('resolved', 'wont_fix')`),
        escalated: await count(`SELECT COUNT(DISTINCT impediment_id) AS n FROM escalation_clocks WHERE engagement_id = ? AND level > 1 AND started_at >= ? AND started_at < ?`),
      },
      raised: await this.ids(`SELECT id FROM impediments WHERE engagement_id = ? AND created_at >= ? AND created_at < ? ORDER BY id LIMIT 50`, ...range),
      resolved: await this.ids(
        `SELECT id FROM impediments WHERE engagement_id = ? AND closed_at >= ? AND closed_at < ? AND state IN ('resolved', 'wont_fix') ORDER BY id LIMIT 50`,
        ...range,
      ),
      escalated: await this.ids(
        `SELECT DISTINCT impediment_id AS id FROM escalation_clocks WHERE engagement_id = ? AND level > 1 AND started_at >= ? AND started_at < ? LIMIT 50`,
        ...range,
      ),
    };
  }
}
