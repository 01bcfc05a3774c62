/**
 * Coaching-request input: the request modal and the decline modal (`view.state.values`), their
 * `private_metadata` and the posted request's buttons. Untrusted; problems go to their block.
 */
import { z } from 'zod';
import { LIMITS } from '../../domain/kickoffRules';
import type { Urgency } from '../../domain/ports';
import { BLOCK } from '../ids';
import { parseDecimalId, parseJson } from './json';
import { chars, tooLong, viewReader } from './viewState';

export const REQUEST_LIMITS = { teamMax: 150, reasonMax: 1000, outcomesMax: 3000, painPointsTextMax: 3000 } as const;
export const URGENCIES: readonly Urgency[] = ['low', 'medium', 'high'];

export type RequestSubmission =
  | { ok: true; input: { teamName: string; painPoints: string[]; outcomes: string; urgency: Urgency } }
  | { ok: false; errors: Record<string, string> };

export function parseRequestSubmission(values: unknown): RequestSubmission {
  const r = viewReader(values);
  const teamName = r.text(BLOCK.reqTeam, REQUEST_LIMITS.teamMax, 'Say which team would get the coach');
  const painText = r.text(BLOCK.reqPainPoints, REQUEST_LIMITS.painPointsTextMax, 'Name at least one pain point, one per line');
  const painPoints = painText.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (painPoints.length > LIMITS.painPointsMax) r.fail(BLOCK.reqPainPoints, `Name at most ${LIMITS.painPointsMax} pain points (one per line)`);
  const long = painPoints.find((l) => chars(l) > LIMITS.lineMax);
  if (long) r.fail(BLOCK.reqPainPoints, tooLong('A line', chars(long), LIMITS.lineMax));
  const outcomes = r.text(BLOCK.reqOutcomes, REQUEST_LIMITS.outcomesMax, null);
  const urgencyValue = r.option(BLOCK.reqUrgency);
  const urgency = URGENCIES.find((u) => u === urgencyValue) ?? null;
  if (urgency === null) r.fail(BLOCK.reqUrgency, 'Choose how urgent it is');
  if (Object.keys(r.errors).length > 0 || urgency === null) return { ok: false, errors: r.errors };
  return { ok: true, input: { teamName, painPoints, outcomes, urgency } };
}

export function parseDeclineSubmission(values: unknown): { ok: true; reason: string } | { ok: false; errors: Record<string, string> } {
  const r = viewReader(values);
  const reason = r.text(BLOCK.reqReason, REQUEST_LIMITS.reasonMax, 'Say why, in a sentence: the requester receives it');
  return Object.keys(r.errors).length > 0 ? { ok: false, errors: r.errors } : { ok: true, reason };
}

const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const RequestMetadata = z.strictObject({ requestId: Id });
export type RequestMetadata = z.infer<typeof RequestMetadata>;
export const encodeRequestMetadata = (meta: RequestMetadata): string => JSON.stringify(RequestMetadata.parse(meta));
export const parseRequestMetadata = (text: unknown): RequestMetadata | null => parseJson(RequestMetadata, text);
/** Start engagement / Decline: the request id in decimal. */
export const parseRequestButton = (value: unknown): { requestId: number } | null => {
  const id = parseDecimalId(value);
  return id === null ? null : { requestId: id };
};
