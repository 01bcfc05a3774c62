import type { Sql } from './sql';

/** Remembers requests already acted on, so a repeat delivery changes nothing (on any instance). */
export class RequestStore {
  constructor(private readonly sql: Sql) {}

  /**
   * True the first time a key is claimed (call inside the transaction that acts on it). The
   * primary key (team_id, request_key) makes this insert-or-ignore on both engines: a second
   * instance's insert waits for the first one's transaction and then changes nothing.
   */
  async claim(teamId: string, key: string, at: Date): Promise<boolean> {
    // The day only: the exact moment of a request would date an anonymous raise to the millisecond.
    const changed = await this.sql.run(
      'INSERT INTO processed_requests (team_id, request_key, created_at) VALUES (?, ?, ?) ON CONFLICT (team_id, request_key) DO NOTHING',
      teamId,
      key,
      at.toISOString().slice(0, 10),
    );
    return changed === 1;
  }
}
