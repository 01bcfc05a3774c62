/**
 * `npm run db:copy`: an SQLite install with real data (made through the app) moved to an empty
 * PostgreSQL database — every table and id intact, sequences past the copied ids, a non-empty
 * target refused. Runs when TEST_DATABASE_URL points at a PostgreSQL server.
 */
import { CopyRefused, COPY_ORDER, copySqliteToPostgres } from '../../../src/tools/dbCopy';
import { openPostgres, openSqlite } from '../../../src/store/connection';
import { startHarness, type Harness } from '../../support/harness';
import { kickOff, P, quickRaise } from '../../support/impedimentFlow';
import { tempPostgresDatabase } from '../../support/tempDb';

const withPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;
if (!process.env.TEST_DATABASE_URL) process.stderr.write('db:copy tests skipped: set TEST_DATABASE_URL to a PostgreSQL server to run them.\n');

withPostgres('db:copy (SQLite → PostgreSQL)', () => {
  let h: Harness;
  let target: Awaited<ReturnType<typeof tempPostgresDatabase>>;

  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_USER_IDS: P.admin } });
    const channel = h.emu.addChannel({ name: 'payments' });
    await kickOff(h, { from: channel, engagementChannel: 'coaching-payments', form: { channels: [channel] } });
    const e = await h.app.stores.engagements.getByKey('T0001', 'payments-platform');
    for (const text of ['The build takes two hours', 'Nobody owns the backlog', 'Staging is down every morning']) {
      await quickRaise(h, text, { user: P.reporter, channel: e!.engagementChannelId! });
    }
    await h.app.stop();
    target = await tempPostgresDatabase('coachline_copy');
  });
  afterAll(async () => {
    await h?.close();
    await target?.drop();
  });

  it('copies every table with its ids, and new rows get ids after the copied ones', async () => {
    const file = h.app.config.databasePath;
    const copied = await copySqliteToPostgres(file, target.url);
    expect(copied.map((c) => c.table)).toEqual([...COPY_ORDER]);
    expect(copied.find((c) => c.table === 'impediments')!.rows).toBe(3);

    const source = openSqlite(file);
    const pg = openPostgres(target.url);
    try {
      for (const table of COPY_ORDER) {
        const a = source.sqlite!.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
        const b = await pg.sql.all<Record<string, unknown>>(`SELECT * FROM ${table}`);
        // The columns SQLite has (PostgreSQL may add a generated one, such as a card's seq).
        const keys = Object.keys(a[0] ?? b[0] ?? {}).filter((k) => a.length === 0 || k in a[0]!).sort();
        const norm = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(keys.map((k) => [k, r[k] === null || r[k] === undefined ? null : String(r[k])]))).sort();
        expect({ table, rows: norm(b) }).toEqual({ table, rows: norm(a) });
      }
      const maxId = await pg.sql.count('SELECT MAX(id) AS n FROM events');
      const next = await pg.sql.insertId(
        "INSERT INTO events (team_id, engagement_id, actor_id, type, data, created_at) SELECT team_id, engagement_id, NULL, 'copy_check', '{}', created_at FROM events LIMIT 1",
      );
      expect(next).toBeGreaterThan(maxId);
    } finally {
      await source.sql.close();
      await pg.sql.close();
    }
  });

  it('refuses a target that is not empty', async () => {
    await expect(copySqliteToPostgres(h.app.config.databasePath, target.url)).rejects.toBeInstanceOf(CopyRefused);
  });
});
