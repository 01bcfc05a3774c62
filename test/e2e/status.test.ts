/**
 * `/status` end to end: the real app over HTTP (signed requests shaped as Slack sends them)
 * against the Slack emulator, on a fixed clock. The engagement view (every field, computed
 * health against the coach's, staleness, the last five events), the portfolio (empty, typical,
 * 120 engagements paged with Next/Previous through response_url), `mine` for every role, `all`,
 * help, share in channel, tampered button values, and check-ins (`/status update`): the modal,
 * validation, permissions, storage, the thread reply and what /status shows afterwards.
 */
import { FixedClock } from '../../src/lib/clock';
import { slashCommand } from '../../src/sandbox/payloads';
import { ACTION, BLOCK, CALLBACK, checkinOutcomeBlock } from '../../src/slack/ids';
import { assertWithinSlackLimits } from '../support/blockLimits';
import { startHarness, waitFor, type Harness } from '../support/harness';
import {
  OTHER_TEAM,
  P,
  TEAM,
  click,
  count,
  escalateCommand,
  impediment,
  inputBlock,
  kickOff,
  opening,
  quickRaise,
  quiesce,
  reload,
  submitRaise,
  viewErrors,
  viewPayload,
  actsOnce,
  clickPayload,
  type Res,
} from '../support/impedimentFlow';
import {
  answerOf,
  buttonIds,
  buttons,
  checkinState,
  insertEngagement,
  keysOn,
  openCheckin,
  pageOf,
  status,
  stop,
  submitCheckin,
  visible,
  type Answer,
  type Block,
} from '../support/statusFlow';

const MONDAY = new Date('2026-11-23T10:00:00Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The sections' mrkdwn, each as one string (for "which section says what"). */
const sections = (m: Answer): string[] => (m.blocks ?? []).filter((b) => b.type === 'section').map((b) => visible([b]));
const sectionWith = (m: Answer, title: string): string => {
  const s = sections(m).find((x) => x.includes(title));
  if (s === undefined) throw new Error(`no section with ${title}: ${visible(m)}`);
  return s;
};
const shareValue = (m: Answer) => JSON.parse(String(buttons(m).find((b) => b.action_id === ACTION.statusShare)?.value)) as Record<string, unknown>;

describe('/status end to end over HTTP', () => {
  let h: Harness;
  let clock: FixedClock;
  let general: string;
  let lonely: string;

  beforeEach(async () => {
    clock = new FixedClock(MONDAY);
    h = await startHarness({ env: { ADMIN_USER_IDS: P.admin }, clock, scheduler: false });
    general = h.emu.addChannel({ name: 'general' });
    lonely = h.emu.addChannel({ name: 'lonely' });
  });
  afterEach(async () => stop(h));

  /** The standard engagement (Team → Program → Executive), announced in #general, with an engagement channel. */
  async function standard(form: Parameters<typeof kickOff>[1]['form'] = {}) {
    const e = await kickOff(h, {
      from: general,
      engagementChannel: `coaching-${form.key ?? 'payments-platform'}`,
      form: { channels: [general], outcomes: 'Lead time: 21 -> 5 days\nDeploys per week: 1 -> 10\nThe team runs its own retrospectives', ...form },
    });
    return { e, ch: e.engagementChannelId! };
  }

  async function ask(text: string, user: string = P.stranger, channel = lonely): Promise<Answer> {
    const res = await status(h, text, { user, channel });
    expect(res.status).toBe(200);
    const body = answerOf(res);
    expect(body.response_type).toBe('ephemeral');
    expect(body.text?.trim()).toBeTruthy(); // the text fallback
    assertWithinSlackLimits(body);
    return body;
  }

  async function checkIn(key: string, user: string, form: Parameters<typeof submitCheckin>[2]): Promise<Res> {
    const view = await openCheckin(h, key, { user, channel: lonely });
    const res = await submitCheckin(h, view, form, { user });
    expect(viewErrors(res)).toEqual({});
    return res;
  }

  // ------------------------------------------------------------------------------------------
  describe('where it is typed', () => {
    it('in the engagement channel: that engagement; in an unrelated channel or a DM: the portfolio', async () => {
      const { e, ch } = await standard();
      const here = await ask('', P.reporter, ch);
      expect(here.blocks![0]).toMatchObject({ type: 'header', text: { text: 'Status: Payments platform' } });
      expect(shareValue(here)).toEqual({ v: 'engagement', id: e.id });

      for (const channel of [lonely, `D${P.reporter}`]) {
        const elsewhere = await ask('', P.reporter, channel);
        expect(elsewhere.blocks![0]).toMatchObject({ type: 'header', text: { text: 'Portfolio' } });
        expect(keysOn(elsewhere)).toEqual(['payments-platform']);
        expect(shareValue(elsewhere)).toEqual({ v: 'portfolio', filter: 'active', page: 1 });
      }
    });

    it('another workspace sees none of it: every /status from there is refused as from another workspace', async () => {
      await standard();
      for (const text of ['all', 'payments-platform', 'mine']) {
        const res = await status(h, text, { user: P.sponsor, channel: lonely, teamId: OTHER_TEAM });
        expect(res.status).toBe(200);
        expect(res.json()).toEqual({ response_type: 'ephemeral', text: 'This coachline is installed in another workspace.' });
      }
    });

    it('in a channel that only carries the announcement (not the engagement channel) it answers with the portfolio', async () => {
      // Product brief: "`/status` — in an engagement channel: that engagement; elsewhere: the portfolio."
      await standard();
      const inGeneral = await ask('', P.reporter, general);
      expect(inGeneral.blocks![0]).toMatchObject({ type: 'header', text: { text: 'Portfolio' } });
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('one engagement', () => {
    it('/status KEY shows name, level, origin, sponsor, coaches, days since kickoff and to review, pain points, outcomes, impediments and activity', async () => {
      const { e } = await standard();
      clock.set(new Date('2026-12-01T10:00:00Z')); // 8 days after the start date
      const m = await ask('payments-platform');
      expect(m.blocks![0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'Status: Payments platform' } });
      expect(visible(m)).toContain('`payments-platform` · Active');
      const fields = (m.blocks!.find((b) => Array.isArray(b.fields))!.fields as { text: string }[]).map((f) => f.text);
      expect(fields).toEqual([
        `*Sponsor*\n<@${P.sponsor}>`,
        `*Coaches*\n<@${P.coach}>`,
        '*Level*\nTeam',
        '*Origin*\nRequested by the team (pull) — asked for by <@UREQUESTER>',
        expect.stringMatching(/^\*Kickoff\*\n8 days ago · /),
        expect.stringMatching(/^\*Review\*\nin 82 days · /),
      ]);
      const health = sectionWith(m, '*Health*');
      expect(health).toContain('coach: :white_circle: no check-in yet');
      expect(health).toContain(`/status update payments-platform`);
      expect(sectionWith(m, '*Pain points*')).toContain('Releases take three weeks');
      expect(sectionWith(m, '*Pain points*')).toContain('Nobody owns the backlog');
      const outcomes = sectionWith(m, '*Outcomes (baseline → current → target)*');
      expect(outcomes).toContain('Lead time: 21 → — → 5 days · no value reported yet');
      expect(outcomes).toContain('Deploys per week: 1 → — → 10');
      expect(outcomes).toContain('The team runs its own retrospectives · not measured');
      expect(sectionWith(m, '*Open impediments:*')).toContain('*Open impediments:* none');
      expect(sectionWith(m, '*Recent activity*')).toContain(`<@${P.sponsor}> kicked off the engagement`);
      expect(m.text).toContain('Status of Payments platform (`payments-platform`)');
      expect(buttonIds(m)).toEqual([ACTION.statusShare]);
      expect(shareValue(m)).toEqual({ v: 'engagement', id: e.id });
    });

    it('open impediments by severity, the oldest one\'s age, escalated ones with level and due time, the scorecard and the last five events', async () => {
      const { ch } = await standard();
      const first = (await quickRaise(h, '!high The CAB meets once a month', { user: P.reporter, channel: ch })).imp;
      clock.advance(2 * HOUR);
      const second = (await quickRaise(h, '!critical Production access takes a week', { user: P.reporter, channel: ch })).imp;
      clock.advance(HOUR);
      await quickRaise(h, '!low The coffee machine is broken', { user: P.reporter, channel: ch });
      await quickRaise(h, 'Builds take an hour', { user: P.reporter, channel: ch });
      await escalateCommand(h, 'IMP-2 the team cannot decide this', { user: P.coach, channel: ch });
      clock.advance(HOUR);
      await impediment(h, 'resolve IMP-4 faster agents', { user: P.coach, channel: ch });

      const m = await ask('payments-platform');
      const open = sectionWith(m, '*Open impediments:*');
      expect(open).toMatch(/\*Open impediments:\* 3 — \S+ 1 critical · \S+ 1 high · \S+ 1 low/);
      expect(open).toContain('Oldest: *IMP-1*, open 4 hours');
      const escalated = sectionWith(m, '*Escalated (1)*');
      expect(escalated).toContain('*IMP-2* level 2 · Program');
      const due = (await reload(h, second)).dueAt!;
      expect(escalated).toContain(`<!date^${Math.floor(due.getTime() / 1000)}^`);
      expect(escalated).toContain('Production access takes a week');
      expect(escalated).not.toContain('*overdue*');
      const scorecard = sectionWith(m, '*Escalation scorecard*');
      // Resolving counts as the level's answer (in time here).
      expect(scorecard).toMatch(/\*1 · Team\* — 1 in time · 0 late · \d never/);
      expect(scorecard).toContain('*2 · Program* — 0 in time · 0 late · 0 never');

      expect(m.text).toContain('3 open impediments, 1 escalated.');

      // 1 kickoff + 4 raised + 1 escalated + 1 resolved = 7 events: the five newest, newest first.
      const activity = sectionWith(m, '*Recent activity*').split('\n').slice(1);
      expect(activity).toHaveLength(5);
      expect(activity[0]).toMatch(new RegExp(`<@${P.coach}> resolved `));
      expect(activity[1]).toMatch(new RegExp(`<@${P.coach}> escalated .* to Program`));
      expect(activity.slice(2).every((l) => l.includes(`<@${P.reporter}> raised `))).toBe(true);
      expect(activity.join('\n')).not.toContain('kicked off');
      // Which impediment: the lines name it (IMP-n), as eventLine intends when the event says its number.
      expect(first.number).toBe(1);
      expect(activity[0]).toContain(`<@${P.coach}> resolved IMP-4`);
      expect(activity[1]).toContain(`<@${P.coach}> escalated IMP-2 to Program`);
      expect(activity[2]).toContain(`<@${P.reporter}> raised IMP-4 (medium)`);
    });

    it('an unknown key, a malformed key and extra words get a clear ephemeral answer', async () => {
      await standard();
      const unknown = await ask('no-such-thing');
      expect(unknown.text).toContain('There is no engagement with the key `no-such-thing`');
      const malformed = await ask('Payments_Platform!');
      expect(visible(malformed)).toMatch(/Engagement keys look like `payments-platform`/);
      const extra = await ask('payments-platform please');
      expect(visible(extra)).toMatch(/Usage: \/status/);
    });

    it('/status help explains every form', async () => {
      const m = await ask('help');
      const all = visible(m) + m.text;
      for (const s of ['`/status`', '/status KEY', '/status mine', '/status all', '/status update [KEY]', 'Share in channel', 'Computed health']) expect(all).toContain(s);
      // The export is a /status subcommand too (the usage line names it); help should say how to use it.
      expect(all).toContain('/status export');
    });

    it('very large data: 20 long pain points and outcomes, 60 open impediments, 25 escalated, 3-level scorecard — within 50 blocks with a fallback', async () => {
      const long = (i: number, what: string) => `${what} ${i} <!channel> & ${'x'.repeat(960)}`;
      const e = await insertEngagement(h, {
        key: 'huge',
        name: `Huge ${'&'.repeat(110)}`,
        painPoints: Array.from({ length: 20 }, (_, i) => long(i, 'pain')),
        outcomes: Array.from({ length: 20 }, (_, i) => ({ text: long(i, 'outcome'), metric: i % 2 ? { baseline: i, target: 100 + i, current: null, unit: 'x'.repeat(30) } : null })),
        coachIds: Array.from({ length: 20 }, (_, i) => `UCOACH${String(i).padStart(3, '0')}`),
        engagementChannelName: 'huge-room',
      });
      await quiesce(h); // the channel exists: cards go there, not to twenty coaches
      for (let i = 0; i < 60; i++) {
        const { impediment: imp } = await h.app.impediments.raise(TEAM, {
          engagementId: e.id,
          description: `${'y'.repeat(2900)} ${i}`,
          severity: (['low', 'medium', 'high', 'critical'] as const)[i % 4]!,
          organisational: i % 3 === 0,
          reporterId: P.reporter,
          anonymous: i % 5 === 0,
          source: 'command',
          sourcePermalink: null,
        });
        if (i < 25) await h.app.impediments.escalate(TEAM, imp.id, 'UCOACH000', 'needs the program');
      }
      await quiesce(h);
      const m = await ask('huge');
      expect(m.blocks!.length).toBeLessThanOrEqual(50);
      expect(visible(m)).toContain('• pain 19 &lt;!channel&gt; &amp; xxx');
      expect(visible(m)).toContain('▫️ outcome 19 &lt;!channel&gt; &amp; xxx');
      expect(visible(m)).toContain('<@UCOACH019>');
      expect(visible(m)).not.toContain('<!channel>');
      expect(visible(m)).toContain('*Open impediments:* 60');
      expect(visible(m)).toContain('*1 · Team* — 0 in time · 0 late · 25 never');
      expect(sectionWith(m, '*Recent activity*').split('\n')).toHaveLength(6);
      expect(buttonIds(m)).toEqual([ACTION.statusShare]); // the button survives the caps
      // 25 are escalated: the count, the "more" line and the fallback must say so.
      expect(visible(m)).toContain('*Escalated (25)*');
      expect(visible(m)).toContain('…and 15 more — `/impediment list huge`');
      expect(m.text).toContain('60 open impediments, 25 escalated.');
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('health', () => {
    it('coach says green while two escalations sit unanswered past due: both healths and the reason are shown', async () => {
      const { ch } = await standard();
      await quickRaise(h, 'The CAB meets once a month', { user: P.reporter, channel: ch });
      await quickRaise(h, 'Nobody may touch production', { user: P.reporter, channel: ch });
      await escalateCommand(h, 'IMP-1 needs the program', { user: P.coach, channel: ch });
      await escalateCommand(h, 'IMP-2 needs the program', { user: P.coach, channel: ch });
      clock.set(new Date('2026-11-25T10:00:00Z'));
      await checkIn('payments-platform', P.coach, { health: 'green', summary: 'All good', metrics: {} });
      // Program answers within 3 business days (Thursday 10:00); it is now the next Tuesday.
      clock.set(new Date('2026-12-01T10:00:00Z'));

      const m = await ask('payments-platform');
      const health = sectionWith(m, '*Health*');
      expect(health).toContain('coach: :large_green_circle: Green · computed: :red_circle: Red');
      expect(health).toMatch(/:warning: coach says green; 2 escalations unanswered for 3 business days/);
      expect(health).toContain(`Last check-in by <@${P.coach}>, 6 days ago`);
      expect(health).not.toContain('stale');
      expect(sectionWith(m, '*Escalated (2)*').match(/\*overdue\*/g)).toHaveLength(2);
      expect(m.text).toMatch(/coach says green, computed red\. Signals: 2 escalations unanswered/);

      // Once acknowledged, the computed health no longer counts them as unanswered.
      const imps = await Promise.all([1, 2].map(async (n) => (await h.app.stores.impediments.getByNumber(TEAM, n))!));
      for (const imp of imps) await h.app.impediments.acknowledge(TEAM, imp.id, P.program);
      await quiesce(h);
      const after = await ask('payments-platform');
      expect(sectionWith(after, '*Health*')).not.toContain('unanswered');
    });

    it('the coach and the signals agreeing shows no warning', async () => {
      await standard();
      await checkIn('payments-platform', P.coach, { health: 'green', summary: 'On track', metrics: { 0: '18' } });
      const m = await ask('payments-platform');
      const health = sectionWith(m, '*Health*');
      expect(health).toContain('coach: :large_green_circle: Green · computed: :large_green_circle: Green');
      expect(health).not.toContain(':warning:');
    });

    it('an impediment resolved within the hour at the first level, without pressing Acknowledge, does not count as an escalation "never answered"', async () => {
      const { ch } = await standard();
      await checkIn('payments-platform', P.coach, { health: 'green', summary: 'Fine', metrics: {} });
      await quickRaise(h, 'The printer is jammed', { user: P.reporter, channel: ch });
      clock.advance(30 * 60_000);
      await impediment(h, 'resolve IMP-1 cleared it', { user: P.coach, channel: ch });
      expect((await h.app.stores.impediments.getByNumber(TEAM, 1))!.state).toBe('resolved');
      const m = await ask('payments-platform');
      const health = sectionWith(m, '*Health*');
      expect(health).toContain('coach: :large_green_circle: Green');
      expect(health).not.toContain('never answered');
      expect(health).toContain('computed: :large_green_circle: Green');
    });

    it('a check-in is "stale" after 7 days, not before, and the age is shown', async () => {
      await standard();
      await checkIn('payments-platform', P.coach, { health: 'amber', summary: 'Slow start', metrics: {} });
      clock.advance(6 * DAY + 23 * HOUR);
      const fresh = sectionWith(await ask('payments-platform'), '*Health*');
      expect(fresh).toContain(`Last check-in by <@${P.coach}>, 6 days ago`);
      expect(fresh).not.toContain('stale');
      expect(fresh).toContain('\n> Slow start');

      clock.advance(2 * HOUR); // 7 days and 1 hour
      const m = await ask('payments-platform');
      const stale = sectionWith(m, '*Health*');
      expect(stale).toContain(`Last check-in by <@${P.coach}>, 7 days ago — *stale* (none in the last 7 days)`);
      expect(stale).toMatch(/computed: :large_yellow_circle: Amber/);
      expect(stale).toContain('no check-in for 7 days');
      expect(m.text).toContain('(stale)');
    });

    it('a freshly kicked-off engagement without a check-in is not called "stale" before 7 days have passed', async () => {
      // Brief: health "with the latest check-in, its author and age ("stale" after 7 days)".
      await standard();
      const m = await ask('payments-platform');
      const health = sectionWith(m, '*Health*');
      expect(health).toContain('No check-in yet');
      expect(health).not.toContain('stale');
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('the portfolio', () => {
    it('an empty workspace: /status, /status all and /status mine say there is nothing, within limits', async () => {
      const active = await ask('');
      expect(active.blocks![0]).toMatchObject({ type: 'header', text: { text: 'Portfolio' } });
      expect(visible(active)).toContain('0 engagements · what needs attention first');
      expect(visible(active)).toContain('No active engagements. Announce one with `/kickoff`.');
      expect(visible(active)).toContain('No organisational impediment is waiting on executives.');
      expect(visible(active)).toMatch(/\*Pull:\* no engagements kicked off this quarter \(Q4 2026\) or last \(Q3 2026\)/);
      expect(pageOf(active)).toBeNull();
      expect(buttonIds(active)).toEqual([ACTION.statusShare]);
      expect(active.text).toContain('Portfolio: 0 engagements.');
      expect(visible(await ask('all'))).toContain('No engagements yet.');
      expect(visible(await ask('mine'))).toContain('You are not the sponsor, a coach, an escalation contact or a reporter on any engagement.');
    });

    it('typical: one line per engagement, attention first, organisational impediments waiting on executives, pull share this quarter against last', async () => {
      // Last quarter (Q3 2026): one pull, three push.
      clock.set(new Date('2026-08-10T10:00:00Z'));
      await insertEngagement(h, { key: 'q3-pull', name: 'Q3 pull', origin: 'pull' });
      for (const k of ['q3-push-a', 'q3-push-b', 'q3-push-c']) await insertEngagement(h, { key: k, name: k, origin: 'push', requestedBy: null });
      // This quarter: the standard one (pull) and three more.
      clock.set(MONDAY);
      const { ch } = await standard();
      await insertEngagement(h, { key: 'checkout', name: 'Checkout', origin: 'pull' });
      await insertEngagement(h, { key: 'mobile', name: 'Mobile', origin: 'push', requestedBy: null });
      await insertEngagement(h, { key: 'zeta', name: 'Zeta', origin: 'pull' });
      await quiesce(h);
      // Health: checkout red, mobile amber, zeta green; payments-platform has an organisational impediment at the top.
      for (const [key, health] of [['checkout', 'red'], ['mobile', 'amber'], ['zeta', 'green']] as const) {
        const e = (await h.app.stores.engagements.getByKey(TEAM, key))!;
        await h.app.status.checkin(TEAM, e.id, 'USPONSOR', { health, summary: `${key} is ${health}`, nextSteps: '', outcomeValues: [] });
      }
      const view = await opening(h, () => h.command({ command: '/impediment', text: '', user_id: P.reporter, channel_id: ch }));
      await submitRaise(h, view, { engagementId: (await h.app.stores.engagements.getByKey(TEAM, 'payments-platform'))!.id, description: 'Budget rules forbid pairing', severity: 'high', organisational: true }, { user: P.reporter });
      await quiesce(h);
      await escalateCommand(h, 'IMP-1 program cannot', { user: P.coach, channel: ch });
      await escalateCommand(h, 'IMP-1 needs the VP', { user: P.coach, channel: ch });
      clock.advance(HOUR);

      const m = await ask('');
      const lines = sections(m).find((s) => s.includes('`checkout`'))!.split('\n');
      // The four active ones of this quarter and the four of last quarter, attention first: red, amber, then the rest by key (no check-in = stale).
      expect(keysOn(m).slice(0, 2)).toEqual(['checkout', 'mobile']);
      expect(keysOn(m)).toHaveLength(8);
      expect(keysOn(m).slice(-1)).toEqual(['zeta']); // the only one checked in recently and green
      const pp = lines.find((l) => l.includes('`payments-platform`'))!;
      expect(pp).toMatch(/:white_circle: \*`payments-platform`\* Payments platform · 1 open · 1 escalated · no check-in/);
      expect(lines.find((l) => l.includes('`checkout`'))).toMatch(/^:red_circle: \*`checkout`\* Checkout · 0 open · checked in 1 hour ago$/);
      const waits = sectionWith(m, '*Waiting on executives (1)*');
      expect(waits).toContain('*IMP-1* `payments-platform` · Executive');
      expect(waits).toContain('Budget rules forbid pairing');
      expect(visible(m)).toContain('*Pull:* 75% this quarter (Q4 2026, 3 of 4) vs 25% last quarter (Q3 2026, 1 of 4) — more teams are asking for coaching');
      expect(m.text).toContain('Portfolio: 8 engagements. 1 red, 0 with overdue escalations. 1 waiting on executives. Pull this quarter (Q4 2026): 75%.');
    });

    it('/status mine lists engagements where I am sponsor, coach, escalation contact or reporter; a stranger sees none', async () => {
      const { ch } = await standard();
      await insertEngagement(h, { key: 'other', name: 'Other', sponsorId: 'UOTHERSPONSOR', coachIds: ['UOTHERCOACH'], escalation: [{ level: 1, name: 'Team', contactIds: ['UOTHERLEAD'], responseTime: 2, responseUnit: 'business_days' }] });
      await quickRaise(h, 'The CAB meets once a month', { user: P.reporter, channel: ch });
      await quiesce(h);
      for (const who of [P.sponsor, P.coach, P.teamLead, P.program, P.exec, P.reporter]) {
        const m = await ask('mine', who);
        expect(m.blocks![0]).toMatchObject({ type: 'header', text: { text: 'Your engagements' } });
        expect([who, keysOn(m)]).toEqual([who, ['payments-platform']]);
        expect(shareValue(m)).toEqual({ v: 'portfolio', filter: 'mine', page: 1 });
      }
      expect(keysOn(await ask('mine', 'UOTHERLEAD'))).toEqual(['other']);
      const stranger = await ask('mine', P.stranger);
      expect(keysOn(stranger)).toEqual([]);
      expect(visible(stranger)).toContain('You are not the sponsor, a coach, an escalation contact or a reporter on any engagement.');
    });

    it('/status all includes a closed engagement, /status does not', async () => {
      await standard();
      await insertEngagement(h, { key: 'done-one', name: 'Done one' });
      const close = await h.command({ command: '/kickoff', text: 'close done-one We are done', user_id: 'USPONSOR', channel_id: general });
      expect(close.status).toBe(200);
      await quiesce(h);
      expect((await h.app.stores.engagements.getByKey(TEAM, 'done-one'))!.lifecycle).toBe('completed');

      const all = await ask('all');
      expect(all.blocks![0]).toMatchObject({ type: 'header', text: { text: 'All engagements' } });
      expect(keysOn(all).sort()).toEqual(['done-one', 'payments-platform']);
      expect(visible(all)).toMatch(/\*`done-one`\* Done one · 0 open · no check-in · :warning: completed/);
      expect(keysOn(await ask(''))).toEqual(['payments-platform']);
      // The completed engagement still answers by key.
      expect(visible(await ask('done-one'))).toContain('`done-one` · ✅ Completed');
    });

    it('very large: 120 engagements page through Next and Previous (replace_original, page numbers), every page within limits', async () => {
      const n = 120;
      for (let i = 0; i < n; i++) {
        // Longest keys and names, with characters that grow when escaped.
        const key = `e${String(i).padStart(3, '0')}-${'k'.repeat(35)}`;
        await insertEngagement(h, { key, name: `${'<&>'.repeat(40)}`, coachIds: ['UCOACH1'], escalation: [{ level: 1, name: 'Team', contactIds: ['USPONSOR'], responseTime: 2, responseUnit: 'business_days' }], origin: i % 3 ? 'push' : 'pull', requestedBy: null });
      }
      await quiesce(h);
      const first = await ask('all');
      expect(visible(first)).toContain('120 engagements · page 1 of 6');
      expect(pageOf(first)).toBe('1/6');
      expect(buttonIds(first)).toEqual([ACTION.statusPageNext, ACTION.statusShare]);
      expect(first.text).toContain('All engagements: 120 engagements · page 1 of 6.');

      const seen = [...keysOn(first)];
      expect(seen).toHaveLength(20);
      let current = first;
      for (let page = 2; page <= 6; page++) {
        const r = await click(h, { channel: lonely, blocks: current.blocks }, ACTION.statusPageNext, { user: P.stranger });
        expect(r.responses).toHaveLength(1);
        const next = r.responses[0] as Answer;
        expect(next.replace_original).toBe(true);
        expect(next.response_type).toBe('ephemeral');
        assertWithinSlackLimits(next);
        expect(pageOf(next)).toBe(`${page}/6`);
        expect(buttonIds(next)).toEqual(page < 6 ? [ACTION.statusPagePrevious, ACTION.statusPageNext, ACTION.statusShare] : [ACTION.statusPagePrevious, ACTION.statusShare]);
        expect(shareValue(next)).toEqual({ v: 'portfolio', filter: 'all', page });
        seen.push(...keysOn(next));
        current = next;
      }
      expect(seen).toHaveLength(n);
      expect(new Set(seen).size).toBe(n);
      const back = await click(h, { channel: lonely, blocks: current.blocks }, ACTION.statusPagePrevious, { user: P.stranger });
      expect(back.responses[0]).toMatchObject({ replace_original: true });
      expect(pageOf(back.responses[0] as Answer)).toBe('5/6');
      expect(keysOn(back.responses[0] as Answer)).toEqual(seen.slice(80, 100));
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('share in channel', () => {
    it('an engagement: posted publicly, "Shared by" the sharer, with no buttons; the bot joins a public channel it is not in', async () => {
      const { e } = await standard();
      const outside = h.emu.addChannel({ name: 'leadership', botIsMember: false });
      for (const channel of [general, outside]) {
        const m = await ask('payments-platform', P.stranger, channel);
        const before = h.emu.callsTo('chat.postMessage').length;
        const r = await click(h, { channel, blocks: m.blocks }, ACTION.statusShare, { user: P.stranger });
        expect(r.status).toBe(200);
        expect(r.responses).toEqual([]); // nothing said to the sharer: the post is the answer
        const posts = h.emu.callsTo('chat.postMessage').slice(before).filter((c) => (c.response as { ok: boolean }).ok);
        expect(posts).toHaveLength(1);
        expect(posts[0]!.args.channel).toBe(channel);
        const shared = { text: String(posts[0]!.args.text), blocks: posts[0]!.args.blocks as Block[] };
        assertWithinSlackLimits(shared);
        expect(shared.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Status: Payments platform' } });
        expect(shared.blocks[1]).toMatchObject({ type: 'context', elements: [{ text: `Shared by <@${P.stranger}>` }] });
        expect(buttons(shared)).toEqual([]);
        // Same content as the ephemeral answer, apart from the attribution and the button.
        expect(shared.blocks.filter((b) => b.type !== 'actions' && !visible([b]).startsWith('Shared by'))).toEqual(m.blocks!.filter((b) => b.type !== 'actions'));
        expect(h.emu.messages(channel).some((x) => x.text === shared.text)).toBe(true);
      }
      expect(h.emu.callsTo('conversations.join').map((c) => c.args.channel)).toContain(outside);
      expect(e.id).toBeGreaterThan(0);
    });

    it('goes through the outbox: a replay posts once, and a conversation coachline cannot post in is explained to the sharer by DM', async () => {
      await standard();
      const m = await ask('payments-platform', P.stranger, general);
      const payload = clickPayload({ channel: general, blocks: m.blocks }, ACTION.statusShare, { user: P.stranger });
      const posted = () => h.emu.callsTo('chat.postMessage').filter((c) => c.args.channel === general && String(c.args.text).startsWith('Status of'));
      await actsOnce(h, (opts) => h.interact(payload, opts));
      expect(posted()).toHaveLength(1);

      const secret = h.emu.addChannel({ name: 'secret-room', isPrivate: true, botIsMember: false });
      const inSecret = await ask('payments-platform', P.stranger, general);
      await click(h, { channel: secret, blocks: inSecret.blocks }, ACTION.statusShare, { user: P.stranger });
      await waitFor(() => h.emu.messages(P.stranger).some((x) => x.text.includes('could not share')), 'the note to the sharer');
      expect(h.emu.messages(P.stranger).find((x) => x.text.includes('could not share'))!.text).toContain('/invite @coachline');
      expect(h.emu.messages(secret)).toHaveLength(0);
    });

    it('a portfolio page: posted publicly with "Shared by" and no page buttons', async () => {
      for (let i = 0; i < 45; i++) await insertEngagement(h, { key: `eng-${String(i).padStart(2, '0')}`, name: `Engagement ${i}`, coachIds: [], escalation: [{ level: 1, name: 'Team', contactIds: ['USPONSOR'], responseTime: 2, responseUnit: 'business_days' }] });
      await quiesce(h);
      const first = await ask('', P.coach, general);
      const r1 = await click(h, { channel: general, blocks: first.blocks }, ACTION.statusPageNext, { user: P.coach });
      const page2 = r1.responses[0] as Answer;
      expect(pageOf(page2)).toBe('2/3');
      const before = h.emu.callsTo('chat.postMessage').length;
      await click(h, { channel: general, blocks: page2.blocks }, ACTION.statusShare, { user: P.coach });
      const posts = h.emu.callsTo('chat.postMessage').slice(before);
      expect(posts).toHaveLength(1);
      const shared = { text: String(posts[0]!.args.text), blocks: posts[0]!.args.blocks as Block[] };
      assertWithinSlackLimits(shared);
      expect(posts[0]!.args.channel).toBe(general);
      expect(visible(shared)).toContain(`Shared by <@${P.coach}>`);
      expect(pageOf(shared)).toBe('2/3');
      expect(keysOn(shared)).toEqual(keysOn(page2));
      expect(buttons(shared)).toEqual([]);
    });

    it('tampered share and page values are refused (or clamped) and post nothing', async () => {
      const { e } = await standard();
      const foreign = await insertEngagement(h, { key: 'foreign', name: 'Foreign' }, OTHER_TEAM);
      await quiesce(h);
      const m = await ask('payments-platform', P.stranger, general);
      const posts = () => h.emu.callsTo('chat.postMessage').length;
      const before = posts();
      const said = async (actionId: string, value: string) => {
        const r = await click(h, { channel: general, blocks: m.blocks }, actionId, { user: P.stranger, value });
        expect(r.status).toBe(200);
        return r.responses.map((x) => `${x.text} ${visible(x)}`).join('\n');
      };
      expect(await said(ACTION.statusShare, JSON.stringify({ v: 'engagement', id: foreign.id }))).toContain('That engagement no longer exists.');
      expect(await said(ACTION.statusShare, JSON.stringify({ v: 'engagement', id: 999999 }))).toContain('That engagement no longer exists.');
      for (const bad of ['', 'not json', '{"v":"engagement","id":"1"}', `{"v":"engagement","id":${e.id},"x":1}`, '{"v":"portfolio","filter":"everything","page":1}', '{"v":"portfolio","filter":"all","page":0}', 'x'.repeat(3000)]) {
        expect(await said(ACTION.statusShare, bad)).toContain('That button could not be read.');
      }
      expect(posts()).toBe(before);

      // A page button as the portfolio carries it, with a forged value.
      const pager = { blocks: [{ type: 'actions', block_id: BLOCK.statusActions, elements: [{ type: 'button', action_id: ACTION.statusPageNext, text: { type: 'plain_text', text: 'Next ▶' }, value: '{"filter":"all","page":2}' }] }] };
      const page = async (value: string) => {
        const r = await click(h, { channel: general, blocks: pager.blocks }, ACTION.statusPageNext, { user: P.stranger, value });
        expect(r.status).toBe(200);
        return r.responses;
      };
      for (const bad of ['{"filter":"all","page":-1}', '{"filter":"all"}', '{"filter":"all","page":1.5}', '{"filter":"all","page":2,"extra":1}', '[]', 'null']) {
        const answers = await page(bad);
        expect(answers).toHaveLength(1);
        expect(answers[0]!.replace_original).toBe(false);
        expect(`${answers[0]!.text}`).toContain('That button could not be read.');
      }
      // A page beyond the last is clamped to the last one.
      const r = await click(h, { channel: general, blocks: m.blocks }, ACTION.statusShare, { user: P.stranger, value: JSON.stringify({ v: 'portfolio', filter: 'all', page: 1 }) });
      expect(r.responses).toEqual([]);
      const shared = h.emu.callsTo('chat.postMessage').slice(-1)[0]!;
      expect(keysOn({ blocks: shared.args.blocks as Block[] })).toEqual(['payments-platform']); // never the other workspace's
      const far = await page('{"filter":"all","page":999}');
      expect(far[0]).toMatchObject({ replace_original: true });
      expect(keysOn(far[0] as Answer)).toEqual(['payments-platform']); // clamped to the one page there is
      expect(posts()).toBe(before + 1);
    });
  });

  // ------------------------------------------------------------------------------------------
  describe('check-ins', () => {
    it('/status update KEY by a coach opens the modal with one metric input per measured outcome', async () => {
      const { e } = await standard();
      const view = await openCheckin(h, 'payments-platform', { user: P.coach, channel: lonely });
      expect(view.result.status).toBe(200);
      expect(view.result.body).toBe('');
      expect(view.callback_id).toBe(CALLBACK.checkin);
      expect(JSON.parse(String(view.private_metadata))).toEqual({ engagementId: e.id });
      assertWithinSlackLimits(view);
      const inputs = (view.blocks as Block[]).filter((b) => b.type === 'input').map((b) => b.block_id);
      expect(inputs).toEqual([BLOCK.checkinHealth, BLOCK.checkinSummary, BLOCK.checkinNextSteps, checkinOutcomeBlock(0), checkinOutcomeBlock(1)]);
      expect(inputBlock(view, checkinOutcomeBlock(0)).element.type).toBe('number_input');
      expect(inputBlock(view, checkinOutcomeBlock(0)).label.text).toBe('Lead time (days)');
      expect(inputBlock(view, checkinOutcomeBlock(1)).label.text).toBe('Deploys per week');
      expect(visible(view)).toContain('The team runs its own retrospectives'); // listed, not an input
    });

    it('a submitted check-in is stored, sets health and outcome values, is posted under the announcement in the engagement channel, and shows in /status', async () => {
      const { e, ch } = await standard();
      const announcement = e.announcements.find((a) => a.inEngagementChannel)!;
      clock.advance(2 * HOUR);
      const view = await openCheckin(h, 'payments-platform', { user: P.coach, channel: lonely });
      const res = await submitCheckin(h, view, { health: 'amber', summary: 'Lead time is falling & <!here> the team is keen', nextSteps: 'Pair on the pipeline', metrics: { 0: '14', 1: ' 3.5 ' } }, { user: P.coach });
      expect(res.status).toBe(200);
      expect(res.body).toBe('');

      const rows = (await h.rows('SELECT * FROM checkins')) as Record<string, unknown>[];
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ engagement_id: e.id, author_id: P.coach, health: 'amber', summary: 'Lead time is falling & <!here> the team is keen', next_steps: 'Pair on the pipeline', created_at: clock.now().toISOString() });
      expect(JSON.parse(String(rows[0]!.outcome_values))).toEqual([{ position: 0, value: 14 }, { position: 1, value: 3.5 }]);
      const after = (await h.app.stores.engagements.get(e.id))!;
      expect(after.health).toBe('amber');
      expect(after.outcomes.map((o) => o.metric?.current ?? null)).toEqual([14, 3.5, null]);
      expect((await h.app.stores.events.forEngagement(e.id, 1))[0]).toMatchObject({ type: 'checkin_posted', actorId: P.coach });

      const replies = h.emu.messages(ch).filter((x) => x.thread_ts === announcement.ts && x.ts !== announcement.ts);
      expect(replies).toHaveLength(1);
      const reply = visible(replies[0]) + replies[0]!.text;
      expect(reply).toContain(`*Check-in* by <@${P.coach}> · health *Amber*`);
      expect(reply).toContain('Lead time is falling &amp; &lt;!here&gt; the team is keen');
      expect(reply).toContain('Pair on the pipeline');
      expect(reply).toContain('Lead time: 21 → 14 → 5 days · 44% of the way');
      expect(reply).not.toContain('<!here>');
      // Nothing new at the top level of any channel.
      expect(h.emu.messages(general).filter((x) => !x.thread_ts)).toHaveLength(1);

      const m = await ask('payments-platform');
      const health = sectionWith(m, '*Health*');
      expect(health).toContain('coach: :large_yellow_circle: Amber');
      expect(health).toContain(`Last check-in by <@${P.coach}>, less than a minute ago`);
      expect(health).toContain('\n> Lead time is falling &amp; &lt;!here&gt; the team is keen');
      const outcomes = sectionWith(m, '*Outcomes');
      expect(outcomes).toContain('Lead time: 21 → 14 → 5 days · ▰▰▰▰▱▱▱▱▱▱ 44% · improving');
      expect(outcomes).toContain('Deploys per week: 1 → 3.5 → 10 · ▰▰▰▱▱▱▱▱▱▱ 28% · improving');
      expect(sectionWith(m, '*Recent activity*')).toContain(`<@${P.coach}> posted a check-in (amber)`);

      // The modal a second time remembers the last check-in and the current values.
      const again = await openCheckin(h, 'payments-platform', { user: P.sponsor, channel: lonely });
      expect(inputBlock(again, BLOCK.checkinHealth).element.initial_option.value).toBe('amber');
      expect(inputBlock(again, checkinOutcomeBlock(0)).element.initial_value).toBe('14');
    });

    it('the same submission delivered twice stores one check-in; /status update in the engagement channel needs no key; elsewhere it asks which', async () => {
      const { ch } = await standard();
      const view = await openCheckin(h, '', { user: P.sponsor, channel: ch });
      expect(view.callback_id).toBe(CALLBACK.checkin);
      await submitCheckin(h, view, { health: 'green', summary: 'Fine' }, { user: P.sponsor });
      await submitCheckin(h, view, { health: 'green', summary: 'Fine' }, { user: P.sponsor });
      expect(await count(h, 'checkins')).toBe(1);
      const opensBefore = h.emu.callsTo('views.open').length;
      const which = answerOf(await status(h, 'update', { user: P.coach, channel: lonely }));
      expect(visible(which)).toContain('Which engagement? Use `/status update KEY`');
      expect(h.emu.callsTo('views.open')).toHaveLength(opensBefore);
    });

    it('a check-in refused (its author was taken off the engagement meanwhile) is stored when the same form is sent again once they are back; replayed and retried it stays one', async () => {
      const { e, ch } = await standard();
      const view = await openCheckin(h, 'payments-platform', { user: P.coach, channel: ch });
      const payload = viewPayload(view, checkinState({ health: 'amber', summary: 'Lead time is falling', metrics: { 0: '14' } }), { user: P.coach });
      const setCoaches = async (coachIds: string[]) => {
        const now = (await h.app.stores.engagements.get(e.id))!;
        await h.app.kickoff.edit(TEAM, e.id, { ...now, coachIds }, { actorId: P.sponsor, keyField: BLOCK.kickoffKey });
        await quiesce(h);
      };
      await setCoaches([]);
      const refused = await h.interact(payload);
      await quiesce(h);
      expect(viewErrors(refused)[BLOCK.checkinSummary]).toMatch(/Only the sponsor|sponsor, .*coach/i);
      expect(await count(h, 'checkins')).toBe(0);

      await setCoaches([P.coach]);
      const stored = await actsOnce(h, (o) => h.interact(payload, o), ['checkins', 'announcements']);
      expect(stored.body).toBe('');
      expect(await h.rows('SELECT author_id, health, summary FROM checkins')).toEqual([{ author_id: P.coach, health: 'amber', summary: 'Lead time is falling' }]);
      expect((await h.app.stores.engagements.get(e.id))!.health).toBe('amber');
      const announcement = (await h.app.stores.engagements.get(e.id))!.announcements.find((a) => a.inEngagementChannel)!;
      expect(h.emu.messages(ch).filter((m) => m.thread_ts === announcement.ts && m.ts !== announcement.ts && m.text.includes('Check-in'))).toHaveLength(1);
    });

    it('a check-in that failed on our side (the database gave up mid-way) can be submitted again with the same form, and is stored once', async () => {
      const { ch } = await standard();
      const view = await openCheckin(h, 'payments-platform', { user: P.coach, channel: ch });
      const payload = viewPayload(view, checkinState({ health: 'green', summary: 'On track' }), { user: P.coach });
      const checkins = h.app.stores.checkins;
      const insert = checkins.insert.bind(checkins);
      let failures = 0;
      checkins.insert = async (c) => {
        // Not a code the transaction retries by itself (those are retried, in src/store/): it fails the request.
        if (failures++ === 0) throw new Error('disk I/O error');
        return insert(c);
      };
      const failed = await h.interact(payload);
      await quiesce(h);
      expect(viewErrors(failed)[BLOCK.checkinSummary]).toMatch(/Something went wrong on our side and nothing was saved/);
      expect(await count(h, 'checkins')).toBe(0);
      expect(await actsOnce(h, (o) => h.interact(payload, o), ['checkins', 'announcements'])).toMatchObject({ body: '' });
      expect(await h.rows('SELECT author_id, summary FROM checkins')).toEqual([{ author_id: P.coach, summary: 'On track' }]);
    });

    it('/status digest KEY DAY TIME replayed and retried records one change', async () => {
      const { e, ch } = await standard();
      const fields = slashCommand({ command: '/status', text: 'digest payments-platform friday 16:00', user_id: P.sponsor, channel_id: ch });
      expect((await actsOnce(h, (o) => h.command(fields, o))).body).toMatch(/every Friday/i);
      expect((await h.app.stores.events.forEngagement(e.id)).filter((ev) => ev.type === 'digest_schedule_changed')).toHaveLength(1);
    });

    it('a stranger is refused with who can, both at /status update and with a forged submission; nothing is stored', async () => {
      const { e } = await standard();
      const opensBefore = h.emu.callsTo('views.open').length;
      const refused = answerOf(await status(h, 'update payments-platform', { user: P.stranger, channel: lonely }));
      expect(refused.response_type).toBe('ephemeral');
      const words = `${refused.text} ${visible(refused)}`;
      expect(words).toContain(`<@${P.sponsor}>`);
      expect(words).toContain(`<@${P.coach}>`);
      expect(words).toMatch(/admin/);
      expect(h.emu.callsTo('views.open')).toHaveLength(opensBefore);

      const view = await openCheckin(h, 'payments-platform', { user: P.coach, channel: lonely });
      const forged = await submitCheckin(h, view, { health: 'red', summary: 'Forged' }, { user: P.stranger });
      expect(Object.keys(viewErrors(forged))).toEqual([BLOCK.checkinSummary]);
      expect(viewErrors(forged)[BLOCK.checkinSummary]).toMatch(/Only the sponsor|sponsor, .*coach/i);
      const other = await submitCheckin(h, view, { health: 'red', summary: 'Forged' }, { user: P.coach, privateMetadata: JSON.stringify({ engagementId: 99999 }) });
      expect(Object.keys(viewErrors(other))).toEqual([BLOCK.checkinSummary]);
      expect(await count(h, 'checkins')).toBe(0);
      expect((await h.app.stores.engagements.get(e.id))!.health).toBeNull();
    });

    it('very large: 20 measured outcomes and 3,000-character summary and next steps full of characters that grow when escaped — modal and thread reply within limits', async () => {
      const outcomes = Array.from({ length: 20 }, (_, i) => `Metric number ${i} with a rather long name: ${i} -> ${100 + i} widgets`).join('\n');
      const { e, ch } = await standard({ key: 'wide', name: 'Wide', outcomes });
      expect(e.outcomes.filter((o) => o.metric)).toHaveLength(20);
      const view = await openCheckin(h, 'wide', { user: P.coach, channel: ch });
      assertWithinSlackLimits(view);
      expect((view.blocks as Block[]).filter((b) => String(b.block_id).startsWith('checkin_outcome_'))).toHaveLength(20);
      const heavy = '<&>'.repeat(1000);
      const metrics = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, String(50 + i)]));
      const res = await submitCheckin(h, view, { health: 'red', summary: heavy, nextSteps: heavy, metrics }, { user: P.coach });
      expect(viewErrors(res)).toEqual({});
      const announcement = (await h.app.stores.engagements.get(e.id))!.announcements.find((a) => a.inEngagementChannel)!;
      const posts = h.emu.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === announcement.ts);
      expect(posts).toHaveLength(1);
      expect((posts[0]!.response as { ok: boolean }).ok).toBe(true);
      const reply = { text: String(posts[0]!.args.text), blocks: posts[0]!.args.blocks as Block[] };
      assertWithinSlackLimits(reply);
      expect(visible(reply)).not.toMatch(/<&>/);
      expect(visible(reply)).toContain('Metric number 19 with a rather long name: 19 → 69 → 119 widgets');
      expect((await h.app.stores.engagements.get(e.id))!.outcomes.map((o) => o.metric!.current)).toEqual(Array.from({ length: 20 }, (_, i) => 50 + i));
      const m = await ask('wide');
      expect(sectionWith(m, '*Health*')).toContain('coach: :red_circle: Red');
    });

    it('/status update on a completed engagement says so at once instead of opening a form that cannot be submitted', async () => {
      await standard();
      const closed = await h.command({ command: '/kickoff', text: 'close payments-platform Done', user_id: P.sponsor, channel_id: general });
      expect(closed.status).toBe(200);
      await quiesce(h);
      const opensBefore = h.emu.callsTo('views.open').length;
      const res = await status(h, 'update payments-platform', { user: P.coach, channel: lonely });
      // What happens today if the form opens anyway: submitting it is refused inline.
      if (h.emu.callsTo('views.open').length > opensBefore) {
        const view = h.emu.callsTo('views.open').slice(-1)[0]!.response as { view: Parameters<typeof submitCheckin>[1] };
        const submitted = await submitCheckin(h, view.view, { health: 'green', summary: 'Typed for nothing' }, { user: P.coach });
        expect(viewErrors(submitted)[BLOCK.checkinSummary]).toMatch(/completed; check-ins are for active engagements/);
      }
      expect(h.emu.callsTo('views.open').slice(opensBefore).map((c) => (c.args.view as { callback_id: string }).callback_id)).toEqual([]);
      expect(visible(answerOf(res)) + answerOf(res).text).toMatch(/completed/);
    });

    it('bad metric values, a missing health or summary get inline errors on the right fields and store nothing', async () => {
      const { e } = await standard();
      const view = await openCheckin(h, 'payments-platform', { user: P.coach, channel: lonely });
      const cases: [Parameters<typeof submitCheckin>[2], Record<string, RegExp>][] = [
        [{ health: 'green', summary: 'ok', metrics: { 0: '1,234' } }, { [checkinOutcomeBlock(0)]: /without commas/ }],
        [{ health: 'green', summary: 'ok', metrics: { 0: '12', 1: 'abc' } }, { [checkinOutcomeBlock(1)]: /Write a number/ }],
        [{ health: 'green', summary: 'ok', metrics: { 0: '1e99' } }, { [checkinOutcomeBlock(0)]: /Write a number/ }],
        [{ health: 'green', summary: 'ok', metrics: { 0: '99999999999999' } }, { [checkinOutcomeBlock(0)]: /between/ }],
        [{ health: null, summary: '', metrics: {} }, { [BLOCK.checkinHealth]: /Choose the health/, [BLOCK.checkinSummary]: /Say in a few words/ }],
        [{ health: 'purple', summary: 'x'.repeat(3001) }, { [BLOCK.checkinHealth]: /Choose the health/, [BLOCK.checkinSummary]: /3,001 characters/ }],
      ];
      for (const [form, expected] of cases) {
        const res = await submitCheckin(h, view, form, { user: P.coach });
        const errors = viewErrors(res);
        expect(Object.keys(errors).sort()).toEqual(Object.keys(expected).sort());
        for (const [block, re] of Object.entries(expected)) expect(errors[block]).toMatch(re);
      }
      expect(await count(h, 'checkins')).toBe(0);
      const after = (await h.app.stores.engagements.get(e.id))!;
      expect(after.health).toBeNull();
      expect(after.outcomes[0]!.metric!.current).toBeNull();
    });
  });
});
