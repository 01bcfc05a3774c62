import fs from 'node:fs';
import path from 'node:path';
import { loadDotEnv, parseConfig } from '../config';
import { openSqlite } from '../store/connection';

/**
 * `npm run backup [-- --to FILE]`: an online backup of the SQLite database (better-sqlite3's
 * backup API; coachline may keep running). PostgreSQL is backed up with pg_dump instead.
 */
export async function backupSqlite(source: string, target: string): Promise<{ pages: number }> {
  if (!fs.existsSync(source)) throw new Error(`there is no database at ${source} (DATABASE_PATH)`);
  const db = openSqlite(source);
  try {
    if (!db.sqlite) throw new Error('not a SQLite database');
    const r = await db.sqlite.backup(target);
    return { pages: r.totalPages };
  } finally {
    await db.sql.close();
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  const env = { SLACK_BOT_TOKEN: 'xoxb-backup', SLACK_SIGNING_SECRET: 'backup', ...process.env };
  const config = parseConfig(env);
  if (config.databaseUrl) {
    process.stderr.write('DATABASE_URL is set: back PostgreSQL up with pg_dump (npm run backup is for the SQLite file).\n');
    process.exit(1);
  }
  const i = process.argv.indexOf('--to');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : `${config.databasePath}.${stamp}.backup`;
  const r = await backupSqlite(config.databasePath, path.resolve(target));
  process.stdout.write(`backed up ${config.databasePath} to ${target} (${r.pages} pages)\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`backup failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
