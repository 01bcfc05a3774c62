/**
 * Several coachline processes (src/main.ts as children) on one database and one Slack emulator:
 * requests spread round-robin over the instances; two kickoffs announce in 30 channels; 200
 * impediments; the 50 of the "fast" engagement climb two levels when time has passed (every
 * instance restarted with its clock days ahead, so all of them sweep at once); a digest week
 * and a day of check-in reminders. One instance is SIGKILLed while cards are in flight (Slack
 * stored them; the answers are held back) and restarted. Then the emulator's record is counted:
 * every message exactly once (0 lost, 0 duplicated), every due escalation once, in due order.
 *
 * PostgreSQL: three processes (when TEST_DATABASE_URL names a server). SQLite: two processes on one file.
 */
import { killAllChildren, startApp, type RunningApp } from '../support/childApp';
import { BOT_TOKEN, SIGNING_SECRET, waitFor } from '../support/harness';
import { kickoffForm, kickoffSubmission, type KickoffForm } from '../support/kickoffForm';
import { tempDir, tempPostgresDatabase } from '../support/tempDb';
import { startEmulator, type EmulatedMessage, type SlackEmulator } from '../../src/sandbox/emulator';
import { slashCommand } from '../../src/sandbox/payloads';
import { postCommand, postInteraction } from '../../src/sandbox/signing';
import { openPostgres, openSqlite } from '../../src/store/connection';
import type { Sql } from '../../src/store/sql';

/** Child start-ups through ts-node take seconds each, far more on a loaded machine: generous, not a measurement. */
jest.setTimeout(240_000);
const SLOW_START_MS = 90_000;
const DRAIN_MS = 90_000;

const DAY = 86_400_000;
const HOUR = 3_600_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

interface Lane {
  key: string;
  name: string;
  coach: string;
  sponsor: string;
  program: string;
  executive: string;
  /** Response time of every level, as typed in the kickoff form. */
  response: string;
  channels: string[];
  impediments: number;
}

/** A cluster of instances on one database; requests go round-robin over the live ones. */
interface Cluster {
  apps: RunningApp[];
  /** The clock offset every instance of this phase runs with (ms). */
  offsetMs: number;
  rr: number;
}

const errorLogs: string[] = [];
/** How long each command took to be answered, as the sender saw it (reported, not asserted: Slack's limit is 3 s). */
const answerMs: number[] = [];

function collectErrors(app: RunningApp): void {
  for (const r of app.logs()) if (r.level === 'error') errorLogs.push(JSON.stringify(r));
}

async function startInstances(n: number, env: Record<string, string>, cwd: string, offsetMs: number): Promise<RunningApp[]> {
  return await Promise.all(Array.from({ length: n }, () => startApp({ env, cwd, clockOffsetMs: offsetMs || undefined, startTimeoutMs: SLOW_START_MS })));
}

async function stopAll(c: Cluster): Promise<void> {
  await Promise.all(
    c.apps.map(async (a) => {
      const exit = await a.stop();
      collectErrors(a);
      expect({ pid: a.pid, exit, stderr: exit.code === 0 ? '' : a.stderr().slice(-2000) }).toEqual({ pid: a.pid, exit: { code: 0, signal: null }, stderr: '' });
    }),
  );
}

/** The next instance, round-robin; requests are signed at that instance's time (its clock may run ahead). */
function next(c: Cluster): { url: string; ts: number } {
  const app = c.apps[c.rr++ % c.apps.length]!;
  return { url: `${app.base}/slack/events`, ts: Math.floor((Date.now() + c.offsetMs) / 1000) };
}

async function command(c: Cluster, fields: Parameters<typeof slashCommand>[0]) {
  const to = next(c);
  const sent = Date.now();
  const res = await postCommand(to.url, SIGNING_SECRET, { ...slashCommand(fields) }, { ts: to.ts });
  answerMs.push(Date.now() - sent);
  expect({ to: to.url, status: res.status, body: res.status === 200 ? '' : res.body }).toEqual({ to: to.url, status: 200, body: '' });
  return res;
}

/** `/kickoff` on one instance, the modal's submission on the next one. */
async function kickOffLane(c: Cluster, emu: SlackEmulator, lane: Lane): Promise<void> {
  const before = emu.callsTo('views.open').length;
  await command(c, { command: '/kickoff', text: '', user_id: lane.sponsor, channel_id: lane.channels[0] });
  await waitFor(() => emu.callsTo('views.open').length > before, 'the kickoff modal', 20_000);
  const meta = String((emu.callsTo('views.open')[before]!.args.view as { private_metadata: string }).private_metadata);
  const form: Partial<KickoffForm> = {
    name: lane.name,
    key: lane.key,
    coaches: [lane.coach],
    sponsor: lane.sponsor,
    requester: null,
    origin: 'push',
    channels: lane.channels,
    escalation: [
      { name: 'Team', contacts: [], response: lane.response },
      { name: 'Program', contacts: [lane.program], response: lane.response },
      { name: 'Executive', contacts: [lane.executive], response: lane.response },
    ],
  };
  const to = next(c);
  const res = await postInteraction(to.url, SIGNING_SECRET, kickoffSubmission(kickoffForm(form), { user: lane.sponsor, privateMetadata: meta }), { ts: to.ts });
  expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: '' });
}

/** Runs `fn` over `items` with at most `width` at once. */
async function pool<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (i < items.length) {
        const k = i++;
        await fn(items[k]!, k);
      }
    }),
  );
}

async function outboxCounts(sql: Sql): Promise<Record<string, number>> {
  const rows = await sql.all<{ status: string; n: number | string }>('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status');
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Every instance's outbox work is done: nothing pending, nothing claimed. */
async function drained(sql: Sql, what: string): Promise<void> {
  let last: Record<string, number> = {};
  await waitFor(
    async () => {
      last = await outboxCounts(sql);
      return (last.pending ?? 0) === 0 && (last.sending ?? 0) === 0;
    },
    `${what}: the outbox to drain (${JSON.stringify(last)})`,
    DRAIN_MS,
  );
}

const outboxIdOf = (m: EmulatedMessage): number | null => {
  const id = m.metadata?.event_payload?.outbox_id;
  return typeof id === 'number' ? id : null;
};
const impRef = (m: EmulatedMessage): string | null => /\bIMP-(\d+)\b/.exec(m.text)?.[0] ?? null;

/** The first weekday 09:00 UTC at or after `t`: when working hours begin for people in UTC. */
function weekdayNine(t: number): number {
  const d = new Date(t);
  d.setUTCHours(9, 0, 0, 0);
  if (d.getTime() < t) d.setUTCDate(d.getUTCDate() + 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.getTime();
}

function countBy<T>(xs: T[], key: (x: T) => string | null): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) {
    const k = key(x);
    if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

interface Variant {
  engine: 'sqlite' | 'postgres';
  instances: number;
  /** Where the instances find the database, a query handle for the test, and how to clean up. */
  database(): Promise<{ env: Record<string, string>; sql: () => Sql; drop: () => Promise<void> }>;
}

function scenario(v: Variant) {
  const emulators: SlackEmulator[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    await killAllChildren();
    await Promise.all(emulators.splice(0).map((e) => e.close()));
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  beforeAll(() => {
    errorLogs.length = 0;
    answerMs.length = 0;
  });

  it(`${v.instances} instances: kickoffs to 30 channels, 200 impediments, 50 escalating twice, a digest week, a SIGKILL mid-delivery — 0 lost, 0 duplicated`, async () => {
    const t0 = Date.now();
    const tmp = tempDir('coachline-multi-');
    cleanups.push(() => tmp.cleanup());
    const db = await v.database();
    cleanups.push(db.drop);
    const emu = await startEmulator();
    emulators.push(emu);

    const channels = Array.from({ length: 30 }, (_, i) => emu.addChannel({ name: `team-${i}`, botIsMember: i % 3 !== 0 }));
    const fast: Lane = { key: 'fast-lane', name: 'Fast lane', coach: 'UCOACHF', sponsor: 'USPONSORF', program: 'UPROGF', executive: 'UEXECF', response: '1h', channels: channels.slice(0, 15), impediments: 50 };
    const slow: Lane = { key: 'slow-lane', name: 'Slow lane', coach: 'UCOACHS', sponsor: 'USPONSORS', program: 'UPROGS', executive: 'UEXECS', response: '30', channels: channels.slice(15), impediments: 150 };
    const env: Record<string, string> = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: emu.url,
      PORT: '0',
      DEFAULT_TIMEZONE: 'UTC',
      LOG_LEVEL: 'info',
      // A killed instance's claims are taken over after this; longer than any delivery here takes.
      OUTBOX_LEASE_SECONDS: '8',
      ...db.env,
    };

    // ---- phase 1, real time: kickoffs, digest schedules, 200 impediments, a SIGKILL mid-delivery ----
    const c1: Cluster = { apps: await startInstances(v.instances, env, tmp.dir, 0), offsetMs: 0, rr: 0 };
    const sql = db.sql();
    cleanups.push(() => sql.close());
    await kickOffLane(c1, emu, fast);
    await kickOffLane(c1, emu, slow);
    await waitFor(async () => (await sql.count('SELECT COUNT(*) AS n FROM engagements')) === 2, 'both engagements', 20_000);
    // Kept off the first jump in time (in 5 days); moved to the second one's 09:00 tick during the first.
    const digestAt = new Date(Math.ceil((t0 + 5 * DAY) / 60_000) * 60_000);
    const digestWhen = `${WEEKDAYS[digestAt.getUTCDay()]} ${String(digestAt.getUTCHours()).padStart(2, '0')}:${String(digestAt.getUTCMinutes()).padStart(2, '0')}`;
    for (const lane of [fast, slow]) {
      const res = await command(c1, { command: '/status', text: `digest ${lane.key} ${digestWhen}`, user_id: lane.sponsor, channel_id: lane.channels[0] });
      expect(res.body).not.toMatch(/cannot|not a time/i);
    }

    // Until the kill, card posts take effect in Slack at once but their answers are held back: some are in flight then.
    emu.fault({ method: 'chat.postMessage', delayMs: 2500, times: Infinity, match: (a) => /IMP-\d+/.test(String(a.text ?? '')) && !a.thread_ts });
    // Every fourth one is the fast lane's: 50 and 150, interleaved.
    const raises = Array.from({ length: fast.impediments + slow.impediments }, (_, i) => (i % 4 === 0 ? { lane: fast, text: `Fast blocker ${i}` } : { lane: slow, text: `Slow blocker ${i}` }));
    const answers: string[] = [];
    await pool(raises, 8, async (r, i) => {
      const res = await command(c1, { command: '/impediment', text: r.text, user_id: `UDEV${i % 17}`, channel_id: r.lane.channels[i % r.lane.channels.length] });
      answers.push(res.body);
    });
    expect(answers.filter((b) => !b.includes('is raised'))).toEqual([]);

    const cardPosts = () => emu.callsTo('chat.postMessage').filter((x) => /IMP-\d+/.test(String(x.args.text ?? '')) && !x.args.thread_ts);
    // The victim: an instance holding claims whose posts reached Slack while their answers are still held back.
    let victim: RunningApp | undefined;
    await waitFor(
      async () => {
        const held = cardPosts().filter((x) => x.status === 0).map((x) => x.args.metadata as { event_payload?: { outbox_id?: number } });
        const ids = held.map((m) => m?.event_payload?.outbox_id).filter((id): id is number => typeof id === 'number');
        if (ids.length === 0) return false;
        const owners = await sql.all<{ claimed_by: string }>(`SELECT claimed_by FROM outbox WHERE status = 'sending' AND id IN (${ids.join(',')})`);
        victim = c1.apps.find((a) => owners.some((o) => o.claimed_by.includes(`:${a.pid}:`)));
        return victim !== undefined;
      },
      'a card post in flight',
      30_000,
    );
    const cardsBeforeKill = cardPosts().length;
    expect(await victim!.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    emu.clearFaults();
    collectErrors(victim!);
    const orphaned = await sql.count(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'sending' AND claimed_by LIKE ?`, `%:${victim!.pid}:%`);
    const restarted = (await startInstances(1, env, tmp.dir, 0))[0]!;
    c1.apps = c1.apps.map((a) => (a === victim ? restarted : a));
    await drained(sql, 'phase 1');
    await stopAll(c1);
    const phase1Ms = Date.now() - t0;

    // ---- phase 2, four days on: every instance sweeps at start; the fast lane's 50 climb to level 2 ----
    const c2: Cluster = { apps: await startInstances(v.instances, env, tmp.dir, 4 * DAY), offsetMs: 4 * DAY, rr: 0 };
    await waitFor(async () => (await sql.count(`SELECT COUNT(*) AS n FROM impediments WHERE level = 2`)) === fast.impediments, 'level 2 for the fast lane', DRAIN_MS);
    // The digest week ends at phase 3's 09:00, a minute boundary: every instance's cron tick computes it at once.
    const p3 = weekdayNine(t0 + 7 * DAY + 2 * HOUR);
    for (const lane of [fast, slow]) {
      const res = await command(c2, { command: '/status', text: `digest ${lane.key} ${WEEKDAYS[new Date(p3).getUTCDay()]} 09:00`, user_id: lane.sponsor, channel_id: lane.channels[0] });
      expect(res.body).not.toMatch(/cannot|not a time/i);
    }
    const nextDigests = await sql.all<{ n: string }>('SELECT digest_next_at AS n FROM engagements');
    expect(nextDigests.map((r) => new Date(r.n).getTime())).toEqual([p3, p3]);
    await drained(sql, 'phase 2');
    await stopAll(c2);

    // ---- phase 3, a weekday 09:00 over a week on: level 3, the digest, check-in reminders ----
    // Started 25 s before 09:00: the digests and the reminders (working hours begin) wait for the tick that
    // every instance runs at once; a very slow start-up would catch them up instead (still once each).
    const offset3 = p3 - 25_000 - Date.now();
    const c3: Cluster = { apps: await startInstances(v.instances, env, tmp.dir, offset3), offsetMs: offset3, rr: 0 };
    await waitFor(async () => (await sql.count(`SELECT COUNT(*) AS n FROM impediments WHERE level = 3`)) === fast.impediments, 'level 3 for the fast lane', DRAIN_MS);
    await waitFor(async () => (await sql.count(`SELECT COUNT(*) AS n FROM engagements WHERE digest_last_at IS NOT NULL`)) === 2, 'the digests', DRAIN_MS);
    await drained(sql, 'phase 3');
    await stopAll(c3);
    const totalMs = Date.now() - t0;
    const digestsByTick = await sql.count('SELECT COUNT(*) AS n FROM engagements WHERE digest_last_at >= ?', new Date(p3));
    const remindersByTick = await sql.count(`SELECT COUNT(*) AS n FROM outbox WHERE kind = 'dm' AND payload LIKE '%has had no check-in%' AND created_at >= ?`, new Date(p3));

    // ---- counting what Slack received ----
    const botMessages = [...emu.workspace.channels.values()].flatMap((ch) => ch.messages.filter((m) => m.user === emu.botUserId).map((m) => ({ ch: ch.id, m })));
    const outbox = await sql.all<{ id: number; kind: string; status: string; result: string | null }>('SELECT id, kind, status, result FROM outbox ORDER BY id');
    const posted = outbox.filter((r) => r.status === 'done' && r.result && (JSON.parse(r.result) as { ts?: string }).ts && !['announce_update', 'impediment_card_update', 'confirmation'].includes(r.kind));
    const byOutboxId = countBy(botMessages, (x) => (outboxIdOf(x.m) === null ? null : String(outboxIdOf(x.m))));
    const duplicatedPosts = [...byOutboxId.values()].filter((n) => n > 1).length;
    const lostPosts = posted.filter((r) => !byOutboxId.has(String(r.id))).length;

    const topLevel = (ch: string) => emu.messages(ch).filter((m) => !m.thread_ts && m.user === emu.botUserId);
    const announcements = channels.map((ch) => topLevel(ch).filter((m) => !m.text.startsWith('Weekly digest')).length);
    const cards = (lane: Lane) => countBy(topLevel(emu.dmChannelFor(lane.coach)).filter((m) => / — /.test(m.text)), impRef);
    const threadLines = (lane: Lane) => emu.messages(emu.dmChannelFor(lane.coach)).filter((m) => m.thread_ts && /Escalated automatically/.test(m.text));
    const escalationDms = (user: string) => emu.messages(user).filter((m) => /was escalated to you/.test(m.text));
    const digests = (lane: Lane) => [...lane.channels.flatMap((ch) => topLevel(ch)), ...emu.messages(lane.sponsor)].filter((m) => m.text.startsWith(`Weekly digest for ${lane.name}:`));
    const reminders = (lane: Lane) => emu.messages(lane.coach).filter((m) => /has had no check-in/.test(m.text));
    const confirmations = (lane: Lane) => emu.messages(lane.sponsor).filter((m) => !m.text.startsWith('Weekly digest'));

    // Escalations in the database: per impediment, levels in order, each after its due time, in due order overall.
    const escalated = await sql.all<{ id: number; impedimentId: number; data: string; createdAt: string }>(
      `SELECT id, impediment_id AS "impedimentId", data, created_at AS "createdAt" FROM events WHERE type = 'impediment_escalated' ORDER BY id`,
    );
    const clocks = await sql.all<{ impedimentId: number; level: number; dueAt: string }>(`SELECT impediment_id AS "impedimentId", level, due_at AS "dueAt" FROM escalation_clocks`);
    const dueOf = new Map(clocks.map((k) => [`${k.impedimentId}:${k.level}`, k.dueAt]));
    const steps = escalated.map((e) => {
      const d = JSON.parse(e.data) as { from: number; to: number; automatic: boolean };
      return { ...d, impedimentId: e.impedimentId, at: e.createdAt, due: dueOf.get(`${e.impedimentId}:${d.from}`)! };
    });
    const perImp = new Map<number, number[]>();
    for (const s of steps) perImp.set(s.impedimentId, [...(perImp.get(s.impedimentId) ?? []), s.to]);
    const outOfOrderLevels = [...perImp.values()].filter((ls) => ls.join() !== '2,3').length;
    const firedEarly = steps.filter((s) => s.at < s.due).length;
    const dueOrderInversions = [2, 3].reduce((n, to) => {
      const dues = steps.filter((s) => s.to === to).map((s) => s.due);
      return n + dues.filter((d, i) => i > 0 && d < dues[i - 1]!).length;
    }, 0);

    const fig = {
      engine: v.engine,
      instances: v.instances,
      'outbox rows': outbox.length,
      'messages posted': botMessages.length,
      'lost posts': lostPosts,
      'duplicated posts': duplicatedPosts,
      announcements: announcements.reduce((a, b) => a + b, 0),
      cards: cards(fast).size + cards(slow).size,
      escalations: steps.length,
      'escalation DMs': escalationDms(fast.program).length + escalationDms(fast.executive).length,
      'level order wrong': outOfOrderLevels,
      'due-order inversions': dueOrderInversions,
      'fired before due': firedEarly,
      digests: digests(fast).length + digests(slow).length,
      reminders: reminders(fast).length + reminders(slow).length,
      'digests sent by the tick': digestsByTick,
      'reminders sent by the tick': remindersByTick,
      'card posts before the kill': cardsBeforeKill,
      'claims orphaned by the kill': orphaned,
      'slowest command answer ms': Math.max(...answerMs),
      'phase 1 s': Math.round(phase1Ms / 1000),
      'total s': Math.round(totalMs / 1000),
    };
    console.log(`multi-instance (${v.engine}, ${v.instances} processes):\n${Object.entries(fig).map(([k, x]) => `  ${k.padEnd(28)} ${x}`).join('\n')}`);

    expect(errorLogs).toEqual([]);
    expect(await outboxCounts(sql)).toEqual({ done: outbox.length });
    expect(orphaned).toBeGreaterThan(0);
    expect({ lostPosts, duplicatedPosts }).toEqual({ lostPosts: 0, duplicatedPosts: 0 });
    expect(announcements).toEqual(channels.map(() => 1));
    for (const lane of [fast, slow]) {
      const c = cards(lane);
      expect({ lane: lane.key, cards: c.size, twice: [...c.values()].filter((n) => n !== 1).length }).toEqual({ lane: lane.key, cards: lane.impediments, twice: 0 });
      expect({ lane: lane.key, confirmations: confirmations(lane).length }).toEqual({ lane: lane.key, confirmations: 1 });
      expect({ lane: lane.key, digests: digests(lane).length }).toEqual({ lane: lane.key, digests: 2 }); // the channel and the sponsor's DM
      expect({ lane: lane.key, reminders: reminders(lane).length }).toEqual({ lane: lane.key, reminders: 1 });
    }
    // Only the fast lane's impediments fell due; each climbed Team → Program → Executive once, in that order.
    expect({ escalations: steps.length, automatic: steps.filter((s) => s.automatic).length }).toEqual({ escalations: 2 * fast.impediments, automatic: 2 * fast.impediments });
    expect({ outOfOrderLevels, firedEarly, dueOrderInversions }).toEqual({ outOfOrderLevels: 0, firedEarly: 0, dueOrderInversions: 0 });
    for (const [user, n] of [[fast.program, fast.impediments], [fast.executive, fast.impediments], [slow.program, 0], [slow.executive, 0]] as const) {
      const dms = countBy(escalationDms(user), impRef);
      expect({ user, impediments: dms.size, twice: [...dms.values()].filter((k) => k !== 1).length }).toEqual({ user, impediments: n, twice: 0 });
    }
    const lines = threadLines(fast);
    expect(lines).toHaveLength(2 * fast.impediments);
    const byThread = new Map<string, string[]>();
    for (const m of lines) byThread.set(m.thread_ts!, [...(byThread.get(m.thread_ts!) ?? []), /to \*(\w+)\*/.exec(m.text)?.[1] ?? '?']);
    expect([...byThread.values()].filter((ls) => ls.join() !== 'Program,Executive')).toEqual([]);
    expect(threadLines(slow)).toEqual([]);
  });
}

describe('multi-instance on SQLite: two processes on one file', () => {
  scenario({
    engine: 'sqlite',
    instances: 2,
    async database() {
      const t = tempDir('coachline-multi-db-');
      const file = t.file();
      return { env: { DATABASE_PATH: file }, sql: () => openSqlite(file).sql, drop: async () => t.cleanup() };
    },
  });
});

const describePg = process.env.TEST_DATABASE_URL ? describe : describe.skip;
describePg(`multi-instance on PostgreSQL: three processes on one database${process.env.TEST_DATABASE_URL ? '' : ' (skipped: TEST_DATABASE_URL is not set)'}`, () => {
  scenario({
    engine: 'postgres',
    instances: 3,
    async database() {
      const made = await tempPostgresDatabase('coachline_multi');
      return { env: { DATABASE_URL: made.url }, sql: () => openPostgres(made.url, { max: 2 }).sql, drop: made.drop };
    },
  });
});
