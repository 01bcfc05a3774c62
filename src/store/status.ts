import type { Impediment, Severity } from '../domain/impedimentTypes';
import type { PortfolioRow } from '../domain/statusTypes';
import type { Engagement, Health } from '../domain/types';
import type { Db } from './connection';
import type { ImpedimentStore } from './impediments';

export type PortfolioFilter = { type: 'active' } | { type: 'all' } | { type: 'mine'; userId: string };

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

/** Read models for /status, App Home, digests and reminders: aggregate queries, all indexed. */
export class StatusStore {
  constructor(
    private readonly db: Db,
    private readonly impediments: ImpedimentStore,
  ) {}

  /** One row per engagement with its impediment rollup, in one query (covering index impediments_rollup). */
  portfolio(teamId: string, filter: PortfolioFilter, now: Date): PortfolioRow[] {
    const where = ['e.team_id = @teamId'];
    if (filter.type === 'active') where.push(`e.lifecycle = 'active'`);
    if (filter.type === 'mine') {
      where.push(`(e.sponsor_id = @userId
        OR EXISTS (SELECT 1 FROM engagement_coaches c WHERE c.engagement_id = e.id AND c.user_id = @userId)
        OR EXISTS (SELECT 1 FROM escalation_contacts x WHERE x.engagement_id = e.id AND x.user_id = @userId)
        OR EXISTS (SELECT 1 FROM impediments r WHERE r.team_id = e.team_id AND r.reporter_id = @userId AND r.engagement_id = e.id))`);
    }
    const rows = this.db
      .prepare(
        `SELECT e.id, e.key, e.name, e.level, e.origin, e.lifecycle, e.sponsor_id, e.health, e.last_checkin_at, e.created_at, e.start_date,
           (SELECT COUNT(*) FROM impediments i WHERE i.engagement_id = e.id AND i.state IN ('open', 'acknowledged')) AS open,
           (SELECT COUNT(*) FROM impediments i WHERE i.engagement_id = e.id AND i.state IN ('open', 'acknowledged') AND i.level > 1) AS escalated,
           (SELECT COUNT(*) FROM impediments i INDEXED BY impediments_engagement_due WHERE i.engagement_id = e.id AND i.state = 'open' AND i.due_at <= @now) AS overdue,
           (SELECT MIN(i.created_at) FROM impediments i WHERE i.engagement_id = e.id AND i.state IN ('open', 'acknowledged')) AS oldest
         FROM engagements e WHERE ${where.join(' AND ')}`,
      )
      .all({ teamId, now: now.toISOString(), userId: filter.type === 'mine' ? filter.userId : null }) as PortfolioSqlRow[];
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
      openImpediments: r.open,
      escalatedImpediments: r.escalated,
      overdueImpediments: r.overdue,
      oldestOpenAt: r.oldest ? new Date(r.oldest) : null,
      createdAt: new Date(r.created_at),
      startDate: r.start_date,
    }));
  }

  /** Kickoffs since a time (for the push/pull share of this and the last quarter). */
  kickoffsSince(teamId: string, since: Date): { origin: Engagement['origin']; createdAt: Date }[] {
    return (
      this.db.prepare('SELECT origin, created_at FROM engagements WHERE team_id = ? AND created_at >= ?').all(teamId, since.toISOString()) as {
        origin: Engagement['origin'];
        created_at: string;
      }[]
    ).map((r) => ({ origin: r.origin, createdAt: new Date(r.created_at) }));
  }

  openBySeverity(engagementId: number): Record<Severity, number> {
    const out: Record<Severity, number> = { low: 0, medium: 0, high: 0, critical: 0 };
    const rows = this.db
      .prepare(`SELECT severity, COUNT(*) AS n FROM impediments WHERE engagement_id = ? AND state IN ('open', 'acknowledged') GROUP BY severity`)
      .all(engagementId) as { severity: Severity; n: number }[];
    for (const r of rows) out[r.severity] = r.n;
    return out;
  }

  private ids(sql: string, ...params: unknown[]): Impediment[] {
    return (this.db.prepare(sql).all(...params) as { id: number }[]).map((r) => this.impediments.get(r.id) as Impediment);
  }

  /** Open or acknowledged impediments of an engagement, oldest first. */
  openImpediments(engagementId: number, limit: number): Impediment[] {
    return this.ids(`SELECT id FROM impediments WHERE engagement_id = ? AND state IN ('open', 'acknowledged') ORDER BY created_at LIMIT ?`, engagementId, limit);
  }

  escalated(engagementId: number, limit: number): Impediment[] {
    return this.ids(
      `SELECT id FROM impediments WHERE engagement_id = ? AND state IN ('open', 'acknowledged') AND level > 1 ORDER BY level DESC, due_at LIMIT ?`,
      engagementId,
      limit,
    );
  }

  countEscalated(engagementId: number): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM impediments WHERE engagement_id = ? AND state IN ('open', 'acknowledged') AND level > 1`).get(engagementId) as { n: number }).n;
  }

  countUnanswered(engagementId: number, now: Date): number {
    return (
      this.db
        .prepare(`SELECT COUNT(*) AS n FROM impediments INDEXED BY impediments_engagement_due WHERE engagement_id = ? AND state = 'open' AND due_at <= ?`)
        .get(engagementId, now.toISOString()) as { n: number }
    ).n;
  }

  unanswered(engagementId: number, now: Date, limit: number): Impediment[] {
    return this.ids(
      `SELECT id FROM impediments INDEXED BY impediments_engagement_due WHERE engagement_id = ? AND state = 'open' AND due_at <= ? ORDER BY due_at LIMIT ?`,
      engagementId,
      now.toISOString(),
      limit,
    );
  }

  /** Organisational impediments at the top of their line, waiting on executives. */
  executiveWaits(teamId: string, limit: number): Impediment[] {
    return this.ids(
      `SELECT id FROM impediments WHERE team_id = ? AND state IN ('open', 'acknowledged') AND organisational = 1 AND waiting_on_executives = 1 ORDER BY created_at LIMIT ?`,
      teamId,
      limit,
    );
  }

  /** Impediments waiting on this person at their current level (not yet acknowledged). */
  waitingOn(teamId: string, userId: string, limit: number): Impediment[] {
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

  ownedBy(teamId: string, userId: string, limit: number): Impediment[] {
    return this.ids(`SELECT id FROM impediments WHERE team_id = ? AND owner_id = ? AND state IN ('open', 'acknowledged') ORDER BY created_at LIMIT ?`, teamId, userId, limit);
  }

  /** Impediments between two times by what happened to them (for digests). */
  changedBetween(
    engagementId: number,
    from: Date,
    to: Date,
  ): { raised: Impediment[]; resolved: Impediment[]; escalated: Impediment[]; counts: { raised: number; resolved: number; escalated: number } } {
    const range = [engagementId, from.toISOString(), to.toISOString()];
    const count = (sql: string) => (this.db.prepare(sql).get(...range) as { n: number }).n;
    return {
      counts: {
        raised: count(`SELECT COUNT(*) AS n FROM impediments WHERE engagement_id = ? AND created_at >= ? AND created_at < ?`),
        resolved: count(`SELECT COUNT(*) AS n FROM impediments WHERE engagement_id = ? AND closed_at >= ? AND closed_at < ? AND state IN ('resolved', 'wont_fix')`),
        escalated: count(`SELECT COUNT(DISTINCT impediment_id) AS n FROM escalation_clocks WHERE engagement_id = ? AND level > 1 AND started_at >= ? AND started_at < ?`),
      },
      raised: this.ids(`SELECT id FROM impediments WHERE engagement_id = ? AND created_at >= ? AND created_at < ? ORDER BY id LIMIT 50`, ...range),
      resolved: this.ids(
        `SELECT id FROM impediments WHERE engagement_id = ? AND closed_at >= ? AND closed_at < ? AND state IN ('resolved', 'wont_fix') ORDER BY id LIMIT 50`,
        ...range,
      ),
      escalated: this.ids(
        `SELECT DISTINCT impediment_id AS id FROM escalation_clocks WHERE engagement_id = ? AND level > 1 AND started_at >= ? AND started_at < ? LIMIT 50`,
        ...range,
      ),
    };
  }

  /** Engagements whose digest is due (their next time has passed, or was never set). */
  digestsDue(now: Date, limit: number): { id: number; nextAt: string | null }[] {
    return this.db
      .prepare(
        `SELECT id, digest_next_at AS nextAt FROM engagements WHERE lifecycle = 'active' AND (digest_next_at IS NULL OR digest_next_at <= ?)
         ORDER BY digest_next_at IS NOT NULL, digest_next_at LIMIT ?`,
      )
      .all(now.toISOString(), limit) as { id: number; nextAt: string | null }[];
  }

  /** Moves the digest schedule on, only if nobody else did (never twice for one due time). */
  advanceDigest(id: number, expectedNextAt: string | null, lastAt: Date | null, nextAt: Date): boolean {
    return (
      this.db
        .prepare('UPDATE engagements SET digest_last_at = COALESCE(?, digest_last_at), digest_next_at = ? WHERE id = ? AND digest_next_at IS ?')
        .run(lastAt ? lastAt.toISOString() : null, nextAt.toISOString(), id, expectedNextAt).changes === 1
    );
  }

  /** A new weekly digest time; the next digest is moved to it. */
  setDigestSchedule(id: number, s: { weekday: number; hour: number; minute: number }, nextAt: Date): void {
    this.db
      .prepare('UPDATE engagements SET digest_weekday = ?, digest_hour = ?, digest_minute = ?, digest_next_at = ? WHERE id = ?')
      .run(s.weekday, s.hour, s.minute, nextAt.toISOString(), id);
  }

  digestSchedule(id: number): { weekday: number; hour: number; minute: number; lastAt: Date | null } {
    const r = this.db.prepare('SELECT digest_weekday, digest_hour, digest_minute, digest_last_at FROM engagements WHERE id = ?').get(id) as {
      digest_weekday: number;
      digest_hour: number;
      digest_minute: number;
      digest_last_at: string | null;
    };
    return { weekday: r.digest_weekday, hour: r.digest_hour, minute: r.digest_minute, lastAt: r.digest_last_at ? new Date(r.digest_last_at) : null };
  }

  /** Active engagements without a check-in since `before` (coaches owe one). */
  checkinsStale(before: Date, limit: number, afterId = 0): { id: number; lastCheckinAt: Date | null; createdAt: Date }[] {
    return (
      this.db
        .prepare(`SELECT id, last_checkin_at, created_at FROM engagements WHERE lifecycle = 'active' AND COALESCE(last_checkin_at, created_at) < ? AND id > ? ORDER BY id LIMIT ?`)
        .all(before.toISOString(), afterId, limit) as { id: number; last_checkin_at: string | null; created_at: string }[]
    ).map((r) => ({ id: r.id, lastCheckinAt: r.last_checkin_at ? new Date(r.last_checkin_at) : null, createdAt: new Date(r.created_at) }));
  }

  /** Owned, unclosed impediments with no change since `before`. */
  /** Just what deciding on a reminder needs; the impediment itself is loaded only when one is sent. */
  impedimentsIdle(before: Date, limit: number, afterId = 0): { id: number; teamId: string; engagementId: number; ownerId: string; updatedAt: Date }[] {
    return (
      this.db
        .prepare(
          `SELECT i.id, i.team_id, i.engagement_id, i.owner_id, i.updated_at FROM impediments i JOIN engagements e ON e.id = i.engagement_id AND e.lifecycle = 'active'
           WHERE i.state IN ('open', 'acknowledged') AND i.owner_id IS NOT NULL AND i.updated_at < ? AND i.id > ? ORDER BY i.id LIMIT ?`,
        )
        .all(before.toISOString(), afterId, limit) as { id: number; team_id: string; engagement_id: number; owner_id: string; updated_at: string }[]
    ).map((r) => ({ id: r.id, teamId: r.team_id, engagementId: r.engagement_id, ownerId: r.owner_id, updatedAt: new Date(r.updated_at) }));
  }

  /** Distinct people a reminder run may write to: coaches of stale engagements, owners of idle impediments. */
  reminderRecipients(checkinBefore: Date, idleBefore: Date): { teamId: string; userId: string }[] {
    return (
      this.db
        .prepare(
          `SELECT c.team_id AS teamId, c.user_id AS userId FROM engagements e JOIN engagement_coaches c ON c.engagement_id = e.id
           WHERE e.lifecycle = 'active' AND COALESCE(e.last_checkin_at, e.created_at) < @checkin
           UNION
           SELECT i.team_id, i.owner_id FROM impediments i JOIN engagements e ON e.id = i.engagement_id AND e.lifecycle = 'active'
           WHERE i.state IN ('open', 'acknowledged') AND i.owner_id IS NOT NULL AND i.updated_at < @idle`,
        )
        .all({ checkin: checkinBefore.toISOString(), idle: idleBefore.toISOString() }) as { teamId: string; userId: string }[]
    );
  }

  reminderState(kind: 'checkin' | 'impediment', itemId: number, userId: string): { lastDate: string | null; snoozedUntil: Date | null } {
    const r = this.db.prepare('SELECT last_reminded_date, snoozed_until FROM reminders WHERE kind = ? AND item_id = ? AND user_id = ?').get(kind, itemId, userId) as
      | { last_reminded_date: string | null; snoozed_until: string | null }
      | undefined;
    return { lastDate: r?.last_reminded_date ?? null, snoozedUntil: r?.snoozed_until ? new Date(r.snoozed_until) : null };
  }

  /** Records today's reminder; false when another run already did (once a day). */
  markReminded(teamId: string, kind: 'checkin' | 'impediment', itemId: number, userId: string, localDate: string): boolean {
    return (
      this.db
        .prepare(
          `INSERT INTO reminders (team_id, kind, item_id, user_id, last_reminded_date) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (kind, item_id, user_id) DO UPDATE SET last_reminded_date = excluded.last_reminded_date
           WHERE reminders.last_reminded_date IS NOT excluded.last_reminded_date`,
        )
        .run(teamId, kind, itemId, userId, localDate).changes === 1
    );
  }

  snooze(teamId: string, kind: 'checkin' | 'impediment', itemId: number, userId: string, until: Date): void {
    this.db
      .prepare(
        `INSERT INTO reminders (team_id, kind, item_id, user_id, snoozed_until) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (kind, item_id, user_id) DO UPDATE SET snoozed_until = excluded.snoozed_until`,
      )
      .run(teamId, kind, itemId, userId, until.toISOString());
  }

  userZone(teamId: string, userId: string): { tz: string | null; fetchedAt: Date } | null {
    const r = this.db.prepare('SELECT tz, fetched_at FROM user_zones WHERE team_id = ? AND user_id = ?').get(teamId, userId) as { tz: string | null; fetched_at: string } | undefined;
    return r ? { tz: r.tz, fetchedAt: new Date(r.fetched_at) } : null;
  }

  setUserZone(teamId: string, userId: string, tz: string | null, at: Date): void {
    this.db
      .prepare('INSERT INTO user_zones (team_id, user_id, tz, fetched_at) VALUES (?, ?, ?, ?) ON CONFLICT (team_id, user_id) DO UPDATE SET tz = excluded.tz, fetched_at = excluded.fetched_at')
      .run(teamId, userId, tz, at.toISOString());
  }

  homeOpened(teamId: string, userId: string, at: Date): void {
    this.db.prepare('INSERT INTO home_views (team_id, user_id, opened_at) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET opened_at = excluded.opened_at').run(teamId, userId, at.toISOString());
  }

  /** Of these people, the ones who have opened the Home tab (their dashboards get refreshed). */
  withHome(teamId: string, userIds: string[]): string[] {
    if (userIds.length === 0) return [];
    return (
      this.db.prepare(`SELECT user_id FROM home_views WHERE team_id = ? AND user_id IN (SELECT value FROM json_each(?))`).all(teamId, JSON.stringify(userIds)) as {
        user_id: string;
      }[]
    ).map((r) => r.user_id);
  }
}
