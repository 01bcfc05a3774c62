/**
 * The real process: `node src/main.ts` (ts-node, transpile-only) as a child, with its own
 * environment and working directory, a real SQLite file in a temp folder, and the local
 * Slack emulator behind SLACK_API_URL. What only a process has is tested here: exit codes,
 * stderr, `.env`, signals, and a crash (SIGKILL) while a message is on its way to Slack.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openSqlite } from '../../src/store/connection';
import { loadMigrations, migrate } from '../../src/store/migrate';
import { killAllChildren, freePort, runToExit, startApp, type RunningApp } from '../support/childApp';
import { startEmulator, type EmulatorOptions, type SlackEmulator } from '../../src/sandbox/emulator';
import { kickoffForm, kickoffSubmission, type KickoffForm } from '../support/kickoffForm';
import { slashCommand } from '../../src/sandbox/payloads';
import { computeSignature, postCommand, postInteraction, postToSlackApp } from '../../src/sandbox/signing';
import { tempDir } from '../support/tempDb';

// Child start-up through ts-node takes seconds, far more on a loaded machine: generous limits, not measurements.
jest.setTimeout(90_000);
const SLOW_START_MS = 60_000;

// The same values as test/support/harness.ts, kept here so this file does not load the app
// into the test process: the app under test runs only in the child.
const BOT_TOKEN = 'xoxb-test-bot-token';
const SIGNING_SECRET = 'test-signing-secret-8f2a';

/** Polls until `predicate` holds. */
async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const STACK_LINE = /^\s{4}at /m;
const startupTimes: number[] = [];

type Tmp = ReturnType<typeof tempDir>;
const tmps: Tmp[] = [];
const emulators: SlackEmulator[] = [];

function tmp(): Tmp {
  const t = tempDir('coachline-proc-');
  tmps.push(t);
  return t;
}

async function emulator(opts?: EmulatorOptions): Promise<SlackEmulator> {
  const emu = await startEmulator(opts);
  emulators.push(emu);
  return emu;
}

/** Kills any child still alive (by pid), closes emulators, removes temp folders. */
async function cleanUp(): Promise<void> {
  await killAllChildren();
  await Promise.all(emulators.splice(0).map((e) => e.close()));
  for (const t of tmps.splice(0)) t.cleanup();
}

afterAll(async () => {
  await cleanUp();
  if (startupTimes.length > 0) {
    const sorted = [...startupTimes].sort((a, b) => a - b);
    // Reported so the figure is visible in CI output; the assertion is the per-start timeout.
    process.stdout.write(`child startup (ts-node transpile-only → "running"): ${sorted.join(', ')} ms\n`);
  }
});

/** A complete HTTP-mode configuration against `emu`, on `dbFile`. */
function httpEnv(emu: SlackEmulator, dbFile: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: emu.url,
    PORT: '0',
    DATABASE_PATH: dbFile,
    LOG_LEVEL: 'debug',
    // A killed instance's claims are taken over after their lease: short here, so a restart finds them expired.
    OUTBOX_LEASE_SECONDS: '1',
    ...extra,
  };
}

async function start(env: Record<string, string>, cwd: string, clockOffsetMs?: number): Promise<RunningApp> {
  const app = await startApp({ env, cwd, clockOffsetMs, startTimeoutMs: SLOW_START_MS });
  startupTimes.push(app.startupMs);
  return app;
}

/** Opens the SQLite file read-only (the child may still be writing it), runs `fn`, closes. */
function readDb<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    return fn(db);
  } finally {
    db.close();
  }
}

interface OutboxRowRaw {
  id: number;
  kind: string;
  status: string;
  result: string | null;
}

const outboxRows = (file: string): OutboxRowRaw[] =>
  readDb(file, (db) => db.prepare('SELECT id, kind, status, result FROM outbox ORDER BY id').all() as OutboxRowRaw[]);

const outboxCounts = (file: string): Record<string, number> =>
  Object.fromEntries(
    readDb(file, (db) => db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all() as { status: string; n: number }[]).map((r) => [
      r.status,
      r.n,
    ]),
  );

async function waitForOutboxSettled(file: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = outboxCounts(file);
    if ((c.pending ?? 0) === 0 && (c.sending ?? 0) === 0) return;
    if (Date.now() > deadline) throw new Error(`outbox did not settle: ${JSON.stringify(c)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The outbox id coachline stamps on every message it posts (message metadata). */
const outboxIdOf = (m: { metadata?: unknown }): unknown => (m.metadata as { event_payload?: { outbox_id?: unknown } } | undefined)?.event_payload?.outbox_id;

/** Types /kickoff as the sponsor, takes the private_metadata of the modal, submits the form. */
async function kickOff(app: RunningApp, emu: SlackEmulator, channelId: string, form: Partial<KickoffForm>): Promise<void> {
  const url = `${app.base}/slack/events`;
  const before = emu.callsTo('views.open').length;
  const cmd = await postCommand(url, SIGNING_SECRET, { ...slashCommand({ command: '/kickoff', text: '', user_id: 'USPONSOR', channel_id: channelId }) });
  expect(cmd.status).toBe(200);
  await waitFor(() => emu.callsTo('views.open').length > before, 'views.open', 5000);
  const view = emu.callsTo('views.open')[before]!.args.view as { private_metadata: string };
  const submitted = await postInteraction(url, SIGNING_SECRET, kickoffSubmission(kickoffForm(form), { user: 'USPONSOR', privateMetadata: view.private_metadata }));
  expect(submitted.status).toBe(200);
  expect(submitted.body).toBe(''); // the modal closes: the engagement and its outbox rows are committed
}

describe('startup errors', () => {
  type Result = Awaited<ReturnType<typeof runToExit>>;
  const cases = {} as Record<'config' | 'future' | 'revoked' | 'unreachable', { res: Result; cwd: string; emu?: SlackEmulator; dbFile?: string }>;
  const revoked = 'xoxb-revoked-token-4242';
  const leaky = ['xoxb-9999-not-an-app-token-c0ffee', 'signing-secret-must-not-leak-77'];

  // Each case is a process that should stop by itself within a second or two: run them side by side.
  beforeAll(async () => {
    const config = async () => {
      const cwd = tmp().dir; // no .env here, and no db/migrations: only the code's own folder has them
      const res = await runToExit({ timeoutMs: SLOW_START_MS,
        cwd,
        env: {
          // SLACK_BOT_TOKEN missing
          PORT: 'eighty',
          DEFAULT_TIMEZONE: 'Mars/Olympus_Mons',
          SLACK_APP_TOKEN: leaky[0]!,
          SLACK_SIGNING_SECRET: leaky[1]!,
        },
      });
      cases.config = { res, cwd };
    };
    const future = async () => {
      const t = tmp();
      const dbFile = t.file('future.sqlite');
      const db = openSqlite(dbFile);
      await migrate(db.sql);
      db.sqlite?.pragma('user_version = 999');
      await db.sql.close();
      const emu = await emulator();
      cases.future = { res: await runToExit({ timeoutMs: SLOW_START_MS, cwd: t.dir, env: httpEnv(emu, dbFile) }), cwd: t.dir, emu, dbFile };
    };
    const refused = async () => {
      const t = tmp();
      const emu = await emulator();
      emu.revokeToken(revoked);
      cases.revoked = { res: await runToExit({ timeoutMs: SLOW_START_MS, cwd: t.dir, env: httpEnv(emu, t.file(), { SLACK_BOT_TOKEN: revoked }) }), cwd: t.dir, emu };
    };
    const unreachable = async () => {
      const t = tmp();
      const emu = await emulator();
      const closedPort = await freePort(); // nothing listens there
      const res = await runToExit({ timeoutMs: SLOW_START_MS, cwd: t.dir, env: httpEnv(emu, t.file(), { SLACK_API_URL: `http://127.0.0.1:${closedPort}/api/` }) });
      cases.unreachable = { res, cwd: t.dir };
    };
    await Promise.all([config(), future(), refused(), unreachable()]);
    // Four children start side by side; on a loaded machine each may take several seconds to load.
  }, 90_000);
  afterAll(cleanUp);

  it('lists every configuration problem by name, exits 1, no stack trace, no secret echoed, touches nothing', () => {
    const { res, cwd } = cases.config;
    expect({ code: res.code, signal: res.signal }).toEqual({ code: 1, signal: null });
    expect(res.stderr).toMatch(/SLACK_BOT_TOKEN is missing/);
    expect(res.stderr).toMatch(/^\s+- PORT must be a port number/m);
    expect(res.stderr).toMatch(/^\s+- DEFAULT_TIMEZONE must be an IANA time zone/m);
    expect(res.stderr).toMatch(/^\s+- SLACK_APP_TOKEN must be an app-level token starting with xapp-/m);
    expect(res.stderr).toMatch(/the configuration has 4 problems/);
    expect(res.stderr).not.toMatch(STACK_LINE);
    expect(res.stderr).not.toMatch(/Error:|ZodError|node:internal/);
    for (const secret of [...leaky, 'not-an-app-token', 'eighty', 'Olympus']) {
      expect(res.stderr + res.stdout).not.toContain(secret);
    }
    expect(res.stdout).toBe('');
    // Configuration is checked before anything is created (no ./data, no database file).
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  it('refuses a database written by a newer coachline, with the clear message and no stack trace', () => {
    const { res, emu, dbFile } = cases.future;
    expect({ code: res.code, signal: res.signal }).toEqual({ code: 1, signal: null });
    // "up to N" also shows db/migrations was found next to the code although cwd is elsewhere.
    expect(res.stderr).toContain(`The database is at schema version 999, but this coachline only knows versions up to ${loadMigrations().length}.`);
    expect(res.stderr).toMatch(/upgrade coachline, or point DATABASE_PATH at another file/);
    expect(res.stderr).not.toMatch(STACK_LINE);
    expect(res.stderr).not.toContain(BOT_TOKEN);
    // It stopped before talking to Slack, and left the file as it was.
    expect(emu!.calls).toEqual([]);
    expect(readDb(dbFile!, (d) => d.pragma('user_version', { simple: true }))).toBe(999);
  });

  it('a bot token Slack refuses: exit 1 naming Slack\'s answer and the fix, no stack trace, never "running"', () => {
    const { res, emu } = cases.revoked;
    expect(emu!.callsTo('auth.test').length).toBeGreaterThan(0);
    expect({ code: res.code, signal: res.signal }).toEqual({ code: 1, signal: null });
    expect(res.stderr).toContain('coachline cannot start: Slack answered "token_revoked"');
    expect(res.stderr).toMatch(/SLACK_BOT_TOKEN is not accepted by Slack/);
    expect(res.stderr).not.toMatch(STACK_LINE);
    expect(res.stdout).not.toMatch(/coachline is running/);
    expect(res.stderr + res.stdout).not.toContain(revoked);
  });

  it('Slack cannot be reached at SLACK_API_URL: exit 1 saying so, no stack trace, never "running"', () => {
    const { res } = cases.unreachable;
    expect({ code: res.code, signal: res.signal }).toEqual({ code: 1, signal: null });
    expect(res.stderr).toMatch(/Slack could not be reached: check the network and SLACK_API_URL/);
    expect(res.stderr).not.toMatch(STACK_LINE);
    expect(res.stdout).not.toMatch(/coachline is running/);
  });
});

describe('HTTP mode configured from .env in the working directory', () => {
  let app: RunningApp;
  let emu: SlackEmulator;
  let cwd: string;
  let envPort: number;
  let dotenvPort: number;

  beforeAll(async () => {
    emu = await emulator();
    cwd = tempDir('coachline-proc-').dir;
    envPort = await freePort();
    do dotenvPort = await freePort();
    while (dotenvPort === envPort);
    fs.writeFileSync(
      path.join(cwd, '.env'),
      [
        '# written like .env.example',
        'SLACK_BOT_TOKEN=xoxb-from-dotenv-file',
        `SLACK_SIGNING_SECRET="${SIGNING_SECRET}"`,
        'SLACK_APP_TOKEN=',
        `SLACK_API_URL=${emu.url}`,
        `PORT=${dotenvPort}`,
        'DATABASE_PATH=./data/dotenv.sqlite',
        'LOG_LEVEL=info',
        '',
      ].join('\n'),
    );
    // The process environment wins over .env: another bot token and another port.
    app = await start({ SLACK_BOT_TOKEN: BOT_TOKEN, PORT: String(envPort) }, cwd);
  });

  afterAll(async () => {
    if (app) expect(await app.stop()).toEqual({ code: 0, signal: null });
    await cleanUp();
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('starts from .env (migrations found from another cwd); variables already in the environment win', async () => {
    expect(app.port).toBe(envPort);
    const health = await fetch(`http://127.0.0.1:${envPort}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/application\/json/);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok', mode: 'http' });
    // Nothing listens on the port .env asked for.
    await expect(fetch(`http://127.0.0.1:${dotenvPort}/healthz`)).rejects.toThrow();
    // auth.test at start-up went to the emulator from .env, with the token from the environment.
    const auth = emu.callsTo('auth.test');
    expect(auth.length).toBeGreaterThanOrEqual(1);
    expect(auth.every((c) => c.token === BOT_TOKEN)).toBe(true);
    // DATABASE_PATH from .env, relative to the working directory, created and migrated.
    const dbFile = path.join(cwd, 'data', 'dotenv.sqlite');
    expect(fs.existsSync(dbFile)).toBe(true);
    expect(readDb(dbFile, (d) => d.pragma('user_version', { simple: true }))).toBe(loadMigrations().length);
    // LOG_LEVEL=info from .env: no debug lines; the running line names the port; no token in the logs.
    expect(app.logs().some((r) => r.level === 'debug')).toBe(false);
    expect(app.stdout()).not.toContain(BOT_TOKEN);
    expect(app.stdout()).not.toContain('xoxb-from-dotenv-file');
    expect(app.stdout()).not.toContain(SIGNING_SECRET);
  });

  it('answers 401 to a bad signature and to a stale timestamp, 200 to a good one', async () => {
    const url = `${app.base}/slack/events`;
    const body = new URLSearchParams({ ...slashCommand({ command: '/kickoff', text: 'help' }) }).toString();
    const form = 'application/x-www-form-urlencoded' as const;
    const forged = await postToSlackApp(url, SIGNING_SECRET, body, form, { signature: computeSignature('not-the-secret', body, Math.floor(Date.now() / 1000)) });
    expect(forged.status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    const replayed = await postToSlackApp(url, SIGNING_SECRET, body, form, { ts: stale });
    expect(replayed.status).toBe(401);
    const good = await postToSlackApp(url, SIGNING_SECRET, body, form);
    expect(good.status).toBe(200);
    expect(good.body).toContain('/kickoff edit');
  });
});

describe('stopping and crashing in the middle of a delivery', () => {
  afterEach(cleanUp);

  it('SIGTERM lets the message in flight finish, records it done, says it stopped, exits 0', async () => {
    const t = tmp();
    const dbFile = t.file();
    const emu = await emulator();
    const general = emu.addChannel({ name: 'general' });
    const payments = emu.addChannel({ name: 'payments' });
    const app = await start(httpEnv(emu, dbFile), t.dir);
    emu.fault({ method: 'chat.postMessage', delayMs: 1500, times: Infinity });

    await kickOff(app, emu, general, { channels: [general, payments] });
    await waitFor(() => emu.callsTo('chat.postMessage').length > 0, 'the first chat.postMessage', 5000);
    const inFlight = outboxRows(dbFile).filter((r) => r.status === 'sending');
    const signalledAt = Date.now();
    app.proc.kill('SIGTERM');
    const exit = await app.exited;
    const stopMs = Date.now() - signalledAt;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(inFlight.length).toBeGreaterThan(0);
    // It waited for Slack's (delayed) answer instead of dropping the work.
    expect(stopMs).toBeGreaterThanOrEqual(1000);
    const after = new Map(outboxRows(dbFile).map((r) => [r.id, r]));
    for (const row of inFlight) {
      const done = after.get(row.id)!;
      expect({ id: row.id, status: done.status }).toEqual({ id: row.id, status: 'done' });
      const result = JSON.parse(done.result ?? '{}') as { channel?: string; ts?: string };
      if (result.ts) {
        // What was recorded is the message Slack stored and answered.
        const posted = emu.callsTo('chat.postMessage').find((c) => (c.response as { ts?: string } | null)?.ts === result.ts);
        expect(posted?.status).toBe(200);
      }
    }
    const first = emu.callsTo('chat.postMessage')[0]!;
    expect(first.status).toBe(200);
    expect(after.get(outboxIdOf(first.args) as number)?.status).toBe('done');
    expect([...after.values()].filter((r) => r.status === 'sending')).toEqual([]);
    const msgs = app.logs().map((r) => String(r.msg));
    expect(msgs).toContain('received SIGTERM; finishing what is in flight');
    expect(msgs[msgs.length - 1]).toBe('coachline stopped');
    expect(app.stderr()).not.toMatch(STACK_LINE);
  });

  /**
   * Runs a kickoff, SIGKILLs the app while `inFlight` says a post has reached Slack but its
   * answer is held back, restarts on the same file and emulator, and waits for the outbox.
   */
  async function crashAndRecover(opts: {
    emulatorOptions?: EmulatorOptions;
    channels: (emu: SlackEmulator) => string[];
    form?: Partial<KickoffForm>;
    setupFaults: (emu: SlackEmulator) => void;
    /** True once the moment to crash has come (polled). */
    crashWhen: (emu: SlackEmulator, dbFile: string) => boolean;
    /** Whether a chat.postMessage must be among the answers lost (default true). */
    expectLostPost?: boolean;
    /** The restarted app's clock runs this far ahead (the restart happens "later"). */
    restartClockOffsetMs?: number;
  }) {
    const t = tmp();
    const dbFile = t.file();
    const emu = await emulator(opts.emulatorOptions);
    const channels = opts.channels(emu);
    const env = httpEnv(emu, dbFile);
    const first = await start(env, t.dir);
    opts.setupFaults(emu);
    await kickOff(first, emu, channels[0]!, { channels, ...opts.form });
    await waitFor(() => opts.crashWhen(emu, dbFile), 'the moment to crash', 8000);

    // Posts Slack has stored whose answer the app has not received: their rows are `sending`.
    const sending = outboxRows(dbFile).filter((r) => r.status === 'sending');
    const storedIds = new Set(
      emu
        .callsTo('chat.postMessage')
        .filter((c) => c.status === 0 && emu.messages(String(c.args.channel)).some((m) => outboxIdOf(m) === outboxIdOf(c.args)))
        .map((c) => outboxIdOf(c.args)),
    );
    expect(await first.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    const lostAnswers = sending.filter((r) => storedIds.has(r.id));
    if (opts.expectLostPost !== false) expect(lostAnswers.length).toBeGreaterThan(0);

    emu.clearFaults();
    const second = await start(env, t.dir, opts.restartClockOffsetMs);
    await waitForOutboxSettled(dbFile);
    expect(await second.stop()).toEqual({ code: 0, signal: null });
    return { emu, dbFile, channels, lostAnswers, second };
  }

  /** Nothing lost, nothing twice: the checks every crash test ends with. */
  function expectExactlyOnce(r: { emu: SlackEmulator; dbFile: string; channels: string[] }, people: string[]) {
    const { emu, dbFile, channels } = r;
    const announcements = readDb(
      dbFile,
      (db) =>
        db.prepare('SELECT channel_id, status, message_channel, message_ts FROM announcements ORDER BY position').all() as {
          channel_id: string;
          status: string;
          message_channel: string | null;
          message_ts: string | null;
        }[],
    );
    expect(announcements.map((a) => a.channel_id).sort()).toEqual([...channels].sort());
    for (const channel of channels) {
      const top = emu.messages(channel).filter((m) => !m.thread_ts);
      expect({ channel, topLevel: top.length }).toEqual({ channel, topLevel: 1 });
      const a = announcements.find((x) => x.channel_id === channel)!;
      expect(a).toEqual({ channel_id: channel, status: 'posted', message_channel: channel, message_ts: top[0]!.ts });
    }
    expect({ sponsorConfirmations: emu.messages('USPONSOR').length }).toEqual({ sponsorConfirmations: 1 });
    const e = readDb(dbFile, (db) => db.prepare('SELECT confirmation_ts FROM engagements').get() as { confirmation_ts: string | null });
    expect(e.confirmation_ts).toBe(emu.messages('USPONSOR')[0]!.ts);
    for (const person of people) expect({ person, dms: emu.messages(person).length }).toEqual({ person, dms: 1 });
    const c = outboxCounts(dbFile);
    expect(c.parked ?? 0).toBe(0);
  }

  it('SIGKILL while posts are in flight: after a restart nothing is lost and nothing is posted twice', async () => {
    const r = await crashAndRecover({
      channels: (emu) => [emu.addChannel({ name: 'general' }), emu.addChannel({ name: 'payments', botIsMember: false })],
      form: { coaches: ['UCOACH1', 'UCOACH2'] },
      // The call takes effect at once in the emulator; only its answer is held back.
      setupFaults: (emu) => emu.fault({ method: 'chat.postMessage', delayMs: 3000, times: Infinity }),
      crashWhen: (emu) => {
        const calls = emu.callsTo('chat.postMessage');
        return calls.length >= 3 || (calls.length > 0 && Date.now() - calls[0]!.at > 300);
      },
    });
    expectExactlyOnce(r, ['UCOACH1', 'UCOACH2', 'UPROGRAM']);
    const msgs = r.second.logs().map((x) => String(x.msg));
    expect(msgs).toContain('outbox: resuming deliveries left in flight by the last run');
    expect(msgs).toContain('outbox: found the message from an earlier attempt; not posting again');
  });

  it('SIGKILL while the sponsor confirmation is in flight and a refresh is queued: still one confirmation', async () => {
    let inFlightConfirmation = -1;
    const r = await crashAndRecover({
      channels: (emu) => [emu.addChannel({ name: 'general' }), emu.addChannel({ name: 'payments', botIsMember: false })],
      setupFaults: (emu) => {
        // Only the post to the sponsor is slow; joining the second channel takes a moment,
        // so its announcement commits (and queues a confirmation refresh) during that post.
        emu.fault({ method: 'chat.postMessage', delayMs: 3000, times: Infinity, match: (a) => a.channel === 'USPONSOR' });
        emu.fault({ method: 'conversations.join', delayMs: 400, times: Infinity });
      },
      crashWhen: (emu, dbFile) => {
        const held = emu.callsTo('chat.postMessage').find((c) => c.args.channel === 'USPONSOR' && c.status === 0);
        if (!held) return false;
        inFlightConfirmation = outboxIdOf(held.args) as number;
        const rows = outboxRows(dbFile);
        return rows.some((x) => x.kind === 'confirmation' && x.status === 'pending' && x.id > inFlightConfirmation);
      },
    });
    expect(r.lostAnswers.map((x) => x.id)).toContain(inFlightConfirmation);
    expectExactlyOnce(r, ['UCOACH1', 'UPROGRAM']);
  });

  it('SIGKILL, then a restart more than 15 minutes after the lost post: still posted once', async () => {
    // Slack (the emulator) keeps the real time; the restarted app's clock is 20 minutes on,
    // as if the process had stayed down that long before it came back.
    const r = await crashAndRecover({
      channels: (emu) => [emu.addChannel({ name: 'general' })],
      setupFaults: (emu) => emu.fault({ method: 'chat.postMessage', delayMs: 3000, times: Infinity }),
      crashWhen: (emu) => {
        const calls = emu.callsTo('chat.postMessage');
        return calls.length >= 3 || (calls.length > 0 && Date.now() - calls[0]!.at > 300);
      },
      restartClockOffsetMs: 20 * 60_000,
    });
    expectExactlyOnce(r, ['UCOACH1', 'UPROGRAM']);
  });

  it('SIGKILL while the engagement channel is being created: after a restart that channel is used, not lost', async () => {
    const name = 'coaching-payments';
    const r = await crashAndRecover({
      channels: (emu) => [emu.addChannel({ name: 'general' })],
      form: { createChannel: true, channelName: name },
      // Slack creates the channel at once; the answer never reaches the app.
      setupFaults: (emu) => emu.fault({ method: 'conversations.create', delayMs: 3000, times: Infinity }),
      crashWhen: (emu) => emu.callsTo('conversations.create').length > 0,
      expectLostPost: false,
    });
    const { emu, dbFile } = r;
    // Ask the emulator (as Slack would answer the bot) which channel carries that name.
    const info = (await (
      await fetch(`${emu.url}conversations.info`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ channel: name }).toString(),
      })
    ).json()) as { ok: boolean; channel?: { id: string } };
    expect(info.ok).toBe(true);
    const created = info.channel!.id;
    const e = readDb(dbFile, (db) => db.prepare('SELECT engagement_channel_id FROM engagements').get() as { engagement_channel_id: string | null });
    const parked = readDb(dbFile, (db) => db.prepare(`SELECT kind, last_error FROM outbox WHERE status = 'parked'`).all());
    expect({ engagementChannel: e.engagement_channel_id, parked }).toEqual({ engagementChannel: created, parked: [] });
    const top = emu.messages(created).filter((m) => !m.thread_ts);
    expect(top).toHaveLength(1);
    expect(top[0]!.pinned).toBe(true);
    expect([...emu.channel(created)!.members].sort()).toEqual(expect.arrayContaining(['UCOACH1', 'USPONSOR']));
    expect(emu.messages('USPONSOR')).toHaveLength(1); // the confirmation, and no "could not create" notice
  });
});
