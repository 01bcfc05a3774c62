import { loadDotEnv, parseConfig } from '../config';
import { openPostgres, openSqlite } from '../store/connection';
import { migrate } from '../store/migrate';
import type { Param, Sql } from '../store/sql';

/**
 * `npm run db:copy -- --to postgres://…`: moves an SQLite install (the file at DATABASE_PATH,
 * upgraded to the current schema first) to an empty PostgreSQL database — every table, with
 * its ids, and the identity sequences set past them. Refuses a target that holds any row.
 */

/** Every table, each after the tables its foreign keys point at (events refer to impediments). */
export const COPY_ORDER = [
  'engagements',
  'engagement_coaches',
  'pain_points',
  'outcomes',
  'escalation_levels',
  'escalation_contacts',
  'announcements',
  'impediment_counters',
  'impediments',
  'impediment_cards',
  'escalation_clocks',
  'events',
  'outbox',
  'processed_requests',
  'checkins',
  'reminders',
  'user_zones',
  'home_views',
  'engagement_team',
  'pulses',
  'pulse_recipients',
  'pulse_answered',
  'pulse_answers',
  'coaching_requests',
  'coaching_request_posts',
  'workspace_settings',
  'coach_profiles',
] as const;

const BATCH = 500;

/** Tables without a rowid (pulse answers keep no insertion order): copied in primary-key order. */
const SOURCE_ORDER: Partial<Record<(typeof COPY_ORDER)[number], string>> = { pulse_answers: 'pulse_id, token', pulse_answered: 'pulse_id, person' };

export class CopyRefused extends Error {}

async function columnsOf(target: Sql, table: string): Promise<{ name: string; identity: boolean }[]> {
  const rows = await target.all<{ column_name: string; is_identity: string }>(
    `SELECT column_name, is_identity FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`,
    table,
  );
  return rows.map((r) => ({ name: r.column_name, identity: r.is_identity === 'YES' }));
}

export async function copySqliteToPostgres(sourcePath: string, targetUrl: string): Promise<{ table: string; rows: number }[]> {
  const source = openSqlite(sourcePath);
  const target = openPostgres(targetUrl);
  try {
    const raw = source.sqlite;
    if (!raw) throw new Error('the source is not an SQLite database');
    await migrate(source.sql);
    await migrate(target.sql);
    for (const table of COPY_ORDER) {
      if ((await target.sql.count(`SELECT COUNT(*) AS n FROM ${table}`)) > 0) {
        throw new CopyRefused(`the target database is not empty (${table} has rows): db:copy only fills an empty database`);
      }
    }
    const copied: { table: string; rows: number }[] = [];
    await target.sql.transaction(async () => {
      for (const table of COPY_ORDER) {
        // Columns both engines have; a PostgreSQL-only identity column (e.g. a sequence number
        // SQLite keeps as rowid order) is generated, in the source's rowid order.
        const inSource = new Set((raw.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
        const columns = (await columnsOf(target.sql, table)).filter((c) => inSource.has(c.name));
        const names = columns.map((c) => c.name);
        const list = names.map((n) => `"${n}"`).join(', ');
        const overriding = columns.some((c) => c.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
        let rows = 0;
        let batch: Param[][] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          const values = batch.map((r) => `(${r.map(() => '?').join(', ')})`).join(', ');
          await target.sql.run(`INSERT INTO ${table} (${list})${overriding} VALUES ${values}`, ...batch.flat());
          rows += batch.length;
          batch = [];
        };
        for (const row of raw.prepare(`SELECT * FROM ${table} ORDER BY ${SOURCE_ORDER[table] ?? 'rowid'}`).iterate() as IterableIterator<Record<string, Param>>) {
          batch.push(names.map((n) => row[n] ?? null));
          if (batch.length >= BATCH) await flush();
        }
        await flush();
        for (const c of (await columnsOf(target.sql, table)).filter((x) => x.identity)) {
          await target.sql.get(
            `SELECT setval(pg_get_serial_sequence('${table}', '${c.name}'), COALESCE((SELECT MAX("${c.name}") FROM ${table}), 0) + 1, false)`,
          );
        }
        copied.push({ table, rows });
      }
    });
    return copied;
  } finally {
    await source.sql.close();
    await target.sql.close();
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  const i = process.argv.indexOf('--to');
  const to = i >= 0 ? process.argv[i + 1] : undefined;
  if (!to || !/^postgres(ql)?:\/\//.test(to)) {
    process.stderr.write('Usage: npm run db:copy -- --to postgres://user:password@host:5432/coachline (copies the SQLite file at DATABASE_PATH)\n');
    process.exit(2);
  }
  const config = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-copy', SLACK_SIGNING_SECRET: 'copy', ...process.env, DATABASE_URL: '' });
  const copied = await copySqliteToPostgres(config.databasePath, to);
  const total = copied.reduce((n, c) => n + c.rows, 0);
  process.stdout.write(`copied ${total} rows from ${config.databasePath}: ${copied.map((c) => `${c.table} ${c.rows}`).join(', ')}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`db:copy failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
