import type { WebClient } from '@slack/web-api';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { StatusStore } from '../store/status';

const FRESH_MS = 7 * 24 * 3600 * 1000;

/** People's time zones from Slack (users.info), cached in the database for a week. */
export class ZoneDirectory {
  constructor(
    private readonly client: WebClient,
    private readonly status: StatusStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The cached zone, or null when unknown. */
  get(teamId: string, userId: string): string | null {
    return this.status.userZone(teamId, userId)?.tz ?? null;
  }

  /** Fetches zones not cached or older than a week; failures leave them unknown (the workspace zone is used). */
  async refresh(teamId: string, userIds: string[]): Promise<void> {
    const now = this.clock.now();
    for (const userId of [...new Set(userIds)]) {
      const cached = this.status.userZone(teamId, userId);
      if (cached && now.getTime() - cached.fetchedAt.getTime() < FRESH_MS) continue;
      try {
        const res = await this.client.users.info({ user: userId });
        const tz = (res.user as { tz?: string } | undefined)?.tz ?? null;
        this.status.setUserZone(teamId, userId, tz, now);
      } catch (error) {
        this.logger.log('warn', 'could not read a time zone from Slack; using the workspace zone', { error });
      }
    }
  }
}
