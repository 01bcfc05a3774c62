import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, type CustomRoute, type ReceiverEvent } from '@slack/bolt';
import type { Config } from '../config';
import type { Logger } from '../lib/logger';
import { admit, FOREIGN_WORKSPACE_TEXT } from './middleware/admission';

export interface BuiltApp {
  app: App;
  receiver: HTTPReceiver | SocketModeReceiver;
  /** Listener runs still in progress (shutdown waits for them). */
  inFlight(): number;
  /** The workspace the bot token belongs to (auth.test's team_id); until it is set no request is admitted. */
  setInstalledTeam(teamId: string): void;
}

/**
 * Bolt's App with one gate in front of its own reading of the body: every request from either
 * receiver is checked by `admit` (shape for its kind, and the installation's workspace) before
 * Bolt builds its context, so a wrongly typed payload cannot crash it and a foreign one is
 * never acted on.
 */
class AdmittingApp extends App {
  installedTeam: string | null = null;
  constructor(
    options: ConstructorParameters<typeof App>[0],
    private readonly gateLogger: Logger,
  ) {
    super(options);
  }

  override async processEvent(event: ReceiverEvent): Promise<void> {
    const verdict = admit(event.body, this.installedTeam);
    if (verdict.admitted) return this.processAdmitted(event);
    if (verdict.why === 'malformed') {
      this.gateLogger.log('warn', 'refused a request that is not shaped like Slack’s', { kind: verdict.kind, problem: verdict.problem });
      return event.ack();
    }
    this.gateLogger.log('warn', 'refused a request from another workspace', { kind: verdict.kind, teamId: verdict.teamId });
    return event.ack(verdict.kind === 'command' ? { response_type: 'ephemeral', text: FOREIGN_WORKSPACE_TEXT } : undefined);
  }

  /**
   * Bolt's processing, then an empty 200 at once for a request no listener acknowledged (one we
   * do not handle), instead of Bolt's 404 when its unhandled-request timer fires. That timer keeps
   * Slack's whole 3 seconds: a listener that acks after its work (a command answered with what it
   * stored) is never cut short while it is still within them.
   */
  private async processAdmitted(event: ReceiverEvent): Promise<void> {
    let acked = false;
    const ack: ReceiverEvent['ack'] = async (response) => {
      acked = true;
      return event.ack(response);
    };
    try {
      await super.processEvent({ ...event, ack });
    } finally {
      if (!acked) await ack();
    }
  }
}

/** Retries for calls made while a person waits (views.open, ephemeral answers): few and quick. */
export const INTERACTIVE_RETRY = { retries: 2, factor: 2, minTimeout: 100, maxTimeout: 500 };

/**
 * Builds the Bolt app: Socket Mode when an app-level token is configured, HTTP otherwise
 * (Slack's requests at POST /slack/events). Every Web API call goes to SLACK_API_URL.
 * GET /healthz answers 200 while the database answers and takes a write, 503 otherwise, in both modes.
 */
export function buildApp(config: Config, deps: { logger: Logger; healthy: () => Promise<boolean> }): BuiltApp {
  const clientOptions = { slackApiUrl: config.slackApiUrl, retryConfig: INTERACTIVE_RETRY, timeout: 10_000 };
  const customRoutes: CustomRoute[] = [
    {
      path: '/healthz',
      method: ['GET'],
      handler: async (_req: IncomingMessage, res: ServerResponse) => {
        const ok = await deps.healthy().catch(() => false);
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', database: ok ? 'ok' : 'not answering or not writable', mode: config.mode }));
      },
    },
  ];
  const receiver =
    config.mode === 'socket'
      ? new SocketModeReceiver({
          appToken: config.appToken as string,
          logger: deps.logger,
          customRoutes,
          installerOptions: { port: config.port, clientOptions: { slackApiUrl: config.slackApiUrl, retryConfig: { retries: 5, factor: 2 } } },
        })
      : new HTTPReceiver({
          signingSecret: config.signingSecret as string,
          endpoints: '/slack/events',
          customRoutes,
          logger: deps.logger,
          // Bolt's default (Slack's 3 s window) on purpose: this timer runs for every request, also the
          // ones a listener is still working on; unhandled requests are answered by processAdmitted.
        });
  // auth.test runs in app.init() (awaited at start), so a refused token is a clear startup error, not a crash.
  const app = new AdmittingApp({ token: config.botToken, receiver, logger: deps.logger, clientOptions, deferInitialization: true }, deps.logger);

  let running = 0;
  app.use(async ({ next }) => {
    running++;
    try {
      await next();
    } finally {
      running--;
    }
  });
  app.error(async (error) => {
    deps.logger.log('error', 'unhandled error in a listener', { error });
  });
  return {
    app,
    receiver,
    inFlight: () => running,
    setInstalledTeam: (teamId) => {
      app.installedTeam = teamId;
    },
  };
}
