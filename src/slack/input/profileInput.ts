/** `/kickoff profile` modal input: one level, any of the four strengths. Untrusted like every payload. */
import { COACH_LEVELS, STRENGTHS, type CoachLevel, type Strength } from '../../domain/profiles';
import { BLOCK } from '../ids';
import { viewReader } from './viewState';

export function parseProfileSubmission(values: unknown): { ok: true; input: { level: CoachLevel; strengths: Strength[] } } | { ok: false; errors: Record<string, string> } {
  const r = viewReader(values);
  const chosen = r.option(BLOCK.profileLevel);
  const level = COACH_LEVELS.find((l) => l === chosen) ?? null;
  if (level === null) r.fail(BLOCK.profileLevel, 'Choose your level');
  const strengths = STRENGTHS.filter((s) => r.ticked(BLOCK.profileStrengths, s));
  if (Object.keys(r.errors).length > 0 || level === null) return { ok: false, errors: r.errors };
  return { ok: true, input: { level, strengths } };
}
