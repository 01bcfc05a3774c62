/**
 * The stores on each engine (SQLite always; PostgreSQL when TEST_DATABASE_URL is set): the
 * behaviour several instances rely on (request claims, occurrence keys, transactions) and the
 * read models, through the same code the app runs.
 */
import { EngagementStore } from '../../../src/store/engagements';
import { ImpedimentStore } from '../../../src/store/impediments';
import { RequestStore } from '../../../src/store/requests';
import { DigestStore } from '../../../src/store/digests';
import { ReminderStore } from '../../../src/store/reminders';
import { PeopleStore } from '../../../src/store/people';
import { PortfolioStore } from '../../../src/store/portfolio';
import { CheckinStore } from '../../../src/store/checkins';
import { openPostgres, openSqlite } from '../../../src/store/connection';
import { isBusyError, retryBusy } from '../../../src/store/busy';
import type { Sql } from '../../../src/store/sql';
import { draft } from '../../support/drafts';
import { tempDatabase, testEngines, type TempDatabase } from '../../support/tempDb';

const TEAM = 'T1';
const now = new Date('2026-11-23T10:00:00Z');

/** A second connection (pool) on the same database: another instance. */
function secondInstance(db: TempDatabase): Sql {
  return db.engine === 'sqlite' ? openSqlite(db.env.DATABASE_PATH!).sql : openPostgres(db.env.DATABASE_URL!).sql;
}

describe.each(testEngines())('stores on %s', (engine) => {
  let db: TempDatabase;
  let engagements: EngagementStore;
  let impediments: ImpedimentStore;
  beforeEach(async () => {
    db = await tempDatabase(engine);
    engagements = new EngagementStore(db.sql);
    impediments = new ImpedimentStore(db.sql);
  });
  afterEach(() => db.close());

  const raise = (engagementId: number, over: Partial<Parameters<ImpedimentStore['insert']>[0]> = {}) =>
    impediments.insert(
      { teamId: TEAM, engagementId, description: 'blocked', severity: 'high', organisational: false, reporterId: 'UREP', anonymous: false, source: 'command', sourcePermalink: null, dueAt: now, followupHash: null, ...over },
      now,
    );

  it('a request key is claimed once, also by a second instance', async () => {
    const other = secondInstance(db);
    try {
      expect(await new RequestStore(db.sql).claim(TEAM, 'view:1', now)).toBe(true);
      expect(await new RequestStore(other).claim(TEAM, 'view:1', now)).toBe(false);
      expect(await new RequestStore(other).claim(TEAM, 'view:2', now)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('impediments: numbers per workspace, compare-and-set updates, cards in the order added, due list in due order', async () => {
    const e = await engagements.insert(TEAM, draft(), 'U1', now);
    const a = await raise(e);
    const b = await raise(e, { dueAt: new Date(now.getTime() - 60_000) });
    expect([a.number, b.number]).toEqual([1, 2]);
    await impediments.addCardTarget(TEAM, a.id, 'CZZZ');
    await impediments.addCardTarget(TEAM, a.id, 'CAAA');
    await impediments.addCardTarget(TEAM, a.id, 'CZZZ');
    await impediments.setCard(a.id, 'CAAA', 'CAAA', '1.2');
    expect((await impediments.get(a.id))!.cards).toEqual([
      { target: 'CZZZ', channel: null, ts: null },
      { target: 'CAAA', channel: 'CAAA', ts: '1.2' },
    ]);
    expect(await impediments.update(a.id, { state: 'open', level: 1 }, { state: 'acknowledged', dueAt: null }, now)).toBe(true);
    expect(await impediments.update(a.id, { state: 'open', level: 1 }, { state: 'resolved' }, now)).toBe(false);
    const due = await impediments.dueForEscalation(new Date(now.getTime() + 1000), 10);
    expect(due.map((d) => d.id)).toEqual([b.id]);
    const list = await impediments.list(TEAM, { engagementId: e, openOnly: true }, 10);
    expect({ total: list.total, ids: list.items.map((i) => i.id) }).toEqual({ total: 2, ids: [b.id, a.id] });
  });

  it('read models count and list the same on both engines', async () => {
    const e = await engagements.insert(TEAM, draft(), 'U1', now);
    await raise(e, { severity: 'critical' });
    await raise(e, { severity: 'low' });
    const portfolio = new PortfolioStore(db.sql, impediments);
    const rows = await portfolio.portfolio(TEAM, { type: 'all' }, new Date(now.getTime() + 1000));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: e, openImpediments: 2, escalatedImpediments: 0, overdueImpediments: 2 });
    expect(await portfolio.openBySeverity(e)).toEqual({ low: 1, medium: 0, high: 0, critical: 1 });
    expect(await portfolio.countUnanswered(e, new Date(now.getTime() + 1000))).toBe(2);
    const changed = await portfolio.changedBetween(e, new Date(now.getTime() - 1000), new Date(now.getTime() + 1000));
    expect(changed.counts).toEqual({ raised: 2, resolved: 0, escalated: 0 });
    await new CheckinStore(db.sql).insert({ teamId: TEAM, engagementId: e, authorId: 'UC', health: 'amber', summary: 's', nextSteps: '', outcomeValues: [], createdAt: now });
    expect((await engagements.get(e))!.health).toBe('amber');
  });

  it('a digest occurrence (engagement, due time) advances once, whichever instance tries', async () => {
    const e = await engagements.insert(TEAM, draft(), 'U1', now);
    const digests = new DigestStore(db.sql);
    const other = secondInstance(db);
    try {
      const next = new Date(now.getTime() + 7 * 86_400_000);
      expect(await digests.advanceDigest(e, null, null, now)).toBe(true);
      const due = await digests.digestsDue(now, 10);
      expect(due).toEqual([{ id: e, nextAt: now.toISOString() }]);
      const results = await Promise.all([digests.advanceDigest(e, now.toISOString(), now, next), new DigestStore(other).advanceDigest(e, now.toISOString(), now, next)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await digests.digestSchedule(e)).lastAt).toEqual(now);
    } finally {
      await other.close();
    }
  });

  it('a reminder occurrence (kind, item, person, day) fires once; a new day fires again; snooze is kept', async () => {
    const reminders = new ReminderStore(db.sql);
    expect(await reminders.markReminded(TEAM, 'checkin', 1, 'U1', '2026-11-23')).toBe(true);
    expect(await reminders.markReminded(TEAM, 'checkin', 1, 'U1', '2026-11-23')).toBe(false);
    expect(await reminders.markReminded(TEAM, 'checkin', 1, 'U1', '2026-11-24')).toBe(true);
    await reminders.snooze(TEAM, 'checkin', 1, 'U1', now);
    expect(await reminders.reminderState('checkin', 1, 'U1')).toEqual({ lastDate: '2026-11-24', snoozedUntil: now });
  });

  it('people: zones and Home views upsert', async () => {
    const people = new PeopleStore(db.sql);
    await people.setUserZone(TEAM, 'U1', 'Europe/Berlin', now);
    await people.setUserZone(TEAM, 'U1', 'Asia/Tokyo', now);
    expect(await people.userZone(TEAM, 'U1')).toEqual({ tz: 'Asia/Tokyo', fetchedAt: now });
    await people.homeOpened(TEAM, 'U1', now);
    await people.homeOpened(TEAM, 'U1', now);
    expect(await people.withHome(TEAM, ['U1', 'U2'])).toEqual(['U1']);
    expect(await people.withHome(TEAM, [])).toEqual([]);
  });

  it('a transaction commits all or nothing, and concurrent transactions do not interleave', async () => {
    const e = await engagements.insert(TEAM, draft(), 'U1', now);
    await expect(
      db.sql.transaction(async () => {
        await engagements.setAutoEscalate(e, false);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await engagements.get(e))!.autoEscalate).toBe(true);
    // Read-modify-write in 20 concurrent transactions: none sees another's uncommitted state on SQLite's one connection.
    await db.sql.run('CREATE TABLE counter_t (n INTEGER NOT NULL)');
    await db.sql.run('INSERT INTO counter_t (n) VALUES (0)');
    const bump = () =>
      db.sql.transaction(async () => {
        const r = await db.sql.get<{ n: number }>(engine === 'postgres' ? 'SELECT n FROM counter_t FOR UPDATE' : 'SELECT n FROM counter_t');
        await new Promise((resolve) => setImmediate(resolve));
        await db.sql.run('UPDATE counter_t SET n = ?', Number(r!.n) + 1);
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    expect(Number((await db.sql.get<{ n: number }>('SELECT n FROM counter_t'))!.n)).toBe(20);
  });
});

describe('busy engines are retried in one place', () => {
  it('recognises SQLite busy and PostgreSQL serialization, deadlock and lock errors; nothing else', () => {
    for (const code of ['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', '40001', '40P01', '55P03']) expect(isBusyError({ code })).toBe(true);
    for (const code of ['SQLITE_CONSTRAINT', '23505', undefined]) expect(isBusyError({ code })).toBe(false);
  });

  it('retries a busy failure with backoff and gives up after the bound', async () => {
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls < 3) throw Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' });
      return 'ok';
    };
    expect(await retryBusy(flaky, { attempts: 5, baseMs: 1, maxMs: 2 })).toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    const always = async () => {
      calls++;
      throw Object.assign(new Error('busy'), { code: '40001' });
    };
    await expect(retryBusy(always, { attempts: 4, baseMs: 1, maxMs: 2 })).rejects.toThrow('busy');
    expect(calls).toBe(4);
    calls = 0;
    await expect(retryBusy(async () => { calls++; throw new Error('other'); }, { attempts: 4, baseMs: 1, maxMs: 2 })).rejects.toThrow('other');
    expect(calls).toBe(1);
  });
});
