import {
  STATUS_USAGE,
  encodePageValue,
  encodeShareValue,
  parsePageValue,
  parseShareValue,
  parseStatusCommand,
} from '../../../src/slack/input/statusInput';

describe('parseStatusCommand', () => {
  it('reads the subcommands, case-insensitively and with extra spaces', () => {
    expect(parseStatusCommand('')).toEqual({ kind: 'here' });
    expect(parseStatusCommand('   ')).toEqual({ kind: 'here' });
    expect(parseStatusCommand('help')).toEqual({ kind: 'help' });
    expect(parseStatusCommand(' MINE ')).toEqual({ kind: 'mine' });
    expect(parseStatusCommand('All')).toEqual({ kind: 'all' });
    expect(parseStatusCommand('update')).toEqual({ kind: 'update', key: null });
    expect(parseStatusCommand('update   Payments-Platform')).toEqual({ kind: 'update', key: 'payments-platform' });
    expect(parseStatusCommand('export all')).toEqual({ kind: 'export', target: { type: 'all' } });
    expect(parseStatusCommand('export payments')).toEqual({ kind: 'export', target: { type: 'key', key: 'payments' } });
  });

  it('reads a key, lowercased', () => {
    expect(parseStatusCommand('Payments-Platform')).toEqual({ kind: 'key', key: 'payments-platform' });
    expect(parseStatusCommand('q4-2026')).toEqual({ kind: 'key', key: 'q4-2026' });
  });

  it('explains what is wrong with bad keys and extra words', () => {
    const bad = parseStatusCommand('pay ments');
    expect(bad).toEqual({ kind: 'error', message: STATUS_USAGE.general });
    const key = parseStatusCommand('<!channel>');
    expect(key.kind).toBe('error');
    if (key.kind === 'error') expect(key.message).toContain('Engagement keys look like');
    expect(parseStatusCommand('-leading')).toMatchObject({ kind: 'error' });
    expect(parseStatusCommand('x'.repeat(41))).toMatchObject({ kind: 'error' });
    expect(parseStatusCommand('update a b')).toEqual({ kind: 'error', message: STATUS_USAGE.update });
    expect(parseStatusCommand('update <@U1|bob>')).toMatchObject({ kind: 'error' });
    expect(parseStatusCommand('export')).toEqual({ kind: 'error', message: STATUS_USAGE.export });
    expect(parseStatusCommand('export a b')).toEqual({ kind: 'error', message: STATUS_USAGE.export });
    expect(parseStatusCommand('mine please')).toEqual({ kind: 'error', message: STATUS_USAGE.general });
    expect(parseStatusCommand('help me')).toEqual({ kind: 'error', message: STATUS_USAGE.general });
  });

  it('answers with an error for a payload without text', () => {
    for (const v of [undefined, null, 42, {}, ['mine']]) expect(parseStatusCommand(v).kind).toBe('error');
  });
});

describe('share and page values', () => {
  it('round-trips what the views encode', () => {
    const engagement = encodeShareValue({ v: 'engagement', id: 123 });
    expect(engagement).toBe('{"v":"engagement","id":123}');
    expect(parseShareValue(engagement)).toEqual({ v: 'engagement', id: 123 });
    const portfolio = encodeShareValue({ v: 'portfolio', filter: 'active', page: 1 });
    expect(portfolio).toBe('{"v":"portfolio","filter":"active","page":1}');
    expect(parseShareValue(portfolio)).toEqual({ v: 'portfolio', filter: 'active', page: 1 });
    const page = encodePageValue({ filter: 'mine', page: 2 });
    expect(page).toBe('{"filter":"mine","page":2}');
    expect(parsePageValue(page)).toEqual({ filter: 'mine', page: 2 });
  });

  it('refuses to encode what it would not parse', () => {
    expect(() => encodePageValue({ filter: 'mine', page: 0 })).toThrow();
    expect(() => encodeShareValue({ v: 'engagement', id: -1 })).toThrow();
  });

  it.each([
    ['not a string', 42],
    ['missing', undefined],
    ['not JSON', '{"v":'],
    ['JSON null', 'null'],
    ['unknown view', '{"v":"secrets","id":1}'],
    ['extra field', '{"v":"engagement","id":1,"admin":true}'],
    ['id as string', '{"v":"engagement","id":"1"}'],
    ['negative id', '{"v":"engagement","id":-3}'],
    ['fractional id', '{"v":"engagement","id":1.5}'],
    ['bad filter', '{"v":"portfolio","filter":"everyone","page":1}'],
    ['page zero', '{"v":"portfolio","filter":"all","page":0}'],
    ['too long', `{"v":"engagement","id":1}${' '.repeat(2000)}`],
  ])('share value: null when tampered (%s)', (_why, value) => {
    expect(parseShareValue(value)).toBeNull();
  });

  it.each([
    ['not JSON', 'page 2'],
    ['missing page', '{"filter":"mine"}'],
    ['extra field', '{"filter":"mine","page":2,"v":"engagement"}'],
    ['huge page', '{"filter":"mine","page":1e12}'],
    ['page as string', '{"filter":"mine","page":"2"}'],
    ['bad filter', '{"filter":"__proto__","page":2}'],
    ['array', '[{"filter":"mine","page":2}]'],
  ])('page value: null when tampered (%s)', (_why, value) => {
    expect(parsePageValue(value)).toBeNull();
  });
});

describe('/status digest KEY SCHEDULE', () => {
  it('reads the key and leaves the schedule words for the domain parser', () => {
    expect(parseStatusCommand('digest payments-platform Friday 16:00')).toEqual({ kind: 'digest', key: 'payments-platform', schedule: 'friday 16:00' });
  });
  it('asks for a schedule or a valid key', () => {
    expect(parseStatusCommand('digest payments-platform')).toMatchObject({ kind: 'error', message: expect.stringContaining('/status digest KEY') });
    expect(parseStatusCommand('digest Not_A_Key! monday 9')).toMatchObject({ kind: 'error' });
  });
});
