import type { ImpedimentService } from '../domain/impedimentService';
import type { Logger } from '../lib/logger';
import type { Job } from './scheduler';

/** Items per batch; the job pauses between batches so Slack's requests are never kept waiting. */
const BATCH = 25;

/** Escalates impediments whose response time passed without acknowledgement. */
export function escalationSweep(impediments: ImpedimentService, logger: Logger): Job {
  return {
    name: 'escalation-sweep',
    async run() {
      let escalated = 0;
      let after = '';
      // Walk the due list in due-time order; an item that fails stays behind and is tried on the next tick.
      for (;;) {
        const r = await impediments.sweep(
          (impedimentId, error) => logger.log('error', 'auto-escalation failed for one impediment; the others go on', { impedimentId, error }),
          BATCH,
          after,
        );
        escalated += r.escalated;
        if (r.looked < BATCH || r.lastDueAt === after) break;
        after = r.lastDueAt;
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (escalated > 0) logger.log('info', 'auto-escalated impediments past their response time', { escalated });
    },
  };
}
