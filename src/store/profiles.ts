import { COACH_LEVELS, STRENGTHS, type CoachProfile, type ProfileRepository } from '../domain/profiles';
import type { Sql } from './sql';

interface Row {
  user_id: string;
  level: string;
  strengths: string;
}

const toProfile = (r: Row): CoachProfile => ({
  userId: r.user_id,
  level: COACH_LEVELS.find((l) => l === r.level) ?? 'coach',
  strengths: STRENGTHS.filter((s) => r.strengths.split(',').includes(s)),
});

/** Coach profiles (level and strengths), one per person and workspace. */
export class ProfileStore implements ProfileRepository {
  constructor(private readonly sql: Sql) {}

  async get(teamId: string, userId: string): Promise<CoachProfile | null> {
    const r = await this.sql.get<Row>('SELECT user_id, level, strengths FROM coach_profiles WHERE team_id = ? AND user_id = ?', teamId, userId);
    return r ? toProfile(r) : null;
  }

  async forUsers(teamId: string, userIds: readonly string[]): Promise<CoachProfile[]> {
    if (userIds.length === 0) return [];
    const rows = await this.sql.all<Row>(
      `SELECT user_id, level, strengths FROM coach_profiles WHERE team_id = ? AND user_id IN (${userIds.map(() => '?').join(', ')})`,
      teamId,
      ...userIds,
    );
    return userIds.flatMap((id) => rows.filter((r) => r.user_id === id).map(toProfile));
  }

  async all(teamId: string, limit: number): Promise<CoachProfile[]> {
    const rows = await this.sql.all<Row>(
      `SELECT user_id, level, strengths FROM coach_profiles WHERE team_id = ?
       ORDER BY CASE level WHEN 'staff' THEN 0 WHEN 'senior' THEN 1 WHEN 'coach' THEN 2 ELSE 3 END, user_id LIMIT ?`,
      teamId,
      limit,
    );
    return rows.map(toProfile);
  }

  async save(teamId: string, p: CoachProfile, at: Date): Promise<void> {
    await this.sql.run(
      `INSERT INTO coach_profiles (team_id, user_id, level, strengths, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (team_id, user_id) DO UPDATE SET level = excluded.level, strengths = excluded.strengths, updated_at = excluded.updated_at`,
      teamId,
      p.userId,
      p.level,
      p.strengths.join(','),
      at,
    );
  }
}
