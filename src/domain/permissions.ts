import type { Engagement } from './types';
import { PermissionError } from './errors';

const mention = (id: string) => `<@${id}>`;

/** Sponsor, coach or admin: may edit or close an engagement. */
export function canManageEngagement(e: Engagement, userId: string, adminIds: readonly string[]): boolean {
  return e.sponsorId === userId || e.coachIds.includes(userId) || adminIds.includes(userId);
}

export function whoManagesEngagement(e: Engagement): string[] {
  const who = [`the sponsor (${mention(e.sponsorId)})`];
  if (e.coachIds.length > 0) who.push(`${e.coachIds.length === 1 ? 'the coach' : 'a coach'} (${e.coachIds.map(mention).join(', ')})`);
  who.push('a coachline admin');
  return who;
}

/** Exporting every engagement at once is for admins (it is heavy, and it is everything). */
export function assertCanExportAll(userId: string, adminIds: readonly string[]): void {
  if (!adminIds.includes(userId)) throw new PermissionError('export every engagement at once (`/status export KEY` exports one)', ['a coachline admin']);
}

export function assertCanManage(e: Engagement, userId: string, adminIds: readonly string[], action: string): void {
  if (!canManageEngagement(e, userId, adminIds)) throw new PermissionError(action, whoManagesEngagement(e));
}
