import {
  KEY_PATTERN,
  LIMITS,
  OUTCOME_FORMAT,
  defaultEscalation,
  deriveKey,
  diffEngagement,
  formatMetric,
  formatResponseTime,
  isValidChannelName,
  isValidKey,
  nextFreeKey,
  outcomeReached,
  outcomeToLine,
  parseOutcomeLine,
  parseResponseTime,
  resolveEscalation,
} from '../../../src/domain/kickoffRules';
import type { Engagement, EngagementDraft, OutcomeMetric } from '../../../src/domain/types';
import { engagement } from '../../support/fixtures';

/** The stored engagement as the edit form would hand it back, unchanged. */
function same(e: Engagement): EngagementDraft {
  const { id, teamId, health, lifecycle, engagementChannelId, closeNote, createdBy, createdAt, updatedAt, closedAt, autoEscalate, announcements, confirmation, ...d } = e;
  void [id, teamId, health, lifecycle, engagementChannelId, closeNote, createdBy, createdAt, updatedAt, closedAt, autoEscalate, announcements, confirmation];
  return structuredClone(d);
}

describe('deriveKey', () => {
  it.each([
    ['Payments Platform', 'payments-platform'],
    ['  Crème brûlée — équipe  ', 'creme-brulee-equipe'],
    ['Ｐａｙｍｅｎｔｓ ２０２７', 'payments-2027'],
    ["'); DROP TABLE engagements;--", 'drop-table-engagements'],
    ['<!channel> launch', 'channel-launch'],
    ['Q', 'q-engagement'],
  ])('%s → %s', (name, key) => {
    expect(deriveKey(name)).toBe(key);
    expect(isValidKey(deriveKey(name))).toBe(true);
  });

  it.each(['', '🚀🔥🎉', 'فريق المدفوعات', 'צוות תשלומים', '中文团队', '---'])('falls back to `engagement` for %j', (name) => {
    expect(deriveKey(name)).toBe('engagement');
  });

  it('keeps at most 40 characters and never ends with a dash', () => {
    const key = deriveKey(`${'a'.repeat(39)} b ${'x'.repeat(5000)}`);
    expect(key).toBe('a'.repeat(39));
    expect(deriveKey('word '.repeat(1000)).length).toBeLessThanOrEqual(40);
    expect(deriveKey('word '.repeat(1000))).toMatch(KEY_PATTERN);
  });
});

describe('nextFreeKey', () => {
  it('returns the base when free, else the first free numbered key', async () => {
    expect(await nextFreeKey('payments', () => false)).toBe('payments');
    const taken = new Set(['payments', 'payments-2', 'payments-3']);
    expect(await nextFreeKey('payments', (k) => taken.has(k))).toBe('payments-4');
  });

  it('shortens a 40-character base so the suffix fits', async () => {
    const base = `${'a'.repeat(38)}-b`;
    const key = await nextFreeKey(base, (k) => k === base);
    expect(key).toBe(`${'a'.repeat(38)}-2`);
    expect(key).toMatch(KEY_PATTERN);
  });
});

describe('isValidKey / isValidChannelName', () => {
  it.each(['ab', 'payments-platform', '9lives', 'a'.repeat(40)])('accepts key %s', (k) => expect(isValidKey(k)).toBe(true));
  it.each(['', 'a', '-ab', 'Payments', 'a b', 'a'.repeat(41), 'drop;table', 'é-team'])('rejects key %j', (k) => expect(isValidKey(k)).toBe(false));
  it.each(['coaching-payments', 'a_b', 'x'.repeat(80)])('accepts channel %s', (c) => expect(isValidChannelName(c)).toBe(true));
  it.each(['', 'Coaching', 'has space', 'x'.repeat(81), '#general', 'émoji'])('rejects channel %j', (c) => expect(isValidChannelName(c)).toBe(false));
});

describe('parseOutcomeLine', () => {
  const metric = (line: string) => {
    const r = parseOutcomeLine(line);
    if (!r.ok) throw new Error(`expected ${line} to parse: ${r.message}`);
    return r.outcome;
  };

  it.each([
    ['Lead time: 12 -> 5 days', 'Lead time', 12, 5, 'days'],
    ['Deploys per week: 1 → 10', 'Deploys per week', 1, 10, ''],
    ['Escaped defects: 30% -> 10%', 'Escaped defects', 30, 10, '%'],
    ['Cycle time: 4.5 => 2.25 days', 'Cycle time', 4.5, 2.25, 'days'],
    ['Net balance: -3 -> 2 k€', 'Net balance', -3, 2, 'k€'],
    ['Temperature: 5 -> -2', 'Temperature', 5, -2, ''],
    ['Q3: lead time: 12->5 days', 'Q3: lead time', 12, 5, 'days'],
    ['Deploys: 1 deploys/week -> 10 deploys/week', 'Deploys', 1, 10, 'deploys/week'],
    ['رضا العملاء: 40 -> 80 %', 'رضا العملاء', 40, 80, '%'],
  ])('%s is a metric', (line, text, baseline, target, unit) => {
    expect(metric(line)).toEqual({ text, metric: { baseline, target, current: null, unit } });
  });

  it.each([
    'Team runs its own retrospectives',
    'Goal: the team owns its backlog',
    "'); DROP TABLE engagements;--",
    '<!channel> everyone ships on Friday',
    '🚀 faster releases 🚀',
  ])('%s is a plain outcome kept as typed', (line) => {
    expect(metric(line)).toEqual({ text: line, metric: null });
  });

  it.each(['Lead time: fast -> slow', 'x: 1 ->', 'Lead time 12 -> 5', ': 1 -> 2', 'a: 1 -> 2 -> 3', 'a: 1 days -> 2 hours', 'push -> pull'])(
    '%s has an arrow but no readable metric',
    (line) => {
      expect(parseOutcomeLine(line)).toEqual({ ok: false, message: OUTCOME_FORMAT });
    },
  );

  it('rejects an over-long unit and a baseline too large to be a number', () => {
    expect(parseOutcomeLine(`a: 1 -> 2 ${'u'.repeat(40)}`)).toEqual({ ok: false, message: OUTCOME_FORMAT });
    expect(parseOutcomeLine(`a: ${'9'.repeat(400)} -> 1`)).toEqual({ ok: false, message: OUTCOME_FORMAT });
  });

  it('keeps a 5,000-character plain line whole (length is checked by the form)', () => {
    const line = 'ب'.repeat(2500) + '🎉'.repeat(2500);
    expect(metric(line)).toEqual({ text: line, metric: null });
  });

  it('says what form is expected', () => {
    expect(OUTCOME_FORMAT).toBe('Write it as `metric: baseline -> target unit`, e.g. `Lead time: 12 -> 5 days`');
  });

  it('rejects an empty line', () => {
    expect(parseOutcomeLine('   ').ok).toBe(false);
  });

  it('round-trips through outcomeToLine', () => {
    for (const line of ['Lead time: 12 -> 5 days', 'Escaped defects: 30% -> 10%', 'Deploys: 1 -> 10', 'Plain: no arrow here']) {
      const parsed = metric(line);
      expect(metric(outcomeToLine(parsed))).toEqual(parsed);
    }
  });
});

describe('formatMetric / outcomeReached', () => {
  const m = (baseline: number, target: number, current: number | null, unit = 'days'): OutcomeMetric => ({ baseline, target, current, unit });

  it('formats baseline → target with the unit', () => {
    expect(formatMetric(m(12, 5, null))).toBe('12 → 5 days');
    expect(formatMetric(m(30, 10, null, '%'))).toBe('30% → 10%');
    expect(formatMetric(m(1, 10, null, ''))).toBe('1 → 10');
    expect(formatMetric(m(12, 5, 8), true)).toBe('12 → 8 → 5 days');
    expect(formatMetric(m(12, 5, null), true)).toBe('12 → — → 5 days');
  });

  it('follows the direction from baseline to target', () => {
    expect(outcomeReached(m(12, 5, null))).toBeNull();
    expect(outcomeReached(m(12, 5, 5))).toBe(true);
    expect(outcomeReached(m(12, 5, 4))).toBe(true);
    expect(outcomeReached(m(12, 5, 6))).toBe(false);
    expect(outcomeReached(m(1, 10, 10))).toBe(true);
    expect(outcomeReached(m(1, 10, 9.9))).toBe(false);
    expect(outcomeReached(m(3, 3, 3))).toBe(true);
    expect(outcomeReached(m(3, 3, 4))).toBe(false);
  });
});

describe('parseResponseTime / formatResponseTime', () => {
  it.each([
    ['2', 2, 'business_days'],
    ['2d', 2, 'business_days'],
    ['2 days', 2, 'business_days'],
    ['1 day', 1, 'business_days'],
    ['2 business days', 2, 'business_days'],
    [' 30 Days ', 30, 'business_days'],
    ['4h', 4, 'business_hours'],
    ['4 hours', 4, 'business_hours'],
    ['200 business hours', 200, 'business_hours'],
  ])('%j → %d %s', (text, value, unit) => {
    expect(parseResponseTime(text)).toEqual({ ok: true, value, unit });
  });

  it.each(['', 'soon', '0', '31', '201h', '1.5', '-2', '2 weeks', "2'; DROP TABLE x", '🕑', 'يومان', '<!channel>'])('rejects %j with a message', (text) => {
    const r = parseResponseTime(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/business days|hours|between/);
  });

  it('rejects 5,000 digits without trouble', () => {
    expect(parseResponseTime('9'.repeat(5000)).ok).toBe(false);
  });

  it('formats singular and plural', () => {
    expect(formatResponseTime(2, 'business_days')).toBe('2 business days');
    expect(formatResponseTime(1, 'business_days')).toBe('1 business day');
    expect(formatResponseTime(4, 'business_hours')).toBe('4 business hours');
    expect(formatResponseTime(1, 'business_hours')).toBe('1 business hour');
  });
});

describe('escalation defaults', () => {
  it('coaches in 2 days, then the sponsor in 5; the program level is omitted without contacts', () => {
    expect(defaultEscalation(['U1', 'U2'], 'US')).toEqual([
      { level: 1, name: 'Team', contactIds: ['U1', 'U2'], responseTime: 2, responseUnit: 'business_days' },
      { level: 2, name: 'Executive', contactIds: ['US'], responseTime: 5, responseUnit: 'business_days' },
    ]);
  });

  it('keeps the program level when it has contacts', () => {
    expect(defaultEscalation(['U1'], 'US', ['UP']).map((l) => [l.level, l.name, l.contactIds, l.responseTime])).toEqual([
      [1, 'Team', ['U1'], 2],
      [2, 'Program', ['UP'], 3],
      [3, 'Executive', ['US'], 5],
    ]);
  });

  it('uses chosen contacts and names, drops duplicates, renumbers', () => {
    const levels = resolveEscalation(
      [
        { name: 'Squad', contactIds: ['UX', 'UX'], responseTime: 4, responseUnit: 'business_hours' },
        { name: '', contactIds: [], responseTime: 3, responseUnit: 'business_days' },
        { name: '', contactIds: [], responseTime: 5, responseUnit: 'business_days' },
      ],
      ['U1'],
      'US',
    );
    expect(levels).toEqual([
      { level: 1, name: 'Squad', contactIds: ['UX'], responseTime: 4, responseUnit: 'business_hours' },
      { level: 2, name: 'Executive', contactIds: ['US'], responseTime: 5, responseUnit: 'business_days' },
    ]);
  });
});

describe('diffEngagement', () => {
  it('is empty when nothing changed', () => {
    const e = engagement();
    expect(diffEngagement(e, same(e))).toEqual([]);
  });

  it('describes each change in a short line', () => {
    const e = engagement({ coachIds: ['U1', 'U3'], reviewDate: '2027-02-20' });
    const after: EngagementDraft = {
      ...same(e),
      name: 'Payments <!channel> & friends',
      coachIds: ['U1', 'U2'],
      reviewDate: '2027-03-06',
      painPoints: ['Releases take three weeks', 'Handoffs between teams'],
      level: 'program',
      origin: 'push',
      requestedBy: null,
      sponsorId: 'UNEW',
      announcementChannelIds: ['CANNOUNCE1', 'CNEW'],
      engagementChannelName: 'coaching-payments',
    };
    const lines = diffEngagement(e, after);
    expect(lines).toEqual([
      'Name changed to “Payments &lt;!channel&gt; &amp; friends”',
      'Level changed from Team to Program',
      'Origin changed to assigned (push)',
      'Sponsor changed from <@USPONSOR> to <@UNEW>',
      'Coaches: added <@U2>, removed <@U3>',
      'Pain points: 1 added, 1 removed',
      'Review date moved from 2027-02-20 to 2027-03-06',
      'Announcement channels: added <#CNEW>, removed <#CANNOUNCE2>',
      'Engagement channel #coaching-payments requested',
    ]);
  });

  it('reports outcome, escalation, key and date changes', () => {
    const e = engagement();
    const d = same(e);
    const after: EngagementDraft = {
      ...d,
      key: 'payments-2',
      startDate: '2026-11-30',
      outcomes: [{ text: 'Lead time', metric: { baseline: 21, target: 3, current: null, unit: 'days' } }, ...d.outcomes.slice(1)],
      escalation: [
        { ...d.escalation[0]!, responseTime: 4, responseUnit: 'business_hours' },
        { ...d.escalation[2]!, level: 2 },
      ],
    };
    expect(diffEngagement(e, after)).toEqual([
      'Key changed from `payments-platform` to `payments-2`',
      'Outcomes: 1 added, 1 removed',
      'Escalation level 1 (Team): response time 2 business days → 4 business hours',
      'Escalation level 2 (Program): renamed to “Executive”; contacts added <@USPONSOR>, removed <@UPROGRAM>; response time 3 business days → 5 business days',
      'Escalation level 3 (Executive) removed',
      'Start date moved from 2026-11-23 to 2026-11-30',
    ]);
  });

  it('notices reordering and a new requester', () => {
    const e = engagement();
    const after = { ...same(e), painPoints: [...e.painPoints].reverse(), requestedBy: 'UOTHER' };
    expect(diffEngagement(e, after)).toEqual(['Requested by changed to <@UOTHER>', 'Pain points reordered']);
  });

  it('never lets typed text ping or link', () => {
    const e = engagement();
    const after = { ...same(e), name: '<!here> <http://evil.example|bank> <@U999>', escalation: [{ ...e.escalation[0]!, name: '<!everyone>' }, ...e.escalation.slice(1)] };
    for (const line of diffEngagement(e, after)) {
      expect(line).not.toMatch(/<!|<http|<@U999/);
    }
  });
});

describe('limits', () => {
  it('are the agreed numbers', () => {
    expect(LIMITS).toMatchObject({ nameMax: 120, lineMax: 1000, painPointsMax: 20, outcomesMax: 20, levelNameMax: 40, closeNoteMax: 2000, channelNameMax: 80 });
  });
});
