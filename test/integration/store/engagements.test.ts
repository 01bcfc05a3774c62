import { EngagementStore } from '../../../src/store/engagements';
import { EventStore } from '../../../src/store/events';
import { draft } from '../../support/drafts';
import { tempDatabase, testEngines, type TempDatabase } from '../../support/tempDb';

describe.each(testEngines())('EngagementStore on %s', (engine) => {
  let db: TempDatabase;
  let store: EngagementStore;
  const at = new Date('2026-11-23T10:00:00Z');

  beforeEach(async () => {
    db = await tempDatabase(engine);
    store = new EngagementStore(db.sql);
  });
  afterEach(() => db.close());

  it('round-trips every field of an engagement', async () => {
    const d = draft();
    const id = await store.insert('T1', d, 'UCREATOR', at);
    const e = (await store.get(id))!;
    expect(e).toMatchObject({
      teamId: 'T1',
      key: d.key,
      name: d.name,
      level: 'team',
      origin: 'pull',
      requestedBy: 'UREQ',
      sponsorId: 'USPONSOR',
      coachIds: d.coachIds,
      painPoints: d.painPoints,
      outcomes: d.outcomes,
      escalation: d.escalation,
      startDate: d.startDate,
      reviewDate: d.reviewDate,
      announcementChannelIds: d.announcementChannelIds,
      lifecycle: 'active',
      health: null,
      createdBy: 'UCREATOR',
      autoEscalate: true,
    });
    expect(e.announcements.map((a) => [a.channelId, a.status])).toEqual([
      ['CANNOUNCE1', 'pending'],
      ['CANNOUNCE2', 'pending'],
    ]);
  });

  it('stores SQL-looking, emoji and right-to-left text exactly as typed', async () => {
    const weird = ["'); DROP TABLE engagements;--", 'Déploiements 🚀 lents', 'הפריסות איטיות מדי', '<!channel> <http://evil|bank>'];
    const id = await store.insert('T1', draft({ name: weird[0], painPoints: weird }), 'U1', at);
    expect((await store.get(id))!.painPoints).toEqual(weird);
    expect((await store.get(id))!.name).toBe(weird[0]);
    expect(await db.sql.count('SELECT COUNT(*) AS n FROM engagements')).toBe(1);
  });

  it('keeps keys unique per workspace, not across workspaces', async () => {
    await store.insert('T1', draft(), 'U1', at);
    expect(await store.keyTaken('T1', 'payments-platform')).toBe(true);
    expect(await store.keyTaken('T2', 'payments-platform')).toBe(false);
    await expect(store.insert('T1', draft(), 'U1', at)).rejects.toThrow(/UNIQUE|unique/);
    await expect(store.insert('T2', draft(), 'U1', at)).resolves.toEqual(expect.any(Number));
  });

  it('keeps message refs across an edit, deactivates removed channels and adds new ones', async () => {
    const id = await store.insert('T1', draft(), 'U1', at);
    await store.announcementPosted(id, 'CANNOUNCE1', { channel: 'CANNOUNCE1', ts: '1.000100', permalink: 'https://x/p1' });
    await store.update(id, 'T1', draft({ announcementChannelIds: ['CANNOUNCE1', 'CNEW'], coachIds: ['UCOACH3'] }), at);
    const e = (await store.get(id))!;
    expect(e.coachIds).toEqual(['UCOACH3']);
    expect(e.announcementChannelIds).toEqual(['CANNOUNCE1', 'CNEW']);
    const byChannel = Object.fromEntries(e.announcements.map((a) => [a.channelId, a]));
    expect(byChannel.CANNOUNCE1).toMatchObject({ status: 'posted', ts: '1.000100', active: true });
    expect(byChannel.CANNOUNCE2).toMatchObject({ active: false });
    expect(byChannel.CNEW).toMatchObject({ status: 'pending', active: true });
  });

  it('records the engagement channel as an announcement of its own', async () => {
    const id = await store.insert('T1', draft({ engagementChannelName: 'coaching-payments' }), 'U1', at);
    await store.setEngagementChannel(id, 'T1', 'CENG');
    const e = (await store.get(id))!;
    expect(e.engagementChannelId).toBe('CENG');
    expect(e.announcements.find((a) => a.inEngagementChannel)?.channelId).toBe('CENG');
    expect(e.announcementChannelIds).not.toContain('CENG');
  });

  it('refuses to change or delete events (append-only)', async () => {
    const events = new EventStore(db.sql);
    const id = await events.append({ teamId: 'T1', engagementId: null, actorId: null, type: 'x', at });
    await expect(db.sql.run('UPDATE events SET type = ? WHERE id = ?', 'y', id)).rejects.toThrow(/append-only/);
    await expect(db.sql.run('DELETE FROM events WHERE id = ?', id)).rejects.toThrow(/append-only/);
  });
});
