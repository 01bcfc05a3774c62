import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPostgres, openSqlite, type SqliteHandle } from '../../src/store/connection';
import { migrate } from '../../src/store/migrate';
import type { Engine, Sql } from '../../src/store/sql';

/** A fresh folder for a test's SQLite file; removed by `cleanup()`. */
export function tempDir(prefix = 'coachline-test-'): { dir: string; file: (name?: string) => string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file: (name = 'coachline.sqlite') => path.join(dir, name),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The engines the store tests run on: SQLite always; PostgreSQL when TEST_DATABASE_URL is set. */
export function testEngines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A throwaway PostgreSQL database on the TEST_DATABASE_URL server; its URL, and `await drop()` to remove it. */
export async function tempPostgresDatabase(prefix = 'coachline_t'): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface TempDatabase {
  engine: Engine;
  sql: Sql;
  /** SQLite only: the raw handle (for tests that look at SQLite internals). */
  sqlite: SqliteHandle | null;
  /** Where an app process finds it: DATABASE_PATH (SQLite) or DATABASE_URL (PostgreSQL). */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** A fresh, migrated database on the engine given (a temp SQLite file, or a new PostgreSQL database). */
export async function tempDatabase(engine: Engine, opts: { migrated?: boolean } = {}): Promise<TempDatabase> {
  if (engine === 'sqlite') {
    const tmp = tempDir();
    const file = tmp.file();
    const db = openSqlite(file);
    if (opts.migrated !== false) await migrate(db.sql);
    return {
      engine,
      sql: db.sql,
      sqlite: db.sqlite,
      env: { DATABASE_PATH: file },
      async close() {
        await db.sql.close();
        tmp.cleanup();
      },
    };
  }
  const made = await tempPostgresDatabase();
  const db = openPostgres(made.url);
  if (opts.migrated !== false) await migrate(db.sql);
  return {
    engine,
    sql: db.sql,
    sqlite: null,
    env: { DATABASE_URL: made.url },
    async close() {
      await db.sql.close();
      await made.drop();
    },
  };
}
