/** Errors that mean "another writer holds a lock right now": SQLite busy, PostgreSQL serialization/deadlock/lock-not-available. */
export function isBusyError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  return (
    (typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED' || code === '40001' || code === '40P01' || code === '55P03'))
  );
}

export interface BusyRetry {
  attempts: number;
  baseMs: number;
  maxMs: number;
}

export const BUSY_RETRY: BusyRetry = { attempts: 8, baseMs: 10, maxMs: 1000 };

/** The one place busy engines are retried: bounded attempts, exponential backoff with jitter. */
export async function retryBusy<T>(fn: () => Promise<T>, policy: BusyRetry = BUSY_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isBusyError(error) || attempt >= policy.attempts) throw error;
      const delay = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
      await new Promise((r) => setTimeout(r, delay / 2 + Math.random() * (delay / 2)));
    }
  }
}
