/**
 * The real coachline process (src/main.ts through ts-node, transpile-only) as a child
 * process, for tests that need what only a process has: exit codes, signals, stdout and
 * stderr, `.env` in the working directory, a crash (SIGKILL) in the middle of a delivery.
 *
 *   const app = await startApp({ env: { SLACK_BOT_TOKEN: …, PORT: '0', … }, cwd: tmp.dir });
 *   await fetch(`${app.base}/healthz`);
 *   const { code } = await app.stop();   // SIGTERM, then waits for the exit
 *
 * The child gets only the environment given here (plus PATH/HOME and ts-node's settings),
 * never the test runner's, so a developer's SLACK_* variables cannot leak in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const MAIN = path.join(ROOT, 'src', 'main.ts');
/** Absolute, so the child can run with any working directory. */
const TS_NODE_REGISTER = require.resolve('ts-node/register/transpile-only', { paths: [ROOT] });

/** The log line main.ts writes once the receiver and the outbox sender run. */
export const RUNNING = /coachline is running/;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildOptions {
  /** The child's whole configuration environment (nothing is inherited but PATH and HOME). */
  env?: Record<string, string | undefined>;
  /** Working directory: main.ts reads `.env` from here, and relative paths start here. Never the project. */
  cwd: string;
  /** How long startApp waits for the "running" line (ms). */
  startTimeoutMs?: number;
  /**
   * Run the child's wall clock (Date) this many ms ahead of the real one, e.g. to restart
   * "20 minutes after" a crash while Slack (the emulator) keeps the real time. Timers are
   * unaffected. Signed requests to such a child look old to it: use it for outbox work only.
   */
  clockOffsetMs?: number;
  /** Command-line arguments after main.ts (e.g. --sandbox). */
  args?: string[];
  /** Run the child as this user and group (only a root test runner may), e.g. so file permissions apply. */
  user?: { uid: number; gid: number };
}

/** A preload that shifts Date by COACHLINE_TEST_CLOCK_OFFSET_MS (written to a temp file on first use). */
const CLOCK_PRELOAD = `'use strict';
const offset = Number(process.env.COACHLINE_TEST_CLOCK_OFFSET_MS || 0);
const RealDate = Date;
function ShiftedDate(...args) {
  if (!new.target) return new RealDate(RealDate.now() + offset).toString();
  return args.length === 0 ? new RealDate(RealDate.now() + offset) : new RealDate(...args);
}
Object.setPrototypeOf(ShiftedDate, RealDate);
ShiftedDate.prototype = RealDate.prototype;
ShiftedDate.now = () => RealDate.now() + offset;
globalThis.Date = ShiftedDate;
`;
let clockPreloadFile: string | null = null;
function clockPreload(): string {
  if (clockPreloadFile && fs.existsSync(clockPreloadFile)) return clockPreloadFile;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coachline-clock-'));
  clockPreloadFile = path.join(dir, 'shift-clock.cjs');
  fs.writeFileSync(clockPreloadFile, CLOCK_PRELOAD);
  return clockPreloadFile;
}

export interface ChildApp {
  readonly proc: ChildProcess;
  readonly pid: number;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** stdout's JSON log lines, parsed (non-JSON lines are skipped). */
  logs(): Record<string, unknown>[];
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<Exit>;
  exitInfo(): Exit | null;
  /** Resolves with the first log record that satisfies `pred`; rejects on timeout or exit. */
  waitForLog(pred: (rec: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit; SIGKILLs after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<Exit>;
}

export interface RunningApp extends ChildApp {
  /** The HTTP port main.ts logged. */
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly base: string;
  /** ms from spawn to the "running" line. */
  readonly startupMs: number;
}

const children = new Set<ChildProcess>();

/** Kills (SIGKILL, by pid) every child this module started that is still alive; for afterAll/afterEach. */
export async function killAllChildren(): Promise<void> {
  const alive = [...children].filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(
    alive.map(
      (c) =>
        new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
  children.clear();
  if (clockPreloadFile) fs.rmSync(path.dirname(clockPreloadFile), { recursive: true, force: true });
  clockPreloadFile = null;
}

/** Starts `node -r ts-node/register/transpile-only src/main.ts`; does not wait for anything. */
export function spawnApp(opts: ChildOptions): ChildApp {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    // ts-node looks for tsconfig.json from the working directory; the child's may be anywhere.
    TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
    TS_NODE_TRANSPILE_ONLY: 'true',
  };
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
  const preloads = ['-r', TS_NODE_REGISTER];
  if (opts.clockOffsetMs) {
    env.COACHLINE_TEST_CLOCK_OFFSET_MS = String(opts.clockOffsetMs);
    preloads.unshift('-r', clockPreload());
  }
  const proc = spawn(process.execPath, [...preloads, MAIN, ...(opts.args ?? [])], {
    cwd: opts.cwd,
    env,
    ...opts.user,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error('could not spawn the coachline child process');
  children.add(proc);
  let out = '';
  let err = '';
  let exit: Exit | null = null;
  const watchers = new Set<() => void>();
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const w of [...watchers]) w();
  });
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<Exit>((resolve) => {
    // 'close' (not 'exit'): every byte of stdout/stderr has been read by then.
    proc.once('close', (code, signal) => {
      exit = { code, signal };
      children.delete(proc);
      for (const w of [...watchers]) w();
      resolve(exit);
    });
  });

  const logs = (): Record<string, unknown>[] =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });

  const child: ChildApp = {
    proc,
    pid: proc.pid,
    stdout: () => out,
    stderr: () => err,
    logs,
    exited,
    exitInfo: () => exit,
    waitForLog(pred, what, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = logs().find(pred);
          if (found) {
            done();
            resolve(found);
          } else if (exit) {
            done();
            reject(new Error(`coachline exited (${JSON.stringify(exit)}) before logging ${what}.\nstderr:\n${err}\nstdout:\n${out}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}.\nstderr:\n${err}\nstdout:\n${out}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          watchers.delete(check);
        };
        watchers.add(check);
        check();
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 10_000) {
      if (exit) return exit;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    async kill() {
      if (exit) return exit;
      proc.kill('SIGKILL');
      return exited;
    },
  };
  return child;
}

/** Spawns the app and waits for "coachline is running"; throws (with stderr) if it exits first. */
export async function startApp(opts: ChildOptions): Promise<RunningApp> {
  const started = Date.now();
  const child = spawnApp(opts);
  let rec: Record<string, unknown>;
  try {
    rec = await child.waitForLog((r) => RUNNING.test(String(r.msg)), '"coachline is running"', opts.startTimeoutMs ?? 20_000);
  } catch (e) {
    await child.kill();
    throw e;
  }
  const startupMs = Date.now() - started;
  const port = Number(rec.port);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`the running line has no usable port: ${JSON.stringify(rec)}`);
  return Object.assign(child, { port, base: `http://127.0.0.1:${port}`, startupMs });
}

/** Runs the app until it exits by itself (e.g. a startup error); kills it after `timeoutMs`. */
export async function runToExit(opts: ChildOptions & { timeoutMs?: number }): Promise<Exit & { stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawnApp(opts);
  // A guard against a child that never exits (not a speed check): generous, for loaded machines.
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const exit = await child.exited;
  clearTimeout(timer);
  return { ...exit, stdout: child.stdout(), stderr: child.stderr(), ms: Date.now() - started };
}

/** A TCP port that was free a moment ago (listen on 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
