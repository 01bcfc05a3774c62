import type { Sql } from './sql';

/** What we know about people: their time zone (cached from users.info) and whether they opened the Home tab. */
export class PeopleStore {
  constructor(private readonly sql: Sql) {}

  async userZone(teamId: string, userId: string): Promise<{ tz: string | null; fetchedAt: Date } | null> {
    const r = await this.sql.get<{ tz: string | null; fetched_at: string }>('SELECT tz, fetched_at FROM user_zones WHERE team_id = ? AND user_id = ?', teamId, userId);
    return r ? { tz: r.tz, fetchedAt: new Date(r.fetched_at) } : null;
  }

  async setUserZone(teamId: string, userId: string, tz: string | null, at: Date): Promise<void> {
    await this.sql.run(
      'INSERT INTO user_zones (team_id, user_id, tz, fetched_at) VALUES (?, ?, ?, ?) ON CONFLICT (team_id, user_id) DO UPDATE SET tz = excluded.tz, fetched_at = excluded.fetched_at',
      teamId,
      userId,
      tz,
      at,
    );
  }

  /** Only the day is kept: the exact moment someone opened their Home could sit next to an anonymous raise from it. */
  async homeOpened(teamId: string, userId: string, at: Date): Promise<void> {
    await this.sql.run(
      'INSERT INTO home_views (team_id, user_id, opened_at) VALUES (?, ?, ?) ON CONFLICT (team_id, user_id) DO UPDATE SET opened_at = excluded.opened_at',
      teamId,
      userId,
      at.toISOString().slice(0, 10),
    );
  }

  /** Of these people, the ones who have opened the Home tab (their dashboards get refreshed). */
  async withHome(teamId: string, userIds: string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    const marks = userIds.map(() => '?').join(', ');
    const rows = await this.sql.all<{ user_id: string }>(`SELECT user_id FROM home_views WHERE team_id = ? AND user_id IN (${marks})`, teamId, ...userIds);
    return rows.map((r) => r.user_id);
  }
}
