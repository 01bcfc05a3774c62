import { ACTION, ANONYMOUS_OPTION, BLOCK, ORGANISATIONAL_OPTION } from '../../../src/slack/ids';
import {
  USAGE,
  encodeImpedimentMetadata,
  encodeRaiseMetadata,
  parseEditSubmission,
  parseEscalateCommand,
  parseImpedimentButton,
  parseImpedimentCommand,
  parseImpedimentMetadata,
  parseRaiseMetadata,
  parseRaiseSubmission,
  parseReasonSubmission,
  parseResolveSubmission,
  splitSeverity,
} from '../../../src/slack/input/impedimentInput';

const LONG = 'x'.repeat(10_000);

describe('parseImpedimentCommand', () => {
  it.each([
    ['', { kind: 'open' }],
    ['   ', { kind: 'open' }],
    ['help', { kind: 'help' }],
    ['HELP me', { kind: 'help' }],
    ['list', { kind: 'list', filter: { type: 'default' } }],
    ['list mine', { kind: 'list', filter: { type: 'mine' } }],
    ['List OPEN', { kind: 'list', filter: { type: 'open' } }],
    ['list Payments-Platform', { kind: 'list', filter: { type: 'key', key: 'payments-platform' } }],
    ['resolve IMP-12 rebuilt the pipeline', { kind: 'resolve', ref: 'IMP-12', note: 'rebuilt the pipeline' }],
    ['resolve 12 a &amp; b &lt;ok&gt;', { kind: 'resolve', ref: '12', note: 'a & b <ok>' }],
    ['escalate imp-12 needs a budget decision', { kind: 'escalate', ref: 'imp-12', reason: 'needs a budget decision' }],
    ['follow F3-ABCD-EFGH-JKLM', { kind: 'follow', code: 'F3-ABCD-EFGH-JKLM', reply: null }],
    ['follow F3-ABCD-EFGH-JKLM thanks, still blocked', { kind: 'follow', code: 'F3-ABCD-EFGH-JKLM', reply: 'thanks, still blocked' }],
    ['auto-escalation payments-platform off', { kind: 'autoEscalation', key: 'payments-platform', on: false }],
    ['Auto-Escalation Payments-Platform ON', { kind: 'autoEscalation', key: 'payments-platform', on: true }],
  ])('%j', (text, expected) => {
    expect(parseImpedimentCommand(text)).toEqual(expected);
  });

  it.each([
    ['resolve', USAGE.resolve],
    ['resolve IMP-12', USAGE.resolve],
    ['escalate', USAGE.escalate],
    ['escalate IMP-12   ', USAGE.escalate],
    ['follow', USAGE.follow],
    ['auto-escalation', USAGE.autoEscalation],
    ['auto-escalation payments', USAGE.autoEscalation],
    ['auto-escalation payments maybe', USAGE.autoEscalation],
    ['list mine please', USAGE.list],
  ])('%j is an error with its usage', (text, usage) => {
    const r = parseImpedimentCommand(text);
    expect(r).toEqual({ kind: 'error', message: usage });
  });

  it('refuses bad keys, over-long notes, reasons, replies and descriptions', () => {
    for (const text of ['list <!channel>', 'auto-escalation Bad_Key! on', `resolve IMP-1 ${LONG}`, `escalate IMP-1 ${LONG}`, `follow F1-A ${LONG}`, LONG, `!high ${LONG}`]) {
      expect(parseImpedimentCommand(text).kind).toBe('error');
    }
    expect(parseImpedimentCommand(`resolve IMP-1 ${LONG}`)).toEqual({ kind: 'error', message: 'The note is 10,000 characters; keep it to 2,000 or fewer' });
  });

  it('refuses what is not text', () => {
    for (const forged of [undefined, null, 42, {}, ['list']]) expect(parseImpedimentCommand(forged).kind).toBe('error');
    for (const forged of [undefined, null, 42, {}]) expect(parseEscalateCommand(forged).kind).toBe('error');
  });

  it('takes anything else as quick capture, decoded from Slack’s escaping', () => {
    expect(parseImpedimentCommand('The build &lt;!channel&gt; is slow &amp; flaky')).toEqual({
      kind: 'raise',
      text: 'The build <!channel> is slow & flaky',
      description: 'The build <!channel> is slow & flaky',
      severity: null,
    });
    expect(parseImpedimentCommand('listing is broken')).toMatchObject({ kind: 'raise', description: 'listing is broken' });
    expect(parseImpedimentCommand('ask <@U123|ana> about <#C1|ops>')).toMatchObject({ kind: 'raise', description: 'ask @ana about #ops' });
  });

  it('reads a leading severity', () => {
    expect(parseImpedimentCommand('!high Staging is down')).toEqual({ kind: 'raise', text: '!high Staging is down', description: 'Staging is down', severity: 'high' });
    expect(parseImpedimentCommand('!CRITICAL\nprod down')).toMatchObject({ severity: 'critical', description: 'prod down' });
    expect(parseImpedimentCommand('!urgent fix')).toMatchObject({ severity: null, description: '!urgent fix' });
    expect(parseImpedimentCommand('!critical')).toMatchObject({ kind: 'error' });
    expect(splitSeverity('!low  a b')).toEqual({ severity: 'low', description: 'a b' });
    expect(splitSeverity('!lowish a')).toEqual({ severity: null, description: '!lowish a' });
  });
});

describe('parseEscalateCommand', () => {
  it('reads /escalate IMP-n REASON', () => {
    expect(parseEscalateCommand('')).toEqual({ kind: 'help' });
    expect(parseEscalateCommand('help')).toEqual({ kind: 'help' });
    expect(parseEscalateCommand('IMP-3 a &amp; b\nsecond line')).toEqual({ kind: 'escalate', ref: 'IMP-3', reason: 'a & b\nsecond line' });
    expect(parseEscalateCommand('IMP-3')).toEqual({ kind: 'error', message: USAGE.escalateCommand });
    expect(parseEscalateCommand(`IMP-3 ${LONG}`).kind).toBe('error');
  });
});

// --- view state ---------------------------------------------------------------------------

const text = (value: unknown) => ({ [ACTION.value]: { type: 'plain_text_input', value } });
const option = (value: unknown) => ({ [ACTION.value]: { type: 'static_select', selected_option: value === null ? null : { value } } });
const options = (...values: string[]) => ({ [ACTION.value]: { type: 'checkboxes', selected_options: values.map((value) => ({ value })) } });

function raiseValues(over: Record<string, unknown> = {}) {
  return {
    [BLOCK.impEngagement]: option('7'),
    [BLOCK.impDescription]: text('  Staging is down every Monday  '),
    [BLOCK.impSeverity]: option('high'),
    [BLOCK.impOrganisational]: options(ORGANISATIONAL_OPTION),
    [BLOCK.impAnonymous]: options(),
    ...over,
  };
}

describe('parseRaiseSubmission', () => {
  it('reads a good submission', () => {
    expect(parseRaiseSubmission(raiseValues())).toEqual({
      ok: true,
      input: { engagementId: 7, description: 'Staging is down every Monday', severity: 'high', organisational: true, anonymous: false },
    });
    const anon = parseRaiseSubmission(raiseValues({ [BLOCK.impAnonymous]: options(ANONYMOUS_OPTION), [BLOCK.impOrganisational]: options() }));
    expect(anon).toMatchObject({ ok: true, input: { anonymous: true, organisational: false } });
  });

  it('puts every problem on its block', () => {
    const r = parseRaiseSubmission(raiseValues({ [BLOCK.impEngagement]: option(null), [BLOCK.impDescription]: text('   '), [BLOCK.impSeverity]: option('urgent') }));
    expect(r).toEqual({
      ok: false,
      errors: { [BLOCK.impEngagement]: 'Choose an engagement from the list', [BLOCK.impDescription]: 'Say what is blocking you', [BLOCK.impSeverity]: 'Choose a severity' },
    });
  });

  it('refuses too-long descriptions and forged engagement ids', () => {
    expect(parseRaiseSubmission(raiseValues({ [BLOCK.impDescription]: text('y'.repeat(3000)) })).ok).toBe(true);
    expect(parseRaiseSubmission(raiseValues({ [BLOCK.impDescription]: text('🎉'.repeat(3000)) })).ok).toBe(true);
    const long = parseRaiseSubmission(raiseValues({ [BLOCK.impDescription]: text(LONG) }));
    expect(long).toEqual({ ok: false, errors: { [BLOCK.impDescription]: 'This is 10,000 characters; keep it to 3,000 or fewer' } });
    for (const id of ['0', '-1', 'abc', '1e3', '1.5', ' 7', '99999999999999999999', 7]) {
      const r = parseRaiseSubmission(raiseValues({ [BLOCK.impEngagement]: option(id) }));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(Object.keys(r.errors)).toEqual([BLOCK.impEngagement]);
    }
  });

  it('survives wrong types anywhere', () => {
    for (const values of [null, undefined, 'x', 42, [], { [BLOCK.impDescription]: 'str' }, { [BLOCK.impDescription]: { [ACTION.value]: { value: 5 } } }]) {
      const r = parseRaiseSubmission(values);
      expect(r.ok).toBe(false);
    }
    const r = parseRaiseSubmission(raiseValues({ [BLOCK.impDescription]: { [ACTION.value]: { value: ['a'] } } }));
    expect(r).toEqual({ ok: false, errors: { [BLOCK.impDescription]: 'This field could not be read; fill it in again' } });
    // Forged checkbox values other than the one option are ignored.
    expect(parseRaiseSubmission(raiseValues({ [BLOCK.impAnonymous]: options('yes', 'true') }))).toMatchObject({ ok: true, input: { anonymous: false } });
    expect(parseRaiseSubmission(raiseValues({ [BLOCK.impAnonymous]: { [ACTION.value]: { selected_options: 'anonymous' } } })).ok).toBe(false);
  });
});

describe('reason, resolve and edit submissions', () => {
  it('reads the reason', () => {
    expect(parseReasonSubmission({ [BLOCK.impReason]: text(' needs budget ') })).toEqual({ ok: true, input: { reason: 'needs budget' } });
    expect(parseReasonSubmission({ [BLOCK.impReason]: text('') })).toEqual({ ok: false, errors: { [BLOCK.impReason]: 'Say why it needs the next level' } });
    expect(parseReasonSubmission({ [BLOCK.impReason]: text(LONG) }).ok).toBe(false);
    expect(parseReasonSubmission(null).ok).toBe(false);
  });

  it('reads the resolution', () => {
    const ok = parseResolveSubmission({ [BLOCK.impResolution]: option('wont_fix'), [BLOCK.impNote]: text('Policy stays') });
    expect(ok).toEqual({ ok: true, input: { resolution: 'wont_fix', note: 'Policy stays' } });
    const bad = parseResolveSubmission({ [BLOCK.impResolution]: option('deleted'), [BLOCK.impNote]: text('a'.repeat(2001)) });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual([BLOCK.impNote, BLOCK.impResolution].sort());
    expect(parseResolveSubmission({ [BLOCK.impResolution]: option('resolved') })).toEqual({ ok: false, errors: { [BLOCK.impNote]: 'Say what was done, or why it won’t be fixed' } });
    expect(parseResolveSubmission({ [BLOCK.impResolution]: { [ACTION.value]: { selected_option: { value: 3 } } }, [BLOCK.impNote]: text('x') }).ok).toBe(false);
  });

  it('reads an edit', () => {
    expect(parseEditSubmission({ [BLOCK.impDescription]: text('new'), [BLOCK.impSeverity]: option('low') })).toEqual({ ok: true, input: { description: 'new', severity: 'low' } });
    expect(parseEditSubmission({ [BLOCK.impDescription]: text(LONG), [BLOCK.impSeverity]: option('LOW') }).ok).toBe(false);
    expect(parseEditSubmission('forged').ok).toBe(false);
  });
});

describe('private_metadata and button values', () => {
  it('round-trips both shapes', () => {
    const raise = { source: 'shortcut' as const, permalink: 'https://acme.slack.com/archives/C1/p1700000000000100?thread_ts=1&cid=C1', channelId: 'C123' };
    expect(parseRaiseMetadata(encodeRaiseMetadata(raise))).toEqual(raise);
    expect(parseRaiseMetadata(encodeRaiseMetadata({ source: 'command' }))).toEqual({ source: 'command' });
    expect(parseImpedimentMetadata(encodeImpedimentMetadata({ impedimentId: 41 }))).toEqual({ impedimentId: 41 });
  });

  it('refuses tampered metadata', () => {
    const forged = [
      undefined,
      42,
      '',
      'not json',
      '{"source":"command"'.padEnd(3001, ' '),
      JSON.stringify({ source: 'email' }),
      JSON.stringify({ source: 'command', extra: 1 }),
      JSON.stringify({ source: 'shortcut', permalink: 'http://acme.slack.com/archives/C1/p1' }),
      JSON.stringify({ source: 'shortcut', permalink: 'javascript:alert(1)' }),
      JSON.stringify({ source: 'shortcut', permalink: 'https://x.example|Your bank>' }),
      JSON.stringify({ source: 'shortcut', permalink: `https://x.example/${'a'.repeat(2000)}` }),
      JSON.stringify({ source: 'command', channelId: '<!channel>' }),
      JSON.stringify({ impedimentId: 41 }),
    ];
    for (const f of forged) expect(parseRaiseMetadata(f)).toBeNull();
    for (const f of [JSON.stringify({ impedimentId: '41' }), JSON.stringify({ impedimentId: -1 }), JSON.stringify({ impedimentId: 1.5 }), JSON.stringify({ impedimentId: 1, x: 2 }), JSON.stringify({ source: 'command' }), '[1]', null]) {
      expect(parseImpedimentMetadata(f)).toBeNull();
    }
    expect(() => encodeImpedimentMetadata({ impedimentId: 0 })).toThrow();
  });

  it('reads button values strictly', () => {
    expect(parseImpedimentButton('41')).toEqual({ impedimentId: 41 });
    for (const v of ['041', '0', '-1', '1.0', '1e3', ' 41', '41 ', 'IMP-41', '', '99999999999999999', 41, null, undefined, { id: 41 }, ['41']]) {
      expect(parseImpedimentButton(v)).toBeNull();
    }
  });
});

describe('follow codes typed with spaces between the groups', () => {
  it('takes the whole spaced code as the code and the rest as the reply', () => {
    expect(parseImpedimentCommand('follow F12 ABCD EFGH JKMN thanks, that helps')).toEqual({ kind: 'follow', code: 'F12 ABCD EFGH JKMN', reply: 'thanks, that helps' });
    expect(parseImpedimentCommand('follow f12 abcd efgh jkmn')).toEqual({ kind: 'follow', code: 'f12 abcd efgh jkmn', reply: null });
    expect(parseImpedimentCommand('follow F12-ABCD-EFGH-JKMN a reply')).toEqual({ kind: 'follow', code: 'F12-ABCD-EFGH-JKMN', reply: 'a reply' });
  });
});
