/**
 * Team pulses through the real app, on an injected clock (Europe/Berlin) with scheduled work
 * driven by the test: the baseline pulse a week after kickoff goes to each person in the
 * engagement channel once (bots excluded); the DM's button opens the modal; answers are stored
 * without the person and with the day only; a second answer, a replay and someone not asked are
 * refused; one reminder in working hours to those who have not answered; the pulse closes after
 * five business days and forgets who answered; results (and comments) only from the threshold;
 * `/kickoff pulse KEY` (who may, one open at a time); a fall in safety turns health amber.
 */
import { ACTION, BLOCK, CALLBACK, PULSE_BLOCKS } from '../../src/slack/ids';
import type { EmulatedMessage } from '../../src/sandbox/emulator';
import { plainText, radio, viewSubmission } from '../../src/sandbox/payloads';
import { everyRow, hits, kickOff } from '../support/anonHelpers';
import { world as clockedWorld, type World } from '../support/clockedWorld';
import { waitFor } from '../support/harness';
import { click } from '../support/impedimentFlow';
import { filesOf } from '../support/statusFlow';

const ZONE = 'Europe/Berlin';
const at = (iso: string) => new Date(iso);
const TEAM_MEMBERS = ['UDEV1', 'UDEV2', 'UDEV3', 'UDEV4', 'UDEV5', 'UDEV6'];

async function tick(w: World, iso: string): Promise<void> {
  w.clock.set(at(iso));
  await w.h.app.scheduler.runAll();
  await waitFor(() => w.h.app.built.inFlight() === 0, 'listeners to finish');
  await w.h.settle();
}

const pulseDms = (w: World, user: string): EmulatedMessage[] =>
  w.h.emu.messages(user).filter((m) => JSON.stringify(m.blocks ?? []).includes(ACTION.pulseOpen));
const invitations = (w: World, user: string) => pulseDms(w, user).filter((m) => m.text.startsWith('Team pulse for'));
const reminders = (w: World, user: string) => pulseDms(w, user).filter((m) => m.text.startsWith('A reminder: the team pulse'));

/** Clicks "Answer the pulse" in the person's newest pulse DM; the modal it opened, or the answer it got. */
async function openPulse(w: World, user: string) {
  const dm = pulseDms(w, user).at(-1);
  if (!dm) throw new Error(`no pulse DM for ${user}`);
  return await click(w.h, { channel: w.h.emu.dmChannelFor(user), message: dm }, ACTION.pulseOpen, { user });
}

const answerState = (scores: number[], comment = '') => ({
  ...Object.fromEntries(PULSE_BLOCKS.map((b, i) => [b, { [ACTION.value]: radio(String(scores[i])) }])),
  [BLOCK.pulseComment]: { [ACTION.value]: plainText(comment) },
});

async function submit(w: World, user: string, view: { id: string; callback_id?: string; private_metadata?: string }, scores: number[], comment = '') {
  return await w.h.interact(
    viewSubmission({ user: { id: user }, view: { id: view.id, callback_id: view.callback_id ?? CALLBACK.pulse, private_metadata: view.private_metadata ?? '', state_values: answerState(scores, comment) } }),
  );
}

/** Opens the modal from the DM and answers; returns the submission's answer body. */
async function answer(w: World, user: string, scores: number[], comment = ''): Promise<string> {
  const opened = await openPulse(w, user);
  if (!opened.view) throw new Error(`no modal for ${user}: ${JSON.stringify(opened.responses)}`);
  expect(opened.view.callback_id).toBe(CALLBACK.pulse);
  const res = await submit(w, user, opened.view, scores, comment);
  expect(res.status).toBe(200);
  return res.body;
}

async function setUp(): Promise<{ w: World; channel: string; key: string; id: number }> {
  // Monday 2 November 2026, 09:00 in Berlin. Debug logging, so the scan below sees every log line.
  const w = await clockedWorld(at('2026-11-02T08:00:00Z'), ZONE, { env: { LOG_LEVEL: 'debug' } });
  const e = await kickOff(w.h, { key: 'payments', name: 'Payments', channels: [w.general], createChannel: true, channelName: 'coaching-payments' }, { channel: w.general });
  const channel = e.engagementChannelId as string;
  const ch = w.h.emu.channel(channel);
  if (!ch) throw new Error('no engagement channel');
  for (const u of TEAM_MEMBERS) ch.members.add(u);
  w.h.emu.addUser({ id: 'UROBOT', name: 'deploybot' }).isBot = true;
  ch.members.add('UROBOT');
  return { w, channel, key: e.key, id: e.id };
}

describe('team pulse', () => {
  jest.setTimeout(120_000);

  it('asks the channel once a week after kickoff, stores answers without the person, reminds once, closes and shows results only from 5 answers', async () => {
    const { w, key, id, channel } = await setUp();
    try {
      const people = [...TEAM_MEMBERS, 'USPONSOR', 'UCOACH1'];
      await tick(w, '2026-11-08T08:00:00Z');
      expect(people.flatMap((u) => invitations(w, u))).toHaveLength(0);

      // A week after kickoff: one DM to each person in the channel; none to the bots.
      await tick(w, '2026-11-09T08:00:00Z');
      for (const u of people) expect(invitations(w, u)).toHaveLength(1);
      expect(invitations(w, 'UROBOT')).toHaveLength(0);
      await tick(w, '2026-11-09T08:30:00Z');
      for (const u of people) expect(invitations(w, u)).toHaveLength(1);

      // Answers: stored with the day only and no person; the second is refused; a replay changes nothing.
      w.clock.set(at('2026-11-10T10:17:23Z'));
      for (const [i, u] of ['UDEV1', 'UDEV2', 'UDEV3', 'UDEV4'].entries()) {
        expect(await answer(w, u, [4, 4, 5, 4, 3], i === 0 ? 'More pairing <please> & soon' : '')).toBe('');
      }
      const again = await openPulse(w, 'UDEV1');
      expect(again.view).toBeNull();
      expect(again.responses.map((r) => r.text).join(' ')).toContain('already answered');
      const rows = await w.h.rows('SELECT * FROM pulse_answers');
      expect(rows).toHaveLength(4);
      const stored = JSON.stringify(rows);
      for (const u of people) expect(stored).not.toContain(u);
      expect(rows.map((r) => r.day)).toEqual(['2026-11-10', '2026-11-10', '2026-11-10', '2026-11-10']);
      expect(stored).not.toMatch(/T\d\d:\d\d/);

      // Someone who was not asked gets a refusal that says who can send a new pulse.
      w.h.emu.addUser({ id: 'ULATE' });
      const dm = invitations(w, 'UDEV5')[0]!;
      const stranger = await click(w.h, { channel: w.h.emu.dmChannelFor('UDEV5'), message: dm }, ACTION.pulseOpen, { user: 'ULATE' });
      expect(stranger.view).toBeNull();
      expect(stranger.responses.map((r) => r.text).join(' ')).toContain('/kickoff pulse payments');

      // A form opened, then submitted twice with the same view (Slack retrying): one answer.
      const opened = await openPulse(w, 'UDEV5');
      expect(opened.view).not.toBeNull();
      await submit(w, 'UDEV5', opened.view!, [3, 3, 2, 3, 3]);
      await submit(w, 'UDEV5', opened.view!, [3, 3, 2, 3, 3]);
      expect(await w.h.count('pulse_answers')).toBe(5);

      // Thursday: one reminder, in working hours, to those who have not answered.
      await tick(w, '2026-11-12T06:00:00Z');
      expect(people.flatMap((u) => reminders(w, u))).toHaveLength(0);
      await tick(w, '2026-11-12T10:00:00Z');
      for (const u of ['UDEV6', 'USPONSOR', 'UCOACH1']) expect(reminders(w, u)).toHaveLength(1);
      for (const u of ['UDEV1', 'UDEV2', 'UDEV3', 'UDEV4', 'UDEV5']) expect(reminders(w, u)).toHaveLength(0);
      await tick(w, '2026-11-12T11:00:00Z');
      expect(people.flatMap((u) => reminders(w, u))).toHaveLength(3);

      expect(JSON.stringify(await w.h.rows("SELECT payload FROM outbox WHERE kind = 'dm'"))).toContain('pulseId');
      // Monday: it closes, forgets who answered, and the results (5 answers) go to the sponsor, the coach and the channel.
      await tick(w, '2026-11-16T08:00:00Z');
      expect(await w.h.count('pulse_recipients')).toBe(0);
      expect(await w.h.count('pulse_answered')).toBe(0);
      // The delivered invitations and reminders (who was asked, who had not answered) are forgotten too.
      expect(JSON.stringify(await w.h.rows("SELECT payload FROM outbox WHERE kind = 'dm'"))).not.toContain('pulseId');
      const closed = await w.h.rows("SELECT status, answered, asked FROM pulses WHERE engagement_id = ?", id);
      expect(closed).toEqual([{ status: 'closed', answered: 5, asked: 8 }]);
      const results = w.h.emu.messages('USPONSOR').filter((m) => m.text.startsWith('Team pulse for Payments (payments) closed'));
      expect(results).toHaveLength(1);
      const shown = JSON.stringify(results[0]!.blocks);
      expect(shown).toContain('5 of 8 answered');
      expect(shown).toContain('*Safety* 5 of 5');
      expect(shown).toContain('More pairing &lt;please&gt; &amp; soon');
      expect(w.h.emu.messages(channel).filter((m) => m.text.startsWith('Team pulse for Payments (payments) closed'))).toHaveLength(1);

      // Nothing left names who answered: every column of every table, and every log line (debug).
      const answerers = ['UDEV1', 'UDEV2', 'UDEV3', 'UDEV4', 'UDEV5'];
      const everything = everyRow(w.h.app.db).map((r) => `${r.table} ${r.row}`).join('\n');
      for (const u of answerers) expect([u, hits(everything, u)]).toEqual([u, []]);
      expect(hits(everything, 'USPONSOR').length).toBeGreaterThan(0); // the scan finds ids that are there
      // Every message and view coachline sent anywhere but an answerer's own DM names none of them.
      for (const u of answerers) {
        const own = w.h.emu.dmChannelFor(u);
        const elsewhere = w.h.emu.calls
          .filter((c) => ['chat.postMessage', 'chat.update', 'views.publish'].includes(c.method) && c.args.channel !== u && c.args.channel !== own && c.args.user_id !== u)
          .map((c) => JSON.stringify(c.args))
          .join('\n');
        expect([u, hits(elsewhere, u)]).toEqual([u, []]);
      }
      const logs = w.h.logs.join('\n');
      expect(logs).toContain('debug');
      for (const u of answerers) expect([u, hits(logs, u)]).toEqual([u, []]);

      // Late answers are refused once it closed.
      const late = await openPulse(w, 'UDEV6');
      expect(late.responses.map((r) => r.text).join(' ')).toContain('closed');

      // The coach's Home shows it; the next digest reports it; the export keeps aggregates only.
      const home = await w.h.app.status.homeData('T0001', 'UCOACH1');
      expect(home.engagements.map((x) => x.pulse?.latest?.results.shown)).toEqual([true]);
      await tick(w, '2026-11-23T08:00:00Z');
      const digests = w.h.emu.messages('USPONSOR').filter((m) => m.text.startsWith('Weekly digest'));
      expect(JSON.stringify(digests.at(-1)!.blocks)).toContain('Team pulse');
      const before = w.h.emu.files.size;
      await w.h.command({ command: '/status', text: `export ${key}`, user_id: 'USPONSOR', channel_id: w.general });
      const exportJson = () => filesOf(w.h).slice(before).find((f) => f.filename.endsWith('.json') && f.content)?.content ?? null;
      await waitFor(() => exportJson() !== null, 'the export JSON');
      const json = exportJson() as string;
      const parsed = JSON.parse(json) as unknown;
      const one = (Array.isArray(parsed) ? parsed[0] : (parsed as { engagements?: unknown[] }).engagements?.[0] ?? parsed) as { pulses: unknown[] };
      expect(one.pulses).toEqual([expect.objectContaining({ shown: true, responses: 5, safety: 5, openedOn: '2026-11-09' })]);
      expect(json).not.toContain('More pairing');

      // /status shows the results; the computed health says nothing about the pulse yet (no earlier one).
      const status = await w.h.command({ command: '/status', text: key, user_id: 'UDEV2', channel_id: w.general });
      expect(status.body).toContain('Team pulse');
      expect(status.body).toContain('Safe to raise problems');
      expect(status.body).not.toContain('safety fell');
    } finally {
      await w.h.close();
    }
  });

  it('/kickoff pulse KEY: only the sponsor, a coach or an admin, one at a time; below the threshold only the count; a fall in safety turns health amber', async () => {
    const { w, key, channel } = await setUp();
    try {
      const refused = await w.h.command({ command: '/kickoff', text: `pulse ${key}`, user_id: 'UDEV1', channel_id: w.general });
      expect(refused.body).toContain('Only');
      expect(refused.body).toContain('send a team pulse');
      expect(await w.h.count('pulses')).toBe(0);

      const sent = await w.h.command({ command: '/kickoff', text: `pulse ${key}`, user_id: 'USPONSOR', channel_id: w.general });
      expect(sent.body).toContain('Sending a team pulse');
      await w.h.settle();
      const twice = await w.h.command({ command: '/kickoff', text: `pulse ${key}`, user_id: 'UCOACH1', channel_id: w.general });
      expect(twice.body).toContain('already open');
      expect(invitations(w, 'UDEV1')).toHaveLength(1);

      // Three answers: below the threshold, only the count is shown (comments too stay hidden).
      for (const u of ['UDEV1', 'UDEV2', 'UDEV3']) await answer(w, u, [5, 5, 5, 5, 5], `secret comment of ${u}`);
      await tick(w, '2026-11-09T08:00:00Z');
      const first = w.h.emu.messages('USPONSOR').filter((m) => m.text.includes('closed: 3 of'));
      expect(first).toHaveLength(1);
      expect(JSON.stringify(first[0]!.blocks)).toContain('results show from 5');
      expect(JSON.stringify(first[0]!.blocks)).not.toContain('secret comment');
      expect(w.h.emu.messages(channel).filter((m) => m.text.includes('closed: 3 of'))).toHaveLength(0);

      // Two shown pulses: safety 5 then 3 — a fall of 2 turns the computed health amber, with the reason.
      for (const [round, safety] of [[1, 5], [2, 3]] as const) {
        const s = await w.h.command({ command: '/kickoff', text: `pulse ${key}`, user_id: 'USPONSOR', channel_id: w.general });
        expect(s.body).toContain('Sending a team pulse');
        await w.h.settle();
        for (const u of TEAM_MEMBERS.slice(0, 5)) expect([u, await answer(w, u, [4, 4, safety, 4, 4])]).toEqual([u, '']);
        await tick(w, round === 1 ? '2026-11-16T08:00:00Z' : '2026-11-23T08:00:00Z');
      }
      const status = await w.h.command({ command: '/status', text: key, user_id: 'UDEV2', channel_id: w.general });
      expect(status.body).toContain('safety fell 2 (now 3 of 5)');
      expect(status.body).toContain('−2 since the last pulse');
      const portfolio = await w.h.command({ command: '/status', text: 'all', user_id: 'UDEV2', channel_id: w.general });
      expect(portfolio.body).toContain('buy-in 4 · safety 3');
    } finally {
      await w.h.close();
    }
  });

  it('asks the Team field when there is no engagement channel; without either, says how to add the team', async () => {
    const w = await clockedWorld(at('2026-11-02T08:00:00Z'), ZONE);
    try {
      await kickOff(w.h, { key: 'nochannel', name: 'No channel', channels: [w.general] }, { channel: w.general });
      const refused = await w.h.command({ command: '/kickoff', text: 'pulse nochannel', user_id: 'USPONSOR', channel_id: w.general });
      expect(refused.body).toContain('no engagement channel and no team listed');
      expect(refused.body).toContain('/kickoff edit nochannel');

      await kickOff(w.h, { key: 'withteam', name: 'With team', channels: [w.general], team: ['UDEV1', 'UDEV2', 'UDEV2'] }, { channel: w.general });
      const e = await w.h.app.stores.engagements.getByKey('T0001', 'withteam');
      expect(e?.teamIds).toEqual(['UDEV1', 'UDEV2']);
      const sent = await w.h.command({ command: '/kickoff', text: 'pulse withteam', user_id: 'UCOACH1', channel_id: w.general });
      expect(sent.body).toContain('the 2 people in its Team field');
      await w.h.settle();
      expect(invitations(w, 'UDEV1')).toHaveLength(1);
      expect(invitations(w, 'UDEV2')).toHaveLength(1);
      expect(invitations(w, 'USPONSOR')).toHaveLength(0);
      expect(w.h.emu.callsTo('conversations.members')).toHaveLength(0);
    } finally {
      await w.h.close();
    }
  });
});
