import type { StatusService } from '../domain/statusService';
import type { Logger } from '../lib/logger';
import type { ZoneDirectory } from '../slack/zones';
import type { Job } from './scheduler';

/** Weekly digests whose time came (each engagement's schedule lives in the database). */
export function digestJob(status: StatusService, logger: Logger): Job {
  return {
    name: 'weekly-digest',
    async run() {
      // Small batches with a pause between them, so Slack's requests are never kept waiting behind a long pass.
      let sent = 0;
      for (let round = 0; round < 500; round++) {
        const r = await status.runDigests((engagementId, error) => logger.log('error', 'a digest failed; the others go on', { engagementId, error }), 20);
        sent += r.sent;
        if (r.looked < 20) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (sent > 0) logger.log('info', 'weekly digests queued', { sent });
    },
  };
}

/** Check-in and stale-impediment reminders, in each recipient's working hours. */
export function reminderJob(status: StatusService, zones: ZoneDirectory, logger: Logger): Job {
  return {
    name: 'reminders',
    async run() {
      const byTeam = new Map<string, string[]>();
      for (const r of await status.reminderRecipients()) byTeam.set(r.teamId, [...(byTeam.get(r.teamId) ?? []), r.userId]);
      for (const [teamId, users] of byTeam) await zones.refresh(teamId, users);
      const sent = await status.runReminders(
        (teamId, userId) => zones.get(teamId, userId),
        (what, error) => logger.log('error', 'a reminder failed; the others go on', { what, error }),
      );
      if (sent > 0) logger.log('info', 'reminders queued', { sent });
    },
  };
}
