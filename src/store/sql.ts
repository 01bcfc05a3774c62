import { AsyncLocalStorage } from 'node:async_hooks';
import { CompiledQuery, type Kysely } from 'kysely';
import { retryBusy } from './busy';
import type { Tables } from './tables';

export type Engine = 'sqlite' | 'postgres';

/** A value a query may bind; booleans and dates are converted to the stored form (0/1, ISO text). */
export type Param = string | number | bigint | boolean | null | undefined | Date;

const bind = (p: Param): string | number | bigint | null => {
  if (p === undefined || p === null) return null;
  if (typeof p === 'boolean') return p ? 1 : 0;
  if (p instanceof Date) return p.toISOString();
  return p;
};

/** `?` placeholders become `$1, $2…` for PostgreSQL (outside quoted strings and identifiers). */
export function toDollarParams(text: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else out += ch;
  }
  return out;
}

/** A driver's error (better-sqlite3's SqliteError, pg's DatabaseError) as a plain Error with its code. */
export class DatabaseError extends Error {
  readonly code: string | undefined;
  constructor(cause: unknown) {
    const e = (cause ?? {}) as { message?: unknown; code?: unknown };
    super(typeof e.message === 'string' ? e.message : String(cause), { cause });
    this.name = 'DatabaseError';
    this.code = typeof e.code === 'string' ? e.code : undefined;
  }
}

const rethrow = (error: unknown): never => {
  throw error instanceof DatabaseError ? error : new DatabaseError(error);
};

/**
 * The one query layer over both engines: Kysely with typed tables for the builder, and
 * portable SQL text with `?` parameters for the aggregate queries. Inside `transaction(fn)`
 * every query of every store runs on the transaction's connection (found through
 * AsyncLocalStorage), so services never pass a transaction handle around.
 */
export class Sql {
  private readonly tx = new AsyncLocalStorage<Kysely<Tables>>();

  constructor(
    readonly engine: Engine,
    readonly kysely: Kysely<Tables>,
    /** Runs a multi-statement script on the connection given (migrations). */
    private readonly script: (conn: Kysely<Tables>, text: string) => Promise<void>,
  ) {}

  /** The builder bound to the current transaction, if any. */
  get db(): Kysely<Tables> {
    return this.tx.getStore() ?? this.kysely;
  }

  get inTransaction(): boolean {
    return this.tx.getStore() !== undefined;
  }

  /** SQLite-only text (index hints); nothing on PostgreSQL. */
  sqliteOnly(text: string): string {
    return this.engine === 'sqlite' ? text : '';
  }

  private compile(text: string, params: Param[]): CompiledQuery {
    return CompiledQuery.raw(this.engine === 'postgres' ? toDollarParams(text) : text, params.map(bind));
  }

  async all<T>(text: string, ...params: Param[]): Promise<T[]> {
    return (await this.db.executeQuery<T>(this.compile(text, params)).catch(rethrow)).rows;
  }

  async get<T>(text: string, ...params: Param[]): Promise<T | undefined> {
    return (await this.all<T>(text, ...params))[0];
  }

  /** Runs a statement; returns the number of rows it changed. */
  async run(text: string, ...params: Param[]): Promise<number> {
    const r = await this.db.executeQuery(this.compile(text, params)).catch(rethrow);
    return Number(r.numAffectedRows ?? r.rows.length);
  }

  /** INSERT … RETURNING id, on both engines. */
  async insertId(text: string, ...params: Param[]): Promise<number> {
    const row = await this.get<{ id: number | string }>(`${text} RETURNING id`, ...params);
    if (!row) throw new Error('insert returned no id');
    return Number(row.id);
  }

  /** A COUNT(*) AS n query (PostgreSQL answers bigint). */
  async count(text: string, ...params: Param[]): Promise<number> {
    const row = await this.get<{ n: number | string }>(text, ...params);
    return Number(row?.n ?? 0);
  }

  /**
   * Runs `fn` in one transaction. SQLite: BEGIN IMMEDIATE on its single connection, held
   * (Kysely's connection mutex) until commit, so concurrent transactions queue instead of
   * interleaving. PostgreSQL: a pooled connection. A transaction already open is joined.
   * Busy/serialization errors retry the whole transaction with a bounded backoff.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn();
    return retryBusy(() =>
      this.kysely.connection().execute(async (conn) => {
        await conn.executeQuery(CompiledQuery.raw(this.engine === 'sqlite' ? 'BEGIN IMMEDIATE' : 'BEGIN')).catch(rethrow);
        try {
          const result = await this.tx.run(conn, fn);
          await conn.executeQuery(CompiledQuery.raw('COMMIT')).catch(rethrow);
          return result;
        } catch (error) {
          await conn.executeQuery(CompiledQuery.raw('ROLLBACK')).catch(() => undefined);
          throw error;
        }
      }),
    );
  }

  /** Runs a multi-statement script inside the current transaction. */
  async exec(text: string): Promise<void> {
    const conn = this.tx.getStore();
    if (!conn) throw new Error('exec runs inside a transaction');
    await this.script(conn, text).catch(rethrow);
  }

  async close(): Promise<void> {
    await this.kysely.destroy();
  }
}
