import { OutboxStore } from '../../../src/store/outbox';
import { tempDatabase, testEngines, type TempDatabase } from '../../support/tempDb';

describe.each(testEngines())('OutboxStore ordering and recovery on %s', (engine) => {
  let db: TempDatabase;
  let outbox: OutboxStore;
  const t0 = new Date('2026-11-23T10:00:00Z');
  const item = (orderKey: string, n: number) => ({ teamId: 'T1', engagementId: null, kind: 'dm', orderKey, payload: { n } });

  beforeEach(async () => {
    db = await tempDatabase(engine);
    outbox = new OutboxStore(db.sql);
  });
  afterEach(() => db.close());

  it('claims only the head of each order key', async () => {
    const a1 = await outbox.enqueue(item('a', 1), t0);
    await outbox.enqueue(item('a', 2), t0);
    const b1 = await outbox.enqueue(item('b', 1), t0);
    const claimed = await outbox.claimDue(t0, 10, new Set());
    expect(claimed.map((r) => r.id)).toEqual([a1, b1]);
    expect(claimed.every((r) => r.status === 'sending' && r.attempts === 1)).toBe(true);
    // Nothing more while the heads are in flight.
    expect(await outbox.claimDue(t0, 10, new Set())).toEqual([]);
  });

  it('keeps a later item waiting while an earlier one of its key waits for a retry', async () => {
    const a1 = await outbox.enqueue(item('a', 1), t0);
    const a2 = await outbox.enqueue(item('a', 2), t0);
    await outbox.claimDue(t0, 10, new Set());
    await outbox.retryLater(a1, new Date(t0.getTime() + 60_000), 'HTTP 500', true, t0);
    expect(await outbox.claimDue(t0, 10, new Set())).toEqual([]);
    const later = await outbox.claimDue(new Date(t0.getTime() + 61_000), 10, new Set());
    expect(later.map((r) => [r.id, r.inDoubt])).toEqual([[a1, true]]);
    await outbox.markDone(a1, { ts: '1.0' }, t0);
    expect((await outbox.claimDue(t0, 10, new Set())).map((r) => r.id)).toEqual([a2]);
  });

  it('does not let a parked item block its key', async () => {
    const a1 = await outbox.enqueue(item('a', 1), t0);
    const a2 = await outbox.enqueue(item('a', 2), t0);
    await outbox.claimDue(t0, 10, new Set());
    await outbox.park(a1, 'channel_not_found', t0);
    expect((await outbox.claimDue(t0, 10, new Set())).map((r) => r.id)).toEqual([a2]);
    expect(await outbox.counts()).toMatchObject({ parked: 1, sending: 1 });
  });

  it('claims with a lease: another instance leaves a live claim alone and takes an expired one over, in doubt', async () => {
    const a1 = await outbox.enqueue(item('a', 1), t0);
    const a2 = await outbox.enqueue(item('a', 2), t0);
    const lease = new Date(t0.getTime() + 60_000);
    const mine = await outbox.claimDue(t0, 10, new Set(), { owner: 'A', leaseUntil: lease });
    expect(mine.map((r) => [r.id, r.takenOver, r.inDoubt])).toEqual([[a1, false, false]]);
    // B, while A's lease runs: nothing (a1 is A's; a2 waits behind it).
    expect(await outbox.claimDue(new Date(t0.getTime() + 30_000), 10, new Set(), { owner: 'B', leaseUntil: new Date(t0.getTime() + 90_000) })).toEqual([]);
    // A died; after its lease B takes a1 over, in doubt, keeping the first attempt's start for the lookup.
    const later = new Date(t0.getTime() + 61_000);
    const taken = await outbox.claimDue(later, 10, new Set(), { owner: 'B', leaseUntil: new Date(later.getTime() + 60_000) });
    expect(taken.map((r) => ({ id: r.id, takenOver: r.takenOver, inDoubt: r.inDoubt, attempts: r.attempts, started: r.attemptStarted?.toISOString() }))).toEqual([
      { id: a1, takenOver: true, inDoubt: true, attempts: 2, started: t0.toISOString() },
    ]);
    expect(await db.sql.get('SELECT claimed_by FROM outbox WHERE id = ?', a1)).toEqual({ claimed_by: 'B' });
    await outbox.markDone(a1, {}, later);
    expect((await outbox.claimDue(later, 10, new Set(), { owner: 'B', leaseUntil: lease })).map((r) => r.id)).toEqual([a2]);
  });

  it('two instances claiming at once never take the same row or two rows of one conversation', async () => {
    for (let i = 0; i < 6; i++) await outbox.enqueue(item(`k${i % 3}`, i), t0);
    const lease = new Date(t0.getTime() + 60_000);
    const [a, b] = await Promise.all([
      outbox.claimDue(t0, 10, new Set(), { owner: 'A', leaseUntil: lease }),
      outbox.claimDue(t0, 10, new Set(), { owner: 'B', leaseUntil: lease }),
    ]);
    const ids = [...a, ...b].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set([...a, ...b].map((r) => r.orderKey)).size).toBe(ids.length);
    expect(ids).toHaveLength(3);
  });

  it('skips keys the caller already has in flight', async () => {
    await outbox.enqueue(item('a', 1), t0);
    const b1 = await outbox.enqueue(item('b', 1), t0);
    expect((await outbox.claimDue(t0, 10, new Set(['a']))).map((r) => r.id)).toEqual([b1]);
  });
});
