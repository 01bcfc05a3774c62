import type { EventRecord, NewEvent } from '../domain/ports';
import type { Sql } from './sql';

export type { EventRecord, NewEvent } from '../domain/ports';

interface Raw {
  id: number;
  team_id: string;
  engagement_id: number | null;
  actor_id: string | null;
  type: string;
  data: string;
  created_at: string;
}

/** The append-only event log (the table refuses updates and deletes). */
export class EventStore {
  constructor(private readonly sql: Sql) {}

  async append(e: NewEvent): Promise<number> {
    return this.sql.insertId(
      'INSERT INTO events (team_id, engagement_id, impediment_id, actor_id, type, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      e.teamId,
      e.engagementId,
      e.impedimentId ?? null,
      e.actorId,
      e.type,
      JSON.stringify(e.data ?? {}),
      e.at,
    );
  }

  async forEngagement(engagementId: number, limit = 50): Promise<EventRecord[]> {
    return this.read('SELECT * FROM events WHERE engagement_id = ? ORDER BY id DESC LIMIT ?', engagementId, limit);
  }

  /** An impediment's history, oldest first. */
  async forImpediment(impedimentId: number, limit = 50): Promise<EventRecord[]> {
    return this.read('SELECT * FROM (SELECT * FROM events WHERE impediment_id = ? ORDER BY id DESC LIMIT ?) recent ORDER BY id', impedimentId, limit);
  }

  private async read(text: string, ...params: number[]): Promise<EventRecord[]> {
    const rows = await this.sql.all<Raw>(text, ...params);
    return rows.map((r) => ({
      id: r.id,
      teamId: r.team_id,
      engagementId: r.engagement_id,
      actorId: r.actor_id,
      type: r.type,
      data: JSON.parse(r.data) as Record<string, unknown>,
      createdAt: new Date(r.created_at),
    }));
  }
}
