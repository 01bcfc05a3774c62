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
