import fs from 'node:fs';
import path from 'node:path';
import type { Engine, Sql } from './sql';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Any fixed 64-bit number: the advisory lock every coachline instance takes to migrate. */
const PG_MIGRATION_LOCK = 7_305_822_001;

/**
 * Finds db/migrations whether we run from src/ (ts) or dist/src/ (compiled). SQLite's files
 * are in db/migrations; PostgreSQL's equivalents (same numbers) in db/migrations/postgres.
 */
export function defaultMigrationsDir(engine: Engine = 'sqlite'): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'db', 'migrations');
    if (fs.existsSync(candidate)) return engine === 'postgres' ? path.join(candidate, 'postgres') : candidate;
    dir = path.dirname(dir);
  }
  throw new MigrationError('db/migrations was not found next to the code; reinstall coachline from a clean checkout.');
}

/** Reads `NNNN_name.sql` files in version order; numbers must be 1..n without gaps. */
export function loadMigrations(dir = defaultMigrationsDir()): Migration[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const migrations = files.map((file) => {
    const m = /^(\d+)_([\w-]+)\.sql$/.exec(file);
    if (!m) throw new MigrationError(`Migration file ${file} must be named NNNN_name.sql.`);
    return { version: Number(m[1]), name: m[2], sql: fs.readFileSync(path.join(dir, file), 'utf8') };
  });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`Migrations must be numbered 1..n without gaps; found ${m.version} at position ${i + 1}.`);
  });
  return migrations;
}

/** The engine's own version record: PRAGMA user_version (SQLite), a one-row table (PostgreSQL). */
async function currentVersion(sql: Sql): Promise<number> {
  if (sql.engine === 'sqlite') {
    const r = await sql.get<{ user_version: number }>('PRAGMA user_version');
    return Number(r?.user_version ?? 0);
  }
  await sql.exec('CREATE TABLE IF NOT EXISTS coachline_schema (version INTEGER NOT NULL)');
  const r = await sql.get<{ version: number }>('SELECT version FROM coachline_schema');
  return r ? Number(r.version) : 0;
}

async function recordVersion(sql: Sql, version: number): Promise<void> {
  if (sql.engine === 'sqlite') await sql.exec(`PRAGMA user_version = ${Math.trunc(version)}`);
  else {
    await sql.run('DELETE FROM coachline_schema');
    await sql.run('INSERT INTO coachline_schema (version) VALUES (?)', version);
  }
}

/**
 * Applies pending migrations in one transaction under a lock (SQLite: BEGIN IMMEDIATE, the
 * write lock; PostgreSQL: pg_advisory_xact_lock), so instances starting together migrate
 * once. The version is read under the lock. Refuses a database written by a newer coachline.
 */
export async function migrate(sql: Sql, migrations: Migration[] = loadMigrations(defaultMigrationsDir(sql.engine))): Promise<{ from: number; to: number }> {
  const latest = migrations.length;
  return sql.transaction(async () => {
    if (sql.engine === 'postgres') await sql.get('SELECT pg_advisory_xact_lock(?)', PG_MIGRATION_LOCK);
    const from = await currentVersion(sql);
    if (from > latest) {
      throw new MigrationError(
        `The database is at schema version ${from}, but this coachline only knows versions up to ${latest}. ` +
          'It was written by a newer coachline: upgrade coachline, or point DATABASE_PATH at another file (DATABASE_URL at another database).',
      );
    }
    for (const m of migrations.slice(from)) await sql.exec(m.sql);
    if (from !== latest) await recordVersion(sql, latest);
    return { from, to: latest };
  });
}
