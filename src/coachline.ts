import { createHmac } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import type { Config } from './config';
import { formatAge } from './domain/businessTime';
import { ImpedimentService } from './domain/impedimentService';
import { KickoffService } from './domain/kickoffService';
import { PulseService } from './domain/pulseService';
import { pulseJob } from './jobs/pulseJob';
import { PulseStore } from './store/pulses';
import { CoachingRequestStore } from './store/coachingRequests';
import { ProfileStore } from './store/profiles';
import { ProfileService } from './domain/profiles';
import { CoachingRequestService } from './domain/coachingRequests';
import { requestDeclined, requestReceived } from './slack/views/requestViews';
import { pulseClosedMessage, pulseInvitation, pulseReminder } from './slack/views/pulseViews';
import { computeScorecard } from './domain/scorecard';
import { StatusService } from './domain/statusService';
import { digestJob, reminderJob } from './jobs/statusJobs';
import { Scheduler } from './jobs/scheduler';
import { escalationSweep } from './jobs/escalationSweep';
import { systemClock, type Clock } from './lib/clock';
import { createLogger, type LogSink, type Logger } from './lib/logger';
import type { SocketModeReceiver } from '@slack/bolt';
import { buildApp, type BuiltApp } from './slack/app';
import { guardRequestBodies, type RequestGuard } from './slack/bodyGuard';
import { deliveryHandlers, problemNoticeFor } from './slack/delivery/handlers';
import { OutboxSender, type SenderOptions } from './slack/delivery/sender';
import { registerListeners } from './slack/listeners';
import { closingNote, namedDm, whatChangedReply } from './slack/views/announcement';
import { thread } from './slack/views/impedimentCard';
import { escalationDm, resolvedDm } from './slack/views/impedimentMessages';
import { checkinPost } from './slack/views/checkinViews';
import { checkinReminder, digestMessage, impedimentReminder } from './slack/views/digestViews';
import { homeView } from './slack/views/homeView';
import { ZoneDirectory } from './slack/zones';
import { databaseAnswers, openDatabase, type SqliteHandle } from './store/connection';
import { databaseWritable } from './store/health';
import { EngagementStore } from './store/engagements';
import { EventStore } from './store/events';
import { ImpedimentStore } from './store/impediments';
import { RequestStore } from './store/requests';
import { CheckinStore } from './store/checkins';
import { DigestStore } from './store/digests';
import { PeopleStore } from './store/people';
import { PortfolioStore } from './store/portfolio';
import { ReminderStore } from './store/reminders';
import { migrate } from './store/migrate';
import { enqueueDelivery, OutboxStore } from './store/outbox';
import type { Sql } from './store/sql';
import type { Deliver, Transaction } from './domain/ports';

export interface CoachlineOptions {
  clock?: Clock;
  logSink?: LogSink;
  /** Tests shorten backoff and polling. */
  sender?: Partial<Pick<SenderOptions, 'backoffBaseMs' | 'backoffMaxMs' | 'pollMs' | 'concurrency' | 'maxAttempts' | 'authProbeMs'>>;
  /** Web API timeout for the outbox's client, in ms. */
  deliveryTimeoutMs?: number;
  /** Interface the HTTP server listens on (default all interfaces). */
  host?: string;
  /** Tests drive scheduled work themselves (with an injected clock) instead of node-cron. */
  scheduler?: boolean;
}

export interface Coachline {
  config: Config;
  /** The query layer (either engine). */
  sql: Sql;
  /** The raw SQLite handle, for tests and backups; throws when the engine is PostgreSQL. */
  readonly db: SqliteHandle;
  logger: Logger;
  built: BuiltApp;
  sender: OutboxSender;
  stores: {
    engagements: EngagementStore;
    events: EventStore;
    outbox: OutboxStore;
    impediments: ImpedimentStore;
    checkins: CheckinStore;
    portfolio: PortfolioStore;
    digests: DigestStore;
    reminders: ReminderStore;
    people: PeopleStore;
    pulses: PulseStore;
  };
  status: StatusService;
  pulses: PulseService;
  kickoff: KickoffService;
  impediments: ImpedimentService;
  scheduler: Scheduler;
  /** Migrates the database (under a lock), starts the receiver (HTTP port or Socket Mode) and the outbox sender; returns the HTTP port. */
  start(): Promise<number>;
  /** Stops taking requests, finishes what is in flight, flushes the outbox, closes the database. */
  stop(): Promise<void>;
}

/** How long stop() waits for requests and listener runs in flight (the process must be gone within 10 s of SIGTERM). */
const STOP_DEADLINE_MS = 5000;
/** Of which HTTP answers in flight get at most this long before their connections are closed. */
const HTTP_DRAIN_MS = 3000;

/** The password in DATABASE_URL, so the logger can mask it like the tokens. */
function databasePassword(url: string | null): string | null {
  if (!url) return null;
  try {
    return decodeURIComponent(new URL(url).password) || null;
  } catch {
    return null;
  }
}

/** The composition root: config → store (migrated) → services → Bolt app → listeners → delivery. */
export function createCoachline(config: Config, opts: CoachlineOptions = {}): Coachline {
  const clock = opts.clock ?? systemClock;
  const secrets = [config.botToken, config.appToken, config.signingSecret, databasePassword(config.databaseUrl)].filter((s): s is string => !!s);
  const logger = createLogger({ level: config.logLevel, sink: opts.logSink, secrets });
  const database = openDatabase(config);
  const sql = database.sql;

  const engagements = new EngagementStore(sql);
  const events = new EventStore(sql);
  const outbox = new OutboxStore(sql);
  const impedimentStore = new ImpedimentStore(sql);
  const requests = new RequestStore(sql);
  const checkins = new CheckinStore(sql);
  const portfolio = new PortfolioStore(sql, impedimentStore);
  const digests = new DigestStore(sql);
  const reminders = new ReminderStore(sql);
  const people = new PeopleStore(sql);
  const pulseStore = new PulseStore(sql);
  const coachingRequestStore = new CoachingRequestStore(sql);
  const profileStore = new ProfileStore(sql);
  const profiles = new ProfileService({ profiles: profileStore, clock });
  // The ports every service shares, wired once.
  const transaction: Transaction = (fn) => sql.transaction(fn);
  const deliver: Deliver = async (teamId, d, sponsorId) => {
    await enqueueDelivery(outbox, teamId, d, clock.now(), sponsorId);
  };
  // Set once the status service exists (the sender renders Home tabs when it delivers them).
  let renderHome: (teamId: string, userId: string) => Promise<unknown> = () => Promise.reject(new Error('coachline is not fully built yet'));
  const timeZone = config.defaultTimezone;

  // The outbox owns retrying: the client must throw on 429 and never retry on its own.
  const deliveryClient = new WebClient(config.botToken, {
    slackApiUrl: config.slackApiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: opts.deliveryTimeoutMs ?? 10_000,
    logger,
  });
  const sender = new OutboxSender({
    transaction,
    outbox,
    client: deliveryClient,
    clock,
    logger: logger.child({ component: 'outbox' }),
    leaseMs: config.outboxLeaseSeconds * 1000,
    handlers: deliveryHandlers({
      engagements,
      outbox,
      impediments: impedimentStore,
      timeZone,
      renderHome: (t, u) => renderHome(t, u),
      // The pulse service is built below; the sender calls these only once it runs.
      pulses: { asked: (id, users, enqueue) => pulses.asked(id, users, enqueue), teamOf: (id) => pulses.teamOf(id) },
      coachingRequests: coachingRequestStore,
      profiles: profileStore,
    }),
    sponsorOf: async (id) => (await engagements.get(id))?.sponsorId ?? null,
    problemNotice: problemNoticeFor(engagements),
    ...opts.sender,
  });

  const kickoff = new KickoffService({
    transaction,
    engagements,
    events,
    requests,
    deliver,
    render: {
      namedDm: (e, userId) => namedDm(e, userId),
      whatChanged: (lines, editorId) => whatChangedReply(lines, editorId),
      closingNote: (e, closedBy, note) => closingNote(e, closedBy, note),
    },
    adminIds: config.adminUserIds,
    clock,
    afterCommit: () => sender.kick(),
    refreshHomes: (teamId, e, userIds) => status.refreshHomes(teamId, e, userIds),
    requestStarted: (teamId, requestId, userId, engagementId) => coachingRequests.started(teamId, requestId, userId, engagementId),
    coachProfiles: (teamId, userIds) => profiles.forUsers(teamId, userIds),
  });

  const impediments = new ImpedimentService({
    transaction,
    impediments: impedimentStore,
    engagements,
    events,
    requests,
    deliver,
    render: {
      thread,
      escalationDm: (imp, e, ctx) =>
        escalationDm(imp, e, { levelName: ctx.level.name, reason: ctx.reason, actorId: ctx.actorId, history: ctx.history, age: formatAge(imp.createdAt, clock.now()), timeZone }),
      resolvedDm,
    },
    adminIds: config.adminUserIds,
    timeZone,
    clock,
    afterCommit: () => sender.kick(),
    refreshHomes: (teamId, e, userIds) => status.refreshHomes(teamId, e, userIds),
  });

  const status: StatusService = new StatusService({
    transaction,
    engagements,
    impediments: impedimentStore,
    checkins,
    reads: portfolio,
    digests,
    reminders,
    people,
    requests,
    events,
    deliver,
    render: {
      checkinPost,
      digest: (input) => digestMessage({ ...input, timeZone }),
      checkinReminder,
      impedimentReminder,
    },
    adminIds: config.adminUserIds,
    timeZone,
    clock,
    afterCommit: () => sender.kick(),
    pulseSummary: (engagementId) => pulses.summary(engagementId),
  });
  const coachingRequests = new CoachingRequestService({
    transaction,
    requests: coachingRequestStore,
    ledger: requests,
    events,
    deliverRaw: async (teamId, d) => {
      await enqueueDelivery(outbox, teamId, d, clock.now());
    },
    render: { received: requestReceived, declined: requestDeclined },
    adminIds: config.adminUserIds,
    clock,
    afterCommit: () => sender.kick(),
  });
  // The key of answerers' hashes: a secret the database never holds (any of the app's own secrets).
  const answererSecret = config.signingSecret ?? config.appToken ?? config.botToken;
  const pulses: PulseService = new PulseService({
    transaction,
    pulses: pulseStore,
    engagements,
    events,
    requests,
    deliver,
    render: {
      invitation: (e, p) => pulseInvitation(e, p, timeZone),
      reminder: (e, p) => pulseReminder(e, p, timeZone),
      closed: pulseClosedMessage,
    },
    adminIds: config.adminUserIds,
    timeZone,
    minResponses: config.pulseMinResponses,
    answererKey: (pulseId, userId) => createHmac('sha256', answererSecret).update(`${pulseId}:${userId}`).digest('hex'),
    clock,
    afterCommit: () => sender.kick(),
    refreshHomes: (teamId, e, userIds) => status.refreshHomes(teamId, e, userIds),
  });
  renderHome = async (teamId, userId) => homeView({ ...(await status.homeData(teamId, userId)), timeZone });
  const zones = new ZoneDirectory(deliveryClient, people, clock, logger);

  const scheduler = new Scheduler([escalationSweep(impediments, logger), digestJob(status, logger), reminderJob(status, zones, logger), pulseJob(pulses, zones, logger)], logger);

  const built = buildApp(config, { logger, healthy: async () => (await databaseAnswers(sql)) && (await databaseWritable(sql)) });
  registerListeners(built.app, {
    config,
    clock,
    logger,
    kickoff,
    impediments,
    engagements,
    impedimentStore,
    status,
    pulses,
    coachingRequests,
    profiles,
    tellUser: async (teamId, userId, message) => {
      await enqueueDelivery(outbox, teamId, { kind: 'dm', userId, message }, clock.now());
      sender.kick();
    },
    zoneOf: (teamId, userId) => zones.get(teamId, userId),
    scorecard: async (engagementId) => {
      const e = await engagements.get(engagementId);
      return e ? computeScorecard(e.escalation, await impedimentStore.clocksForEngagement(engagementId), clock.now()) : [];
    },
  });

  let stopped = false;
  let guard: RequestGuard | null = null;
  let schedulerStarting: Promise<unknown> = Promise.resolve();
  return {
    config,
    sql,
    get db(): SqliteHandle {
      if (!database.sqlite) throw new Error('this coachline runs on PostgreSQL; there is no SQLite handle');
      return database.sqlite;
    },
    logger,
    built,
    sender,
    stores: { engagements, events, outbox, impediments: impedimentStore, checkins, portfolio, digests, reminders, people, pulses: pulseStore },
    status,
    pulses,
    kickoff,
    impediments,
    scheduler,
    async start() {
      const migrated = await migrate(sql);
      if (migrated.from !== migrated.to) logger.log('info', 'database migrated', migrated);
      await built.app.init();
      // Requests are admitted only from the workspace the bot token belongs to.
      const auth = await built.app.client.auth.test();
      if (!auth.team_id) throw new Error('Slack did not say which workspace SLACK_BOT_TOKEN belongs to (auth.test has no team_id)');
      built.setInstalledTeam(auth.team_id);
      await sender.start();
      // The catch-up pass (downtime's escalations, digests, reminders) runs once the receiver
      // listens: a large backlog must not keep /healthz and Slack's requests waiting.
      const startScheduler = () => {
        if (opts.scheduler === false) return;
        schedulerStarting = scheduler.start().catch((error: unknown) => logger.log('error', 'the scheduler could not start', { error }));
      };
      if (config.mode === 'socket') {
        await built.app.start();
        // Bolt keeps the /healthz server of Socket Mode in a private field.
        const server = (built.receiver as unknown as { httpServer?: import('node:http').Server }).httpServer;
        if (server && !server.listening) await new Promise((r) => server.once('listening', r));
        const addr = server?.address();
        startScheduler();
        return typeof addr === 'object' && addr ? addr.port : config.port;
      }
      const server = (await built.app.start({ port: config.port, host: opts.host ?? '0.0.0.0' })) as import('node:http').Server;
      guard = guardRequestBodies(server);
      startScheduler();
      const addr = server.address();
      return typeof addr === 'object' && addr ? addr.port : config.port;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const deadline = Date.now() + STOP_DEADLINE_MS;
      // Bolt closes its server (no new connections); the guard ends kept-alive sockets and answers stragglers 503.
      const receiverStopped = built.app.stop().catch((error: unknown) => logger.log('warn', 'stopping the receiver failed', { error }));
      if (guard) await guard.stopIntake(HTTP_DRAIN_MS);
      await receiverStopped;
      if (config.mode === 'socket') await (built.receiver as SocketModeReceiver).client.disconnect().catch(() => undefined);
      while (built.inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await scheduler.stop();
      await schedulerStarting;
      await sender.stop();
      await sql.close();
      logger.log('info', 'coachline stopped');
    },
  };
}
