import fs from 'node:fs';
import path from 'node:path';
import type { Db } from './connection';

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

/** Finds db/migrations whether we run from src/ (ts) or dist/src/ (compiled). */
export function defaultMigrationsDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'db', 'migrations');
    if (fs.existsSync(candidate)) return candidate;
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

/**
 * Applies pending migrations in one transaction and records the version in
 * PRAGMA user_version. Refuses a database written by a newer coachline.
 */
export function migrate(db: Db, migrations: Migration[] = loadMigrations()): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length;
  if (from > latest) {
    throw new MigrationError(
      `The database is at schema version ${from}, but this coachline only knows versions up to ${latest}. ` +
        'It was written by a newer coachline: upgrade coachline, or point DATABASE_PATH at another file.',
    );
  }
  if (from === latest) return { from, to: latest };
  const apply = db.transaction(() => {
    for (const m of migrations.slice(from)) db.exec(m.sql);
    db.pragma(`user_version = ${latest}`);
  });
  apply();
  return { from, to: latest };
}
