import { openSqlite } from '../../../src/store/connection';
import { migrate } from '../../../src/store/migrate';
import { backupSqlite } from '../../../src/tools/backup';
import { tempDir } from '../../support/tempDb';

describe('npm run backup (SQLite online backup)', () => {
  it('copies every row while the source stays open', async () => {
    const tmp = tempDir();
    try {
      const src = openSqlite(tmp.file('live.sqlite'));
      await migrate(src.sql);
      await src.sql.run(`INSERT INTO events (team_id, type, created_at) VALUES ('T1', 'x', '2026-01-01')`);
      await backupSqlite(tmp.file('live.sqlite'), tmp.file('copy.sqlite'));
      const copy = openSqlite(tmp.file('copy.sqlite'));
      expect(await copy.sql.count('SELECT COUNT(*) AS n FROM events')).toBe(1);
      expect(copy.sqlite!.pragma('user_version', { simple: true })).toBe(src.sqlite!.pragma('user_version', { simple: true }));
      await copy.sql.close();
      await src.sql.close();
    } finally {
      tmp.cleanup();
    }
  });
});
