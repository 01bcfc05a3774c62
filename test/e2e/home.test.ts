/**
 * App Home end to end: `app_home_opened` events (signed, Events API envelopes) publish the
 * person's dashboard — what waits on them (escalations at their level, impediments they own,
 * check-ins they owe), their engagements with health, buttons to kick off, raise and check in.
 * A repeated event publishes once; changes re-publish the Home of people who opened it, and
 * nobody else's; the buttons open the right modals; very large data stays within 100 blocks.
 */
import { FixedClock } from '../../src/lib/clock';
import { ACTION, BLOCK, CALLBACK } from '../../src/slack/ids';
import { assertWithinSlackLimits } from '../support/blockLimits';
import { sendAgain, startHarness, type Harness } from '../support/harness';
import { appHomeOpened, eventCallback } from '../../src/sandbox/payloads';
import { P, TEAM, escalateCommand, kickOff, quickRaise, quiesce } from '../support/impedimentFlow';
import {
  clickHome,
  homeOf,
  insertEngagement,
  openCheckin,
  openHome,
  publishesFor,
  stop,
  submitCheckin,
  visible,
  type Block,
} from '../support/statusFlow';

const MONDAY = new Date('2026-11-23T10:00:00Z');
const DAY = 86_400_000;

/** The coach is also the Team contact, so one person can have every kind of thing waiting. */
const LINE = [
  { name: 'Team', contacts: [P.coach], response: '2' },
  { name: 'Program', contacts: [P.program], response: '3' },
  { name: 'Executive', contacts: [P.exec], response: '5' },
];

const sectionsOf = (view: { blocks: Block[] }) => view.blocks.filter((b) => b.type === 'section');
const homeText = (h: Harness, user: string) => visible(homeOf(h, user));
const accessories = (view: { blocks: Block[] }) => view.blocks.filter((b) => b.accessory).map((b) => b.accessory as Block);

describe('App Home end to end over HTTP', () => {
  let h: Harness;
  let clock: FixedClock;
  let general: string;

  beforeEach(async () => {
    clock = new FixedClock(MONDAY);
    h = await startHarness({ env: { ADMIN_USER_IDS: P.admin }, clock, scheduler: false });
    general = h.emu.addChannel({ name: 'general' });
  });
  afterEach(async () => stop(h));

  async function standard() {
    const e = await kickOff(h, { from: general, engagementChannel: 'coaching-payments', form: { channels: [general], escalation: LINE } });
    return { e, ch: e.engagementChannelId! };
  }

  // ------------------------------------------------------------------------------------------
  it('publishes the dashboard on app_home_opened: an escalation at my level, an impediment I own, a check-in I owe, my engagements and the buttons', async () => {
    const { e, ch } = await standard();
    await quickRaise(h, '!high The CAB meets once a month', { user: P.reporter, channel: ch }); // IMP-1: open at Team (the coach)
    const { imp: owned } = await quickRaise(h, 'Nobody owns the flaky tests', { user: P.reporter, channel: ch }); // IMP-2
    await h.app.impediments.acknowledge(TEAM, owned.id, P.coach);
    await h.app.impediments.takeOwnership(TEAM, owned.id, P.coach);
    await quiesce(h);
    clock.advance(8 * DAY); // a check-in is owed

    const before = h.emu.callsTo('views.publish').length;
    const res = await openHome(h, P.coach);
    expect(res.status).toBe(200);
    expect(h.emu.callsTo('views.publish').length).toBe(before + 1);
    const call = publishesFor(h, P.coach).slice(-1)[0]!;
    expect((call.response as { ok: boolean }).ok).toBe(true);
    const home = homeOf(h, P.coach);
    expect(home.type).toBe('home');
    assertWithinSlackLimits(home);

    expect(home.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Your coaching dashboard' } });
    const top = home.blocks.find((b) => b.block_id === BLOCK.homeActions)!;
    expect(top.elements.map((b: Block) => b.action_id)).toEqual([ACTION.homeKickoff, ACTION.homeRaise]);

    const text = visible(home);
    const escalated = sectionsOf(home).map((b) => visible([b])).find((t) => t.includes('Escalated to your level'))!;
    expect(escalated).toContain('*Escalated to your level (1) — acknowledge them on their cards*');
    expect(escalated).toMatch(/\*IMP-1\* in `payments-platform` · level \*Team\* · due <!date\^\d+\^/);
    expect(escalated).toContain('The CAB meets once a month');
    expect(escalated).not.toContain('IMP-2'); // acknowledged: no longer waiting at my level
    const mine = sectionsOf(home).map((b) => visible([b])).find((t) => t.includes('Impediments you own'))!;
    expect(mine).toContain('*Impediments you own (1)*');
    expect(mine).toMatch(/\*IMP-2\* in `payments-platform` · Acknowledged · raised .* — Nobody owns the flaky tests/);
    expect(text).toContain('*Check-ins you owe (1)*');
    expect(text).toContain(':memo: *Payments platform* (`payments-platform`) — no check-in for a week or more');
    expect(text).toMatch(/:white_circle: No check-in yet \*Payments platform\* \(`payments-platform`\) · _coach_/);
    // One "Check in" per engagement (the owed one and the engagement line), each carrying its id.
    expect(accessories(home).map((a) => [a.action_id, a.value])).toEqual([
      [ACTION.homeCheckin, String(e.id)],
      [ACTION.homeCheckin, String(e.id)],
    ]);
    expect(text).not.toContain('workspace admin');
  });

  it('someone on nothing gets the empty dashboard; the Messages tab publishes nothing; an admin is told about /status all', async () => {
    await standard();
    await openHome(h, P.stranger, { tab: 'messages' });
    expect(publishesFor(h, P.stranger)).toHaveLength(0);

    await openHome(h, P.stranger);
    expect(publishesFor(h, P.stranger)).toHaveLength(1);
    const text = homeText(h, P.stranger);
    expect(text).toContain('Nothing is waiting on you.');
    expect(text).toContain('You are not on any engagement yet.');
    assertWithinSlackLimits(homeOf(h, P.stranger));

    await openHome(h, P.admin);
    expect(homeText(h, P.admin)).toContain('You are a workspace admin: `/status all` shows every engagement.');
  });

  it('the same event delivered twice (same event_id) publishes once; a new event publishes again', async () => {
    await standard();
    await openHome(h, P.sponsor, { eventId: 'Ev0HOME000001' });
    await openHome(h, P.sponsor, { eventId: 'Ev0HOME000001' });
    expect(publishesFor(h, P.sponsor)).toHaveLength(1);
    await openHome(h, P.sponsor, { eventId: 'Ev0HOME000002' });
    expect(publishesFor(h, P.sponsor)).toHaveLength(2);
    expect(homeText(h, P.sponsor)).toMatch(/\*Payments platform\* \(`payments-platform`\) · _sponsor_/);
    // The same bytes again, and as Slack's retry (x-slack-retry-num: 1): acknowledged, nothing published.
    const envelope = eventCallback(appHomeOpened(P.sponsor), { eventId: 'Ev0HOME000003' });
    const answers = [await h.event(envelope), ...(await sendAgain((o) => h.event(envelope, o)))];
    await quiesce(h);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(publishesFor(h, P.sponsor)).toHaveLength(3);
  });

  // ------------------------------------------------------------------------------------------
  it('refreshes the Home of people who opened it when something on it changes (raise, escalate, acknowledge, check-in, kickoff) — and nobody else\'s', async () => {
    const { e, ch } = await standard();
    for (const who of [P.coach, P.program, P.sponsor]) await openHome(h, who);
    const count = (u: string) => publishesFor(h, u).length;
    const start = { coach: count(P.coach), program: count(P.program), sponsor: count(P.sponsor) };
    expect(start).toEqual({ coach: 1, program: 1, sponsor: 1 });

    // Raised: waits on the Team contact (the coach).
    await quickRaise(h, 'The CAB meets once a month', { user: P.reporter, channel: ch });
    expect(count(P.coach)).toBeGreaterThan(start.coach);
    expect(homeText(h, P.coach)).toContain('*Escalated to your level (1)');

    // Escalated to Program: the program contact's Home shows it, the coach's no longer does.
    const programBefore = count(P.program);
    const coachBefore = count(P.coach);
    await escalateCommand(h, 'IMP-1 the team cannot decide this', { user: P.coach, channel: ch });
    expect(count(P.program)).toBeGreaterThan(programBefore);
    expect(homeText(h, P.program)).toMatch(/\*IMP-1\* in `payments-platform` · level \*Program\*/);
    expect(count(P.coach)).toBeGreaterThan(coachBefore);
    expect(homeText(h, P.coach)).not.toContain('Escalated to your level');

    // Acknowledged by Program: gone from what waits on them.
    const ackBefore = count(P.program);
    const imp = (await h.app.stores.impediments.getByNumber(TEAM, 1))!;
    await h.app.impediments.acknowledge(TEAM, imp.id, P.program);
    await quiesce(h);
    expect(count(P.program)).toBeGreaterThan(ackBefore);
    expect(homeText(h, P.program)).toContain('Nothing is waiting on you.');

    // A check-in: the sponsor's Home shows the new health.
    const sponsorBefore = count(P.sponsor);
    const view = await openCheckin(h, 'payments-platform', { user: P.coach, channel: ch });
    await submitCheckin(h, view, { health: 'red', summary: 'Blocked by the CAB' }, { user: P.coach });
    expect(count(P.sponsor)).toBeGreaterThan(sponsorBefore);
    expect(homeText(h, P.sponsor)).toMatch(/:red_circle: Red \*Payments platform\*/);

    // A new engagement naming the program contact appears on their Home.
    const kickBefore = count(P.program);
    await insertEngagement(h, { key: 'checkout', name: 'Checkout', coachIds: [P.coach2], escalation: [{ level: 1, name: 'Team', contactIds: [P.program], responseTime: 2, responseUnit: 'business_days' }] });
    await quiesce(h);
    expect(count(P.program)).toBeGreaterThan(kickBefore);
    expect(homeText(h, P.program)).toMatch(/\*Checkout\* \(`checkout`\) · _escalation contact_/);

    // People who never opened the Home tab never get views.publish, though they were involved throughout.
    for (const never of [P.exec, P.teamLead, P.reporter, P.coach2, 'UREQUESTER']) expect(publishesFor(h, never)).toHaveLength(0);
    // Every published Home stays within limits.
    for (const c of h.emu.callsTo('views.publish')) {
      expect((c.response as { ok: boolean }).ok).toBe(true);
      assertWithinSlackLimits(c.args.view);
    }
    expect(e.id).toBeGreaterThan(0);
  });

  // ------------------------------------------------------------------------------------------
  it('the buttons: kick off opens the kickoff modal, raise opens the raise modal, check in opens that engagement\'s check-in modal', async () => {
    const { e } = await standard();
    await openHome(h, P.coach);

    const kick = await clickHome(h, P.coach, ACTION.homeKickoff);
    expect(kick.status).toBe(200);
    expect(kick.view?.callback_id).toBe(CALLBACK.kickoff);

    const raise = await clickHome(h, P.coach, ACTION.homeRaise);
    expect(raise.view?.callback_id).toBe(CALLBACK.raiseImpediment);
    const select = (raise.view!.blocks as Block[]).find((b) => b.block_id === BLOCK.impEngagement)!;
    expect(select.element.options.map((o: Block) => o.value)).toEqual([String(e.id)]);

    const button = accessories(homeOf(h, P.coach)).find((a) => a.action_id === ACTION.homeCheckin)!;
    const checkin = await clickHome(h, P.coach, ACTION.homeCheckin, { value: String(button.value), blockId: 'section-block' });
    expect(checkin.view?.callback_id).toBe(CALLBACK.checkin);
    expect(JSON.parse(String(checkin.view!.private_metadata))).toEqual({ engagementId: e.id });

    // Submitting it from there works like /status update.
    const res = await submitCheckin(h, checkin.view!, { health: 'green', summary: 'From the Home tab' }, { user: P.coach });
    expect(res.body).toBe('');
    expect((await h.app.stores.engagements.get(e.id))!.health).toBe('green');
  });

  it('a forged Check in button (someone else\'s engagement, or garbage) opens nothing, and the person is told why', async () => {
    const { e } = await standard();
    await openHome(h, P.stranger);
    const outgoing = () => h.emu.calls.filter((c) => ['chat.postEphemeral', 'chat.postMessage', 'views.open', 'views.push'].includes(c.method)).length;

    for (const value of [String(e.id), 'abc', '99999']) {
      const before = outgoing();
      const r = await clickHome(h, P.stranger, ACTION.homeCheckin, { value, blockId: 'section-block' });
      expect(r.status).toBe(200);
      expect(r.view).toBeNull(); // no check-in modal
      expect(await h.count('checkins')).toBe(0);
      // A refusal says who can do it: the person must see something (an ephemeral, a DM or a modal).
      // Home buttons carry no response_url: the listener must not fail trying to use one.
      expect(h.logs.filter((l) => l.includes('unhandled error in a listener')).map((l) => l.slice(0, 300))).toEqual([]);
      expect([value, outgoing()]).toEqual([value, before + 1]);
    }
  });

  // ------------------------------------------------------------------------------------------
  it('very large: 40 engagements, 30 impediments owned and 30 waiting, every check-in owed — within 100 blocks, with "and N more"', async () => {
    const line = [{ level: 1, name: 'Team', contactIds: [P.coach], responseTime: 2, responseUnit: 'business_days' as const }];
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) {
      ids.push((await insertEngagement(h, { key: `big-${String(i).padStart(2, '0')}`, name: `${'Big & <wide> '.repeat(9)}${i}`, coachIds: [P.coach], escalation: line, engagementChannelName: i < 2 ? `room-${i}` : null })).id);
    }
    await quiesce(h);
    for (let i = 0; i < 60; i++) {
      const { impediment } = await h.app.impediments.raise(TEAM, {
        engagementId: ids[i % 2]!,
        description: `${'z'.repeat(2900)} ${i}`,
        severity: 'critical',
        organisational: false,
        reporterId: P.reporter,
        anonymous: i % 2 === 0,
        source: 'command',
        sourcePermalink: null,
      });
      if (i >= 30) {
        await h.app.impediments.acknowledge(TEAM, impediment.id, P.coach);
        await h.app.impediments.takeOwnership(TEAM, impediment.id, P.coach);
      }
    }
    await quiesce(h);
    clock.advance(10 * DAY);
    await openHome(h, P.coach);
    const home = homeOf(h, P.coach);
    assertWithinSlackLimits(home);
    expect(home.blocks.length).toBeLessThanOrEqual(100);
    const text = visible(home);
    expect(text).not.toContain('<wide>');
    expect(text).toMatch(/\*Escalated to your level \(\d+\)/);
    expect(text).toMatch(/\*Impediments you own \(\d+\)\*/);
    expect(text).toMatch(/\*Check-ins you owe \(\d+\)\*/);
    expect(text).toMatch(/…and \d+ more — see `\/status mine`/);
    // The counts are the real ones: 30 wait on me, I own 30, I owe 40 check-ins and am on 40 engagements.
    expect(text).toContain('*Escalated to your level (30)');
    expect(text).toContain('*Impediments you own (30)*');
    expect(text.match(/…and 20 more — see `\/impediment list mine`/g)).toHaveLength(2);
    expect(text).toContain('*Check-ins you owe (40)*');
    expect(text).toContain('…and 30 more — see `/status mine`');
    expect(text).toContain('…and 20 more — see `/status mine`');
  });
});
