import type { Delivery } from '../domain/deliveries';
import { orderKeyFor } from '../domain/deliveries';
import type { Sql } from './sql';

export type OutboxStatus = 'pending' | 'sending' | 'done' | 'parked';

export interface OutboxRow {
  id: number;
  teamId: string;
  engagementId: number | null;
  kind: string;
  orderKey: string;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  /** The previous attempt may have reached Slack before we lost track of it. */
  inDoubt: boolean;
  attemptStarted: Date | null;
  lastError: string | null;
  result: Record<string, unknown> | null;
}

interface Raw {
  id: number;
  team_id: string;
  engagement_id: number | null;
  kind: string;
  order_key: string;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  in_doubt: number;
  attempt_started: string | null;
  last_error: string | null;
  result: string | null;
}

const toRow = (r: Raw): OutboxRow => ({
  id: r.id,
  teamId: r.team_id,
  engagementId: r.engagement_id,
  kind: r.kind,
  orderKey: r.order_key,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  status: r.status,
  attempts: r.attempts,
  inDoubt: r.in_doubt === 1,
  attemptStarted: r.attempt_started ? new Date(r.attempt_started) : null,
  lastError: r.last_error,
  result: r.result ? (JSON.parse(r.result) as Record<string, unknown>) : null,
});

/** A claimed row; `takenOver` when it was another (dead) instance's expired claim. */
export type OutboxClaim = OutboxRow & { takenOver: boolean };

export interface NewOutboxItem {
  teamId: string;
  engagementId: number | null;
  kind: string;
  /** Items with the same key are delivered one at a time, in id order. */
  orderKey: string;
  payload: Record<string, unknown>;
}

/** SQL for the durable outbox. */
export class OutboxStore {
  constructor(private readonly sql: Sql) {}

  async enqueue(item: NewOutboxItem, at: Date): Promise<number> {
    return this.sql.insertId(
      `INSERT INTO outbox (team_id, engagement_id, kind, order_key, payload, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      item.teamId,
      item.engagementId,
      item.kind,
      item.orderKey,
      JSON.stringify(item.payload),
      at,
      at,
      at,
    );
  }

  /**
   * Claims due items for `owner` until `leaseUntil`: pending items whose time came, and items
   * whose lease expired (their instance died mid-delivery; they are in doubt now). Only the head
   * of each order key (no earlier item of the same key still pending or sending) is taken, so a
   * conversation's messages go out in order whichever instance sends them. PostgreSQL locks the
   * picked rows (FOR UPDATE SKIP LOCKED) so concurrent claimers take different rows; SQLite has
   * one writer (the claim runs in a BEGIN IMMEDIATE transaction).
   */
  async claimDue(at: Date, limit: number, excludeKeys: Set<string>, claim: { owner: string; leaseUntil: Date } = { owner: 'local', leaseUntil: new Date(at.getTime() + 300_000) }): Promise<OutboxClaim[]> {
    const now = at.toISOString();
    const lock = this.sql.engine === 'postgres' ? ' FOR UPDATE OF o SKIP LOCKED' : '';
    const head = `NOT EXISTS (SELECT 1 FROM outbox p WHERE p.order_key = o.order_key AND p.id < o.id AND p.status IN ('pending', 'sending'))`;
    return this.sql.transaction(async () => {
      const want = limit + excludeKeys.size;
      const expired = await this.sql.all<Raw>(
        `SELECT o.* FROM outbox o WHERE o.status = 'sending' AND o.lease_until <= ? AND ${head} ORDER BY o.id LIMIT ?${lock}`,
        now,
        want,
      );
      const pending = await this.sql.all<Raw>(
        `SELECT o.* FROM outbox o WHERE o.status = 'pending' AND o.next_attempt_at <= ? AND ${head} ORDER BY o.id LIMIT ?${lock}`,
        now,
        want,
      );
      const picked = [...expired, ...pending]
        .sort((x, y) => x.id - y.id)
        .filter((r) => !excludeKeys.has(r.order_key))
        .slice(0, limit);
      const out: OutboxClaim[] = [];
      for (const r of picked) {
        const takenOver = r.status === 'sending';
        // An expired lease means the last attempt may have reached Slack: in doubt, keeping that attempt's start for the lookup.
        const inDoubt = r.in_doubt === 1 || takenOver;
        const started = inDoubt && r.attempt_started ? r.attempt_started : now;
        const changed = await this.sql.run(
          `UPDATE outbox SET status = 'sending', attempts = attempts + 1, in_doubt = ?, attempt_started = ?, claimed_by = ?, lease_until = ?, updated_at = ?
           WHERE id = ? AND (status = 'pending' OR (status = 'sending' AND lease_until <= ?))`,
          inDoubt,
          started,
          claim.owner,
          claim.leaseUntil,
          now,
          r.id,
          now,
        );
        if (changed !== 1) continue;
        out.push({ ...toRow({ ...r, status: 'sending', attempts: r.attempts + 1, in_doubt: inDoubt ? 1 : 0, attempt_started: started }), takenOver });
      }
      return out;
    });
  }

  async markDone(id: number, result: Record<string, unknown>, at: Date): Promise<void> {
    await this.sql.run(`UPDATE outbox SET status = 'done', result = ?, in_doubt = 0, last_error = NULL, claimed_by = NULL, lease_until = NULL, updated_at = ? WHERE id = ?`, JSON.stringify(result), at, id);
  }

  /** Puts an item back for another try; `inDoubt` when Slack may have acted on the last attempt. */
  /** Back to pending until `nextAt`; `countAttempt: false` gives the attempt back (it never reached the item, e.g. the token was refused). */
  async retryLater(id: number, nextAt: Date, error: string, inDoubt: boolean, at: Date, countAttempt = true): Promise<void> {
    await this.sql.run(
      `UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?, in_doubt = CASE WHEN in_doubt = 1 OR ? = 1 THEN 1 ELSE 0 END,
         attempts = CASE WHEN ? = 1 OR attempts = 0 THEN attempts ELSE attempts - 1 END, claimed_by = NULL, lease_until = NULL, updated_at = ? WHERE id = ?`,
      nextAt,
      error,
      inDoubt ? 1 : 0,
      countAttempt ? 1 : 0,
      at,
      id,
    );
  }

  async park(id: number, error: string, at: Date): Promise<void> {
    await this.sql.run(`UPDATE outbox SET status = 'parked', last_error = ?, claimed_by = NULL, lease_until = NULL, updated_at = ? WHERE id = ?`, error, at, id);
  }

  /** Earliest time something becomes due, for the sender's timer. */
  async nextDueAt(): Promise<Date | null> {
    const pending = await this.sql.get<{ t: string | null }>(`SELECT MIN(next_attempt_at) AS t FROM outbox WHERE status = 'pending'`);
    // Another instance's lease falling due counts too: this one takes the row over then.
    const lease = await this.sql.get<{ t: string | null }>(`SELECT MIN(lease_until) AS t FROM outbox WHERE status = 'sending'`);
    const times = [pending?.t, lease?.t].filter((t): t is string => !!t).sort();
    return times[0] ? new Date(times[0]) : null;
  }

  /** True when a later item of the same kind for the same engagement is still waiting (this one is superseded). */
  async hasLaterPending(id: number, kind: string, engagementId: number): Promise<boolean> {
    return (await this.sql.get(`SELECT 1 AS x FROM outbox WHERE id > ? AND kind = ? AND engagement_id = ? AND status = 'pending' LIMIT 1`, id, kind, engagementId)) !== undefined;
  }

  /** True when a later item with the same order key is still waiting. */
  async hasLaterPendingKey(id: number, orderKey: string): Promise<boolean> {
    return (await this.sql.get(`SELECT 1 AS x FROM outbox WHERE order_key = ? AND id > ? AND status = 'pending' LIMIT 1`, orderKey, id)) !== undefined;
  }

  async get(id: number): Promise<OutboxRow | null> {
    const r = await this.sql.get<Raw>('SELECT * FROM outbox WHERE id = ?', id);
    return r ? toRow(r) : null;
  }

  async counts(): Promise<Record<OutboxStatus, number>> {
    const rows = await this.sql.all<{ status: OutboxStatus; n: number | string }>('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status');
    const out: Record<OutboxStatus, number> = { pending: 0, sending: 0, done: 0, parked: 0 };
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }
}

/** Commits a domain delivery to the outbox (call inside the transaction that caused it). */
export function enqueueDelivery(outbox: OutboxStore, teamId: string, d: Delivery, at: Date, sponsorId?: string): Promise<number> {
  return outbox.enqueue(
    { teamId, engagementId: 'engagementId' in d && d.engagementId !== undefined ? d.engagementId : null, kind: d.kind, orderKey: orderKeyFor(d, sponsorId), payload: d as unknown as Record<string, unknown> },
    at,
  );
}
