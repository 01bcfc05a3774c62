import type { ImpedimentService } from '../domain/impedimentService';
import type { Logger } from '../lib/logger';
import type { Job } from './scheduler';

/** Escalates impediments whose response time passed without acknowledgement. */
export function escalationSweep(impediments: ImpedimentService, logger: Logger): Job {
  return {
    name: 'escalation-sweep',
    run() {
      const escalated = impediments.sweep((impedimentId, error) =>
        logger.log('error', 'auto-escalation failed for one impediment; the others go on', { impedimentId, error }),
      );
      if (escalated > 0) logger.log('info', 'auto-escalated impediments past their response time', { escalated });
    },
  };
}
