import type { Sql } from './sql';

class ProbeRolledBack extends Error {}

/**
 * True when the database takes a write: a table created inside a transaction that is always
 * rolled back, so nothing stays behind (on both engines). A read-only file or folder, a
 * connection set to `query_only`, a read-only PostgreSQL replica, or a lock that never frees
 * makes it false (a database that only reads cannot take a request).
 */
export async function databaseWritable(sql: Sql): Promise<boolean> {
  try {
    await sql.transaction(async () => {
      await sql.exec('CREATE TABLE coachline_health_probe (written INTEGER)');
      throw new ProbeRolledBack();
    });
    return false;
  } catch (err) {
    return err instanceof ProbeRolledBack;
  }
}
