import {
  FOLLOW_UP_ALPHABET,
  followUpCodeFor,
  generateFollowUpCode,
  generateFollowUpSecret,
  hashFollowUpCode,
  parseFollowUpCode,
  verifyFollowUpCode,
} from '../../../src/domain/followUpCode';

const SHAPE = /^F12-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/;

describe('generateFollowUpCode', () => {
  it('has the shape F<number>-XXXX-XXXX-XXXX with no ambiguous characters', () => {
    for (let i = 0; i < 200; i += 1) {
      const code = generateFollowUpCode(12);
      expect(code).toMatch(SHAPE);
      expect(code.slice(4)).not.toMatch(/[01OIL]/);
    }
  });

  it('uses 31 unambiguous symbols, every one of them, and never repeats a code', () => {
    expect(FOLLOW_UP_ALPHABET).toHaveLength(31);
    expect(FOLLOW_UP_ALPHABET).not.toMatch(/[01OIL]/);
    const codes = new Set<string>();
    const seen = new Set<string>();
    for (let i = 0; i < 500; i += 1) {
      const code = generateFollowUpCode(3);
      codes.add(code);
      for (const ch of code.slice(3).replace(/-/g, '')) seen.add(ch);
    }
    expect(codes.size).toBe(500);
    expect(seen.size).toBe(31);
  });

  it('accepts 0 as a placeholder prefix, which never parses as a code', () => {
    const placeholder = generateFollowUpCode(0);
    expect(placeholder).toMatch(/^F0-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(parseFollowUpCode(placeholder).ok).toBe(false);
  });

  it('draws a bare secret part that makes a code with the number', () => {
    const secret = generateFollowUpSecret();
    expect(secret).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(parseFollowUpCode(followUpCodeFor(12, secret))).toEqual({ ok: true, number: 12, code: `F12-${secret}` });
  });

  it('refuses impediment numbers that cannot exist', () => {
    expect(() => generateFollowUpCode(-1)).toThrow(RangeError);
    expect(() => generateFollowUpCode(1.5)).toThrow(RangeError);
    expect(() => generateFollowUpCode(1_000_000_000)).toThrow(RangeError);
  });
});

describe('parseFollowUpCode', () => {
  it.each([
    ['F12-ABCD-EFGH-JKMN', 12],
    ['f12-abcd-efgh-jkmn', 12],
    ['  F12 - ABCD - EFGH - JKMN  ', 12],
    ['F12 ABCD EFGH JKMN', 12],
    ['F12 ABCDEFGHJKMN', 12],
    ['F12ABCDEFGHJKMN', 12],
    ['F012-ABCD-EFGH-JKMN', 12],
  ])('reads %j as the canonical code', (text, n) => {
    expect(parseFollowUpCode(text)).toEqual({ ok: true, number: n, code: 'F12-ABCD-EFGH-JKMN' });
  });

  it('splits a compact code by its fixed secret length', () => {
    expect(parseFollowUpCode('F123456789ABCD')).toEqual({ ok: true, number: 1, code: 'F1-2345-6789-ABCD' });
  });

  it('round-trips generated codes', () => {
    const code = generateFollowUpCode(4711);
    expect(parseFollowUpCode(code.toLowerCase().replace(/-/g, ' '))).toEqual({ ok: true, number: 4711, code });
  });

  it.each([
    'F12-ABCD-EFGH-JKM',
    'F12-ABCD-EFGH-JKMNP',
    'F12-ABCD-EFGH',
    'F12-ABCD-EFGH-JKMN-PQRS',
    'F12-ABC0-EFGH-JKMN',
    'F12-ABCO-EFGH-JKMN',
    'F12-ABCI-EFGH-JKMN',
    'F12-ABCL-EFGH-JKMN',
    'F12-ABC1-EFGH-JKMN',
    'F0-ABCD-EFGH-JKMN',
    'F1000000000-ABCD-EFGH-JKMN',
    'G12-ABCD-EFGH-JKMN',
    '12-ABCD-EFGH-JKMN',
    'FX-ABCD-EFGH-JKMN',
    'F12-ABCD_EFGH-JKMN',
    'IMP-12',
    'hello',
    'F12-ABCD-EFGH-JKMN'.repeat(500),
  ])('refuses %j with the expected shape', (text) => {
    const r = parseFollowUpCode(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toBe('That is not a follow-up code. Follow-up codes look like F12-ABCD-EFGH-JKMN.');
  });

  it('asks for a code when there is none', () => {
    expect(parseFollowUpCode('   ')).toEqual({ ok: false, message: 'Which follow-up code? Follow-up codes look like F12-ABCD-EFGH-JKMN.' });
  });
});

describe('hashFollowUpCode and verifyFollowUpCode', () => {
  it('verifies the right code, however it is typed, and nothing else', async () => {
    const code = generateFollowUpCode(12);
    const stored = await hashFollowUpCode(code);
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(await verifyFollowUpCode(code, stored)).toBe(true);
    expect(await verifyFollowUpCode(code.toLowerCase().replace(/-/g, ' '), stored)).toBe(true);
    const other = generateFollowUpCode(12);
    expect(await verifyFollowUpCode(other, stored)).toBe(false);
    expect(await verifyFollowUpCode(code.replace(/^F12/, 'F13'), stored)).toBe(false);
    expect(await verifyFollowUpCode('', stored)).toBe(false);
  });

  it('salts every hash and never contains the code', async () => {
    const code = 'F12-ABCD-EFGH-JKMN';
    const [a, b] = await Promise.all([hashFollowUpCode(code), hashFollowUpCode(code)]);
    expect(a).not.toBe(b);
    for (const stored of [a, b]) {
      expect(stored).not.toContain('ABCD');
      expect(stored.toUpperCase()).not.toContain('ABCDEFGHJKMN');
      expect(stored).not.toContain(Buffer.from(code).toString('base64').slice(0, 12));
    }
    expect(await verifyFollowUpCode(code, a)).toBe(true);
    expect(await verifyFollowUpCode(code, b)).toBe(true);
  });

  it('says false, without throwing, for malformed stored strings', async () => {
    const code = 'F12-ABCD-EFGH-JKMN';
    const good = await hashFollowUpCode(code);
    const [, , , , salt, hash] = good.split('$');
    const bad = [
      '',
      'plain',
      code,
      `bcrypt$16384$8$1$${salt}$${hash}`,
      `scrypt$16384$8$1$${salt}`,
      `scrypt$16383$8$1$${salt}$${hash}`,
      `scrypt$1073741824$8$1$${salt}$${hash}`,
      `scrypt$1048576$8$1$${salt}$${hash}`,
      `scrypt$16384$0$1$${salt}$${hash}`,
      `scrypt$16384$8$99$${salt}$${hash}`,
      `scrypt$16384$8$1$***$${hash}`,
      `scrypt$16384$8$1$${salt}$!!`,
      `scrypt$16384$8$1$QQ==$${hash}`,
      `scrypt$16384$8$1$${salt}$QQ==`,
      `scrypt$16384$8$1$${salt}$${hash}$extra`,
    ];
    for (const stored of bad) await expect(verifyFollowUpCode(code, stored)).resolves.toBe(false);
  });

  it('works when only the secret part is hashed, before the number is known', async () => {
    const secret = generateFollowUpCode(0).replace(/^F0-/, '');
    const stored = await hashFollowUpCode(secret);
    const parsed = parseFollowUpCode(followUpCodeFor(42, secret).toLowerCase());
    if (!parsed.ok) throw new Error(parsed.message);
    expect(await verifyFollowUpCode(parsed.code.replace(/^F\d+-/, ''), stored)).toBe(true);
    expect(await verifyFollowUpCode(secret.toLowerCase().replace(/-/g, ' '), stored)).toBe(true);
    expect(await verifyFollowUpCode(generateFollowUpSecret(), stored)).toBe(false);
  });

  it('honours the parameters written in the stored string', async () => {
    const code = 'F12-ABCD-EFGH-JKMN';
    const stored = await hashFollowUpCode(code);
    const tampered = stored.replace('scrypt$16384$', 'scrypt$1024$');
    expect(await verifyFollowUpCode(code, tampered)).toBe(false);
  });
});
