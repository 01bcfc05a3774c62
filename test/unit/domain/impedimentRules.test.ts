import { refusal as refusalView } from '../../../src/slack/views/kickoffHelp';
import {
  DESCRIPTION_MAX,
  NOTE_MAX,
  REASON_MAX,
  assertCanAcknowledge,
  assertCanEscalate,
  assertCanResolve,
  assertCanTakeOwnership,
  autoEscalationReason,
  currentLevel,
  dueAtFor,
  nextLevel,
  parseImpedimentRef,
  parseSeverityPrefix,
  type ImpedimentPermissionContext,
} from '../../../src/domain/impedimentRules';
import { PermissionError } from '../../../src/domain/errors';
import type { Impediment } from '../../../src/domain/impedimentTypes';
import type { Engagement, EscalationLevel } from '../../../src/domain/types';
import * as fixtures from '../../support/fixtures';

const LINE: EscalationLevel[] = [
  { level: 1, name: 'Team', contactIds: ['UTEAMLEAD'], responseTime: 4, responseUnit: 'business_hours' },
  { level: 2, name: 'Program', contactIds: ['UPROGRAM'], responseTime: 2, responseUnit: 'business_days' },
  { level: 3, name: 'Executive', contactIds: ['USPONSOR', 'UEXEC'], responseTime: 1, responseUnit: 'business_days' },
];

/** The shared engagement on the line above, and IMP-7, owned by UOWNER: the refusals below name them. */
const engagement = (overrides: Partial<Engagement> = {}): Engagement => fixtures.engagement({ escalation: LINE, ...overrides });
const impediment = (overrides: Partial<Impediment> = {}): Impediment => fixtures.impediment({ number: 7, ownerId: 'UOWNER', ...overrides });

const ctx = (userId: string, i: Partial<Impediment> = {}, e: Partial<Engagement> = {}): ImpedimentPermissionContext => ({
  impediment: impediment(i),
  engagement: engagement(e),
  userId,
  adminIds: ['UADMIN'],
});

function refusal(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PermissionError);
    return (err as PermissionError).userMessage;
  }
  throw new Error('expected a refusal');
}

describe('limits', () => {
  it('are the agreed sizes', () => {
    expect([DESCRIPTION_MAX, REASON_MAX, NOTE_MAX]).toEqual([3000, 1000, 2000]);
  });
});

describe('parseImpedimentRef', () => {
  it.each([
    ['IMP-12', 12],
    ['imp-12', 12],
    ['IMP12', 12],
    ['#12', 12],
    ['12', 12],
    ['  IMP-12 ', 12],
    ['IMP-007', 7],
    ['IMP-99999', 99999],
    ['999999999', 999_999_999],
  ])('reads %j as %d', (text, n) => {
    expect(parseImpedimentRef(text)).toEqual({ ok: true, number: n });
  });

  it.each([
    ['IMP-0', 'start at 1'],
    ['0', 'start at 1'],
    ['IMP-1000000000', 'too large'],
    ['123456789012345', 'too large'],
    ['', 'Which impediment?'],
    ['   ', 'Which impediment?'],
    ['abc', 'not an impediment id'],
    ['IMP-', 'not an impediment id'],
    ['-5', 'not an impediment id'],
    ['IMP--5', 'not an impediment id'],
    ['1.5', 'not an impediment id'],
    ['12abc', 'not an impediment id'],
    ['IMP 12', 'not an impediment id'],
    ['１２', 'not an impediment id'],
    ['x'.repeat(10_000), 'not an impediment id'],
    ['1'.repeat(10_000), 'not an impediment id'],
  ])('refuses %j', (text, why) => {
    const r = parseImpedimentRef(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toContain(why);
    expect(r.message).toContain('Impediment ids look like IMP-12');
    expect(r.message.length).toBeLessThan(120);
  });
});

describe('parseSeverityPrefix', () => {
  it.each([
    ['!high Build broken', 'high', 'Build broken'],
    ['!CRITICAL   prod is down', 'critical', 'prod is down'],
    ['!Low typo on the wiki', 'low', 'typo on the wiki'],
    ['!medium meh', 'medium', 'meh'],
    ['  !low   spaced  ', 'low', 'spaced'],
    ['!high', 'high', ''],
    ['!high\nsecond line', 'high', 'second line'],
    ['No prefix here', 'medium', 'No prefix here'],
    ['!urgent not a severity', 'medium', '!urgent not a severity'],
    ['!highway to review', 'medium', '!highway to review'],
    ['text then !high', 'medium', 'text then !high'],
  ])('%j → %s', (text, severity, rest) => {
    expect(parseSeverityPrefix(text)).toEqual({ severity, text: rest });
  });
});

describe('permissions', () => {
  const cases: [string, (c: ImpedimentPermissionContext) => void, string[], string[]][] = [
    ['resolve', assertCanResolve, ['UCOACH1', 'UOWNER', 'UTEAMLEAD', 'USPONSOR', 'UADMIN'], ['UREPORTER', 'UPROGRAM', 'UEXEC', 'URANDOM']],
    ['escalate', assertCanEscalate, ['UREPORTER', 'UOWNER', 'UCOACH2', 'UTEAMLEAD', 'USPONSOR', 'UADMIN'], ['UPROGRAM', 'UEXEC', 'URANDOM']],
    ['acknowledge', assertCanAcknowledge, ['UTEAMLEAD', 'UCOACH1', 'UOWNER', 'USPONSOR', 'UADMIN'], ['UREPORTER', 'UPROGRAM', 'URANDOM']],
    ['take ownership', assertCanTakeOwnership, ['UCOACH2', 'UTEAMLEAD', 'UPROGRAM', 'UEXEC', 'USPONSOR', 'UADMIN'], ['UREPORTER', 'URANDOM']],
  ];
  describe.each(cases)('%s', (_, assert, allowed, refused) => {
    it.each(allowed)('allows %s', (user) => expect(() => assert(ctx(user))).not.toThrow());
    it.each(refused)('refuses %s', (user) => expect(() => assert(ctx(user))).toThrow(PermissionError));
  });

  it('says who can resolve', () => {
    expect(refusal(() => assertCanResolve(ctx('URANDOM')))).toBe(
      'Only a coach (<@UCOACH1>, <@UCOACH2>), the owner (<@UOWNER>), the contact at the current level (Team: <@UTEAMLEAD>), ' +
        'the sponsor (<@USPONSOR>) or a coachline admin can resolve IMP-7.',
    );
  });

  it('says who can escalate, the reporter first', () => {
    expect(refusal(() => assertCanEscalate(ctx('URANDOM')))).toBe(
      'Only the reporter (<@UREPORTER>), the owner (<@UOWNER>), a coach (<@UCOACH1>, <@UCOACH2>), ' +
        'the contact at the current level (Team: <@UTEAMLEAD>), the sponsor (<@USPONSOR>) or a coachline admin can escalate IMP-7.',
    );
  });

  it('says who can acknowledge, following the current level', () => {
    expect(refusal(() => assertCanAcknowledge(ctx('UTEAMLEAD', { level: 3, ownerId: null })))).toBe(
      'Only a contact at the current level (Executive: <@USPONSOR>, <@UEXEC>), a coach (<@UCOACH1>, <@UCOACH2>), ' +
        'the sponsor (<@USPONSOR>) or a coachline admin can acknowledge IMP-7.',
    );
    expect(() => assertCanAcknowledge(ctx('UEXEC', { level: 3 }))).not.toThrow();
  });

  it('says who can take ownership, naming every escalation contact once', () => {
    expect(refusal(() => assertCanTakeOwnership(ctx('URANDOM', {}, { coachIds: ['UCOACH1'] })))).toBe(
      'Only the coach (<@UCOACH1>), an escalation contact (<@UTEAMLEAD>, <@UPROGRAM>, <@USPONSOR>, <@UEXEC>), ' +
        'the sponsor (<@USPONSOR>) or a coachline admin can take ownership of IMP-7.',
    );
  });

  it('never lets or names the reporter of an anonymous impediment', () => {
    const anonymous = ctx('UREPORTER', { anonymous: true, reporterId: null });
    expect(refusal(() => assertCanEscalate(anonymous))).not.toContain('reporter');
    // Even a row that wrongly kept the id does not make the reporter visible or privileged.
    const leaky = ctx('UREPORTER', { anonymous: true, reporterId: 'UREPORTER' });
    expect(refusal(() => assertCanEscalate(leaky))).not.toContain('UREPORTER');
  });

  it('leaves out an owner, coaches or contacts who do not exist', () => {
    const bare = ctx('URANDOM', { ownerId: null, level: 9 }, { coachIds: [] });
    expect(refusal(() => assertCanResolve(bare))).toBe('Only the sponsor (<@USPONSOR>) or a coachline admin can resolve IMP-7.');
  });

  it('leaves level names raw in the domain; the refusal view escapes them and keeps mentions live', () => {
    const line = [{ ...LINE[0]!, name: 'Team <A&B>' }];
    expect(refusal(() => assertCanResolve(ctx('URANDOM', {}, { escalation: line })))).toContain('(Team <A&B>: <@UTEAMLEAD>)');
    let err: PermissionError | null = null;
    try {
      assertCanResolve(ctx('URANDOM', {}, { escalation: line }));
    } catch (e) {
      err = e as PermissionError;
    }
    const shown = JSON.stringify(refusalView(err!.action, err!.whoCan));
    expect(shown).toContain('Team &lt;A&amp;B&gt;: <@UTEAMLEAD>');
  });
});

describe('nextLevel', () => {
  it('moves to the next level and says when it is the top', () => {
    expect(nextLevel(impediment({ level: 1 }), engagement())).toEqual({ ok: true, level: LINE[1], isTop: false });
    expect(nextLevel(impediment({ level: 2, state: 'acknowledged' }), engagement())).toEqual({ ok: true, level: LINE[2], isTop: true });
  });

  it('skips a gap in the line', () => {
    const e = engagement({ escalation: [LINE[2]!, LINE[0]!] });
    expect(nextLevel(impediment({ level: 1 }), e)).toEqual({ ok: true, level: LINE[2], isTop: true });
  });

  it('refuses past the top, naming the top level and its contacts', () => {
    expect(nextLevel(impediment({ level: 3 }), engagement())).toEqual({
      ok: false,
      message:
        'IMP-7 is already at the top of the escalation line (Executive: <@USPONSOR>, <@UEXEC>). Resolve it, or raise it with them directly.',
    });
  });

  it('refuses closed impediments and engagements without a line', () => {
    expect(nextLevel(impediment({ state: 'resolved' }), engagement())).toEqual({
      ok: false,
      message: 'IMP-7 is resolved already, so there is nothing to escalate.',
    });
    expect(nextLevel(impediment({ state: 'wont_fix' }), engagement())).toMatchObject({ ok: false, message: expect.stringContaining("won't fix") });
    const r = nextLevel(impediment(), engagement({ escalation: [] }));
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('/kickoff edit payments-platform') });
  });
});

describe('currentLevel, dueAtFor and autoEscalationReason', () => {
  it('finds the current level', () => {
    expect(currentLevel(impediment({ level: 2 }), engagement())).toBe(LINE[1]);
    expect(currentLevel(impediment({ level: 5 }), engagement())).toBeNull();
  });

  it('computes due times in business time', () => {
    // Fri 2026-11-27 16:00 Berlin + 4 business hours → Mon 12:00 (11:00Z)
    expect(dueAtFor(LINE[0]!, new Date('2026-11-27T15:00:00Z'), 'Europe/Berlin').toISOString()).toBe('2026-11-30T11:00:00.000Z');
    // Fri 15:00 New York before the autumn change + 2 business days → Tue 15:00 EST
    expect(dueAtFor(LINE[1]!, new Date('2026-10-30T19:00:00Z'), 'America/New_York').toISOString()).toBe('2026-11-03T20:00:00.000Z');
  });

  it('words the automatic escalation reason', () => {
    expect(autoEscalationReason(LINE[1]!)).toBe('no response within 2 business days');
    expect(autoEscalationReason(LINE[0]!)).toBe('no response within 4 business hours');
    expect(autoEscalationReason(LINE[2]!)).toBe('no response within 1 business day');
  });
});
