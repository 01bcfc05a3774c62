import type { ActionsBlock, Button } from '@slack/types';
import { engagementStatusModel, pushPullShare, sortPortfolio } from '../../../src/domain/status';
import type { ExecutiveWait, PortfolioRow } from '../../../src/domain/statusTypes';
import { ACTION, BLOCK, STATUS_PAGE_ACTION } from '../../../src/slack/ids';
import { parsePageValue, parseShareValue } from '../../../src/slack/input/statusInput';
import { portfolioView, type PortfolioViewOptions } from '../../../src/slack/views/portfolioView';
import { engagementStatusView, statusHelp } from '../../../src/slack/views/statusViews';
import { assertNoBroadcasts, assertWithinSlackLimits, mrkdwnStrings } from '../../support/blockLimits';
import { HOSTILE } from '../../support/fixtures';
import { NOW, TZ, at, checkin, daysAgo, engagement, event, impediment, portfolioRow, statusData } from '../domain/statusFixtures';

const allText = (v: unknown) => mrkdwnStrings(v).join('\n');
function buttons(m: { blocks?: unknown[] }): Button[] {
  const actions = (m.blocks ?? []).filter((b): b is ActionsBlock => (b as { type?: string }).type === 'actions');
  return actions.flatMap((a) => a.elements as Button[]);
}
function checkAll(m: { text: string; blocks: unknown[] }) {
  assertWithinSlackLimits(m);
  assertNoBroadcasts(m);
  expect(m.text.trim()).not.toBe('');
  expect(m.text.length).toBeLessThanOrEqual(3000);
}
const unix = (iso: string) => Date.parse(iso) / 1000;

function typicalModel() {
  const outcomes = [
    { text: 'Lead time', metric: { baseline: 21, target: 5, current: 13, unit: 'days' } },
    { text: 'Team runs its own retros', metric: null },
  ];
  const late = impediment({ number: 8, level: 2, severity: 'critical', dueAt: at('2026-12-01T12:00:00Z') });
  const anon = impediment({ number: 9, level: 3, anonymous: true, reporterId: null, dueAt: at('2026-12-10T15:37:00Z') });
  const data = statusData({
    engagement: engagement({ outcomes }),
    latestCheckin: checkin({ health: 'green', createdAt: daysAgo(2), summary: 'Retro <!here> went well' }),
    openImpediments: [impediment({ number: 3, createdAt: daysAgo(12), severity: 'low' }), late, anon],
    escalated: [late, anon],
    unansweredEscalations: [late, { ...late, id: 999, number: 10 }],
    scorecard: [{ level: 1, name: 'Team', inTime: 4, late: 1, never: 0, medianMinutesToAck: 130 }],
    recentEvents: [
      event('impediment_raised', { actorId: 'ULEAK', data: { anonymous: true, severity: 'high' }, createdAt: at('2026-12-08T14:37:00Z') }),
      event('kicked_off', { actorId: 'USPONSOR', createdAt: daysAgo(16) }),
    ],
  });
  return engagementStatusModel(data, NOW, TZ);
}

describe('engagementStatusView', () => {
  it('shows the whole picture of a typical engagement, with a share button', () => {
    const m = engagementStatusView(typicalModel(), { timeZone: TZ, shareable: true });
    checkAll(m);
    const text = allText(m);
    for (const s of [
      '<@USPONSOR>',
      '<@UCOACH1> and <@UCOACH2>',
      '*Level*\nTeam',
      'Requested by the team (pull) — asked for by <@UREQ>',
      '16 days ago',
      'in 74 days',
      'coach: :large_green_circle: Green · computed: :red_circle: Red',
      ':warning: coach says green; 2 escalations unanswered for 6 business days; 1 escalation answered late\n',
      'Last check-in by <@UCOACH1>, 2 days ago',
      '&lt;!here&gt;',
      'Releases take three weeks',
      'Lead time: 21 → 13 → 5 days · ▰▰▰▰▰▱▱▱▱▱ 50% · improving',
      'Team runs its own retros · not measured',
      '*Open impediments:* 3 — :red_circle: 1 critical · :large_yellow_circle: 1 medium · :large_blue_circle: 1 low',
      'Oldest: *IMP-3*, open 12 days',
      `*IMP-8* level 2 · Program · due <!date^${unix('2026-12-01T12:00:00Z')}^{date_short_pretty} at {time}|2026-12-01 12:00 UTC> · *overdue*`,
      '*1 · Team* — 4 in time · 1 late · 0 never · median 2h 10m',
      '<@USPONSOR> kicked off the engagement',
      'An impediment was raised anonymously (high)',
    ])
      expect(text).toContain(s);
    expect(buttons(m)).toEqual([{ type: 'button', action_id: ACTION.statusShare, text: expect.objectContaining({ text: 'Share in channel' }), value: '{"v":"engagement","id":7}' }]);
    expect(parseShareValue(buttons(m)[0]?.value)).toEqual({ v: 'engagement', id: 7 });
    expect(m.blocks.some((b) => b.type === 'actions' && b.block_id === BLOCK.statusActions)).toBe(true);
    expect(m.text).toContain('Payments platform');
    expect(m.text).toContain('coach says green, computed red. Signals: 2 escalations unanswered for 6 business days; 1 escalation answered late. 3 open impediments, 2 escalated.');
  });

  it('never names an anonymous reporter, nor the minute of anything about an anonymous report', () => {
    const m = engagementStatusView(typicalModel(), { timeZone: TZ, shareable: true });
    const json = JSON.stringify(m);
    expect(json).not.toContain('ULEAK');
    expect(json).not.toContain(String(unix('2026-12-08T14:37:00Z')));
    expect(json).not.toContain(String(unix('2026-12-10T15:37:00Z')));
    expect(allText(m)).toContain(`<!date^${unix('2026-12-08T11:00:00Z')}^{date_short_pretty}|2026-12-08> — An impediment was raised anonymously`);
  });

  it('says what is missing when there is nothing yet', () => {
    const data = statusData({ engagement: engagement({ outcomes: [], createdAt: daysAgo(1) }), latestCheckin: null });
    const m = engagementStatusView(engagementStatusModel(data, NOW, TZ), { timeZone: TZ, shareable: false });
    checkAll(m);
    const text = allText(m);
    for (const s of ['No check-in yet', '`/status update payments-platform`', '*Outcomes*\nNone agreed yet.', '*Open impediments:* none', '*Recent activity*\nNothing yet.']) {
      expect(text).toContain(s);
    }
    // Kicked off yesterday: not stale yet (counted from kickoff); eight days after kickoff it is.
    expect(text).not.toContain('*stale*');
    const old = statusData({ engagement: engagement({ outcomes: [], createdAt: daysAgo(8) }), latestCheckin: null });
    expect(allText(engagementStatusView(engagementStatusModel(old, NOW, TZ), { timeZone: TZ, shareable: false }))).toContain('No check-in yet — *stale*');
    expect(text).not.toContain('Escalated');
    expect(buttons(m)).toEqual([]);
  });

  it('stays within 50 blocks with 20 long pain points and outcomes, 200 impediments and hostile text', () => {
    const long = (i: number) => `${i} ${HOSTILE} ${'x'.repeat(1000)}`.slice(0, 1000);
    const outcomes = Array.from({ length: 20 }, (_, i) => ({ text: long(i), metric: i % 2 ? null : { baseline: 0, target: 100, current: i, unit: HOSTILE.slice(0, 30) } }));
    const open = Array.from({ length: 200 }, (_, i) =>
      impediment({ number: i + 1, level: 2 + (i % 2), severity: 'critical', description: long(i), dueAt: daysAgo(i % 9), createdAt: daysAgo(20) }),
    );
    const e = engagement({ name: `${HOSTILE} ${'n'.repeat(200)}`, painPoints: Array.from({ length: 20 }, (_, i) => long(i)), outcomes });
    e.escalation = e.escalation.map((l) => ({ ...l, name: HOSTILE }));
    const events = Array.from({ length: 5 }, (_, i) => event('impediment_escalated', { data: { to: 2 }, createdAt: daysAgo(i) }));
    const scorecard = e.escalation.map((l) => ({ level: l.level, name: l.name, inTime: 1, late: 2, never: 3, medianMinutesToAck: null }));
    const data = statusData({ engagement: e, openImpediments: open, unansweredEscalations: open, scorecard, recentEvents: events });
    for (const sharedBy of [undefined, 'USHARER']) {
      const m = engagementStatusView(engagementStatusModel(data, NOW, TZ), { timeZone: TZ, shareable: sharedBy === undefined, sharedBy });
      checkAll(m);
      expect(m.blocks.length).toBeLessThanOrEqual(50);
      expect(allText(m)).toContain('…and 190 more — `/impediment list payments-platform`');
      expect(allText(m)).toContain('*Open impediments:* 200 — :red_circle: 200 critical');
      expect(m.blocks[m.blocks.length - 1]?.type).toBe(sharedBy ? 'context' : 'actions');
    }
  });

  it('marks the shared copy with who shared it, and has no buttons', () => {
    const m = engagementStatusView(typicalModel(), { timeZone: TZ, shareable: false, sharedBy: 'USHARER' });
    checkAll(m);
    expect(allText(m)).toContain('Shared by <@USHARER>');
    expect(buttons(m)).toEqual([]);
    const forged = engagementStatusView(typicalModel(), { timeZone: TZ, shareable: false, sharedBy: '<!channel>' });
    assertNoBroadcasts(forged);
    expect(allText(forged)).not.toContain('Shared by');
  });
});

describe('statusHelp', () => {
  it('explains every subcommand within limits', () => {
    const m = statusHelp();
    checkAll(m);
    for (const s of ['`/status KEY`', '`/status mine`', '`/status all`', '`/status update [KEY]`', 'Share in channel', 'Computed health']) expect(allText(m)).toContain(s);
  });
});

const share = pushPullShare(
  [
    ...[1, 2, 3].map(() => ({ origin: 'pull' as const, createdAt: at('2026-11-02T10:00:00Z') })),
    ...[1, 2].map(() => ({ origin: 'push' as const, createdAt: at('2026-10-02T10:00:00Z') })),
    { origin: 'pull' as const, createdAt: at('2026-08-02T10:00:00Z') },
    ...[1, 2, 3].map(() => ({ origin: 'push' as const, createdAt: at('2026-07-02T10:00:00Z') })),
  ],
  NOW,
  TZ,
);
const wait = (n: number, o: Partial<ExecutiveWait['impediment']> = {}): ExecutiveWait => ({
  impediment: impediment({ number: n, level: 3, organisational: true, waitingOnExecutives: true, ownerId: 'UOWNER', createdAt: at('2026-12-01T09:13:00Z'), ...o }),
  engagementKey: 'payments-platform',
  levelName: 'Executive',
});
const options = (rows: PortfolioRow[], o: Partial<PortfolioViewOptions> = {}): PortfolioViewOptions => ({
  rows: sortPortfolio(rows, NOW),
  page: 1,
  executiveWaits: [],
  share,
  title: 'Portfolio',
  filter: 'active',
  timeZone: TZ,
  now: NOW,
  shareable: true,
  ...o,
});
const lineCount = (m: { blocks: unknown[] }) => (allText(m).match(/\*`key-\d+`\*/g) ?? []).length;

describe('portfolioView', () => {
  it('says there is nothing yet, per filter', () => {
    for (const [filter, words] of [['active', 'No active engagements'], ['mine', 'You are not the sponsor'], ['all', 'No engagements yet']] as const) {
      const m = portfolioView(options([], { filter }));
      checkAll(m);
      expect(allText(m)).toContain(words);
      expect(allText(m)).toContain('No organisational impediment is waiting on executives.');
      expect(buttons(m).map((b) => b.action_id)).toEqual([ACTION.statusShare]);
    }
    const none = portfolioView(options([], { share: pushPullShare([], NOW, TZ) }));
    expect(allText(none)).toContain('*Pull:* no engagements kicked off this quarter (Q4 2026) or last (Q3 2026)');
    expect(none.text).toContain('Pull this quarter (Q4 2026): no engagements kicked off yet.');
  });

  it('shows one line per engagement, attention first, executive waits and the pull share', () => {
    const rows = [
      portfolioRow('calm', { openImpediments: 3, escalatedImpediments: 1 }),
      portfolioRow('fire', { health: 'red', overdueImpediments: 2, lastCheckinAt: null, name: HOSTILE }),
      portfolioRow('quiet', { health: null, lastCheckinAt: daysAgo(9) }),
    ];
    const m = portfolioView(options(rows, { executiveWaits: [wait(5), wait(6, { anonymous: true, reporterId: null })] }));
    checkAll(m);
    const text = allText(m);
    const fire = text.indexOf('*`fire`*');
    expect(fire).toBeGreaterThan(-1);
    expect(fire).toBeLessThan(text.indexOf('*`quiet`*'));
    expect(text.indexOf('*`quiet`*')).toBeLessThan(text.indexOf('*`calm`*'));
    expect(text).toContain(':large_green_circle: *`calm`* Engagement calm · 3 open · 1 escalated · checked in 1 day ago');
    expect(text).toContain(':red_circle: *`fire`* &lt;!channel&gt;');
    expect(text).toContain('0 open · no check-in · :warning: 2 overdue');
    expect(text).toContain(':white_circle: *`quiet`* Engagement quiet · 0 open · checked in 9 days ago · :warning: check-in stale');
    expect(text).toContain('*Waiting on executives (2)*');
    expect(text).toContain(`*IMP-5* \`payments-platform\` · Executive · Staging is down every Monday · owner <@UOWNER> · raised <!date^${unix('2026-12-01T09:13:00Z')}^`);
    const anonLine = text.split('\n').find((l) => l.includes('*IMP-6*')) ?? '';
    expect(anonLine).toContain(`raised <!date^${unix('2026-12-01T11:00:00Z')}^{date_short_pretty}|2026-12-01>`);
    expect(anonLine).not.toContain('{time}');
    expect(text).toContain('*Pull:* 60% this quarter (Q4 2026, 3 of 5) vs 25% last quarter (Q3 2026, 1 of 4) — more teams are asking for coaching');
    expect(buttons(m).map((b) => b.action_id)).toEqual([ACTION.statusShare]);
    expect(parseShareValue(buttons(m)[0]?.value)).toEqual({ v: 'portfolio', filter: 'active', page: 1 });
    expect(m.text).toContain('Portfolio: 3 engagements. 1 red, 1 with overdue escalations. 2 waiting on executives. Pull this quarter (Q4 2026): 60%.');
  });

  describe('with 1,000 engagements', () => {
    const rows = Array.from({ length: 1000 }, (_, i) =>
      portfolioRow(`key-${String(i).padStart(4, '0')}`, { name: `${HOSTILE} ${'n'.repeat(300)}`, health: i % 3 === 0 ? 'red' : 'green', openImpediments: i }),
    );
    const waits = Array.from({ length: 300 }, (_, i) => wait(i + 1, { description: `${HOSTILE} ${'d'.repeat(2000)}` }));

    it('pages 20 at a time: first, middle and last page within limits, with the right buttons', () => {
      const first = portfolioView(options(rows, { filter: 'all', title: 'All engagements', executiveWaits: waits }));
      checkAll(first);
      expect(lineCount(first)).toBe(20);
      expect(allText(first)).toContain('Page 1 of 50');
      expect(allText(first)).toContain('…and 290 more');
      expect(buttons(first).map((b) => [b.action_id, b.value])).toEqual([
        [ACTION.statusPageNext, '{"filter":"all","page":2}'],
        [ACTION.statusShare, '{"v":"portfolio","filter":"all","page":1}'],
      ]);
      const middle = portfolioView(options(rows, { filter: 'all', page: 17, executiveWaits: waits }));
      checkAll(middle);
      expect(buttons(middle).map((b) => parsePageValue(b.value)?.page ?? 'share')).toEqual([16, 18, 'share']);
      expect(buttons(middle).slice(0, 2).every((b) => STATUS_PAGE_ACTION.test(b.action_id ?? ''))).toBe(true);
      const last = portfolioView(options(rows, { filter: 'all', page: 50, executiveWaits: waits }));
      checkAll(last);
      expect(lineCount(last)).toBe(20);
      expect(buttons(last).map((b) => [b.action_id, b.value])).toEqual([
        [ACTION.statusPagePrevious, '{"filter":"all","page":49}'],
        [ACTION.statusShare, '{"v":"portfolio","filter":"all","page":50}'],
      ]);
      expect(first.text).toContain('1,000 engagements · page 1 of 50');
    });

    it('clamps pages out of range and stays in limits at the largest page size', () => {
      expect(allText(portfolioView(options(rows, { page: 999 })))).toContain('Page 50 of 50');
      expect(allText(portfolioView(options(rows, { page: -3 })))).toContain('Page 1 of 50');
      const big = portfolioView(options(rows, { pageSize: 500, executiveWaits: waits }));
      checkAll(big);
      expect(lineCount(big)).toBe(50);
      expect(allText(big)).toContain('Page 1 of 20');
    });

    it('shows the last page partly filled', () => {
      const m = portfolioView(options(rows.slice(0, 45), { page: 3 }));
      expect(lineCount(m)).toBe(5);
      expect(buttons(m).map((b) => b.action_id)).toEqual([ACTION.statusPagePrevious, ACTION.statusShare]);
    });
  });

  it('marks a shared copy, without page or share buttons', () => {
    const rows = Array.from({ length: 45 }, (_, i) => portfolioRow(`key-${i}`));
    const m = portfolioView(options(rows, { filter: 'mine', title: 'Your engagements', page: 2, shareable: false, sharedBy: 'USHARER' }));
    checkAll(m);
    expect(allText(m)).toContain('Shared by <@USHARER> — their engagements');
    expect(allText(m)).toContain('Page 2 of 3');
    expect(buttons(m)).toEqual([]);
  });
});
