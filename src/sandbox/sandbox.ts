/**
 * Sandbox mode: the real app, unchanged, in HTTP mode on a loopback port, talking to the
 * Slack emulator (reached through its ordinary SLACK_API_URL), which also serves the
 * sandbox page on PORT. State lives in ./data/sandbox.sqlite (the app's database) and
 * ./data/sandbox-workspace.json (the emulated workspace and the moved clock).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns';
import { createCoachline, type Coachline } from '../coachline';
import { parseConfig } from '../config';
import { addBusinessTime } from '../domain/businessTime';
import { OffsetClock } from '../lib/clock';
import type { LogSink } from '../lib/logger';
import manifest from '../../manifests/manifest.json';
import { SlackEmulator } from './emulator';
import type { WorkspaceSnapshot } from './emulatorState';
import { SandboxDriver } from './driver';
import { configurePayloads } from './payloads';
import { registerSandboxRoutes } from './server';
import { SANDBOX_ADMIN_ID, seedWorkspace } from './workspace';

export interface SandboxOptions {
  /** Where the page is served (127.0.0.1 only). */
  port: number;
  /** Folder for sandbox.sqlite and sandbox-workspace.json. */
  dataDir: string;
  /** Start clean: forget the workspace, the database and the moved clock. */
  reset: boolean;
  /** The environment (DEFAULT_TIMEZONE, LOG_LEVEL, ADMIN_USER_IDS are honoured). */
  env: Record<string, string | undefined>;
  logSink?: LogSink;
}

export interface Sandbox {
  url: string;
  emulator: SlackEmulator;
  app: Coachline;
  clock: OffsetClock;
  stop(): Promise<void>;
}

interface SavedWorkspace {
  clockOffsetMs: number;
  workspace: WorkspaceSnapshot;
}

const DB_FILE = 'sandbox.sqlite';
const WORKSPACE_FILE = 'sandbox-workspace.json';

function loadSaved(file: string): SavedWorkspace | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SavedWorkspace;
    return saved.workspace?.version === 1 ? saved : undefined;
  } catch {
    return undefined;
  }
}

function offsetMinutes(tz: string, at: Date): number {
  return Math.round(-new TZDate(at.getTime(), tz).getTimezoneOffset());
}

/** The next moment the sandbox's time panel moves to. */
export function advancedTime(now: Date, step: 'hour' | 'day' | 'monday', timeZone: string): Date {
  if (step === 'hour') return addBusinessTime(now, 1, 'business_hours', timeZone);
  if (step === 'day') return addBusinessTime(now, 1, 'business_days', timeZone);
  const local = new TZDate(now.getTime(), timeZone);
  const beforeNineOnMonday = local.getDay() === 1 && local.getHours() < 9;
  const daysAhead = beforeNineOnMonday ? 0 : ((8 - local.getDay()) % 7) || 7;
  const monday = addDays(local, daysAhead);
  return new Date(new TZDate(monday.getFullYear(), monday.getMonth(), monday.getDate(), 9, 0, 0, timeZone).getTime());
}

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const dbPath = path.join(opts.dataDir, DB_FILE);
  const workspaceFile = path.join(opts.dataDir, WORKSPACE_FILE);
  if (opts.reset) {
    for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, workspaceFile]) fs.rmSync(f, { force: true });
  }
  const saved = loadSaved(workspaceFile);
  const clock = new OffsetClock(saved?.clockOffsetMs ?? 0);

  const emulator = new SlackEmulator({ now: () => clock.now().getTime(), port: opts.port, host: '127.0.0.1' });
  await emulator.listen();
  const base = `http://127.0.0.1:${emulator.port}`;
  if (saved) emulator.workspace.restore(saved.workspace);
  else seedWorkspace(emulator, (tz) => offsetMinutes(tz, clock.now()) * 60);
  emulator.workspace.permalinkHost = `${base}/sandbox`;
  configurePayloads({ responseUrlBase: emulator.responseUrlBase, teamId: emulator.teamId, botUserId: emulator.botUserId, apiAppId: emulator.appId });

  const secret = randomBytes(24).toString('hex');
  const admins = [SANDBOX_ADMIN_ID, ...(opts.env.ADMIN_USER_IDS ?? '').split(',').map((s) => s.trim()).filter(Boolean)];
  const config = parseConfig({
    DEFAULT_TIMEZONE: opts.env.DEFAULT_TIMEZONE,
    LOG_LEVEL: opts.env.LOG_LEVEL?.trim() ? opts.env.LOG_LEVEL : 'warn',
    SLACK_BOT_TOKEN: 'xoxb-sandbox',
    SLACK_SIGNING_SECRET: secret,
    SLACK_APP_TOKEN: '',
    SLACK_API_URL: emulator.url,
    PORT: '0',
    DATABASE_PATH: dbPath,
    ADMIN_USER_IDS: admins.join(','),
  });
  const app = createCoachline(config, { clock, host: '127.0.0.1', logSink: opts.logSink });
  let appPort = 0;
  const appCommands = manifest.features.slash_commands.map((c) => ({ command: c.command, description: c.description, usageHint: c.usage_hint }));
  // Slack's own /invite, so the "invite the bot to a private channel" path can be played.
  const commands = [...appCommands, { command: '/invite', description: 'Add people, or @coachline, to this channel (built into Slack)', usageHint: '@name' }];
  const driver = new SandboxDriver(emulator, () => `http://127.0.0.1:${appPort}/slack/events`, secret, appCommands.map((c) => c.command));

  let saveTimer: NodeJS.Immediate | undefined;
  const save = () => {
    const data: SavedWorkspace = { clockOffsetMs: clock.offsetMs, workspace: emulator.workspace.snapshot() };
    fs.writeFileSync(`${workspaceFile}.tmp`, JSON.stringify(data));
    fs.renameSync(`${workspaceFile}.tmp`, workspaceFile);
  };
  // Saved right after each change (coalesced within one turn of the loop), so a killed sandbox
  // comes back with the workspace that matches what the app's database says it sent.
  emulator.onChange(() => {
    saveTimer ??= setImmediate(() => {
      saveTimer = undefined;
      save();
    });
  });

  const routes = registerSandboxRoutes({
    emu: emulator,
    driver,
    now: () => clock.now(),
    timeZone: config.defaultTimezone,
    commands,
    messageShortcuts: manifest.features.shortcuts
      .filter((s) => s.type === 'message')
      .map((s) => ({ callbackId: s.callback_id, name: s.name })),
    advance: async (step) => {
      clock.moveTo(advancedTime(clock.now(), step, config.defaultTimezone));
      save();
      emulator.changed();
      await app.scheduler.runAll();
      app.sender.kick();
      return clock.now();
    },
    health: async () => {
      const res = await fetch(`http://127.0.0.1:${appPort}/healthz`);
      return { status: res.status, body: await res.text() };
    },
  });

  try {
    appPort = await app.start();
  } catch (err) {
    routes.close();
    await emulator.close();
    throw err;
  }
  save();

  let stopped = false;
  return {
    url: `${base}/sandbox`,
    emulator,
    app,
    clock,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (saveTimer) clearImmediate(saveTimer);
      await app.stop();
      save();
      routes.close();
      await emulator.close();
    },
  };
}
