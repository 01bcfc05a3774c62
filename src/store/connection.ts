import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type PgModule from 'pg';
import { Sql } from './sql';
import type { Tables } from './tables';

/** The raw SQLite handle (only the store and SQLite-specific tools such as backups see it). */
export type SqliteHandle = BetterSqlite3.Database;

/** An open database: the query layer, plus the SQLite handle when the engine is SQLite. */
export interface Database {
  sql: Sql;
  sqlite: SqliteHandle | null;
}

/** Opens (creating the folder when needed) the SQLite file with WAL, foreign keys and a busy timeout. */
export function openSqlite(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.pragma('synchronous = NORMAL');
  const kysely = new Kysely<Tables>({ dialect: new SqliteDialect({ database: raw }) });
  // The connection's mutex is held by whoever calls this, so the raw handle is safe to use.
  const sql = new Sql('sqlite', kysely, async (_conn, text) => {
    raw.exec(text);
  });
  return { sql, sqlite: raw };
}

/** `pg` is loaded only when PostgreSQL is used, so the embedded default starts as fast as before. */
function loadPg(): typeof PgModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load of an optional engine's driver
  return require('pg') as typeof PgModule;
}

/** A pool on a PostgreSQL database (DATABASE_URL). `schema` sets the search_path (tests use one schema per file). */
export function openPostgres(url: string, opts: { schema?: string; max?: number } = {}): Database {
  const pg = loadPg();
  // PostgreSQL answers int8 (COUNT, SUM) and numeric as strings; every value we keep fits a JS number.
  const pgTypes = {
    getTypeParser(oid: number, format?: string) {
      if (oid === 20 || oid === 1700) return (v: string) => Number(v);
      // pg's own parsers for everything else.
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    types: pgTypes,
    options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const kysely = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const sql = new Sql('postgres', kysely, async (conn, text) => {
    await conn.executeQuery(CompiledQuery.raw(text));
  });
  return { sql, sqlite: null };
}

/** DATABASE_URL when set (PostgreSQL), else the SQLite file. */
export function openDatabase(where: { databaseUrl?: string | null; databasePath: string }): Database {
  return where.databaseUrl ? openPostgres(where.databaseUrl) : openSqlite(where.databasePath);
}

/** True when the database answers a trivial query. */
export async function databaseAnswers(sql: Sql): Promise<boolean> {
  try {
    return (await sql.get('SELECT 1 AS ok')) !== undefined;
  } catch {
    return false;
  }
}
