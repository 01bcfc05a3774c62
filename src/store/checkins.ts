import type { Checkin } from '../domain/statusTypes';
import type { Health } from '../domain/types';
import type { Sql } from './sql';

interface Row {
  id: number;
  engagement_id: number;
  author_id: string;
  health: Health;
  summary: string;
  next_steps: string;
  outcome_values: string;
  created_at: string;
}

const toCheckin = (r: Row): Checkin => ({
  id: r.id,
  engagementId: r.engagement_id,
  authorId: r.author_id,
  health: r.health,
  summary: r.summary,
  nextSteps: r.next_steps,
  outcomeValues: JSON.parse(r.outcome_values) as { position: number; value: number }[],
  createdAt: new Date(r.created_at),
});

/** Check-ins; saving one also moves the engagement's health, outcome values and last check-in time. */
export class CheckinStore {
  constructor(private readonly sql: Sql) {}

  async insert(c: Omit<Checkin, 'id'> & { teamId: string }): Promise<number> {
    const at = c.createdAt.toISOString();
    const id = await this.sql.insertId(
      `INSERT INTO checkins (team_id, engagement_id, author_id, health, summary, next_steps, outcome_values, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      c.teamId,
      c.engagementId,
      c.authorId,
      c.health,
      c.summary,
      c.nextSteps,
      JSON.stringify(c.outcomeValues),
      at,
    );
    await this.sql.run('UPDATE engagements SET health = ?, last_checkin_at = ?, updated_at = ? WHERE id = ?', c.health, at, at, c.engagementId);
    for (const v of c.outcomeValues) {
      await this.sql.run('UPDATE outcomes SET current = ? WHERE engagement_id = ? AND position = ? AND baseline IS NOT NULL', v.value, c.engagementId, v.position);
    }
    return id;
  }

  /** Newest first. */
  async latest(engagementId: number, limit = 2): Promise<Checkin[]> {
    return (await this.sql.all<Row>('SELECT * FROM checkins WHERE engagement_id = ? ORDER BY id DESC LIMIT ?', engagementId, limit)).map(toCheckin);
  }

  /** Every check-in of an engagement, oldest first (exports). */
  async all(engagementId: number): Promise<Checkin[]> {
    return (await this.sql.all<Row>('SELECT * FROM checkins WHERE engagement_id = ? ORDER BY id', engagementId)).map(toCheckin);
  }

  /** Oldest first, within [from, to). */
  async between(engagementId: number, from: Date, to: Date): Promise<Checkin[]> {
    return (await this.sql.all<Row>('SELECT * FROM checkins WHERE engagement_id = ? AND created_at >= ? AND created_at < ? ORDER BY id', engagementId, from, to)).map(toCheckin);
  }

  /** The latest check-in before a time (the digest's "health before"). */
  async before(engagementId: number, at: Date): Promise<Checkin | null> {
    const r = await this.sql.get<Row>('SELECT * FROM checkins WHERE engagement_id = ? AND created_at < ? ORDER BY id DESC LIMIT 1', engagementId, at);
    return r ? toCheckin(r) : null;
  }
}
