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

  it('turns items left in flight by a crash into pending items in doubt', async () => {
    const a1 = await outbox.enqueue(item('a', 1), t0);
    await outbox.claimDue(t0, 10, new Set());
    expect(await outbox.recoverInFlight(t0)).toBe(1);
    expect(await outbox.get(a1)).toMatchObject({ status: 'pending', inDoubt: true });
  });

  it('skips keys the caller already has in flight', async () => {
    await outbox.enqueue(item('a', 1), t0);
    const b1 = await outbox.enqueue(item('b', 1), t0);
    expect((await outbox.claimDue(t0, 10, new Set(['a']))).map((r) => r.id)).toEqual([b1]);
  });
});
