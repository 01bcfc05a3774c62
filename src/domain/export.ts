import type { EventRecord } from './ports';
import type { PulseExport } from './pulseService';
import { impedimentRef, type Impediment } from './impedimentTypes';
import type { Checkin } from './statusTypes';
import type { Engagement } from './types';

/**
 * One CSV cell: quoted when needed, and a leading = + - @ (or tab/CR) made inert so a
 * spreadsheet never runs what somebody typed as a formula.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const IMPEDIMENT_CSV_COLUMNS = [
  'id',
  'engagement',
  'description',
  'severity',
  'organisational',
  'reporter',
  'owner',
  'state',
  'level',
  'level_name',
  'response_due_utc',
  'waiting_on_executives',
  'source',
  'raised_utc',
  'closed_utc',
  'resolution_note',
] as const;

/** Impediments as CSV; anonymous reporters stay absent (the column is empty and says nothing else). */
export function impedimentsCsv(rows: { imp: Impediment; engagementKey: string; levelName: string }[]): string {
  const lines = [IMPEDIMENT_CSV_COLUMNS.join(',')];
  for (const { imp, engagementKey, levelName } of rows) {
    lines.push(
      [
        impedimentRef(imp.number),
        engagementKey,
        imp.description,
        imp.severity,
        imp.organisational,
        imp.anonymous ? '' : imp.reporterId,
        imp.ownerId,
        imp.state,
        imp.level,
        levelName,
        // The first due time is the raise time plus business time: only the day for anonymous ones.
        imp.anonymous ? imp.dueAt?.toISOString().slice(0, 10) : imp.dueAt?.toISOString(),
        imp.waitingOnExecutives,
        imp.source,
        // Anonymous impediments keep only the day they were raised.
        imp.anonymous ? imp.createdAt.toISOString().slice(0, 10) : imp.createdAt.toISOString(),
        imp.closedAt?.toISOString(),
        imp.resolutionNote,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

/** An engagement with its check-ins and events, for people who report upwards. */
export function engagementExport(e: Engagement, events: EventRecord[], checkins: Checkin[], pulses: PulseExport[] = []) {
  return {
    key: e.key,
    name: e.name,
    level: e.level,
    origin: e.origin,
    requestedBy: e.requestedBy,
    sponsor: e.sponsorId,
    coaches: e.coachIds,
    lifecycle: e.lifecycle,
    health: e.health,
    startDate: e.startDate,
    reviewDate: e.reviewDate,
    painPoints: e.painPoints,
    outcomes: e.outcomes,
    escalationLine: e.escalation,
    announcementChannels: e.announcementChannelIds,
    engagementChannel: e.engagementChannelId,
    kickedOffAt: e.createdAt.toISOString(),
    closedAt: e.closedAt?.toISOString() ?? null,
    closeNote: e.closeNote,
    // Team pulses: aggregates only, and only the count below the threshold.
    pulses,
    checkins: checkins.map((c) => ({ at: c.createdAt.toISOString(), author: c.authorId, health: c.health, summary: c.summary, nextSteps: c.nextSteps, outcomeValues: c.outcomeValues })),
    // Events carry no actor for anonymous or system actions.
    events: events.map((ev) => ({
      // When an anonymous impediment was raised is kept to the day, as everywhere else.
      // So are the anonymous reporter's replies (their times would point at whoever was typing then).
      at: (ev.type === 'impediment_raised' && ev.data.anonymous === true) || ev.type === 'impediment_anonymous_reply' ? ev.createdAt.toISOString().slice(0, 10) : ev.createdAt.toISOString(),
      actor: ev.actorId,
      type: ev.type,
      data: ev.data,
    })),
  };
}
