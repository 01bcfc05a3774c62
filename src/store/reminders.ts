import type { Sql } from './sql';

/** Who owes what (stale check-ins, idle impediments) and the once-a-day reminder ledger. */
export class ReminderStore {
  constructor(private readonly sql: Sql) {}

  /** Active engagements without a check-in since `before` (coaches owe one). */
  async checkinsStale(before: Date, limit: number, afterId = 0): Promise<{ id: number; lastCheckinAt: Date | null; createdAt: Date }[]> {
    const rows = await this.sql.all<{ id: number; last_checkin_at: string | null; created_at: string }>(
      `SELECT id, last_checkin_at, created_at FROM engagements WHERE lifecycle = 'active' AND COALESCE(last_checkin_at, created_at) < ? AND id > ? ORDER BY id LIMIT ?`,
      before,
      afterId,
      limit,
    );
    return rows.map((r) => ({ id: r.id, lastCheckinAt: r.last_checkin_at ? new Date(r.last_checkin_at) : null, createdAt: new Date(r.created_at) }));
  }

  /** Owned, unclosed impediments with no change since `before`: just what deciding on a reminder needs. */
  async impedimentsIdle(before: Date, limit: number, afterId = 0): Promise<{ id: number; teamId: string; engagementId: number; ownerId: string; updatedAt: Date }[]> {
    const rows = await this.sql.all<{ id: number; team_id: string; engagement_id: number; owner_id: string; updated_at: string }>(
      `SELECT i.id, i.team_id, i.engagement_id, i.owner_id, i.updated_at FROM impediments i JOIN engagements e ON e.id = i.engagement_id AND e.lifecycle = 'active'
       WHERE i.state IN ('open', 'acknowledged') AND i.owner_id IS NOT NULL AND i.updated_at < ? AND i.id > ? ORDER BY i.id LIMIT ?`,
      before,
      afterId,
      limit,
    );
    return rows.map((r) => ({ id: r.id, teamId: r.team_id, engagementId: r.engagement_id, ownerId: r.owner_id, updatedAt: new Date(r.updated_at) }));
  }

  /** Distinct people a reminder run may write to: coaches of stale engagements, owners of idle impediments. */
  reminderRecipients(checkinBefore: Date, idleBefore: Date): Promise<{ teamId: string; userId: string }[]> {
    return this.sql.all(
      `SELECT c.team_id AS "teamId", c.user_id AS "userId" FROM engagements e JOIN engagement_coaches c ON c.engagement_id = e.id
       WHERE e.lifecycle = 'active' AND COALESCE(e.last_checkin_at, e.created_at) < ?
       UNION
       SELECT i.team_id, i.owner_id FROM impediments i JOIN engagements e ON e.id = i.engagement_id AND e.lifecycle = 'active'
       WHERE i.state IN ('open', 'acknowledged') AND i.owner_id IS NOT NULL AND i.updated_at < ?`,
      checkinBefore,
      idleBefore,
    );
  }

  async reminderState(kind: 'checkin' | 'impediment', itemId: number, userId: string): Promise<{ lastDate: string | null; snoozedUntil: Date | null }> {
    const r = await this.sql.get<{ last_reminded_date: string | null; snoozed_until: string | null }>(
      'SELECT last_reminded_date, snoozed_until FROM reminders WHERE kind = ? AND item_id = ? AND user_id = ?',
      kind,
      itemId,
      userId,
    );
    return { lastDate: r?.last_reminded_date ?? null, snoozedUntil: r?.snoozed_until ? new Date(r.snoozed_until) : null };
  }

  /**
   * Records today's reminder; false when another run (on any instance) already did: the row
   * (kind, item, person) with the local date is the occurrence key of "this person's reminder today".
   */
  async markReminded(teamId: string, kind: 'checkin' | 'impediment', itemId: number, userId: string, localDate: string): Promise<boolean> {
    const changed = await this.sql.run(
      `INSERT INTO reminders (team_id, kind, item_id, user_id, last_reminded_date) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (kind, item_id, user_id) DO UPDATE SET last_reminded_date = excluded.last_reminded_date
       WHERE reminders.last_reminded_date IS NULL OR reminders.last_reminded_date <> excluded.last_reminded_date`,
      teamId,
      kind,
      itemId,
      userId,
      localDate,
    );
    return changed === 1;
  }

  async snooze(teamId: string, kind: 'checkin' | 'impediment', itemId: number, userId: string, until: Date): Promise<void> {
    await this.sql.run(
      `INSERT INTO reminders (team_id, kind, item_id, user_id, snoozed_until) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (kind, item_id, user_id) DO UPDATE SET snoozed_until = excluded.snoozed_until`,
      teamId,
      kind,
      itemId,
      userId,
      until,
    );
  }
}
