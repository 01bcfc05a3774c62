/**
 * Weekly digests and reminders on a schedule, driven with an injected clock in Europe/Berlin
 * (the workspace zone) and `scheduler: false`: every run is `scheduler.runAll()`, as node-cron's
 * tick would do it. Changes between digests are made through the real commands and modals
 * (quick capture, /escalate, /impediment resolve, /status update → check-in modal,
 * /kickoff close). Assertions read what the emulator received and the database.
 *
 * Covered: the first run only schedules; Monday 09:00 local, not before, not twice; the
 * autumn DST change; downtime (one digest covering the gap, then the normal rhythm); completed
 * engagements; a per-engagement schedule; per-engagement failure isolation. Reminders: a coach
 * with no check-in for 7 days, in their own zone's working hours (New York vs Tokyo), business
 * days only, once per local day, "Snooze a week" from the DM itself; an owner of an impediment
 * idle for 5 business days (weekend not counted); failures isolated; batches larger than the
 * job's page.
 */
import type { Impediment } from '../../src/domain/impedimentTypes';
import { ACTION, BLOCK, CALLBACK, checkinOutcomeBlock } from '../../src/slack/ids';
import type { EmulatedMessage } from '../../src/sandbox/emulator';
import { sendAgain, waitFor, type HarnessOptions } from '../support/harness';
import { world as clockedWorld, type World } from '../support/clockedWorld';
import { kickOff } from '../support/anonHelpers';
import { buttonOf, click, clickPayload, quiesce, said } from '../support/impedimentFlow';
import type { KickoffForm } from '../support/kickoffForm';
import { numberInput, plainText, radio, viewSubmission } from '../../src/sandbox/payloads';

const ZONE = 'Europe/Berlin';
const TEAM = 'T0001';
const at = (iso: string) => new Date(iso);

/** Team (the team lead, 2 business days) → Program → Executive (the sponsor). */
const LINE: KickoffForm['escalation'] = [
  { name: 'Team', contacts: ['UTEAMLEAD'], response: '2' },
  { name: 'Program', contacts: ['UPROGRAM'], response: '3' },
  { name: 'Executive', contacts: [], response: '5' },
];

const world = (start: Date, opts: HarnessOptions = {}): Promise<World> => clockedWorld(start, ZONE, opts);

interface Eng {
  id: number;
  key: string;
  channel: string;
}

/** Kicks off an engagement with its own channel; auto-escalation off unless asked (sweeps would change digests). */
async function engagement(w: World, key: string, form: Partial<KickoffForm> = {}, opts: { autoEscalate?: boolean } = {}): Promise<Eng> {
  const e = await kickOff(w.h, { key, name: key, channels: [w.general], createChannel: true, channelName: `coaching-${key}`, escalation: LINE, ...form }, { channel: w.general });
  if (!e.engagementChannelId) throw new Error('no engagement channel');
  if (!opts.autoEscalate) {
    const off = await w.h.command({ command: '/impediment', text: `auto-escalation ${key} off`, user_id: 'USPONSOR', channel_id: e.engagementChannelId });
    expect(off.body).toContain('*off*');
  }
  return { id: e.id, key: e.key, channel: e.engagementChannelId };
}

const imp = async (w: World, id: number): Promise<Impediment> => await w.h.app.stores.impediments.get(id) as Impediment;

/** Quick capture in the engagement channel, at the clock's current instant. */
async function raise(w: World, channel: string, description: string, user = 'UDEV1'): Promise<Impediment> {
  const res = await w.h.command({ command: '/impediment', text: description, user_id: user, channel_id: channel });
  expect(res.body).toContain('is raised');
  await w.h.settle();
  const row = w.h.app.db.prepare('SELECT id FROM impediments WHERE description = ?').get(description) as { id: number } | undefined;
  if (!row) throw new Error(`not raised: ${res.body}`);
  return await imp(w, row.id);
}

async function command(w: World, command: string, text: string, user: string, channel: string): Promise<string> {
  const res = await w.h.command({ command, text, user_id: user, channel_id: channel });
  expect(res.status).toBe(200);
  await waitFor(() => w.h.app.built.inFlight() === 0, 'listeners to finish');
  await w.h.settle();
  return res.body;
}

/** `/status update KEY` → the check-in modal the app opened → submitted with health, summary and the lead time. */
async function checkIn(w: World, key: string, user: string, health: 'green' | 'amber' | 'red', summary: string, leadTime: number | null): Promise<void> {
  const before = w.h.emu.callsTo('views.open').length;
  const res = await w.h.command({ command: '/status', text: `update ${key}`, user_id: user, channel_id: w.general });
  expect(res.status).toBe(200);
  await waitFor(() => w.h.emu.callsTo('views.open').length > before, 'the check-in modal');
  const view = (w.h.emu.callsTo('views.open')[before].response as { view: { id: string; callback_id: string; private_metadata: string } }).view;
  expect(view.callback_id).toBe(CALLBACK.checkin);
  const state = {
    [BLOCK.checkinHealth]: { [ACTION.value]: radio(health) },
    [BLOCK.checkinSummary]: { [ACTION.value]: plainText(summary) },
    [BLOCK.checkinNextSteps]: { [ACTION.value]: plainText('') },
    [checkinOutcomeBlock(0)]: { [ACTION.value]: numberInput(leadTime) },
  };
  const submitted = await w.h.interact(
    viewSubmission({ user: { id: user }, view: { id: view.id, callback_id: view.callback_id, private_metadata: view.private_metadata, state_values: state } }),
  );
  expect(submitted.body).toBe('');
  await w.h.settle();
}

/** One scheduler tick (escalation sweep, digests, reminders), then every delivery it queued. */
async function tick(w: World, iso?: string): Promise<void> {
  if (iso) w.clock.set(at(iso));
  await w.h.app.scheduler.runAll();
  await waitFor(() => w.h.app.built.inFlight() === 0, 'listeners to finish');
  await w.h.settle();
}

async function restart(w: World): Promise<void> {
  const answered = () => w.h.emu.callsTo('auth.test').filter((c) => c.status === 200).length;
  const before = answered();
  await w.h.restart();
  await waitFor(() => answered() > before, 'auth.test of the restarted app');
  await w.h.settle();
}

const blob = (m: EmulatedMessage): string => JSON.stringify([m.text, m.blocks]);
/** Digests posted in a channel (top level). */
const channelDigests = (w: World, channel: string) => w.h.emu.messages(channel).filter((m) => !m.thread_ts && m.text.startsWith('Weekly digest'));
/** Digests DMed to a person, for one engagement (by its name, which is its key here). */
const dmDigests = (w: World, user: string, name: string) => w.h.emu.messages(user).filter((m) => m.text.startsWith(`Weekly digest for ${name}:`));
const allDigests = (w: World) => w.h.emu.callsTo('chat.postMessage').filter((c) => String(c.args.text ?? '').startsWith('Weekly digest'));
const nextAt = (w: World, id: number) =>
  (w.h.app.db.prepare('SELECT digest_next_at AS n FROM engagements WHERE id = ?').get(id) as { n: string | null }).n;
const lastAt = (w: World, id: number) =>
  (w.h.app.db.prepare('SELECT digest_last_at AS n FROM engagements WHERE id = ?').get(id) as { n: string | null }).n;

/** The bot's DMs to `user` that are check-in reminders (about `key` when given). */
const checkinReminders = (w: World, user: string, key?: string) =>
  w.h.emu.messages(user).filter((m) => m.text.includes('has had no check-in') && (key === undefined || m.text.includes(`(\`${key}\`)`) || m.text.includes(`update ${key}`)));
const impedimentReminders = (w: World, user: string, ref?: string) =>
  w.h.emu.messages(user).filter((m) => m.text.includes('which you own, has had no activity') && (ref === undefined || m.text.startsWith(`${ref} `)));

const errorLogs = (w: World, what: string) => w.h.logs.filter((l) => l.includes(what));

describe('weekly digest (Europe/Berlin, injected clock)', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.h.close();
    w = undefined;
  });

  it('`/status digest KEY friday 16:00` moves that engagement’s digest (sponsor, coach or admin only; bad times explained)', async () => {
    w = await world(at('2026-11-04T10:00:00+01:00')); // Wednesday
    const pay = await engagement(w, 'payments');
    await tick(w);
    const stranger = await w.h.command({ command: '/status', text: 'digest payments friday 16:00', user_id: 'USTRANGER', channel_id: w.general });
    expect(stranger.body).toMatch(/Only .*sponsor/);
    const bad = await w.h.command({ command: '/status', text: 'digest payments someday 25:99', user_id: 'USPONSOR', channel_id: w.general });
    expect(bad.body).toMatch(/weekday and a time/);
    const ok = await w.h.command({ command: '/status', text: 'digest payments friday 16:00', user_id: 'USPONSOR', channel_id: w.general });
    expect(ok.body).toContain('Friday 16:00');
    expect(nextAt(w, pay.id)).toBe('2026-11-06T15:00:00.000Z');
    await tick(w, '2026-11-06T15:59:00+01:00');
    expect(channelDigests(w, pay.channel)).toEqual([]);
    await tick(w, '2026-11-06T16:00:30+01:00');
    expect(channelDigests(w, pay.channel)).toHaveLength(1);
    await tick(w, '2026-11-09T09:00:30+01:00'); // the old Monday slot: nothing
    expect(channelDigests(w, pay.channel)).toHaveLength(1);
  });

  it('first run schedules only; Monday 09:00 one digest per active engagement (channel + sponsor DM) with the week’s changes; not before, not twice; none for a completed one; next week only what is new', async () => {
    w = await world(at('2026-11-04T10:00:00+01:00')); // Wednesday
    const pay = await engagement(w, 'payments');
    const quiet = await engagement(w, 'platform');
    const legacy = await engagement(w, 'legacy');

    // The first run sees the engagements: it schedules Monday 09:00 CET and sends nothing.
    await tick(w);
    expect(allDigests(w)).toEqual([]);
    for (const e of [pay, quiet, legacy]) {
      expect(nextAt(w, e.id)).toBe('2026-11-09T08:00:00.000Z');
      expect(lastAt(w, e.id)).toBeNull();
    }
    await tick(w, '2026-11-05T09:00:00+01:00');
    expect(allDigests(w)).toEqual([]);

    // The week: two impediments raised, one escalated, one resolved, a check-in with a lead time.
    w.clock.set(at('2026-11-05T10:00:00+01:00'));
    const a = await raise(w, pay.channel, 'Every firewall change waits two weeks');
    const b = await raise(w, pay.channel, 'The staging database is shared with another team');
    w.clock.set(at('2026-11-05T14:00:00+01:00'));
    await command(w, '/escalate', `IMP-${a.number} nobody on the team can change firewall rules`, 'UDEV1', pay.channel);
    expect((await imp(w, a.id)).level).toBe(2);
    w.clock.set(at('2026-11-06T11:00:00+01:00'));
    await command(w, '/impediment', `resolve IMP-${b.number} staging has its own database now`, 'UCOACH1', pay.channel);
    expect((await imp(w, b.id)).state).toBe('resolved');
    w.clock.set(at('2026-11-06T15:00:00+01:00'));
    await checkIn(w, pay.key, 'UCOACH1', 'amber', 'Firewall changes block two of three releases', 14);
    // The legacy engagement is closed before Monday.
    await command(w, '/kickoff', `close ${legacy.key} done here`, 'USPONSOR', w.general);
    expect((await w.h.app.stores.engagements.get(legacy.id))!.lifecycle).toBe('completed');

    // Monday 08:59 CET: not yet.
    await tick(w, '2026-11-09T08:59:00+01:00');
    expect(allDigests(w)).toEqual([]);

    // 09:00: one digest per active engagement to its channel, and one DM to the sponsor each.
    await tick(w, '2026-11-09T09:00:30+01:00');
    expect(channelDigests(w, pay.channel)).toHaveLength(1);
    expect(channelDigests(w, quiet.channel)).toHaveLength(1);
    expect(dmDigests(w, 'USPONSOR', 'payments')).toHaveLength(1);
    expect(dmDigests(w, 'USPONSOR', 'platform')).toHaveLength(1);
    expect(channelDigests(w, legacy.channel)).toEqual([]);
    expect(dmDigests(w, 'USPONSOR', 'legacy')).toEqual([]);
    expect(allDigests(w)).toHaveLength(4);

    const digest = blob(channelDigests(w, pay.channel)[0]);
    expect(digest).toContain('Weekly digest: payments');
    expect(digest).toContain('New impediments (2)');
    expect(digest).toContain(`IMP-${a.number}`);
    expect(digest).toContain(`IMP-${b.number}`);
    expect(digest).toContain('Resolved (1)');
    expect(digest).toContain('Escalated (1)');
    expect(digest).toMatch(new RegExp(`IMP-${a.number}\\*? — Every firewall change waits two weeks · now at level 2`));
    expect(digest).toContain('Check-ins (1)');
    expect(digest).toContain('Firewall changes block two of three releases');
    expect(digest).toContain('first rating'); // health: amber, the first rating
    expect(digest).toMatch(/Lead time: 21 → \*14\* days/);
    // The sponsor's DM is the same message.
    expect(blob(dmDigests(w, 'USPONSOR', 'payments')[0])).toBe(digest);
    expect(channelDigests(w, pay.channel)[0].text).toContain('2 impediments raised, 1 resolved, 1 escalated');
    expect(blob(channelDigests(w, quiet.channel)[0])).toContain('Nothing changed this week');

    for (const e of [pay, quiet]) {
      expect(lastAt(w, e.id)).toBe('2026-11-09T08:00:30.000Z');
      expect(nextAt(w, e.id)).toBe('2026-11-16T08:00:00.000Z');
    }

    // More runs on Monday, and later in the week: nothing more.
    await tick(w);
    await Promise.all([w.h.app.scheduler.runAll(), w.h.app.scheduler.runAll()]);
    await w.h.settle();
    await tick(w, '2026-11-09T16:00:00+01:00');
    await tick(w, '2026-11-13T09:00:00+01:00');
    expect(allDigests(w)).toHaveLength(4);

    // Next week's digest covers only what happened since the last one.
    w.clock.set(at('2026-11-11T10:00:00+01:00'));
    const c = await raise(w, pay.channel, 'Deployments need a change advisory board slot');
    await tick(w, '2026-11-16T08:59:59+01:00');
    expect(allDigests(w)).toHaveLength(4);
    await tick(w, '2026-11-16T09:00:10+01:00');
    expect(channelDigests(w, pay.channel)).toHaveLength(2);
    expect(dmDigests(w, 'USPONSOR', 'payments')).toHaveLength(2);
    expect(channelDigests(w, quiet.channel)).toHaveLength(2);
    expect(allDigests(w)).toHaveLength(8);
    const second = blob(channelDigests(w, pay.channel)[1]);
    expect(second).toContain('New impediments (1)');
    expect(second).toContain(`IMP-${c.number}`);
    expect(second).not.toMatch(new RegExp(`IMP-${a.number}\\b`));
    expect(second).not.toMatch(new RegExp(`IMP-${b.number}\\b`));
    expect(second).not.toContain('Check-ins (');
    expect(second).toMatch(/Health:\* .*Amber.*, unchanged/); // health unchanged since the last check-in
    expect(channelDigests(w, legacy.channel)).toEqual([]);
    expect(errorLogs(w, 'a digest failed')).toEqual([]);
  });

  it('across the autumn DST change: Monday 2026-10-26 09:00 CET is 08:00Z, not 07:00Z like the week before', async () => {
    w = await world(at('2026-10-14T10:00:00+02:00')); // Wednesday, CEST
    const e = await engagement(w, 'payments', { startDate: '2026-10-19', reviewDate: '2027-01-15' });
    await tick(w);
    expect(nextAt(w, e.id)).toBe('2026-10-19T07:00:00.000Z'); // 09:00 CEST
    await tick(w, '2026-10-19T06:59:00Z');
    expect(channelDigests(w, e.channel)).toEqual([]);
    await tick(w, '2026-10-19T07:00:30Z');
    expect(channelDigests(w, e.channel)).toHaveLength(1);
    expect(nextAt(w, e.id)).toBe('2026-10-26T08:00:00.000Z'); // 09:00 CET, after the change on the 25th

    // A week of 168 hours later is only 08:00 local: not yet.
    await tick(w, '2026-10-26T07:00:30Z');
    await tick(w, '2026-10-26T07:59:59Z');
    expect(channelDigests(w, e.channel)).toHaveLength(1);
    await tick(w, '2026-10-26T08:00:30Z');
    expect(channelDigests(w, e.channel)).toHaveLength(2);
    expect(dmDigests(w, 'USPONSOR', 'payments')).toHaveLength(2);
    expect(nextAt(w, e.id)).toBe('2026-11-02T08:00:00.000Z');
  });

  it('after three weeks of downtime: exactly one digest covering the whole gap, then the next Monday again', async () => {
    w = await world(at('2026-11-04T10:00:00+01:00'));
    const e = await engagement(w, 'payments');
    await tick(w);
    await tick(w, '2026-11-09T09:00:30+01:00');
    expect(channelDigests(w, e.channel)).toHaveLength(1);

    // Things happen while the scheduler is down (no ticks from 9 to 30 November).
    w.clock.set(at('2026-11-10T10:00:00+01:00'));
    const early = await raise(w, e.channel, 'Raised in the first week of the outage');
    w.clock.set(at('2026-11-25T10:00:00+01:00'));
    const late = await raise(w, e.channel, 'Raised in the third week of the outage');
    await w.h.app.stop();
    w.clock.set(at('2026-11-30T11:00:00+01:00')); // three digests (16, 23, 30 Nov) missed
    await restart(w);
    await tick(w);
    await tick(w);
    await tick(w, '2026-11-30T15:00:00+01:00');
    const digests = channelDigests(w, e.channel);
    expect(digests).toHaveLength(2);
    expect(dmDigests(w, 'USPONSOR', 'payments')).toHaveLength(2);
    const gap = blob(digests[1]);
    expect(gap).toContain('New impediments (2)');
    expect(gap).toContain(`IMP-${early.number}`);
    expect(gap).toContain(`IMP-${late.number}`);
    expect(gap).toMatch(/\|2026-11-09> – <!date\^\d+\^\{date_short_pretty\}\|2026-11-30>/); // the window: from the last digest to now
    expect(lastAt(w, e.id)).toBe('2026-11-30T10:00:00.000Z');
    expect(nextAt(w, e.id)).toBe('2026-12-07T08:00:00.000Z');

    // Another restart the same day: nothing again.
    await restart(w);
    await tick(w);
    expect(channelDigests(w, e.channel)).toHaveLength(2);

    await tick(w, '2026-12-07T08:59:00+01:00');
    expect(channelDigests(w, e.channel)).toHaveLength(2);
    await tick(w, '2026-12-07T09:00:30+01:00');
    expect(channelDigests(w, e.channel)).toHaveLength(3);
    expect(blob(channelDigests(w, e.channel)[2])).toContain('Nothing changed this week');
  });

  it('follows an engagement’s own schedule (Wednesday 14:00) instead of Monday 09:00', async () => {
    w = await world(at('2026-11-04T10:00:00+01:00'));
    const own = await engagement(w, 'payments');
    const usual = await engagement(w, 'platform');
    // No command sets the schedule yet (see the report): the columns are what the job reads.
    w.h.app.db.prepare('UPDATE engagements SET digest_weekday = 3, digest_hour = 14, digest_minute = 0 WHERE id = ?').run(own.id);
    await tick(w);
    expect(nextAt(w, own.id)).toBe('2026-11-04T13:00:00.000Z'); // today 14:00 CET, still ahead
    expect(nextAt(w, usual.id)).toBe('2026-11-09T08:00:00.000Z');
    await tick(w, '2026-11-04T14:00:30+01:00');
    expect(channelDigests(w, own.channel)).toHaveLength(1);
    expect(channelDigests(w, usual.channel)).toEqual([]);
    await tick(w, '2026-11-09T09:00:30+01:00');
    expect(channelDigests(w, own.channel)).toHaveLength(1);
    expect(channelDigests(w, usual.channel)).toHaveLength(1);
    await tick(w, '2026-11-11T14:00:30+01:00');
    expect(channelDigests(w, own.channel)).toHaveLength(2);
  });

  it('a busy week: the digest counts every impediment raised (60), not the 50 it lists at most', async () => {
    w = await world(at('2026-11-04T10:00:00+01:00'));
    const e = await engagement(w, 'payments');
    await tick(w);
    w.clock.set(at('2026-11-05T10:00:00+01:00'));
    await raise(w, e.channel, 'Raised through the command');
    // 59 more in the same week, stored directly (the count is what matters here).
    const db = w.h.app.db;
    db.transaction(() => {
      const ins = db.prepare(
        `INSERT INTO impediments (team_id, number, engagement_id, description, severity, reporter_id, source, due_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'medium', 'UDEV1', 'command', '2026-11-20T10:00:00.000Z', ?, ?)`,
      );
      for (let n = 0; n < 59; n++) {
        const t = new Date(Date.UTC(2026, 10, 5, 10, n + 1)).toISOString();
        ins.run(TEAM, 1000 + n, e.id, `Busy week ${n}`, t, t);
      }
    })();
    await tick(w, '2026-11-09T09:00:30+01:00');
    const [digest] = channelDigests(w, e.channel);
    expect(digest.text).toContain('60 impediments raised');
    expect(blob(digest)).toContain('New impediments (60)');
  });

  it('an engagement whose digest cannot be built does not stop the others, sends nothing half-done, and is caught up once repaired', async () => {
    w = await world(at('2026-11-04T10:00:00+01:00'));
    const broken = await engagement(w, 'broken'); // first in line
    const fine = await engagement(w, 'payments');
    const other = await engagement(w, 'platform');
    await tick(w);
    w.clock.set(at('2026-11-05T10:00:00+01:00'));
    await checkIn(w, broken.key, 'UCOACH1', 'green', 'All good on the broken one', 18);
    await checkIn(w, fine.key, 'UCOACH1', 'red', 'Nothing moves', null);
    // Corrupt the broken engagement's check-in: building its digest throws.
    w.h.app.db.prepare(`UPDATE checkins SET outcome_values = '{not json' WHERE engagement_id = ?`).run(broken.id);
    const outboxBefore = (w.h.app.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE engagement_id = ?').get(broken.id) as { n: number }).n;

    await tick(w, '2026-11-09T09:00:30+01:00');
    expect(channelDigests(w, fine.channel)).toHaveLength(1);
    expect(channelDigests(w, other.channel)).toHaveLength(1);
    expect(dmDigests(w, 'USPONSOR', 'payments')).toHaveLength(1);
    expect(dmDigests(w, 'USPONSOR', 'platform')).toHaveLength(1);
    expect(blob(channelDigests(w, fine.channel)[0])).toContain('Nothing moves');
    expect(channelDigests(w, broken.channel)).toEqual([]);
    expect(dmDigests(w, 'USPONSOR', 'broken')).toEqual([]);
    // Nothing half-done: no outbox row; it is retried an hour after the failure (so it never holds up the others).
    expect((w.h.app.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE engagement_id = ?').get(broken.id) as { n: number }).n).toBe(outboxBefore);
    expect(nextAt(w, broken.id)).toBe('2026-11-09T09:00:30.000Z');
    expect(lastAt(w, broken.id)).toBeNull();
    const failures = errorLogs(w, 'a digest failed; the others go on');
    expect(failures).toHaveLength(1);
    expect(JSON.parse(failures[0])).toMatchObject({ level: 'error', engagementId: broken.id });
    expect(errorLogs(w, 'scheduled job failed')).toEqual([]);

    // Repaired: not before the retry hour; then its one digest; the others get nothing more.
    w.h.app.db.prepare(`UPDATE checkins SET outcome_values = '[]' WHERE engagement_id = ?`).run(broken.id);
    await tick(w, '2026-11-09T09:05:00+01:00');
    expect(channelDigests(w, broken.channel)).toEqual([]);
    await tick(w, '2026-11-09T10:01:00+01:00');
    await tick(w);
    expect(channelDigests(w, broken.channel)).toHaveLength(1);
    expect(dmDigests(w, 'USPONSOR', 'broken')).toHaveLength(1);
    expect(blob(channelDigests(w, broken.channel)[0])).toContain('All good on the broken one');
    expect(channelDigests(w, fine.channel)).toHaveLength(1);
    expect(allDigests(w)).toHaveLength(6);
  });
});

describe('reminders (recipient’s working hours, business days, once a day, snooze)', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.h.close();
    w = undefined;
  });

  it('a coach with no check-in for 7 days: one DM at 10:00 in their own zone (New York vs Tokyo), not at 08:00, not on Saturday, once a local day, again the next business day; "Snooze a week" from the DM', async () => {
    w = await world(at('2026-11-05T13:00:00+01:00')); // Thursday 12:00Z
    w.h.emu.addUser({ id: 'UCOACHNY', tz: 'America/New_York', tzOffset: -18000 });
    w.h.emu.addUser({ id: 'UCOACHTK', tz: 'Asia/Tokyo', tzOffset: 32400 });
    const e = await engagement(w, 'payments', { coaches: ['UCOACHNY', 'UCOACHTK'] });
    const ny = () => checkinReminders(w!, 'UCOACHNY', e.key);
    const tk = () => checkinReminders(w!, 'UCOACHTK', e.key);

    // Six days: not yet, even at 10:00 local.
    await tick(w, '2026-11-11T15:00:00Z'); // Wednesday 10:00 New York
    await tick(w, '2026-11-12T01:00:00Z'); // Thursday 10:00 Tokyo (6.5 days)
    expect(ny()).toEqual([]);
    expect(tk()).toEqual([]);
    // Saturday 10:00 local in both zones: past 7 days, but not a business day.
    await tick(w, '2026-11-14T01:00:00Z');
    await tick(w, '2026-11-14T15:00:00Z');
    expect(ny()).toEqual([]);
    expect(tk()).toEqual([]);
    // Monday 10:00 Tokyo = Sunday 20:00 New York.
    await tick(w, '2026-11-16T01:00:00Z');
    expect(tk()).toHaveLength(1);
    expect(ny()).toEqual([]);
    // Monday 08:00 New York: too early.
    await tick(w, '2026-11-16T13:00:00Z');
    expect(ny()).toEqual([]);
    // Monday 10:00 New York: one, and only one that local day however often the job runs.
    await tick(w, '2026-11-16T15:00:00Z');
    expect(ny()).toHaveLength(1);
    await tick(w);
    await tick(w, '2026-11-16T18:00:00Z');
    await tick(w, '2026-11-16T21:59:00Z'); // 16:59 New York
    await tick(w, '2026-11-16T22:30:00Z'); // 17:30: after hours
    expect(ny()).toHaveLength(1);
    expect(tk()).toHaveLength(1);

    const first = ny()[0];
    expect(first.text).toContain('has had no check-in for 11 days');
    const snooze = buttonOf(first, ACTION.snoozeReminder);
    expect(JSON.parse(String(snooze.value))).toEqual({ kind: 'checkin', id: e.id });
    expect(snooze.text.text).toBe('Snooze a week');
    // The sponsor is not a coach: no check-in reminder.
    expect(checkinReminders(w, 'USPONSOR')).toEqual([]);

    // The next business day, again, in each zone's morning.
    await tick(w, '2026-11-17T01:00:00Z'); // Tuesday 10:00 Tokyo
    expect(tk()).toHaveLength(2);
    expect(ny()).toHaveLength(1);
    await tick(w, '2026-11-17T15:00:00Z'); // Tuesday 10:00 New York
    expect(ny()).toHaveLength(2);

    // New York snoozes from the DM (Tuesday 10:05 local): nothing for a week, Tokyo goes on.
    w.clock.set(at('2026-11-17T15:05:00Z'));
    const snoozeClick = clickPayload({ channel: 'UCOACHNY', message: ny()[1] }, ACTION.snoozeReminder, { user: 'UCOACHNY' });
    const answers = () => w!.h.emu.responses.filter((r) => r.path === new URL(String(snoozeClick.response_url)).pathname).map((r) => JSON.stringify(r.body));
    const snoozedUntil = () => (w!.h.app.db.prepare(`SELECT snoozed_until FROM reminders WHERE kind = 'checkin' AND item_id = ? AND user_id = 'UCOACHNY'`).get(e.id) as { snoozed_until: string }).snoozed_until;
    const clicked = await w.h.interact(snoozeClick);
    await quiesce(w.h);
    expect(clicked.status).toBe(200);
    expect(answers()).toHaveLength(1);
    expect(answers()[0]).toContain('Snoozed');
    expect(snoozedUntil()).toBe('2026-11-24T15:05:00.000Z'); // Tuesday 10:05 New York, a week on
    // The same click replayed a minute later, and Slack's retry of it: no second answer, the snooze not moved.
    w.clock.set(at('2026-11-17T15:06:00Z'));
    expect((await sendAgain((o) => w!.h.interact(snoozeClick, o))).map((r) => r.status)).toEqual([200, 200]);
    await quiesce(w.h);
    expect(answers()).toHaveLength(1);
    expect(snoozedUntil()).toBe('2026-11-24T15:05:00.000Z');
    for (const t of ['2026-11-18T15:00:00Z', '2026-11-20T15:00:00Z', '2026-11-23T15:00:00Z', '2026-11-24T15:00:00Z']) await tick(w, t);
    expect(ny()).toHaveLength(2);
    await tick(w, '2026-11-19T01:00:00Z'); // Thursday 10:00 Tokyo
    expect(tk()).toHaveLength(3);
    await tick(w, '2026-11-24T15:10:00Z');
    expect(ny()).toHaveLength(3);

    // A check-in ends it for everyone.
    w.clock.set(at('2026-11-24T16:00:00Z'));
    await checkIn(w, e.key, 'UCOACHNY', 'green', 'Back on track', null);
    await tick(w, '2026-11-25T01:00:00Z');
    await tick(w, '2026-11-25T15:00:00Z');
    expect(ny()).toHaveLength(3);
    expect(tk()).toHaveLength(3);
    // users.info was asked for the zones, and not on every tick (cached).
    const lookups = w.h.emu.callsTo('users.info').filter((c) => c.args.user === 'UCOACHNY');
    expect(lookups.length).toBeGreaterThanOrEqual(1);
    expect(lookups.length).toBeLessThanOrEqual(3);
    expect(errorLogs(w, 'a reminder failed')).toEqual([]);
  });

  it('the owner of an impediment idle for 5 business days: not after 5 calendar days over a weekend, yes on the fifth business day, once a day, snooze a week', async () => {
    w = await world(at('2026-11-09T10:00:00+01:00')); // Monday
    w.h.emu.addUser({ id: 'UTEAMLEAD', tz: ZONE, tzOffset: 3600 });
    const e = await engagement(w, 'payments');
    w.clock.set(at('2026-11-11T09:30:00+01:00')); // Wednesday
    const i = await raise(w, e.channel, 'The build farm is out of disk every afternoon');
    const ref = `IMP-${i.number}`;
    w.clock.set(at('2026-11-11T10:00:00+01:00'));
    const card = w.h.emu.messages(e.channel).find((m) => !m.thread_ts && m.text.startsWith(`${ref} `));
    if (!card) throw new Error('no card');
    await click(w.h, { channel: e.channel, message: card }, ACTION.impTakeOwnership, { user: 'UTEAMLEAD' });
    expect((await imp(w, i.id)).ownerId).toBe('UTEAMLEAD');
    const mine = () => impedimentReminders(w!, 'UTEAMLEAD', ref);

    // Monday: five calendar days, but three business days.
    await tick(w, '2026-11-16T12:00:00+01:00');
    await tick(w, '2026-11-17T12:00:00+01:00'); // four
    await tick(w, '2026-11-18T09:59:00+01:00'); // five at 10:00
    expect(mine()).toEqual([]);
    await tick(w, '2026-11-18T10:30:00+01:00');
    expect(mine()).toHaveLength(1);
    await tick(w, '2026-11-18T11:00:00+01:00');
    await tick(w, '2026-11-18T16:59:00+01:00');
    expect(mine()).toHaveLength(1);
    const reminder = mine()[0];
    expect(JSON.parse(String(buttonOf(reminder, ACTION.snoozeReminder).value))).toEqual({ kind: 'impediment', id: i.id });
    expect(blob(reminder)).toContain('The build farm is out of disk every afternoon');

    await tick(w, '2026-11-19T08:30:00+01:00'); // before working hours
    expect(mine()).toHaveLength(1);
    await tick(w, '2026-11-19T10:30:00+01:00');
    expect(mine()).toHaveLength(2);

    w.clock.set(at('2026-11-19T10:35:00+01:00'));
    const clicked = await click(w.h, { channel: 'UTEAMLEAD', message: mine()[1] }, ACTION.snoozeReminder, { user: 'UTEAMLEAD' });
    expect(said(clicked)).toContain('Snoozed');
    for (const t of ['2026-11-20T10:30:00+01:00', '2026-11-23T10:30:00+01:00', '2026-11-26T10:30:00+01:00']) await tick(w, t);
    expect(mine()).toHaveLength(2);
    await tick(w, '2026-11-26T10:40:00+01:00');
    expect(mine()).toHaveLength(3);
    // Nobody else hears about it.
    expect(impedimentReminders(w, 'UCOACH1')).toEqual([]);
    expect(impedimentReminders(w, 'USPONSOR')).toEqual([]);
    expect(impedimentReminders(w, 'UDEV1')).toEqual([]);
  });

  it('an impediment reminder says how many business days it has been idle (5, not 7 calendar days)', async () => {
    w = await world(at('2026-11-11T10:00:00+01:00')); // Wednesday
    w.h.emu.addUser({ id: 'UTEAMLEAD', tz: ZONE, tzOffset: 3600 });
    const e = await engagement(w, 'payments');
    const i = await raise(w, e.channel, 'Test environments are booked out for a month');
    const card = w.h.emu.messages(e.channel).find((m) => !m.thread_ts && m.text.startsWith(`IMP-${i.number} `));
    await click(w.h, { channel: e.channel, message: card! }, ACTION.impTakeOwnership, { user: 'UTEAMLEAD' });
    await tick(w, '2026-11-18T10:30:00+01:00'); // Wednesday a week later: 5 business days, 7 calendar days
    const reminders = impedimentReminders(w, 'UTEAMLEAD', `IMP-${i.number}`);
    expect(reminders).toHaveLength(1);
    expect(reminders[0].text).toContain('has had no activity for 5 business days');
  });

  it('when Slack cannot tell a coach’s zone (users.info fails, or an unknown zone), working hours are the workspace’s (Berlin)', async () => {
    w = await world(at('2026-11-09T08:00:00+01:00')); // Monday
    w.h.emu.fault({ method: 'users.info', error: 'user_not_found', times: Infinity, match: (args) => args.user === 'UNOZONE' });
    w.h.emu.addUser({ id: 'UODDZONE', tz: 'Mars/Olympus_Mons' });
    w.h.emu.addUser({ id: 'UUTC', tz: 'UTC' });
    const e = await engagement(w, 'payments', { coaches: ['UNOZONE', 'UODDZONE', 'UUTC'] });
    // 08:30 Berlin = 07:30Z: before working hours in Berlin and in UTC.
    await tick(w, '2026-11-16T08:30:00+01:00');
    // 09:30 Berlin = 08:30Z: working hours in Berlin, not yet in UTC.
    await tick(w, '2026-11-16T09:30:00+01:00');
    expect(checkinReminders(w, 'UNOZONE', e.key)).toHaveLength(1);
    expect(checkinReminders(w, 'UODDZONE', e.key)).toHaveLength(1);
    expect(checkinReminders(w, 'UUTC', e.key)).toEqual([]);
    await tick(w, '2026-11-16T10:30:00+01:00'); // 09:30Z
    expect(checkinReminders(w, 'UUTC', e.key)).toHaveLength(1);
    expect(checkinReminders(w, 'UNOZONE', e.key)).toHaveLength(1);
    expect(w.h.logs.filter((l) => l.includes('could not read a time zone')).length).toBeGreaterThanOrEqual(1);
  });

  it('failures are isolated per item: a corrupt engagement or impediment is logged, the others are reminded', async () => {
    w = await world(at('2026-11-09T10:00:00+01:00'));
    w.h.emu.addUser({ id: 'UCOACHA', tz: ZONE });
    w.h.emu.addUser({ id: 'UCOACHB', tz: ZONE });
    w.h.emu.addUser({ id: 'UTEAMLEAD', tz: ZONE });
    const broken = await engagement(w, 'broken', { coaches: ['UCOACHA'] }); // first in line
    const fine = await engagement(w, 'payments', { coaches: ['UCOACHB'] });
    const bad = await raise(w, broken.channel, 'Corrupt impediment');
    const good = await raise(w, fine.channel, 'Healthy impediment');
    for (const [i, channel] of [[bad, broken.channel], [good, fine.channel]] as const) {
      const card = w.h.emu.messages(channel).find((m) => !m.thread_ts && m.text.startsWith(`IMP-${i.number} `));
      await click(w.h, { channel, message: card! }, ACTION.impTakeOwnership, { user: 'UTEAMLEAD' });
    }
    w.h.app.db.prepare(`UPDATE engagements SET last_checkin_at = '0000-bad' WHERE id = ?`).run(broken.id);
    w.h.app.db.prepare(`UPDATE impediments SET updated_at = '0000-bad' WHERE id = ?`).run(bad.id);

    await tick(w, '2026-11-16T10:30:00+01:00'); // a week on: check-ins are owed, the impediments are 5 business days idle
    expect(checkinReminders(w, 'UCOACHB', fine.key)).toHaveLength(1);
    expect(checkinReminders(w, 'UCOACHA')).toEqual([]);
    expect(impedimentReminders(w, 'UTEAMLEAD', `IMP-${good.number}`)).toHaveLength(1);
    expect(impedimentReminders(w, 'UTEAMLEAD', `IMP-${bad.number}`)).toEqual([]);
    const failures = errorLogs(w, 'a reminder failed; the others go on').map((l) => JSON.parse(l) as { what: string });
    expect(failures.map((f) => f.what).sort()).toEqual([`check-in reminder for engagement ${broken.id}`, `impediment reminder for ${bad.id}`]);
    expect(errorLogs(w, 'scheduled job failed')).toEqual([]);
  });

  it('more idle impediments than one run reads: an item past the first 500 is still reminded once they are all snoozed or done for the day', async () => {
    w = await world(at('2026-11-09T10:00:00+01:00'));
    w.h.emu.addUser({ id: 'UTEAMLEAD', tz: ZONE });
    const e = await engagement(w, 'payments');
    const i = await raise(w, e.channel, 'The newest idle impediment');
    const card = w.h.emu.messages(e.channel).find((m) => !m.thread_ts && m.text.startsWith(`IMP-${i.number} `));
    await click(w.h, { channel: e.channel, message: card! }, ACTION.impTakeOwnership, { user: 'UTEAMLEAD' });
    // 500 older owned impediments, each already snoozed by its owner (as if they had pressed the button).
    const db = w.h.app.db;
    db.transaction(() => {
      const ins = db.prepare(
        `INSERT INTO impediments (team_id, number, engagement_id, description, severity, owner_id, state, level, source, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'low', 'UOLDOWNER', 'acknowledged', 1, 'command', ?, ?)`,
      );
      const snooze = db.prepare(`INSERT INTO reminders (team_id, kind, item_id, user_id, snoozed_until) VALUES (?, 'impediment', ?, 'UOLDOWNER', '2027-06-01T00:00:00.000Z')`);
      for (let n = 0; n < 500; n++) {
        const t = new Date(Date.UTC(2026, 9, 1, 0, n)).toISOString();
        const id = Number(ins.run(TEAM, 10_000 + n, e.id, `Old impediment ${n}`, t, t).lastInsertRowid);
        snooze.run(TEAM, id);
      }
    })();
    await tick(w, '2026-11-18T10:30:00+01:00'); // 5 business days after it was taken on
    expect(impedimentReminders(w, 'UOLDOWNER')).toEqual([]);
    expect(impedimentReminders(w, 'UTEAMLEAD', `IMP-${i.number}`)).toHaveLength(1);
  });

  it('more stale engagements than one run reads: a coach past the first 500 is still reminded once the others are snoozed', async () => {
    w = await world(at('2026-11-09T10:00:00+01:00'));
    const db = w.h.app.db;
    // 500 older active engagements without a check-in, whose coach snoozed each reminder.
    db.transaction(() => {
      const ins = db.prepare(
        `INSERT INTO engagements (team_id, key, name, level, origin, sponsor_id, start_date, review_date, created_by, created_at, updated_at)
         VALUES (?, ?, ?, 'team', 'push', 'USPONSOR', '2026-09-01', '2027-01-01', 'USPONSOR', '2026-09-01T08:00:00.000Z', '2026-09-01T08:00:00.000Z')`,
      );
      const coach = db.prepare(`INSERT INTO engagement_coaches (team_id, engagement_id, position, user_id) VALUES (?, ?, 0, 'UBUSYCOACH')`);
      const snooze = db.prepare(`INSERT INTO reminders (team_id, kind, item_id, user_id, snoozed_until) VALUES (?, 'checkin', ?, 'UBUSYCOACH', '2027-06-01T00:00:00.000Z')`);
      for (let n = 0; n < 500; n++) {
        const id = Number(ins.run(TEAM, `old-${n}`, `Old ${n}`).lastInsertRowid);
        coach.run(TEAM, id);
        snooze.run(TEAM, id);
      }
    })();
    const e = await engagement(w, 'payments', { coaches: ['UCOACH1'] });
    // The reminder job's own call (the digest job would reorder the engagements table's index).
    const sent = await w.h.app.status.runReminders(async () => ZONE, (what, err) => {
      throw new Error(`${what}: ${String(err)}`);
    });
    expect(sent).toBe(0); // 7 days have not passed yet
    w.clock.set(at('2026-11-16T10:30:00+01:00'));
    await w.h.app.status.runReminders(async () => ZONE, () => undefined);
    await w.h.settle();
    expect(checkinReminders(w, 'UBUSYCOACH')).toEqual([]);
    expect(checkinReminders(w, 'UCOACH1', e.key)).toHaveLength(1);
  });
});
