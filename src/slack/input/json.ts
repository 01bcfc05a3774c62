import type { z } from 'zod';

/** Slack's limit on `private_metadata` (and more than any button value we write). */
export const METADATA_MAX = 3000;

/**
 * The one reader of JSON we wrote into `private_metadata` or a button value: null when it is
 * missing, not a string, longer than `max`, not JSON, or not exactly `schema`.
 */
export function parseJson<T>(schema: z.ZodType<T>, text: unknown, max: number = METADATA_MAX): T | null {
  if (typeof text !== 'string' || text.length > max) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const DECIMAL_ID = /^[1-9][0-9]{0,14}$/;

/** A button value or option that must be a positive id in decimal and nothing else; null otherwise. */
export function parseDecimalId(value: unknown): number | null {
  if (typeof value !== 'string' || !DECIMAL_ID.test(value)) return null;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : null;
}
