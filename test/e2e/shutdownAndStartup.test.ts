/**
 * The real process (src/main.ts as a child): SIGTERM under concurrent load stops intake at once,
 * answers what is in flight, acts on every request it answered 200, and exits 0 in time; a
 * database folder that cannot be written is a clear start-up error.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { killAllChildren, runToExit, startApp } from '../support/childApp';
import { startEmulator, type SlackEmulator } from '../../src/sandbox/emulator';
import { slashCommand } from '../../src/sandbox/payloads';
import { formEncode, postCommand, postInteraction, signRequest } from '../../src/sandbox/signing';
import { kickoffForm, kickoffSubmission } from '../support/kickoffForm';
import { tempDir } from '../support/tempDb';

jest.setTimeout(90_000);

const BOT_TOKEN = 'xoxb-test-bot-token';
const SIGNING_SECRET = 'test-signing-secret-8f2a';
const STACK_LINE = /^\s{4}at /m;
/** Start-up through ts-node takes seconds, far more on a loaded machine: a generous limit, not a measurement. */
const SLOW_START_MS = 60_000;
const NOT_WRITABLE = 'DATABASE_PATH cannot be opened for writing: check the path and its folder permissions.';

const tmps: ReturnType<typeof tempDir>[] = [];
const emulators: SlackEmulator[] = [];
afterEach(async () => {
  await killAllChildren();
  await Promise.all(emulators.splice(0).map((e) => e.close()));
  for (const t of tmps.splice(0)) {
    fs.chmodSync(t.dir, 0o755);
    for (const f of fs.readdirSync(t.dir)) fs.chmodSync(path.join(t.dir, f), 0o755);
    t.cleanup();
  }
});

function tmp() {
  const t = tempDir('coachline-stop-');
  tmps.push(t);
  return t;
}
async function emulator() {
  const emu = await startEmulator();
  emulators.push(emu);
  return emu;
}
const env = (emu: SlackEmulator, dbFile: string) => ({
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: emu.url,
  PORT: '0',
  DATABASE_PATH: dbFile,
  LOG_LEVEL: 'info',
});

/** One POST on a kept-alive agent socket; resolves with the status, or 0 when the connection is refused or reset. */
function post(port: number, agent: http.Agent, fields: Record<string, string>): Promise<{ status: number; connection: string | undefined }> {
  const body = formEncode(fields);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/slack/events',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), ...signRequest(SIGNING_SECRET, body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
        res.on('error', () => resolve({ status: 0, connection: undefined }));
      },
    );
    req.on('error', () => resolve({ status: 0, connection: undefined }));
    req.end(body);
  });
}

/** The app as a child process on a fresh database, against a fresh emulator with #general. */
async function running() {
  const t = tmp();
  const emu = await emulator();
  const general = emu.addChannel({ name: 'general' });
  const dbFile = t.file();
  const app = await startApp({ env: env(emu, dbFile), cwd: t.dir, startTimeoutMs: SLOW_START_MS });
  return { emu, general, dbFile, app };
}

describe('SIGTERM under 20 concurrent kept-alive clients', () => {
  it('stops intake within 1 s, answers in-flight requests, exits 0 within 10 s even with a request that never finishes', async () => {
    const { emu, general, dbFile, app } = await running();

    // Each client keeps one socket alive and sends `/kickoff help` (answered with an ephemeral)
    // over and over; every answer is recorded with when it came.
    const agents = Array.from({ length: 20 }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    const answered: { at: number; status: number; connection: string | undefined; text: string }[] = [];
    let signalledAt = 0;
    let n = 0;
    const clients = agents.map(async (agent, i) => {
      for (;;) {
        const text = `help ${i}-${n++}`;
        const r = await post(app.port, agent, slashCommand({ command: '/kickoff', text, channel_id: general, user_id: `U${i}` }));
        answered.push({ at: Date.now(), ...r, text });
        if (signalledAt && (r.status !== 200 || Date.now() - signalledAt > 12_000)) return;
      }
    });
    // Load is running on every socket before the signal.
    const deadline = Date.now() + 10_000;
    while (answered.filter((a) => a.status === 200).length < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    // One more client is in the middle of sending a request and never finishes it: a server
    // close without a deadline would wait for it (Node's requestTimeout is 5 minutes).
    const slow = net.connect(app.port, '127.0.0.1');
    slow.on('error', () => undefined);
    await new Promise((r) => slow.once('connect', r));
    slow.write('POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"type":');
    signalledAt = Date.now();
    app.proc.kill('SIGTERM');
    const exit = await app.exited;
    const exitMs = Date.now() - signalledAt;
    slow.destroy();
    await Promise.all(clients);
    agents.forEach((a) => a.destroy());

    const lastOk = Math.max(...answered.filter((a) => a.status === 200).map((a) => a.at));
    const intakeStoppedMs = Math.max(0, lastOk - signalledAt);
    const after = answered.filter((a) => a.at > signalledAt);
    process.stdout.write(
      `SIGTERM under 20 clients: last 200 answered ${intakeStoppedMs} ms after the signal, exit ${exit.code} after ${exitMs} ms; ` +
        `answers after the signal: ${JSON.stringify(countBy(after.map((a) => String(a.status))))}\n`,
    );
    expect(exit).toEqual({ code: 0, signal: null });
    expect(intakeStoppedMs).toBeLessThan(1000);
    expect(exitMs).toBeLessThan(10_000);
    // Whatever came after the stop was refused (503, connection: close) or could not connect (0).
    for (const a of after.filter((x) => x.status !== 200)) {
      expect([0, 503]).toContain(a.status);
      if (a.status === 503) expect(a.connection).toBe('close');
    }
    expect(after.some((a) => a.status !== 200)).toBe(true);
    expect(app.stderr()).not.toMatch(STACK_LINE);
    expect(app.logs().map((r) => String(r.msg))).toContain('coachline stopped');
  });

  it('every /impediment answered 200 around a SIGTERM was stored (acted on), nothing else was', async () => {
    const { emu, general, dbFile, app } = await running();
    await kickOff(app.base, emu, general);
    const agents = Array.from({ length: 20 }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    const ok: string[] = [];
    let signalled = false;
    let sent = 0;
    const clients = agents.map(async (agent, i) => {
      for (let k = 0; ; k++) {
        const text = `Printer ${i}-${k} is on fire`;
        sent++;
        const r = await post(app.port, agent, slashCommand({ command: '/impediment', text, channel_id: general, user_id: `U${i}` }));
        if (r.status === 200) ok.push(text);
        if (signalled && r.status !== 200) return;
        if (k > 2000) return;
      }
    });
    while (ok.length < 100) await new Promise((r) => setTimeout(r, 10));
    signalled = true;
    app.proc.kill('SIGTERM');
    expect(await app.exited).toEqual({ code: 0, signal: null });
    await Promise.all(clients);
    agents.forEach((a) => a.destroy());
    const db = new Database(dbFile, { readonly: true });
    const stored = new Set((db.prepare('SELECT description FROM impediments').all() as { description: string }[]).map((r) => r.description));
    db.close();
    process.stdout.write(`SIGTERM with /impediment load: ${sent} sent, ${ok.length} answered 200, ${stored.size} stored\n`);
    expect(stored.size).toBeGreaterThan(0);
    expect(ok.filter((text) => !stored.has(text))).toEqual([]);
  });
});

/** `/kickoff` → modal → submission announcing in `channel`, so `/impediment TEXT` there is stored at once. */
async function kickOff(base: string, emu: SlackEmulator, channel: string): Promise<void> {
  const url = `${base}/slack/events`;
  expect((await postCommand(url, SIGNING_SECRET, slashCommand({ command: '/kickoff', text: '', user_id: 'USPONSOR', channel_id: channel }))).status).toBe(200);
  const deadline = Date.now() + 5000;
  while (emu.callsTo('views.open').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const view = emu.callsTo('views.open')[0]!.args.view as { private_metadata: string };
  const res = await postInteraction(url, SIGNING_SECRET, kickoffSubmission(kickoffForm({ channels: [channel] }), { user: 'USPONSOR', privateMetadata: view.private_metadata }));
  expect(res.body).toBe('');
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}

describe('a database folder that cannot be written', () => {
  const asRoot = process.getuid?.() === 0;
  // chmod does not stop root from writing: then the child runs as the unprivileged user "nobody".
  const user = asRoot ? { uid: 65534, gid: 65534 } : undefined;

  it('a new file in a read-only (chmod 555) folder: the README message, exit 1, no stack trace', async () => {
    const t = tmp();
    const emu = await emulator();
    fs.chmodSync(t.dir, 0o555);
    const res = await runToExit({ cwd: t.dir, env: env(emu, t.file()), user, timeoutMs: SLOW_START_MS });
    expect({ code: res.code, signal: res.signal }).toEqual({ code: 1, signal: null });
    expect(res.stderr).toContain(NOT_WRITABLE);
    expect(res.stderr).not.toMatch(/PORT/);
    expect(res.stderr).not.toMatch(STACK_LINE);
    expect(res.stdout).not.toMatch(/coachline is running/);
    expect(emu.calls).toEqual([]);
  });

  it('an existing database in a folder made read-only afterwards: the same message', async () => {
    const t = tmp();
    const emu = await emulator();
    const file = t.file();
    new Database(file).close();
    fs.chmodSync(file, 0o644);
    fs.chmodSync(t.dir, 0o555);
    const res = await runToExit({ cwd: t.dir, env: env(emu, file), user, timeoutMs: SLOW_START_MS });
    expect({ code: res.code, signal: res.signal }).toEqual({ code: 1, signal: null });
    expect(res.stderr).toContain(NOT_WRITABLE);
    expect(res.stderr).not.toMatch(STACK_LINE);
  });

  it('a folder that cannot be created (DATABASE_PATH under a regular file): the same message', async () => {
    const t = tmp();
    const emu = await emulator();
    fs.writeFileSync(t.file('plain-file'), 'x');
    const res = await runToExit({ cwd: t.dir, env: env(emu, path.join(t.file('plain-file'), 'data', 'coachline.sqlite')), timeoutMs: SLOW_START_MS });
    expect({ code: res.code, signal: res.signal }).toEqual({ code: 1, signal: null });
    expect(res.stderr).toContain(NOT_WRITABLE);
    expect(res.stderr).not.toMatch(STACK_LINE);
  });
});
