import { EngagementStore } from '../../../src/store/engagements';
import { PulseStore } from '../../../src/store/pulses';
import { draft } from '../../support/drafts';
import { tempDatabase, testEngines, type TempDatabase } from '../../support/tempDb';

describe.each(testEngines())('PulseStore on %s', (engine) => {
  let db: TempDatabase;
  let pulses: PulseStore;
  let engagementId: number;
  const at = new Date('2026-11-23T10:00:00Z');
  const base = { teamId: 'T1', reason: 'baseline' as const, occurrence: 'baseline', requestedBy: null, openedAt: at, remindAt: new Date('2026-11-26T10:00:00Z'), closesAt: new Date('2026-11-30T10:00:00Z') };

  beforeEach(async () => {
    db = await tempDatabase(engine);
    pulses = new PulseStore(db.sql);
    engagementId = await new EngagementStore(db.sql).insert('T1', draft(), 'UCREATOR', new Date('2026-11-16T10:00:00Z'));
  });
  afterEach(() => db.close());

  it('creates an occurrence once, whichever caller computes it', async () => {
    const id = await pulses.create({ ...base, engagementId });
    expect(id).not.toBeNull();
    expect(await pulses.create({ ...base, engagementId })).toBeNull();
    expect(await db.sql.count('SELECT COUNT(*) AS n FROM pulses')).toBe(1);
    expect(await pulses.current(engagementId)).toMatchObject({ id, status: 'inviting', asked: 0, answered: 0, openedAt: at });
  });

  it('records who was asked once, marks an answer once, keeps answers apart and forgets the asked at close', async () => {
    const id = (await pulses.create({ ...base, engagementId }))!;
    expect(await pulses.recordAsked(id, ['U1', 'U2', 'U2', 'U3'])).toBe(true);
    expect(await pulses.recordAsked(id, ['U9'])).toBe(false);
    expect((await pulses.get(id))!).toMatchObject({ status: 'open', asked: 3 });
    expect(await pulses.isAsked(id, 'U9')).toBe(false);
    expect(await pulses.isAsked(id, 'U1')).toBe(true);
    expect(await pulses.markAnswered(id, 'hash-of-u1')).toBe(true);
    expect(await pulses.markAnswered(id, 'hash-of-u1')).toBe(false);
    expect((await pulses.get(id))!.answered).toBe(1);
    await pulses.insertAnswer(id, '2026-11-24', { scores: [1, 2, 3, 4, 5], comment: 'c' });
    await pulses.insertAnswer(id, '2026-11-24', { scores: [5, 4, 3, 2, 1], comment: null });
    expect(await pulses.hasAnswered(id, 'hash-of-u1')).toBe(true);
    expect(await pulses.hasAnswered(id, 'hash-of-u2')).toBe(false);
    expect((await pulses.answers(id)).map((a) => a.scores).sort()).toEqual([[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]]);
    // No column of an answer names anyone or holds a time finer than the day.
    const raw = JSON.stringify(await db.sql.all('SELECT * FROM pulse_answers'));
    expect(raw).not.toMatch(/U1|T\d\d:/);

    expect(await pulses.dueReminders(new Date('2026-11-25T10:00:00Z'), 10)).toEqual([]);
    const due = await pulses.dueReminders(new Date('2026-11-26T10:00:00Z'), 10);
    expect(due.map((r) => r.userId)).toEqual(['U1', 'U2', 'U3']);
    expect((await pulses.dueReminders(new Date('2026-11-26T10:00:00Z'), 10, { pulseId: id, userId: 'U1' })).map((r) => r.userId)).toEqual(['U2', 'U3']);
    expect(await pulses.markReminded(id, 'U2')).toBe(true);
    expect(await pulses.markReminded(id, 'U2')).toBe(false);
    expect((await pulses.dueReminders(new Date('2026-11-26T10:00:00Z'), 10)).map((r) => r.userId)).toEqual(['U1', 'U3']);

    expect(await pulses.dueToClose(new Date('2026-11-29T10:00:00Z'), 10)).toEqual([]);
    expect((await pulses.dueToClose(new Date('2026-11-30T10:00:00Z'), 10)).map((p) => p.id)).toEqual([id]);
    expect(await pulses.close(id, '2026-11-30')).toBe(true);
    expect(await pulses.close(id, '2026-11-30')).toBe(false);
    expect(await db.sql.count('SELECT COUNT(*) AS n FROM pulse_recipients')).toBe(0);
    expect(await db.sql.count('SELECT COUNT(*) AS n FROM pulse_answered')).toBe(0);
    expect(await pulses.current(engagementId)).toBeNull();
    expect((await pulses.closed(engagementId, 2)).map((p) => [p.id, p.closedOn])).toEqual([[id, '2026-11-30']]);
    expect(await pulses.answers(id)).toHaveLength(2);
  });

  it('finds engagements that may be due, with what they had', async () => {
    const now = new Date('2026-11-23T10:00:00Z');
    const since = new Date('2026-10-24T10:00:00Z');
    expect((await pulses.candidates(now, since, '2026-11-23', 10, 0)).map((c) => [c.id, c.occurrences, c.hasOpen])).toEqual([[engagementId, [], false]]);
    await pulses.create({ ...base, engagementId });
    expect((await pulses.candidates(now, since, '2026-11-23', 10, 0)).map((c) => [c.occurrences, c.hasOpen])).toEqual([[['baseline'], true]]);
    expect(await pulses.candidates(now, since, '2026-11-23', 10, engagementId)).toEqual([]);
  });

});
