import type { Checkin } from '../domain/statusTypes';
import type { Health } from '../domain/types';
import type { Db } from './connection';

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
  constructor(private readonly db: Db) {}

  insert(c: Omit<Checkin, 'id'> & { teamId: string }): number {
    const at = c.createdAt.toISOString();
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO checkins (team_id, engagement_id, author_id, health, summary, next_steps, outcome_values, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(c.teamId, c.engagementId, c.authorId, c.health, c.summary, c.nextSteps, JSON.stringify(c.outcomeValues), at).lastInsertRowid,
    );
    this.db.prepare('UPDATE engagements SET health = ?, last_checkin_at = ?, updated_at = ? WHERE id = ?').run(c.health, at, at, c.engagementId);
    const setCurrent = this.db.prepare('UPDATE outcomes SET current = ? WHERE engagement_id = ? AND position = ? AND baseline IS NOT NULL');
    for (const v of c.outcomeValues) setCurrent.run(v.value, c.engagementId, v.position);
    return id;
  }

  /** Newest first. */
  latest(engagementId: number, limit = 2): Checkin[] {
    return (this.db.prepare('SELECT * FROM checkins WHERE engagement_id = ? ORDER BY id DESC LIMIT ?').all(engagementId, limit) as Row[]).map(toCheckin);
  }

  /** Every check-in of an engagement, oldest first (exports). */
  all(engagementId: number): Checkin[] {
    return (this.db.prepare('SELECT * FROM checkins WHERE engagement_id = ? ORDER BY id').all(engagementId) as Row[]).map(toCheckin);
  }

  /** Oldest first, within [from, to). */
  between(engagementId: number, from: Date, to: Date): Checkin[] {
    return (
      this.db
        .prepare('SELECT * FROM checkins WHERE engagement_id = ? AND created_at >= ? AND created_at < ? ORDER BY id')
        .all(engagementId, from.toISOString(), to.toISOString()) as Row[]
    ).map(toCheckin);
  }

  /** The latest check-in before a time (the digest's "health before"). */
  before(engagementId: number, at: Date): Checkin | null {
    const r = this.db.prepare('SELECT * FROM checkins WHERE engagement_id = ? AND created_at < ? ORDER BY id DESC LIMIT 1').get(engagementId, at.toISOString()) as Row | undefined;
    return r ? toCheckin(r) : null;
  }
}
