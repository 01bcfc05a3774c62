/**
 * Follow-up codes for anonymous impediments: `F<number>-XXXX-XXXX-XXXX`, random, shown once,
 * stored only as a salted scrypt hash. A lost code cannot be recovered. node:crypto only.
 *
 * Alphabet: digits 2–9 and A–Z without I, L and O (no 0/O/1/I/L to confuse), 31 symbols,
 * drawn uniformly (rejection sampling), 12 per code: log2(31^12) ≈ 59.4 bits of secret.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

export const FOLLOW_UP_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const FOLLOW_UP_GROUPS = 3;
export const FOLLOW_UP_GROUP_LENGTH = 4;
export const FOLLOW_UP_CODE_FORMAT = 'Follow-up codes look like F12-ABCD-EFGH-JKMN';
const NUMBER_MAX = 999_999_999;

const SECRET_LENGTH = FOLLOW_UP_GROUPS * FOLLOW_UP_GROUP_LENGTH;
const SECRET = new RegExp(`^[${FOLLOW_UP_ALPHABET}]{${SECRET_LENGTH}}$`);

/** `ABCDEFGHJKMN` → `ABCD-EFGH-JKMN`. */
function grouped(secret: string): string {
  const groups: string[] = [];
  for (let i = 0; i < secret.length; i += FOLLOW_UP_GROUP_LENGTH) groups.push(secret.slice(i, i + FOLLOW_UP_GROUP_LENGTH));
  return groups.join('-');
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

/** Uniform random symbols from the alphabet. */
function randomSymbols(count: number): string {
  let out = '';
  while (out.length < count) {
    for (const byte of randomBytes(count * 2)) {
      const v = byte & 31; // 0–31; 31 is outside the 31-symbol alphabet and is skipped
      if (v < FOLLOW_UP_ALPHABET.length) out += FOLLOW_UP_ALPHABET[v];
      if (out.length === count) break;
    }
  }
  return out;
}

/** A fresh secret part, `XXXX-XXXX-XXXX`, for when the impediment number is not known yet. */
export function generateFollowUpSecret(): string {
  return grouped(randomSymbols(SECRET_LENGTH));
}

/** `F<number>-<secret>`. */
export const followUpCodeFor = (impedimentNumber: number, secret: string): string => `F${impedimentNumber}-${secret}`;

/**
 * A fresh code for impediment `impedimentNumber`, e.g. `F12-7KQM-XH3T-P9WD`. `0` is accepted
 * as a placeholder prefix when the number is not known yet (never a valid code: parse refuses it).
 */
export function generateFollowUpCode(impedimentNumber: number): string {
  if (!Number.isInteger(impedimentNumber) || impedimentNumber < 0 || impedimentNumber > NUMBER_MAX) {
    throw new RangeError(`Impediment number out of range: ${impedimentNumber}`);
  }
  return followUpCodeFor(impedimentNumber, generateFollowUpSecret());
}

export type FollowUpCodeParse = { ok: true; number: number; code: string } | { ok: false; message: string };

const PREFIX = /^F(\d{1,12})$/;
const COMPACT = new RegExp(`^F(\\d{1,12})([${FOLLOW_UP_ALPHABET}]{${SECRET_LENGTH}})$`);

/**
 * Reads a code as people type it: any case, dashes or spaces between the groups (or none at
 * all). Returns the canonical upper-case form `F12-ABCD-EFGH-JKMN`.
 */
export function parseFollowUpCode(text: string): FollowUpCodeParse {
  const wrong = { ok: false as const, message: `That is not a follow-up code. ${FOLLOW_UP_CODE_FORMAT}.` };
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: `Which follow-up code? ${FOLLOW_UP_CODE_FORMAT}.` };
  if (trimmed.length > 80) return wrong;
  const tokens = trimmed.toUpperCase().split(/[\s-]+/);
  let parts: [string, string] | null = null;
  if (tokens.length === 1) {
    const m = COMPACT.exec(tokens[0]);
    if (m) parts = [m[1], m[2]];
  } else {
    const m = PREFIX.exec(tokens[0]);
    const secret = tokens.slice(1).join('');
    if (m && SECRET.test(secret)) parts = [m[1], secret];
  }
  if (!parts) return wrong;
  const n = Number(parts[0]);
  if (n < 1 || n > NUMBER_MAX) return wrong;
  return { ok: true, number: n, code: followUpCodeFor(n, grouped(parts[1])) };
}

function scryptAsync(password: string, salt: Buffer, keyLength: number, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { N, r, p, maxmem: 256 * N * r }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * What gets hashed: the canonical full code when `code` is one, the canonical `XXXX-XXXX-XXXX`
 * when it is a bare secret part, else the text as given. Hash and verify the same form.
 */
function canonical(code: string): string {
  const parsed = parseFollowUpCode(code);
  if (parsed.ok) return parsed.code;
  const secret = code.trim().toUpperCase().replace(/[\s-]+/g, '');
  return SECRET.test(secret) ? grouped(secret) : code;
}

/** `scrypt$16384$8$1$<salt base64>$<hash base64>`, with a fresh random 16-byte salt. */
export async function hashFollowUpCode(code: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltLength);
  const key = await scryptAsync(canonical(code), salt, SCRYPT.keyLength, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const STORED = /^scrypt\$(\d{1,7})\$(\d{1,3})\$(\d{1,3})\$([^$]+)\$([^$]+)$/;

/** Whether `code` matches a stored hash; false (never throws) for a malformed stored string. */
export async function verifyFollowUpCode(code: string, stored: string): Promise<boolean> {
  const m = STORED.exec(stored);
  if (!m) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // N a power of two; memory (128·N·r bytes) ≤ 64 MiB and p small, so a tampered row cannot
  // make us burn memory or CPU.
  if (N < 2 || (N & (N - 1)) !== 0 || r < 1 || p < 1 || p > 16 || N * r > 524_288) return false;
  if (!BASE64.test(m[4]) || !BASE64.test(m[5])) return false;
  const salt = Buffer.from(m[4], 'base64');
  const expected = Buffer.from(m[5], 'base64');
  if (salt.length < 8 || expected.length < 16 || expected.length > 64) return false;
  try {
    const actual = await scryptAsync(canonical(code), salt, expected.length, N, r, p);
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}
