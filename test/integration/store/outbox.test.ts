import { openDatabase, type Db } from '../../../src/store/connection';
import { migrate } from '../../../src/store/migrate';
import { OutboxStore } from '../../../src/store/outbox';
import { tempDir } from '../../support/tempDb';

describe('OutboxStore ordering and recovery', () => {
  const tmp = tempDir();
  let db: Db;
  let outbox: OutboxStore;
  const t0 = new Date('2026-11-23T10:00:00Z');
  const item = (orderKey: string, n: number) => ({ teamId: 'T1', engagementId: null, kind: 'dm', orderKey, payload: { n } });

  beforeEach(() => {
    db = openDatabase(tmp.file(`o-${Math.random()}.sqlite`));
    migrate(db);
    outbox = new OutboxStore(db);
  });
  afterEach(() => db.close());
  afterAll(() => tmp.cleanup());

  it('claims only the head of each order key', () => {
    const a1 = outbox.enqueue(item('a', 1), t0);
    outbox.enqueue(item('a', 2), t0);
    const b1 = outbox.enqueue(item('b', 1), t0);
    const claimed = outbox.claimDue(t0, 10, new Set());
    expect(claimed.map((r) => r.id)).toEqual([a1, b1]);
    expect(claimed.every((r) => r.status === 'sending' && r.attempts === 1)).toBe(true);
    // Nothing more while the heads are in flight.
    expect(outbox.claimDue(t0, 10, new Set())).toEqual([]);
  });

  it('keeps a later item waiting while an earlier one of its key waits for a retry', () => {
    const a1 = outbox.enqueue(item('a', 1), t0);
    const a2 = outbox.enqueue(item('a', 2), t0);
    outbox.claimDue(t0, 10, new Set());
    outbox.retryLater(a1, new Date(t0.getTime() + 60_000), 'HTTP 500', true, t0);
    expect(outbox.claimDue(t0, 10, new Set())).toEqual([]);
    const later = outbox.claimDue(new Date(t0.getTime() + 61_000), 10, new Set());
    expect(later.map((r) => [r.id, r.inDoubt])).toEqual([[a1, true]]);
    outbox.markDone(a1, { ts: '1.0' }, t0);
    expect(outbox.claimDue(t0, 10, new Set()).map((r) => r.id)).toEqual([a2]);
  });

  it('does not let a parked item block its key', () => {
    const a1 = outbox.enqueue(item('a', 1), t0);
    const a2 = outbox.enqueue(item('a', 2), t0);
    outbox.claimDue(t0, 10, new Set());
    outbox.park(a1, 'channel_not_found', t0);
    expect(outbox.claimDue(t0, 10, new Set()).map((r) => r.id)).toEqual([a2]);
    expect(outbox.counts()).toMatchObject({ parked: 1, sending: 1 });
  });

  it('turns items left in flight by a crash into pending items in doubt', () => {
    const a1 = outbox.enqueue(item('a', 1), t0);
    outbox.claimDue(t0, 10, new Set());
    expect(outbox.recoverInFlight(t0)).toBe(1);
    expect(outbox.get(a1)).toMatchObject({ status: 'pending', inDoubt: true });
  });

  it('skips keys the caller already has in flight', () => {
    outbox.enqueue(item('a', 1), t0);
    const b1 = outbox.enqueue(item('b', 1), t0);
    expect(outbox.claimDue(t0, 10, new Set(['a'])).map((r) => r.id)).toEqual([b1]);
  });
});
