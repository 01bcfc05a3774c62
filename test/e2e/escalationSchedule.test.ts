/**
 * Auto-escalation on a schedule, driven with an injected clock in Europe/Berlin: business days
 * across a weekend and both DST changes, acknowledged ones left alone, the top level never
 * exceeded, auto-escalation off per engagement, overlapping sweeps, catch-up after downtime,
 * per-item failure isolation, and the node-cron wiring itself.
 */
import { createLogger } from '../../src/lib/logger';
import { Scheduler, type Job } from '../../src/jobs/scheduler';
import { ACTION, BLOCK } from '../../src/slack/ids';
import type { Impediment } from '../../src/domain/impedimentTypes';
import { waitFor, type HarnessOptions } from '../support/harness';
import { world as clockedWorld, type World } from '../support/clockedWorld';
import { blockActions } from '../../src/sandbox/payloads';
import { kickOff, textOf } from '../support/anonHelpers';
import type { KickoffForm } from '../support/kickoffForm';

const ZONE = 'Europe/Berlin';
const at = (iso: string) => new Date(iso);
const MINUTE = 60_000;

/** Team (the coach, 2 business days) → Program (two contacts, 3 days) → Executive (the sponsor, 5 days). */
const LINE: KickoffForm['escalation'] = [
  { name: 'Team', contacts: [], response: '2' },
  { name: 'Program', contacts: ['UPROGRAM', 'UPROGRAM2'], response: '3' },
  { name: 'Executive', contacts: [], response: '5' },
];

const world = (start: Date, opts: HarnessOptions = {}): Promise<World> => clockedWorld(start, ZONE, opts);

/** Kicks off an engagement with its own engagement channel; returns its id, key and channel. */
async function engagement(w: World, key: string, form: Partial<KickoffForm> = {}): Promise<{ id: number; key: string; channel: string }> {
  const e = await kickOff(w.h, { key, name: key, channels: [w.general], createChannel: true, channelName: `coaching-${key}`, escalation: LINE, ...form }, { channel: w.general });
  if (!e.engagementChannelId) throw new Error('no engagement channel');
  return { id: e.id, key: e.key, channel: e.engagementChannelId };
}

/** Quick capture in the engagement channel, at the clock's current instant. */
async function raise(w: World, channel: string, description: string, user = 'UDEV1'): Promise<Impediment> {
  const res = await w.h.command({ command: '/impediment', text: description, user_id: user, channel_id: channel });
  expect(res.status).toBe(200);
  expect(res.body).toContain('is raised');
  await w.h.settle();
  const row = w.h.app.db.prepare('SELECT id FROM impediments WHERE description = ?').get(description) as { id: number } | undefined;
  if (!row) throw new Error(`not raised: ${res.body}`);
  return await imp(w, row.id);
}

const imp = async (w: World, id: number): Promise<Impediment> => await w.h.app.stores.impediments.get(id) as Impediment;

async function sweep(w: World): Promise<void> {
  await w.h.app.scheduler.runAll();
  await w.h.settle();
}

/**
 * Restarts on the same database and waits until the new Bolt app's auth.test (sent from its
 * constructor, never awaited by anyone) is answered: closing the emulator under it would end
 * in an unhandled rejection.
 */
async function restart(w: World): Promise<void> {
  const answered = () => w.h.emu.callsTo('auth.test').filter((c) => c.status === 200).length;
  const before = answered();
  await w.h.restart();
  await waitFor(() => answered() > before, 'auth.test of the restarted app');
  await w.h.settle();
}

const escalations = async (w: World, id: number) => (await w.h.app.stores.events.forImpediment(id)).filter((e) => e.type === 'impediment_escalated');
const autoDms = (w: World, user: string, ref: string) =>
  w.h.emu.messages(user).filter((m) => m.text.includes(ref) && textOf(m).includes('automatically'));
const cardOf = (w: World, channel: string, i: Impediment) =>
  w.h.emu.messages(channel).find((m) => !m.thread_ts && m.text.startsWith(`IMP-${i.number} `));
const threadOf = async (w: World, channel: string, i: Impediment) => {
  const card = await cardOf(w, channel, i);
  return card ? w.h.emu.messages(channel).filter((m) => m.thread_ts === card.ts) : [];
};

describe('auto-escalation on a schedule (Europe/Berlin, injected clock)', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.h.close();
    w = undefined;
  });

  it('across a weekend: raised Friday 15:00 with 2 business days → due Tuesday 15:00; escalated once, after that and not before', async () => {
    w = await world(at('2026-11-06T15:00:00+01:00')); // Friday
    const e = await engagement(w, 'payments');
    const i = await raise(w, e.channel, 'Every firewall change waits two weeks');
    expect(i.dueAt?.toISOString()).toBe('2026-11-10T14:00:00.000Z'); // Tuesday 15:00 CET
    // Stored in UTC, as the sweep compares it.
    expect(w.h.app.db.prepare('SELECT due_at FROM impediments WHERE id = ?').get(i.id)).toEqual({ due_at: '2026-11-10T14:00:00.000Z' });

    for (const notYet of ['2026-11-07T12:00:00+01:00', '2026-11-09T18:00:00+01:00', '2026-11-10T14:59:00+01:00']) {
      w.clock.set(at(notYet));
      await sweep(w);
      expect(await imp(w, i.id)).toMatchObject({ level: 1, state: 'open' });
      expect(await escalations(w, i.id)).toEqual([]);
    }

    w.clock.set(at('2026-11-10T15:01:00+01:00'));
    await sweep(w);
    const after = await imp(w, i.id);
    expect(after).toMatchObject({ level: 2, state: 'open', waitingOnExecutives: false });
    // The Program level's clock: 3 business days from Tuesday 15:01 → Friday 15:01.
    expect(after.dueAt?.toISOString()).toBe('2026-11-13T14:01:00.000Z');
    const ev = await escalations(w, i.id);
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ actorId: null, data: { from: 1, to: 2, automatic: true, reason: 'no response within 2 business days' } });

    // One DM per Program contact, with the reason; nobody else hears about it.
    for (const contact of ['UPROGRAM', 'UPROGRAM2']) {
      const dms = autoDms(w, contact, `IMP-${i.number}`);
      expect(dms).toHaveLength(1);
      expect(textOf(dms[0])).toContain('no response within 2 business days');
    }
    expect(autoDms(w, 'USPONSOR', `IMP-${i.number}`)).toEqual([]);
    expect(autoDms(w, 'UCOACH1', `IMP-${i.number}`)).toEqual([]);
    // One line in the card's thread; the card itself now shows level 2.
    const lines = await threadOf(w, e.channel, i);
    expect(lines).toHaveLength(1);
    expect(lines[0].text).toMatch(/Escalated automatically from \*?Team\*? to \*?Program\*?: no response within 2 business days/);
    expect(textOf(await cardOf(w, e.channel, i)!)).toContain('2 · Program');
    // The level-1 clock ended; the level-2 clock is marked automatic.
    expect(w.h.app.db.prepare('SELECT level, ended_at IS NOT NULL AS ended, automatic FROM escalation_clocks WHERE impediment_id = ? ORDER BY level').all(i.id)).toEqual([
      { level: 1, ended: 1, automatic: 0 },
      { level: 2, ended: 0, automatic: 1 },
    ]);

    // More ticks in the same minute, and later ones before the new due time: nothing more.
    await sweep(w);
    w.clock.set(at('2026-11-13T15:00:00+01:00'));
    await sweep(w);
    expect((await imp(w, i.id)).level).toBe(2);
    expect(await escalations(w, i.id)).toHaveLength(1);
    expect(await threadOf(w, e.channel, i)).toHaveLength(1);
    expect(autoDms(w, 'UPROGRAM', `IMP-${i.number}`)).toHaveLength(1);
  });

  it('across the autumn DST change (2026-10-25): Friday 15:00 CEST + 2 business days = Tuesday 15:00 CET, an hour later in UTC', async () => {
    w = await world(at('2026-10-23T15:00:00+02:00'));
    const e = await engagement(w, 'payments');
    const hours = await engagement(w, 'hours-line', { escalation: [{ name: 'Team', contacts: [], response: '4h' }, LINE[1], LINE[2]] });
    const days = await raise(w, e.channel, 'Autumn: days');
    const byHours = await raise(w, hours.channel, 'Autumn: hours');
    expect(days.dueAt?.toISOString()).toBe('2026-10-27T14:00:00.000Z');
    // 4 business hours: 15:00–17:00 Friday, then 09:00–11:00 Monday (CET).
    expect(byHours.dueAt?.toISOString()).toBe('2026-10-26T10:00:00.000Z');

    w.clock.set(at('2026-10-26T10:59:00+01:00'));
    await sweep(w);
    expect((await imp(w, byHours.id)).level).toBe(1);
    w.clock.set(at('2026-10-26T11:00:30+01:00'));
    await sweep(w);
    expect((await imp(w, byHours.id)).level).toBe(2);
    expect((await escalations(w, byHours.id))[0].data.reason).toBe('no response within 4 business hours');

    // 13:30Z is past "Friday 13:00Z + 4 × 24 h" but still 14:30 local: not due.
    w.clock.set(at('2026-10-27T13:30:00Z'));
    await sweep(w);
    expect((await imp(w, days.id)).level).toBe(1);
    w.clock.set(at('2026-10-27T14:00:30Z'));
    await sweep(w);
    expect((await imp(w, days.id)).level).toBe(2);
    expect(await escalations(w, days.id)).toHaveLength(1);
    expect(await escalations(w, byHours.id)).toHaveLength(1);
  });

  it('across the spring DST change (2027-03-28): Friday 15:00 CET + 2 business days = Tuesday 15:00 CEST, an hour earlier in UTC', async () => {
    w = await world(at('2027-03-26T15:00:00+01:00'));
    const e = await engagement(w, 'payments', { startDate: '2027-03-01', reviewDate: '2027-06-01' });
    const i = await raise(w, e.channel, 'Spring: days');
    expect(i.dueAt?.toISOString()).toBe('2027-03-30T13:00:00.000Z');
    w.clock.set(at('2027-03-30T14:59:00+02:00'));
    await sweep(w);
    expect((await imp(w, i.id)).level).toBe(1);
    w.clock.set(at('2027-03-30T15:00:30+02:00'));
    await sweep(w);
    expect((await imp(w, i.id)).level).toBe(2);
    expect(await escalations(w, i.id)).toHaveLength(1);
  });

  it('never auto-escalates an acknowledged impediment', async () => {
    w = await world(at('2026-11-09T10:00:00+01:00'));
    const e = await engagement(w, 'payments');
    const acked = await raise(w, e.channel, 'Acknowledged in time');
    const open = await raise(w, e.channel, 'Nobody answers');
    const card = await cardOf(w, e.channel, acked)!;
    const res = await w.h.interact(
      blockActions({ actions: [{ action_id: ACTION.impAcknowledge, block_id: BLOCK.impActions, value: String(acked.id) }], user: 'UCOACH1', channel: { id: e.channel }, message: { ts: card.ts } }),
    );
    expect(res.status).toBe(200);
    await waitFor(async () => (await imp(w!, acked.id)).state === 'acknowledged', 'acknowledged');
    await w.h.settle();
    w.clock.set(at('2026-12-14T10:00:00+01:00')); // five weeks on
    await sweep(w);
    await sweep(w);
    expect(await imp(w, acked.id)).toMatchObject({ state: 'acknowledged', level: 1, dueAt: null });
    expect(await escalations(w, acked.id)).toEqual([]);
    expect((await imp(w, open.id)).level).toBe(2); // the sweep did run
  });

  it('climbs one level per breach and never beyond the top: at the Executive level it waits', async () => {
    w = await world(at('2026-11-09T10:00:00+01:00')); // Monday
    const e = await engagement(w, 'payments');
    const i = await raise(w, e.channel, 'Needs a budget decision');
    w.clock.set(at('2026-11-11T10:01:00+01:00')); // Wednesday, past 2 business days
    await sweep(w);
    expect((await imp(w, i.id)).level).toBe(2);
    expect((await imp(w, i.id)).dueAt?.toISOString()).toBe('2026-11-16T09:01:00.000Z'); // Monday 10:01 CET
    w.clock.set(at('2026-11-16T10:02:00+01:00'));
    await sweep(w);
    const top = await imp(w, i.id);
    expect(top).toMatchObject({ level: 3, waitingOnExecutives: true, state: 'open' });
    const sponsorDms = autoDms(w, 'USPONSOR', `IMP-${i.number}`);
    expect(sponsorDms).toHaveLength(1);
    expect(textOf(sponsorDms[0])).toContain('no response within 3 business days');
    expect(textOf(await cardOf(w, e.channel, i)!)).toContain('Waiting on executives');

    for (const later of ['2026-11-24T10:00:00+01:00', '2027-01-18T10:00:00+01:00']) {
      w.clock.set(at(later));
      await sweep(w);
    }
    expect((await imp(w, i.id)).level).toBe(3);
    expect((await escalations(w, i.id)).map((x) => x.data.to)).toEqual([2, 3]);
    expect(autoDms(w, 'USPONSOR', `IMP-${i.number}`)).toHaveLength(1);
    expect(await w.h.app.stores.impediments.dueForEscalation(w.clock.now(), 10)).toEqual([]);
    expect(w.h.logs.filter((l) => l.includes('auto-escalation failed'))).toEqual([]);
  });

  it('auto-escalation KEY off: nothing climbs by itself; refused to others; on again → one level, from then on', async () => {
    w = await world(at('2026-11-09T10:00:00+01:00'));
    const e = await engagement(w, 'payments');
    const other = await engagement(w, 'platform');
    const off = await w.h.command({ command: '/impediment', text: `auto-escalation ${e.key} off`, user_id: 'USPONSOR', channel_id: e.channel });
    expect(off.body).toMatch(/Automatic escalation is \*off\* for `payments`/);
    expect((await w.h.app.stores.engagements.get(e.id))!.autoEscalate).toBe(false);

    const stranger = await w.h.command({ command: '/impediment', text: `auto-escalation ${e.key} on`, user_id: 'USTRANGER', channel_id: e.channel });
    expect(stranger.body).toContain('<@USPONSOR>');
    expect((await w.h.app.stores.engagements.get(e.id))!.autoEscalate).toBe(false);

    const quiet = await raise(w, e.channel, 'On an engagement without auto-escalation');
    const loud = await raise(w, other.channel, 'On an engagement with auto-escalation');
    w.clock.set(at('2026-11-30T10:00:00+01:00')); // three weeks on
    await sweep(w);
    expect((await imp(w, quiet.id)).level).toBe(1);
    expect(await escalations(w, quiet.id)).toEqual([]);
    expect((await imp(w, loud.id)).level).toBe(2); // the other engagement is not affected

    const on = await w.h.command({ command: '/impediment', text: `auto-escalation ${e.key} on`, user_id: 'UCOACH1', channel_id: e.channel });
    expect(on.body).toMatch(/\*on\*/);
    await sweep(w);
    await sweep(w);
    expect((await imp(w, quiet.id)).level).toBe(2);
    expect(await escalations(w, quiet.id)).toHaveLength(1);
  });

  it('two sweeps at once escalate each due impediment once', async () => {
    w = await world(at('2026-11-09T10:00:00+01:00'));
    const e = await engagement(w, 'payments');
    const items = [];
    for (const d of ['Overlap one', 'Overlap two', 'Overlap three']) items.push(await raise(w, e.channel, d));
    w.clock.set(at('2026-11-11T10:30:00+01:00'));
    await Promise.all([w.h.app.scheduler.runAll(), w.h.app.scheduler.runAll()]);
    await w.h.settle();
    for (const i of items) {
      expect((await imp(w, i.id)).level).toBe(2);
      expect(await escalations(w, i.id)).toHaveLength(1);
      expect(autoDms(w, 'UPROGRAM', `IMP-${i.number}`)).toHaveLength(1);
      expect(await threadOf(w, e.channel, i)).toHaveLength(1);
    }
  });

  it('a sweep whose due list went stale while another tick escalated the same impediment does not escalate it again', async () => {
    w = await world(at('2026-11-09T10:00:00+01:00'));
    const e = await engagement(w, 'payments');
    const i = await raise(w, e.channel, 'Two ticks overlap on this one');
    w.clock.set(at('2026-11-11T10:30:00+01:00'));
    // Tick A reads what is due; before it acts, tick B (another process on the same database,
    // or the next cron tick) runs completely. Then tick A acts on what it read.
    const store = w.h.app.stores.impediments;
    const original = store.dueForEscalation.bind(store);
    let interleaved = false;
    const spy = jest.spyOn(store, 'dueForEscalation').mockImplementation(async (now, limit) => {
      const due = await original(now, limit);
      if (!interleaved) {
        interleaved = true;
        await w!.h.app.impediments.sweep(() => undefined); // tick B
      }
      return due;
    });
    await w.h.app.scheduler.runAll(); // tick A
    spy.mockRestore();
    await w.h.settle();
    expect(interleaved).toBe(true);
    expect((await escalations(w, i.id)).map((x) => [x.data.from, x.data.to])).toEqual([[1, 2]]);
    expect((await imp(w, i.id)).level).toBe(2);
    expect(autoDms(w, 'USPONSOR', `IMP-${i.number}`)).toEqual([]);
  });

  it('after downtime that spans two due times, catches up once at start: one level, not two', async () => {
    // The scheduler runs for real here: start() catches up, node-cron ticks afterwards.
    w = await world(at('2026-11-09T10:00:00+01:00'), { scheduler: true });
    const e = await engagement(w, 'payments');
    const i = await raise(w, e.channel, 'Raised just before the outage');
    await w.h.app.stop();
    // Three weeks of downtime: past level 1's due time and past what level 2's would have been.
    w.clock.set(at('2026-11-30T09:30:00+01:00'));
    await restart(w);
    // The catch-up runs once the receiver listens (not before): wait for it, then let its DMs go out.
    await waitFor(async () => (await imp(w!, i.id)).level > 1, 'the catch-up escalation', 20_000);
    await w.h.settle();
    const after = await imp(w, i.id);
    expect(after.level).toBe(2);
    expect(await escalations(w, i.id)).toHaveLength(1);
    // The Program level's clock starts at the catch-up, not at the missed due time.
    expect(after.dueAt?.toISOString()).toBe('2026-12-03T08:30:00.000Z');
    expect(autoDms(w, 'UPROGRAM', `IMP-${i.number}`)).toHaveLength(1);
    expect(autoDms(w, 'USPONSOR', `IMP-${i.number}`)).toEqual([]);

    // Another restart at the same moment: the breach is not fired again.
    await restart(w);
    expect(await escalations(w, i.id)).toHaveLength(1);
    expect(autoDms(w, 'UPROGRAM', `IMP-${i.number}`)).toHaveLength(1);
  });

  it('one impediment failing to escalate does not stop the others, and leaves it untouched', async () => {
    w = await world(at('2026-11-09T10:00:00+01:00'));
    const broken = await engagement(w, 'broken-line');
    const fine = await engagement(w, 'payments');
    const bad = await raise(w, broken.channel, 'On the broken line'); // due first, swept first
    w.clock.advance(5 * MINUTE);
    const good = await raise(w, fine.channel, 'On a healthy line');
    // Corrupt the broken engagement's Program level so that computing its due time throws.
    w.h.app.db.pragma('ignore_check_constraints = ON');
    w.h.app.db.prepare('UPDATE escalation_levels SET response_time = -1 WHERE engagement_id = ? AND level = 2').run(broken.id);
    w.h.app.db.pragma('ignore_check_constraints = OFF');
    const outboxBefore = (w.h.app.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE engagement_id = ?').get(broken.id) as { n: number }).n;

    w.clock.set(at('2026-11-11T11:00:00+01:00'));
    await sweep(w);
    expect((await imp(w, good.id)).level).toBe(2);
    expect(await escalations(w, good.id)).toHaveLength(1);
    expect(autoDms(w, 'UPROGRAM', `IMP-${good.number}`)).toHaveLength(1);

    expect(await imp(w, bad.id)).toMatchObject({ level: 1, state: 'open' });
    expect(await escalations(w, bad.id)).toEqual([]);
    expect(w.h.app.db.prepare('SELECT level, ended_at FROM escalation_clocks WHERE impediment_id = ?').all(bad.id)).toEqual([{ level: 1, ended_at: null }]);
    expect((w.h.app.db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE engagement_id = ?').get(broken.id) as { n: number }).n).toBe(outboxBefore);
    const failures = w.h.logs.filter((l) => l.includes('auto-escalation failed for one impediment'));
    expect(failures).toHaveLength(1);
    expect(JSON.parse(failures[0])).toMatchObject({ level: 'error', impedimentId: bad.id });
    // The scheduler itself did not fail.
    expect(w.h.logs.filter((l) => l.includes('scheduled job failed'))).toEqual([]);
  });
});

describe('Scheduler wiring (node-cron)', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('runs every job once at start, then on each tick; a failing job is logged and the others go on; stop() stops the ticks', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', sink: (l) => lines.push(l) });
    let runs = 0;
    let failing = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const counting: Job = { name: 'counting', run: () => void runs++ };
    const broken: Job = {
      name: 'broken',
      run() {
        failing++;
        throw new Error('boom');
      },
    };
    const slow: Job = {
      name: 'slow',
      async run() {
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await sleep(1300); // longer than a tick: overlapping ticks are skipped
        concurrent--;
      },
    };
    const scheduler = new Scheduler([counting, broken, slow], logger, '* * * * * *');
    const started = Date.now();
    await scheduler.start();
    expect(runs).toBe(1); // the catch-up run, before any tick
    expect(failing).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1200); // start() waited for the slow job
    await sleep(2600);
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(failing).toBe(runs);
    expect(maxConcurrent).toBe(1);
    const failed = lines.filter((l) => l.includes('scheduled job failed'));
    expect(failed.length).toBe(failing);
    expect(JSON.parse(failed[0])).toMatchObject({ level: 'error', job: 'broken', error: { message: 'boom' } });

    await scheduler.stop();
    expect(concurrent).toBe(0); // stop() waited for the run in flight
    const frozen = runs;
    await sleep(1500);
    expect(runs).toBe(frozen);
  });
});
