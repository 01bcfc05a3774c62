import type { Db } from './connection';

/** Remembers requests already acted on, so a repeat delivery changes nothing. */
export class RequestStore {
  constructor(private readonly db: Db) {}

  /** True the first time a key is claimed (call inside the transaction that acts on it). */
  claim(teamId: string, key: string, at: Date): boolean {
    return this.db.prepare('INSERT OR IGNORE INTO processed_requests (team_id, request_key, created_at) VALUES (?, ?, ?)').run(teamId, key, at.toISOString()).changes === 1;
  }
}
