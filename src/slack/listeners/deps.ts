import type { Config } from '../../config';
import type { ImpedimentService } from '../../domain/impedimentService';
import type { KickoffService } from '../../domain/kickoffService';
import type { StatusService } from '../../domain/statusService';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import type { EngagementStore } from '../../store/engagements';
import type { ImpedimentStore } from '../../store/impediments';

/** What listeners may use: services and read models, never raw SQL or a global client. */
export interface ListenerDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  kickoff: KickoffService;
  impediments: ImpedimentService;
  engagements: EngagementStore;
  impedimentStore: ImpedimentStore;
  status: StatusService;
  /** The person's zone from Slack (cached), or null when unknown. */
  zoneOf(teamId: string, userId: string): string | null;
  requests: { claim(teamId: string, key: string, at: Date): boolean };
  scorecard(engagementId: number): import('../../domain/impedimentTypes').ScorecardRow[];
}
