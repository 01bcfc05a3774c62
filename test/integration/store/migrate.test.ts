import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../../src/store/connection';
import { loadMigrations, migrate, MigrationError } from '../../../src/store/migrate';
import { tempDir } from '../../support/tempDb';

describe('migrations on a real SQLite file', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('migrates an empty database to the latest version, with WAL and foreign keys on', () => {
    const db = openDatabase(tmp.file('fresh/nested/db.sqlite'));
    const result = migrate(db);
    expect(result.from).toBe(0);
    expect(result.to).toBe(loadMigrations().length);
    expect(db.pragma('user_version', { simple: true })).toBe(result.to);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['engagements', 'escalation_levels', 'escalation_contacts', 'events', 'outbox', 'announcements']));
    db.close();
  });

  it('is a no-op the second time and keeps data', () => {
    const file = tmp.file('twice.sqlite');
    const db = openDatabase(file);
    migrate(db);
    db.prepare(`INSERT INTO events (team_id, type, created_at) VALUES ('T1', 'x', '2026-01-01')`).run();
    db.close();
    const again = openDatabase(file);
    expect(migrate(again)).toEqual({ from: loadMigrations().length, to: loadMigrations().length });
    expect(again.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 1 });
    again.close();
  });

  it('migrates from each earlier version', () => {
    const all = loadMigrations();
    for (let v = 0; v < all.length; v++) {
      const db = openDatabase(tmp.file(`from-${v}.sqlite`));
      migrate(db, all.slice(0, v));
      expect(migrate(db, all)).toEqual({ from: v, to: all.length });
      db.close();
    }
  });

  it('refuses a database written by a newer coachline, with a clear message', () => {
    const db = openDatabase(tmp.file('future.sqlite'));
    migrate(db);
    db.pragma('user_version = 999');
    expect(() => migrate(db)).toThrow(MigrationError);
    expect(() => migrate(db)).toThrow(/newer coachline/);
    db.close();
  });

  it('rolls back every statement of a failing migration', () => {
    const dir = path.join(tmp.dir, 'bad-migrations');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '0001_ok.sql'), 'CREATE TABLE a (x INTEGER);');
    fs.writeFileSync(path.join(dir, '0002_broken.sql'), 'CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);');
    const db = openDatabase(tmp.file('broken.sqlite'));
    expect(() => migrate(db, loadMigrations(dir))).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name IN ('a', 'b')`).all()).toEqual([]);
    db.close();
  });

  it('rejects migration files that skip a number', () => {
    const dir = path.join(tmp.dir, 'gap');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '0001_a.sql'), 'SELECT 1;');
    fs.writeFileSync(path.join(dir, '0003_c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/without gaps/);
  });
});
