import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, type CustomRoute } from '@slack/bolt';
import type { Config } from '../config';
import type { Logger } from '../lib/logger';

export interface BuiltApp {
  app: App;
  receiver: HTTPReceiver | SocketModeReceiver;
  /** Listener runs still in progress (shutdown waits for them). */
  inFlight(): number;
}

/** Retries for calls made while a person waits (views.open, ephemeral answers): few and quick. */
export const INTERACTIVE_RETRY = { retries: 2, factor: 2, minTimeout: 100, maxTimeout: 500 };

/**
 * Builds the Bolt app: Socket Mode when an app-level token is configured, HTTP otherwise
 * (Slack's requests at POST /slack/events). Every Web API call goes to SLACK_API_URL.
 * GET /healthz answers 200 while the database answers, 503 otherwise, in both modes.
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
        res.end(JSON.stringify({ status: ok ? 'ok' : 'unavailable', database: ok ? 'ok' : 'not answering', mode: config.mode }));
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
          // A request we do not handle is answered at once rather than after 3 s.
          unhandledRequestTimeoutMillis: 1000,
        });
  // auth.test runs in app.init() (awaited at start), so a refused token is a clear startup error, not a crash.
  const app = new App({ token: config.botToken, receiver, logger: deps.logger, clientOptions, deferInitialization: true });

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
  return { app, receiver, inFlight: () => running };
}
