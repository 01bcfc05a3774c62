import type { Sql } from './sql';

/** Each engagement's weekly digest schedule (the occurrence key is the engagement and its due time). */
export class DigestStore {
  constructor(private readonly sql: Sql) {}

  /** Engagements whose digest is due (their next time has passed, or was never set). */
  digestsDue(now: Date, limit: number): Promise<{ id: number; nextAt: string | null }[]> {
    return this.sql.all(
      `SELECT id, digest_next_at AS "nextAt" FROM engagements WHERE lifecycle = 'active' AND (digest_next_at IS NULL OR digest_next_at <= ?)
       ORDER BY digest_next_at IS NOT NULL, digest_next_at LIMIT ?`,
      now,
      limit,
    );
  }

  /** Moves the digest schedule on, only if nobody else did (never twice for one due time, on any instance). */
  async advanceDigest(id: number, expectedNextAt: string | null, lastAt: Date | null, nextAt: Date): Promise<boolean> {
    const set = 'UPDATE engagements SET digest_last_at = COALESCE(?, digest_last_at), digest_next_at = ? WHERE id = ?';
    const changed =
      expectedNextAt === null
        ? await this.sql.run(`${set} AND digest_next_at IS NULL`, lastAt, nextAt, id)
        : await this.sql.run(`${set} AND digest_next_at = ?`, lastAt, nextAt, id, expectedNextAt);
    return changed === 1;
  }

  /** A new weekly digest time; the next digest is moved to it. */
  async setDigestSchedule(id: number, s: { weekday: number; hour: number; minute: number }, nextAt: Date): Promise<void> {
    await this.sql.run('UPDATE engagements SET digest_weekday = ?, digest_hour = ?, digest_minute = ?, digest_next_at = ? WHERE id = ?', s.weekday, s.hour, s.minute, nextAt, id);
  }

  async digestSchedule(id: number): Promise<{ weekday: number; hour: number; minute: number; lastAt: Date | null }> {
    const r = await this.sql.get<{ digest_weekday: number; digest_hour: number; digest_minute: number; digest_last_at: string | null }>(
      'SELECT digest_weekday, digest_hour, digest_minute, digest_last_at FROM engagements WHERE id = ?',
      id,
    );
    if (!r) throw new Error(`engagement ${id} not found`);
    return { weekday: r.digest_weekday, hour: r.digest_hour, minute: r.digest_minute, lastAt: r.digest_last_at ? new Date(r.digest_last_at) : null };
  }
}
