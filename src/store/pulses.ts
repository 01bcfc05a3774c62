import { randomBytes } from 'node:crypto';
import type { Pulse, PulseCandidate, PulseRepository } from '../domain/ports';
import type { PulseAnswer, PulseScores } from '../domain/pulseRules';
import type { Sql } from './sql';

interface PulseRow {
  id: number;
  team_id: string;
  engagement_id: number;
  occurrence: string;
  reason: Pulse['reason'];
  requested_by: string | null;
  status: Pulse['status'];
  asked: number;
  answered: number;
  opened_at: string;
  remind_at: string;
  closes_at: string;
  closed_on: string | null;
}

const toPulse = (r: PulseRow): Pulse => ({
  id: Number(r.id),
  teamId: r.team_id,
  engagementId: Number(r.engagement_id),
  occurrence: r.occurrence,
  reason: r.reason,
  requestedBy: r.requested_by,
  status: r.status,
  asked: Number(r.asked),
  answered: Number(r.answered),
  openedAt: new Date(r.opened_at),
  remindAt: new Date(r.remind_at),
  closesAt: new Date(r.closes_at),
  closedOn: r.closed_on,
});

interface AnswerRow {
  s1: number;
  s2: number;
  s3: number;
  s4: number;
  s5: number;
  comment: string | null;
}

/**
 * Pulses over both engines. Answers carry no person and the day only; their key is random and
 * the only order any read uses. Who answered is a keyed hash, never an id; it and who was asked
 * are deleted when the pulse closes.
 */
export class PulseStore implements PulseRepository {
  constructor(private readonly sql: Sql) {}

  async create(p: Parameters<PulseRepository['create']>[0]): Promise<number | null> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO pulses (team_id, engagement_id, occurrence, reason, requested_by, opened_at, remind_at, closes_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (engagement_id, occurrence) DO NOTHING RETURNING id`,
      p.teamId,
      p.engagementId,
      p.occurrence,
      p.reason,
      p.requestedBy,
      p.openedAt,
      p.remindAt,
      p.closesAt,
    );
    return row ? Number(row.id) : null;
  }

  async get(id: number): Promise<Pulse | null> {
    const r = await this.sql.get<PulseRow>('SELECT * FROM pulses WHERE id = ?', id);
    return r ? toPulse(r) : null;
  }

  async current(engagementId: number): Promise<Pulse | null> {
    const r = await this.sql.get<PulseRow>("SELECT * FROM pulses WHERE engagement_id = ? AND status <> 'closed' ORDER BY id DESC LIMIT 1", engagementId);
    return r ? toPulse(r) : null;
  }

  async closed(engagementId: number, limit: number): Promise<Pulse[]> {
    return (await this.sql.all<PulseRow>("SELECT * FROM pulses WHERE engagement_id = ? AND status = 'closed' ORDER BY id DESC LIMIT ?", engagementId, limit)).map(toPulse);
  }

  /**
   * Engagements that may be due a scheduled pulse: active ones kicked off since `recentSince` or
   * whose review date came since then, and ones completed since then. The rules decide.
   */
  async candidates(now: Date, recentSince: Date, today: string, limit: number, afterId: number): Promise<PulseCandidate[]> {
    const since = recentSince.toISOString();
    const sinceDay = since.slice(0, 10);
    const rows = await this.sql.all<{ id: number; team_id: string; lifecycle: string; created_at: string; review_date: string; closed_at: string | null }>(
      `SELECT id, team_id, lifecycle, created_at, review_date, closed_at FROM engagements
       WHERE id > ? AND ((lifecycle = 'active' AND (created_at >= ? OR (review_date >= ? AND review_date <= ?)))
                         OR (lifecycle = 'completed' AND closed_at >= ? AND closed_at <= ?))
       ORDER BY id LIMIT ?`,
      afterId,
      since,
      sinceDay,
      today,
      since,
      now,
      limit,
    );
    if (rows.length === 0) return [];
    const ids = rows.map((r) => Number(r.id));
    const had = await this.sql.all<{ engagement_id: number; occurrence: string; status: string }>(
      `SELECT engagement_id, occurrence, status FROM pulses WHERE engagement_id IN (${ids.map(() => '?').join(', ')})`,
      ...ids,
    );
    return rows.map((r) => {
      const mine = had.filter((h) => Number(h.engagement_id) === Number(r.id));
      return {
        id: Number(r.id),
        teamId: r.team_id,
        lifecycle: r.lifecycle,
        createdAt: new Date(r.created_at),
        reviewDate: r.review_date,
        closedAt: r.closed_at ? new Date(r.closed_at) : null,
        occurrences: mine.map((h) => h.occurrence),
        hasOpen: mine.some((h) => h.status !== 'closed'),
      };
    });
  }

  async teamMembers(engagementId: number): Promise<string[]> {
    return (await this.sql.all<{ user_id: string }>('SELECT user_id FROM engagement_team WHERE engagement_id = ? ORDER BY position', engagementId)).map((r) => r.user_id);
  }


  async recordAsked(pulseId: number, userIds: string[]): Promise<boolean> {
    const unique = [...new Set(userIds)];
    const opened = await this.sql.run("UPDATE pulses SET status = 'open', asked = ? WHERE id = ? AND status = 'inviting'", unique.length, pulseId);
    if (opened !== 1) return false;
    for (const userId of unique) {
      await this.sql.run('INSERT INTO pulse_recipients (pulse_id, user_id) VALUES (?, ?) ON CONFLICT (pulse_id, user_id) DO NOTHING', pulseId, userId);
    }
    return true;
  }

  async isAsked(pulseId: number, userId: string): Promise<boolean> {
    return (await this.sql.count('SELECT COUNT(*) AS n FROM pulse_recipients WHERE pulse_id = ? AND user_id = ?', pulseId, userId)) > 0;
  }

  async hasAnswered(pulseId: number, person: string): Promise<boolean> {
    return (await this.sql.count('SELECT COUNT(*) AS n FROM pulse_answered WHERE pulse_id = ? AND person = ?', pulseId, person)) > 0;
  }

  async markAnswered(pulseId: number, person: string): Promise<boolean> {
    const changed = await this.sql.run('INSERT INTO pulse_answered (pulse_id, person) VALUES (?, ?) ON CONFLICT (pulse_id, person) DO NOTHING', pulseId, person);
    if (changed !== 1) return false;
    await this.sql.run('UPDATE pulses SET answered = answered + 1 WHERE id = ?', pulseId);
    return true;
  }

  async insertAnswer(pulseId: number, day: string, a: PulseAnswer): Promise<void> {
    const [s1, s2, s3, s4, s5] = a.scores;
    await this.sql.run(
      'INSERT INTO pulse_answers (pulse_id, token, day, s1, s2, s3, s4, s5, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      pulseId,
      randomBytes(12).toString('hex'),
      day,
      s1,
      s2,
      s3,
      s4,
      s5,
      a.comment,
    );
  }

  async answers(pulseId: number): Promise<PulseAnswer[]> {
    return (await this.sql.all<AnswerRow>('SELECT s1, s2, s3, s4, s5, comment FROM pulse_answers WHERE pulse_id = ? ORDER BY token', pulseId)).map((r) => ({
      scores: [r.s1, r.s2, r.s3, r.s4, r.s5].map(Number) as PulseScores,
      comment: r.comment,
    }));
  }

  async dueReminders(now: Date, limit: number, after = { pulseId: 0, userId: '' }): Promise<{ pulseId: number; teamId: string; engagementId: number; userId: string }[]> {
    const rows = await this.sql.all<{ pulse_id: number; team_id: string; engagement_id: number; user_id: string }>(
      `SELECT r.pulse_id, p.team_id, p.engagement_id, r.user_id FROM pulses p JOIN pulse_recipients r ON r.pulse_id = p.id
       WHERE p.status = 'open' AND p.remind_at <= ? AND p.closes_at > ? AND r.reminded = 0
         AND (r.pulse_id > ? OR (r.pulse_id = ? AND r.user_id > ?))
       ORDER BY r.pulse_id, r.user_id LIMIT ?`,
      now,
      now,
      after.pulseId,
      after.pulseId,
      after.userId,
      limit,
    );
    return rows.map((r) => ({ pulseId: Number(r.pulse_id), teamId: r.team_id, engagementId: Number(r.engagement_id), userId: r.user_id }));
  }

  async markReminded(pulseId: number, userId: string): Promise<boolean> {
    return (await this.sql.run('UPDATE pulse_recipients SET reminded = 1 WHERE pulse_id = ? AND user_id = ? AND reminded = 0', pulseId, userId)) === 1;
  }

  async dueToClose(now: Date, limit: number): Promise<Pulse[]> {
    return (await this.sql.all<PulseRow>("SELECT * FROM pulses WHERE status <> 'closed' AND closes_at <= ? ORDER BY closes_at, id LIMIT ?", now, limit)).map(toPulse);
  }

  async close(pulseId: number, day: string): Promise<boolean> {
    const changed = await this.sql.run("UPDATE pulses SET status = 'closed', closed_on = ? WHERE id = ? AND status <> 'closed'", day, pulseId);
    if (changed !== 1) return false;
    await this.sql.run('DELETE FROM pulse_recipients WHERE pulse_id = ?', pulseId);
    await this.sql.run('DELETE FROM pulse_answered WHERE pulse_id = ?', pulseId);
    // Delivered invitations and reminders name who was asked and who had not answered by then.
    const tag = this.sql.engine === 'sqlite' ? "json_extract(payload, '$.pulseId')" : "(payload::json->>'pulseId')::integer";
    await this.sql.run(`DELETE FROM outbox WHERE kind = 'dm' AND status IN ('done', 'parked') AND ${tag} = ?`, pulseId);
    return true;
  }
}
