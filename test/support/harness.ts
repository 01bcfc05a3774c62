import { parseConfig } from '../../src/config';
import { createCoachline, type Coachline, type CoachlineOptions } from '../../src/coachline';
import { startEmulator, type SlackEmulator } from '../../src/sandbox/emulator';
import { configurePayloads, slashCommand, type SlashCommandFields } from '../../src/sandbox/payloads';
import { postCommand, postEvent, postInteraction, type PostOptions } from '../../src/sandbox/signing';
import type { Engine, Param } from '../../src/store/sql';
import { startSocketServer } from './socketServer';
import { tempDir, tempPostgresDatabase } from './tempDb';

export const SIGNING_SECRET = 'test-signing-secret-8f2a';
export const BOT_TOKEN = 'xoxb-test-bot-token';
export const APP_TOKEN = 'xapp-1-A111-222-test';

export interface Harness {
  emu: SlackEmulator;
  app: Coachline;
  /** `http://127.0.0.1:PORT` of the running app. */
  base: string;
  logs: string[];
  /** The engine this harness runs on (see harnessEngine). */
  engine: Engine;
  /** SQLite only: the database file (PostgreSQL harnesses use a temp database instead). */
  dbFile: string;
  /** Rows of a query (`?` parameters) on whichever engine the app runs on. */
  rows<T = Record<string, unknown>>(text: string, ...params: Param[]): Promise<T[]>;
  /** `SELECT COUNT(*) FROM table [WHERE …]` as a number on both engines. */
  count(table: string, where?: string, ...params: Param[]): Promise<number>;
  command(fields: Partial<SlashCommandFields>, opts?: PostOptions): Promise<Reply>;
  interact(payload: object, opts?: PostOptions): Promise<Reply>;
  /** An Events API envelope (JSON body), signed. */
  event(envelope: object, opts?: PostOptions): Promise<Reply>;
  /** Waits until the outbox has nothing pending or in flight. */
  settle(timeoutMs?: number): Promise<void>;
  /** Stops the app (gracefully) and starts a new one on the same database file. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export type Reply = { status: number; body: string; json(): unknown };

/** The headers of Slack's first retry of a request it thinks timed out. */
export const SLACK_RETRY: PostOptions = { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } };

/**
 * Sends a request already sent again, twice, with the same bytes: replayed as it was, and as
 * Slack's retry (`x-slack-retry-num: 1`). `send` must post a body built once (its trigger_id,
 * view id and hash fixed), e.g. `(o) => h.interact(payload, o)`.
 */
export async function sendAgain(send: (opts?: PostOptions) => Promise<Reply>): Promise<Reply[]> {
  return [await send(), await send(SLACK_RETRY)];
}

export interface HarnessOptions extends CoachlineOptions {
  env?: Record<string, string>;
  /** Defaults to harnessEngine(). */
  engine?: Engine;
}

/**
 * The engine end-to-end suites run on: SQLite, or PostgreSQL when COACHLINE_TEST_ENGINE=postgres
 * (npm test sets it for its second pass when TEST_DATABASE_URL names a server).
 */
export function harnessEngine(): Engine {
  if (process.env.COACHLINE_TEST_ENGINE !== 'postgres') return 'sqlite';
  if (!process.env.TEST_DATABASE_URL) throw new Error('COACHLINE_TEST_ENGINE=postgres needs TEST_DATABASE_URL');
  return 'postgres';
}

/** Jest's `it` on SQLite harnesses, `it.skip` on PostgreSQL: for tests of SQLite's own behaviour (files, pragmas). */
export const itSqlite: jest.It = harnessEngine() === 'sqlite' ? it : it.skip;

/** The real app over HTTP on an ephemeral port, talking to a fresh emulator, on a temp SQLite file or PostgreSQL database. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const engine = opts.engine ?? harnessEngine();
  const emu = await startEmulator();
  configurePayloads({ responseUrlBase: emu.responseUrlBase });
  const tmp = tempDir();
  const dbFile = tmp.file();
  const pgDb = engine === 'postgres' ? await tempPostgresDatabase('coachline_e2e') : null;
  const where = pgDb ? { DATABASE_URL: pgDb.url } : { DATABASE_PATH: dbFile };
  const logs: string[] = [];
  const make = () =>
    createCoachline(
      parseConfig({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: emu.url,
        PORT: '0',
        ...where,
        LOG_LEVEL: 'debug',
        ...opts.env,
      }),
      { host: '127.0.0.1', logSink: (l) => logs.push(l), sender: { backoffBaseMs: 20, backoffMaxMs: 200, pollMs: 50, authProbeMs: 50 }, deliveryTimeoutMs: 2000, ...opts },
    );
  let app = make();
  let port = await app.start();
  const h: Harness = {
    emu,
    get app() {
      return app;
    },
    get base() {
      return `http://127.0.0.1:${port}`;
    },
    logs,
    engine,
    dbFile,
    rows: (text, ...params) => app.sql.all(text, ...params),
    count: (table, where = '', ...params) => app.sql.count(`SELECT COUNT(*) AS n FROM ${table}${where ? ` WHERE ${where}` : ''}`, ...params),
    command: (fields, opts) => postCommand(`${h.base}/slack/events`, SIGNING_SECRET, { ...slashCommand(fields) }, opts),
    interact: (payload, opts) => postInteraction(`${h.base}/slack/events`, SIGNING_SECRET, payload, opts),
    event: (envelope, opts) => postEvent(`${h.base}/slack/events`, SIGNING_SECRET, envelope, opts),
    async settle(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const c = await app.stores.outbox.counts();
        if (c.pending === 0 && c.sending === 0) return;
        if (Date.now() > deadline) throw new Error(`outbox did not settle: ${JSON.stringify(c)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async restart() {
      await app.stop();
      app = make();
      port = await app.start();
    },
    async close() {
      await app.stop();
      await emu.close();
      tmp.cleanup();
      await pgDb?.drop();
    },
  } as Harness;
  return h;
}

/** The real app in Socket Mode against a local WebSocket endpoint. */
export async function startSocketHarness(opts: HarnessOptions = {}) {
  const emu = await startEmulator();
  const socket = await startSocketServer();
  emu.setSocketUrl(socket.url);
  const tmp = tempDir();
  const logs: string[] = [];
  const app = createCoachline(
    parseConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, SLACK_API_URL: emu.url, PORT: '0', DATABASE_PATH: tmp.file(), LOG_LEVEL: 'debug', ...opts.env }),
    { logSink: (l) => logs.push(l), sender: { backoffBaseMs: 20, backoffMaxMs: 200, pollMs: 50, authProbeMs: 50 }, ...opts },
  );
  const port = await app.start();
  await socket.connected;
  return {
    emu,
    socket,
    app,
    port,
    logs,
    async close() {
      await app.stop();
      await socket.close();
      await emu.close();
      tmp.cleanup();
    },
  };
}

/** Polls until `predicate` holds (the app acks first and calls Slack afterwards). */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
