import type { Db } from './connection';

export interface EventRecord {
  id: number;
  teamId: string;
  engagementId: number | null;
  /** Null for system actions and for anything done anonymously. */
  actorId: string | null;
  type: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

export interface NewEvent {
  teamId: string;
  engagementId: number | null;
  impedimentId?: number | null;
  /** Null for system actions and for anything done anonymously. */
  actorId: string | null;
  type: string;
  data?: Record<string, unknown>;
  at: Date;
}

/** The append-only event log (the table refuses updates and deletes). */
export class EventStore {
  constructor(private readonly db: Db) {}

  append(e: NewEvent): number {
    const info = this.db
      .prepare('INSERT INTO events (team_id, engagement_id, impediment_id, actor_id, type, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.teamId, e.engagementId, e.impedimentId ?? null, e.actorId, e.type, JSON.stringify(e.data ?? {}), e.at.toISOString());
    return Number(info.lastInsertRowid);
  }

  forEngagement(engagementId: number, limit = 50): EventRecord[] {
    return this.read('SELECT * FROM events WHERE engagement_id = ? ORDER BY id DESC LIMIT ?', engagementId, limit);
  }

  /** An impediment's history, oldest first. */
  forImpediment(impedimentId: number, limit = 50): EventRecord[] {
    return this.read('SELECT * FROM (SELECT * FROM events WHERE impediment_id = ? ORDER BY id DESC LIMIT ?) ORDER BY id', impedimentId, limit);
  }

  private read(sql: string, ...params: unknown[]): EventRecord[] {
    const rows = this.db.prepare(sql).all(...params) as { id: number; team_id: string; engagement_id: number | null; actor_id: string | null; type: string; data: string; created_at: string }[];
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
