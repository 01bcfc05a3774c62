import fs from 'node:fs';
import path from 'node:path';
import { openSqlite, type SqliteHandle } from '../../../src/store/connection';
import { defaultMigrationsDir, loadMigrations, migrate, MigrationError } from '../../../src/store/migrate';
import { tempDatabase, tempDir, testEngines } from '../../support/tempDb';

/** Opens a SQLite file: the query layer and the raw handle (to look at pragmas). */
function open(file: string) {
  const db = openSqlite(file);
  return { sql: db.sql, raw: db.sqlite as SqliteHandle };
}

describe('migrations on a real SQLite file', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('migrates an empty database to the latest version, with WAL and foreign keys on', async () => {
    const { sql, raw } = open(tmp.file('fresh/nested/db.sqlite'));
    const result = await migrate(sql);
    expect(result.from).toBe(0);
    expect(result.to).toBe(loadMigrations().length);
    expect(raw.pragma('user_version', { simple: true })).toBe(result.to);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (raw.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['engagements', 'escalation_levels', 'escalation_contacts', 'events', 'outbox', 'announcements']));
    await sql.close();
  });

  it('is a no-op the second time and keeps data', async () => {
    const file = tmp.file('twice.sqlite');
    const first = open(file);
    await migrate(first.sql);
    first.raw.prepare(`INSERT INTO events (team_id, type, created_at) VALUES ('T1', 'x', '2026-01-01')`).run();
    await first.sql.close();
    const again = open(file);
    expect(await migrate(again.sql)).toEqual({ from: loadMigrations().length, to: loadMigrations().length });
    expect(again.raw.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 1 });
    await again.sql.close();
  });

  it('migrates from each earlier version', async () => {
    const all = loadMigrations();
    for (let v = 0; v < all.length; v++) {
      const { sql } = open(tmp.file(`from-${v}.sqlite`));
      await migrate(sql, all.slice(0, v));
      expect(await migrate(sql, all)).toEqual({ from: v, to: all.length });
      await sql.close();
    }
  });

  it('upgrades a version-3 database with data in place: rows kept, a row left in flight becomes an expired claim', async () => {
    const all = loadMigrations();
    const { sql, raw } = open(tmp.file('v3-with-data.sqlite'));
    await migrate(sql, all.slice(0, 3));
    raw.prepare(`INSERT INTO outbox (team_id, kind, order_key, payload, status, next_attempt_at, created_at, updated_at) VALUES ('T1', 'dm', 'u', '{}', 'sending', 'x', 'x', 'x')`).run();
    raw.prepare(`INSERT INTO outbox (team_id, kind, order_key, payload, status, next_attempt_at, created_at, updated_at) VALUES ('T1', 'dm', 'v', '{}', 'pending', 'x', 'x', 'x')`).run();
    raw.prepare(`INSERT INTO processed_requests (team_id, request_key, created_at) VALUES ('T1', 'k', 'x')`).run();
    expect(await migrate(sql, all)).toEqual({ from: 3, to: all.length });
    expect(raw.prepare('SELECT status, claimed_by, lease_until FROM outbox ORDER BY id').all()).toEqual([
      { status: 'sending', claimed_by: null, lease_until: '1970-01-01T00:00:00.000Z' },
      { status: 'pending', claimed_by: null, lease_until: null },
    ]);
    expect(raw.prepare('SELECT COUNT(*) AS n FROM processed_requests').get()).toEqual({ n: 1 });
    await sql.close();
  });

  it('refuses a database written by a newer coachline, with a clear message', async () => {
    const { sql, raw } = open(tmp.file('future.sqlite'));
    await migrate(sql);
    raw.pragma('user_version = 999');
    await expect(migrate(sql)).rejects.toThrow(MigrationError);
    await expect(migrate(sql)).rejects.toThrow(/newer coachline/);
    await sql.close();
  });

  it('rolls back every statement of a failing migration', async () => {
    const dir = path.join(tmp.dir, 'bad-migrations');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '0001_ok.sql'), 'CREATE TABLE a (x INTEGER);');
    fs.writeFileSync(path.join(dir, '0002_broken.sql'), 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);');
    const { sql, raw } = open(tmp.file('broken.sqlite'));
    await expect(migrate(sql, loadMigrations(dir))).rejects.toThrow();
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
    expect(raw.prepare(`SELECT name FROM sqlite_master WHERE name IN ('a', 'b')`).all()).toEqual([]);
    await sql.close();
  });

  it('rejects migration files that skip a number', () => {
    const dir = path.join(tmp.dir, 'gap');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '0001_a.sql'), 'SELECT 1;');
    fs.writeFileSync(path.join(dir, '0003_c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/without gaps/);
  });
});

describe.each(testEngines())('migrations on %s', (engine) => {
  it('migrate from empty reaches the latest version and is then a no-op', async () => {
    const db = await tempDatabase(engine, { migrated: false });
    try {
      const latest = loadMigrations(defaultMigrationsDir(engine)).length;
      expect(await migrate(db.sql)).toEqual({ from: 0, to: latest });
      expect(await migrate(db.sql)).toEqual({ from: latest, to: latest });
    } finally {
      await db.close();
    }
  });

  it('both engines know the same migration numbers and names', () => {
    expect(loadMigrations(defaultMigrationsDir(engine)).map((m) => `${m.version}_${m.name}`)).toEqual(loadMigrations().map((m) => `${m.version}_${m.name}`));
  });
});
