import type { PulseService } from '../domain/pulseService';
import type { Logger } from '../lib/logger';
import type { ZoneDirectory } from '../slack/zones';
import type { Job } from './scheduler';

/** Team pulses: open the ones that fell due, remind once in working hours, close after five business days. */
export function pulseJob(pulses: PulseService, zones: ZoneDirectory, logger: Logger): Job {
  return {
    name: 'team-pulses',
    async run() {
      const zoneOf = async (teamId: string, userId: string) => {
        await zones.refresh(teamId, [userId]);
        return await zones.get(teamId, userId);
      };
      // Counts only: who was reminded is not logged.
      const r = await pulses.runPulses(zoneOf, (what, error) => logger.log('error', 'a pulse step failed; the others go on', { what, error }));
      if (r.opened + r.reminded + r.closed > 0) logger.log('info', 'team pulses', r);
    },
  };
}
