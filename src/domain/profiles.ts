/** Coach profiles: a coach's level and craft strengths, as the coaching competency framework names them. */

export const COACH_LEVELS = ['associate', 'coach', 'senior', 'staff'] as const;
export type CoachLevel = (typeof COACH_LEVELS)[number];
export const COACH_LEVEL_LABELS: Record<CoachLevel, string> = {
  associate: 'Associate Agile Coach',
  coach: 'Agile Coach',
  senior: 'Senior Agile Coach',
  staff: 'Staff Agile Coach',
};

export const STRENGTHS = ['practices', 'coaching', 'facilitation', 'teaching'] as const;
export type Strength = (typeof STRENGTHS)[number];
export const STRENGTH_LABELS: Record<Strength, string> = {
  practices: 'agile and lean practices',
  coaching: 'coaching',
  facilitation: 'facilitation',
  teaching: 'teaching',
};

export interface CoachProfile {
  userId: string;
  level: CoachLevel;
  strengths: Strength[];
}

export interface ProfileRepository {
  get(teamId: string, userId: string): Promise<CoachProfile | null>;
  forUsers(teamId: string, userIds: readonly string[]): Promise<CoachProfile[]>;
  save(teamId: string, p: CoachProfile, at: Date): Promise<void>;
  /** Everyone with a profile, most senior first (for whoever starts an engagement). */
  all(teamId: string, limit: number): Promise<CoachProfile[]>;
}

/**
 * An organisation-level engagement coached only by associate coaches needs the sponsor's
 * confirmation. Coaches without a profile count as unknown, not as associates.
 */
export function needsAssociateConfirmation(level: string, coachIds: readonly string[], profiles: readonly CoachProfile[]): boolean {
  if (level !== 'organization' || coachIds.length === 0) return false;
  return coachIds.every((id) => profiles.find((p) => p.userId === id)?.level === 'associate');
}

/** Coach profiles: each person records their own (the modal only ever saves the submitter's). */
export class ProfileService {
  constructor(private readonly p: { profiles: ProfileRepository; clock: { now(): Date } }) {}

  async own(teamId: string, userId: string): Promise<CoachProfile | null> {
    return await this.p.profiles.get(teamId, userId);
  }

  async save(teamId: string, userId: string, input: { level: CoachLevel; strengths: Strength[] }): Promise<CoachProfile> {
    const profile: CoachProfile = { userId, level: input.level, strengths: STRENGTHS.filter((s) => input.strengths.includes(s)) };
    await this.p.profiles.save(teamId, profile, this.p.clock.now());
    return profile;
  }

  async forUsers(teamId: string, userIds: readonly string[]): Promise<CoachProfile[]> {
    return await this.p.profiles.forUsers(teamId, userIds);
  }

  async all(teamId: string): Promise<CoachProfile[]> {
    return await this.p.profiles.all(teamId, 10);
  }
}
