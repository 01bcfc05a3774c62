import { CoachingRequestStore } from '../../../src/store/coachingRequests';
import { EngagementStore } from '../../../src/store/engagements';
import { draft } from '../../support/drafts';
import { tempDatabase, testEngines, type TempDatabase } from '../../support/tempDb';

describe.each(testEngines())('CoachingRequestStore on %s', (engine) => {
  let db: TempDatabase;
  let store: CoachingRequestStore;
  const at = new Date('2026-11-23T10:00:00Z');
  const ask = { teamId: 'T1', requesterId: 'UREQ', teamName: 'Payments', painPoints: ['Slow releases', 'No owner'], outcomes: 'Lead time: 12 -> 5 days', urgency: 'high' as const, targets: ['C1'] };

  beforeEach(async () => {
    db = await tempDatabase(engine);
    store = new CoachingRequestStore(db.sql);
  });
  afterEach(() => db.close());

  it('round-trips a request with where it was posted, and decides it once', async () => {
    const id = await store.insert(ask, at);
    expect(await store.get(id)).toMatchObject({ ...ask, id, status: 'open', decidedBy: null, engagementId: null, requesterTold: false, createdAt: at });
    expect(await store.post(id, 'C1')).toEqual({ channel: null, ts: null });
    await store.setPosted(id, 'C1', 'C1', '1.000100');
    expect(await store.post(id, 'C1')).toEqual({ channel: 'C1', ts: '1.000100' });
    expect((await store.open('T1', 10)).map((r) => r.id)).toEqual([id]);

    const engagementId = await new EngagementStore(db.sql).insert('T1', draft(), 'UADMIN', at);
    expect(await store.isCoach('T1', draft().coachIds[0]!)).toBe(true);
    expect(await store.isCoach('T1', 'UNOBODY')).toBe(false);
    expect(await store.decide(id, { status: 'started', by: 'UADMIN', reason: null, engagementId }, at)).toBe(true);
    expect(await store.decide(id, { status: 'declined', by: 'UX', reason: 'no', engagementId: null }, at)).toBe(false);
    expect(await store.forEngagement(engagementId)).toMatchObject({ id, status: 'started', decidedBy: 'UADMIN' });
    expect(await store.open('T1', 10)).toEqual([]);
    expect(await store.markRequesterTold(id)).toBe(true);
    expect(await store.markRequesterTold(id)).toBe(false);
  });

  it('keeps one requests channel per workspace', async () => {
    expect(await store.requestsChannel('T1')).toBeNull();
    await store.setRequestsChannel('T1', 'C1', 'UADMIN', at);
    await store.setRequestsChannel('T1', 'C2', 'UADMIN', at);
    expect(await store.requestsChannel('T1')).toBe('C2');
    expect(await store.requestsChannel('T2')).toBeNull();
  });
});
