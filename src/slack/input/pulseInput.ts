/**
 * Team pulse input: the modal's `view.state.values`, its `private_metadata` and the DM button's
 * `value`. Untrusted like every payload: each statement must be one of 1…5, the comment is
 * bounded, and problems are reported on the block they belong to.
 */
import { z } from 'zod';
import { PULSE_COMMENT_MAX, PULSE_STATEMENTS, type PulseAnswer, type PulseScores } from '../../domain/pulseRules';
import { BLOCK, PULSE_BLOCKS } from '../ids';
import { parseDecimalId, parseJson } from './json';
import { viewReader } from './viewState';

export type PulseSubmission = { ok: true; answer: PulseAnswer } | { ok: false; errors: Record<string, string> };

export function parsePulseSubmission(values: unknown): PulseSubmission {
  const r = viewReader(values);
  const scores = PULSE_BLOCKS.map((block) => {
    const v = r.option(block);
    const n = v !== null && /^[1-5]$/.test(v) ? Number(v) : null;
    if (n === null) r.fail(block, 'Choose a number from 1 (strongly disagree) to 5 (strongly agree)');
    return n;
  });
  const comment = r.text(BLOCK.pulseComment, PULSE_COMMENT_MAX, null);
  if (Object.keys(r.errors).length > 0 || scores.some((s) => s === null) || scores.length !== PULSE_STATEMENTS.length) return { ok: false, errors: r.errors };
  return { ok: true, answer: { scores: scores as PulseScores, comment: comment === '' ? null : comment } };
}

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const PulseMetadata = z.strictObject({ pulseId: Id });
export type PulseMetadata = z.infer<typeof PulseMetadata>;

export const encodePulseMetadata = (meta: PulseMetadata): string => JSON.stringify(PulseMetadata.parse(meta));
/** null unless exactly `{ pulseId }`. */
export const parsePulseMetadata = (text: unknown): PulseMetadata | null => parseJson(PulseMetadata, text);
/** The DM's "Answer the pulse" button: the pulse id in decimal. */
export const parsePulseButton = (value: unknown): { pulseId: number } | null => {
  const id = parseDecimalId(value);
  return id === null ? null : { pulseId: id };
};
