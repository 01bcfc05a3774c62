import type { Config } from '../../config';
import type { RenderedMessage } from '../../domain/deliveries';
import type { ImpedimentService } from '../../domain/impedimentService';
import type { KickoffService } from '../../domain/kickoffService';
import type { PulseService } from '../../domain/pulseService';
import type { CoachingRequestService } from '../../domain/coachingRequests';
import type { ProfileService } from '../../domain/profiles';
import type { StatusService } from '../../domain/statusService';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import type { EngagementRepository, ImpedimentRepository } from '../../domain/ports';

/** What listeners may use: services and read models, never raw SQL or a global client. */
export interface ListenerDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  kickoff: KickoffService;
  impediments: ImpedimentService;
  engagements: EngagementRepository;
  impedimentStore: ImpedimentRepository;
  status: StatusService;
  pulses: PulseService;
  coachingRequests: CoachingRequestService;
  profiles: ProfileService;
  /** A direct message to one person, queued in the outbox (answers to App Home buttons). */
  tellUser(teamId: string, userId: string, message: RenderedMessage): Promise<void>;
  /** The person's zone from Slack (cached), or null when unknown. */
  zoneOf(teamId: string, userId: string): Promise<string | null>;
  scorecard(engagementId: number): Promise<import('../../domain/impedimentTypes').ScorecardRow[]>;
}
