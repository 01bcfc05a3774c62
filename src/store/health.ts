import type { Db } from './connection';

/**
 * True when the database takes a write: a schema change inside a transaction that is always
 * rolled back, so nothing stays behind. A read-only file or folder, a connection set to
 * `query_only`, or a lock that never frees makes it false (a database that only reads cannot
 * take a request).
 */
export function databaseWritable(db: Db): boolean {
  // better-sqlite3 is synchronous: no other transaction of ours can be open here unless a caller nests this.
  if (db.inTransaction) return true;
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch {
    return false;
  }
  try {
    db.exec('CREATE TABLE coachline_health_probe (written INTEGER)');
    return true;
  } catch {
    return false;
  } finally {
    db.exec('ROLLBACK');
  }
}
