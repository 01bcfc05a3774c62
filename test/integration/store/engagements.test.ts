import { openDatabase, type Db } from '../../../src/store/connection';
import { EngagementStore } from '../../../src/store/engagements';
import { EventStore } from '../../../src/store/events';
import { migrate } from '../../../src/store/migrate';
import { draft } from '../../support/drafts';
import { tempDir } from '../../support/tempDb';

describe('EngagementStore on a real SQLite file', () => {
  const tmp = tempDir();
  let db: Db;
  let store: EngagementStore;
  const at = new Date('2026-11-23T10:00:00Z');

  beforeEach(() => {
    db = openDatabase(tmp.file(`e-${Math.random()}.sqlite`));
    migrate(db);
    store = new EngagementStore(db);
  });
  afterEach(() => db.close());
  afterAll(() => tmp.cleanup());

  it('round-trips every field of an engagement', () => {
    const d = draft();
    const id = store.insert('T1', d, 'UCREATOR', at);
    const e = store.get(id)!;
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

  it('stores SQL-looking, emoji and right-to-left text exactly as typed', () => {
    const weird = ["'); DROP TABLE engagements;--", 'Déploiements 🚀 lents', 'הפריסות איטיות מדי', '<!channel> <http://evil|bank>'];
    const id = store.insert('T1', draft({ name: weird[0], painPoints: weird }), 'U1', at);
    expect(store.get(id)!.painPoints).toEqual(weird);
    expect(store.get(id)!.name).toBe(weird[0]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM engagements').get()).toEqual({ n: 1 });
  });

  it('keeps keys unique per workspace, not across workspaces', () => {
    store.insert('T1', draft(), 'U1', at);
    expect(store.keyTaken('T1', 'payments-platform')).toBe(true);
    expect(store.keyTaken('T2', 'payments-platform')).toBe(false);
    expect(() => store.insert('T1', draft(), 'U1', at)).toThrow(/UNIQUE/);
    expect(() => store.insert('T2', draft(), 'U1', at)).not.toThrow();
  });

  it('keeps message refs across an edit, deactivates removed channels and adds new ones', () => {
    const id = store.insert('T1', draft(), 'U1', at);
    store.announcementPosted(id, 'CANNOUNCE1', { channel: 'CANNOUNCE1', ts: '1.000100', permalink: 'https://x/p1' });
    store.update(id, 'T1', draft({ announcementChannelIds: ['CANNOUNCE1', 'CNEW'], coachIds: ['UCOACH3'] }), at);
    const e = store.get(id)!;
    expect(e.coachIds).toEqual(['UCOACH3']);
    expect(e.announcementChannelIds).toEqual(['CANNOUNCE1', 'CNEW']);
    const byChannel = Object.fromEntries(e.announcements.map((a) => [a.channelId, a]));
    expect(byChannel.CANNOUNCE1).toMatchObject({ status: 'posted', ts: '1.000100', active: true });
    expect(byChannel.CANNOUNCE2).toMatchObject({ active: false });
    expect(byChannel.CNEW).toMatchObject({ status: 'pending', active: true });
  });

  it('records the engagement channel as an announcement of its own', () => {
    const id = store.insert('T1', draft({ engagementChannelName: 'coaching-payments' }), 'U1', at);
    store.setEngagementChannel(id, 'T1', 'CENG');
    const e = store.get(id)!;
    expect(e.engagementChannelId).toBe('CENG');
    expect(e.announcements.find((a) => a.inEngagementChannel)?.channelId).toBe('CENG');
    expect(e.announcementChannelIds).not.toContain('CENG');
  });

  it('refuses to change or delete events (append-only)', () => {
    const events = new EventStore(db);
    const id = events.append({ teamId: 'T1', engagementId: null, actorId: null, type: 'x', at });
    expect(() => db.prepare('UPDATE events SET type = ? WHERE id = ?').run('y', id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events WHERE id = ?').run(id)).toThrow(/append-only/);
  });
});
