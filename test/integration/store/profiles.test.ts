import { ProfileStore } from '../../../src/store/profiles';
import { tempDatabase, testEngines, type TempDatabase } from '../../support/tempDb';

describe.each(testEngines())('ProfileStore on %s', (engine) => {
  let db: TempDatabase;
  let store: ProfileStore;
  const at = new Date('2026-11-23T10:00:00Z');
  beforeEach(async () => {
    db = await tempDatabase(engine);
    store = new ProfileStore(db.sql);
  });
  afterEach(() => db.close());

  it('saves one profile per person and workspace, and lists them most senior first', async () => {
    await store.save('T1', { userId: 'U1', level: 'associate', strengths: ['teaching'] }, at);
    await store.save('T1', { userId: 'U1', level: 'senior', strengths: ['coaching', 'facilitation'] }, at);
    await store.save('T1', { userId: 'U2', level: 'staff', strengths: [] }, at);
    await store.save('T2', { userId: 'U3', level: 'coach', strengths: ['practices'] }, at);
    expect(await store.get('T1', 'U1')).toEqual({ userId: 'U1', level: 'senior', strengths: ['coaching', 'facilitation'] });
    expect(await store.get('T2', 'U1')).toBeNull();
    expect((await store.forUsers('T1', ['U2', 'U1', 'U9'])).map((p) => p.userId)).toEqual(['U2', 'U1']);
    expect(await store.forUsers('T1', [])).toEqual([]);
    expect((await store.all('T1', 10)).map((p) => [p.userId, p.level])).toEqual([['U2', 'staff'], ['U1', 'senior']]);
  });
});
