import type { WebClient } from '@slack/web-api';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { People } from '../domain/ports';

const FRESH_MS = 7 * 24 * 3600 * 1000;

/** People's time zones from Slack (users.info), cached in the database for a week. */
export class ZoneDirectory {
  constructor(
    private readonly client: WebClient,
    private readonly people: Pick<People, 'userZone' | 'setUserZone'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The cached zone, or null when unknown. */
  async get(teamId: string, userId: string): Promise<string | null> {
    return (await this.people.userZone(teamId, userId))?.tz ?? null;
  }

  /** Fetches zones not cached or older than a week; failures leave them unknown (the workspace zone is used). */
  async refresh(teamId: string, userIds: string[]): Promise<void> {
    const now = this.clock.now();
    for (const userId of [...new Set(userIds)]) {
      const cached = await this.people.userZone(teamId, userId);
      if (cached && now.getTime() - cached.fetchedAt.getTime() < FRESH_MS) continue;
      try {
        const res = await this.client.users.info({ user: userId });
        const tz = (res.user as { tz?: string } | undefined)?.tz ?? null;
        await this.people.setUserZone(teamId, userId, tz, now);
      } catch (error) {
        this.logger.log('warn', 'could not read a time zone from Slack; using the workspace zone', { error });
      }
    }
  }
}
