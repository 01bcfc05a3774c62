import type { Db } from './connection';
import type {
  Announcement,
  CoachingLevel,
  Engagement,
  EngagementDraft,
  EscalationLevel,
  Health,
  Lifecycle,
  Origin,
  Outcome,
  ResponseUnit,
} from '../domain/types';

interface EngagementRow {
  id: number;
  team_id: string;
  key: string;
  name: string;
  level: CoachingLevel;
  origin: Origin;
  requested_by: string | null;
  sponsor_id: string;
  start_date: string;
  review_date: string;
  engagement_channel_name: string | null;
  engagement_channel_id: string | null;
  lifecycle: Lifecycle;
  health: Health | null;
  auto_escalate: number;
  close_note: string | null;
  confirmation_channel: string | null;
  confirmation_ts: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

interface AnnouncementRow {
  channel_id: string;
  status: Announcement['status'];
  message_channel: string | null;
  message_ts: string | null;
  permalink: string | null;
  failure: string | null;
  in_engagement_channel: number;
  active: number;
}

/** SQL for engagements and everything that hangs off them. Callers own transactions. */
export class EngagementStore {
  constructor(private readonly db: Db) {}

  keyTaken(teamId: string, key: string, exceptId?: number): boolean {
    const row = this.db
      .prepare('SELECT id FROM engagements WHERE team_id = ? AND key = ? AND id IS NOT ?')
      .get(teamId, key, exceptId ?? null);
    return row !== undefined;
  }

  insert(teamId: string, draft: EngagementDraft, createdBy: string, at: Date): number {
    const now = at.toISOString();
    const info = this.db
      .prepare(
        `INSERT INTO engagements (team_id, key, name, level, origin, requested_by, sponsor_id, start_date, review_date,
           engagement_channel_name, created_by, created_at, updated_at)
         VALUES (@teamId, @key, @name, @level, @origin, @requestedBy, @sponsorId, @startDate, @reviewDate,
           @engagementChannelName, @createdBy, @now, @now)`,
      )
      .run({ ...pickColumns(draft), teamId, createdBy, now });
    const id = Number(info.lastInsertRowid);
    this.writeChildren(teamId, id, draft);
    return id;
  }

  /** Replaces every field the kickoff modal edits; announcement rows are kept (and their message refs). */
  update(id: number, teamId: string, draft: EngagementDraft, at: Date): void {
    this.db
      .prepare(
        `UPDATE engagements SET key = @key, name = @name, level = @level, origin = @origin, requested_by = @requestedBy,
           sponsor_id = @sponsorId, start_date = @startDate, review_date = @reviewDate,
           engagement_channel_name = COALESCE(engagement_channel_name, @engagementChannelName), updated_at = @now
         WHERE id = @id`,
      )
      .run({ ...pickColumns(draft), id, now: at.toISOString() });
    for (const table of ['engagement_coaches', 'pain_points', 'outcomes', 'escalation_contacts', 'escalation_levels']) {
      this.db.prepare(`DELETE FROM ${table} WHERE engagement_id = ?`).run(id);
    }
    this.writeChildren(teamId, id, draft);
  }

  private writeChildren(teamId: string, id: number, draft: EngagementDraft): void {
    const coach = this.db.prepare('INSERT INTO engagement_coaches (team_id, engagement_id, position, user_id) VALUES (?, ?, ?, ?)');
    draft.coachIds.forEach((u, i) => coach.run(teamId, id, i, u));
    const pain = this.db.prepare('INSERT INTO pain_points (team_id, engagement_id, position, text) VALUES (?, ?, ?, ?)');
    draft.painPoints.forEach((p, i) => pain.run(teamId, id, i, p));
    const outcome = this.db.prepare(
      'INSERT INTO outcomes (team_id, engagement_id, position, text, baseline, target, current, unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    draft.outcomes.forEach((o, i) =>
      outcome.run(teamId, id, i, o.text, o.metric?.baseline ?? null, o.metric?.target ?? null, o.metric?.current ?? null, o.metric?.unit ?? null),
    );
    const level = this.db.prepare(
      'INSERT INTO escalation_levels (team_id, engagement_id, level, name, response_time, response_unit) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const contact = this.db.prepare(
      'INSERT OR IGNORE INTO escalation_contacts (team_id, engagement_id, level, position, user_id) VALUES (?, ?, ?, ?, ?)',
    );
    for (const l of draft.escalation) {
      level.run(teamId, id, l.level, l.name, l.responseTime, l.responseUnit);
      l.contactIds.forEach((u, i) => contact.run(teamId, id, l.level, i, u));
    }
    const existing = new Set(
      (this.db.prepare('SELECT channel_id FROM announcements WHERE engagement_id = ?').all(id) as { channel_id: string }[]).map(
        (r) => r.channel_id,
      ),
    );
    const wanted = new Set(draft.announcementChannelIds);
    this.db
      .prepare(
        `UPDATE announcements SET active = 0 WHERE engagement_id = ? AND in_engagement_channel = 0
         AND channel_id NOT IN (SELECT value FROM json_each(?))`,
      )
      .run(id, JSON.stringify([...wanted]));
    const addAnnouncement = this.db.prepare(
      'INSERT INTO announcements (team_id, engagement_id, channel_id, position) VALUES (?, ?, ?, ?)',
    );
    const reactivate = this.db.prepare('UPDATE announcements SET active = 1, position = ? WHERE engagement_id = ? AND channel_id = ?');
    draft.announcementChannelIds.forEach((c, i) => {
      if (existing.has(c)) reactivate.run(i, id, c);
      else addAnnouncement.run(teamId, id, c, i);
    });
  }

  /** Adds the engagement channel's own announcement row once the channel exists. */
  setEngagementChannel(id: number, teamId: string, channelId: string): void {
    this.db.prepare('UPDATE engagements SET engagement_channel_id = ? WHERE id = ?').run(channelId, id);
    this.db
      .prepare(
        `INSERT INTO announcements (team_id, engagement_id, channel_id, position, in_engagement_channel)
         VALUES (?, ?, ?, -1, 1) ON CONFLICT (engagement_id, channel_id) DO UPDATE SET in_engagement_channel = 1, active = 1`,
      )
      .run(teamId, id, channelId);
  }

  announcementPosted(id: number, channelId: string, ref: { channel: string; ts: string; permalink: string | null }): void {
    this.db
      .prepare(
        `UPDATE announcements SET status = 'posted', message_channel = ?, message_ts = ?, permalink = ?, failure = NULL
         WHERE engagement_id = ? AND channel_id = ?`,
      )
      .run(ref.channel, ref.ts, ref.permalink, id, channelId);
  }

  announcementFailed(id: number, channelId: string, failure: string): void {
    this.db
      .prepare(`UPDATE announcements SET status = 'failed', failure = ? WHERE engagement_id = ? AND channel_id = ? AND status != 'posted'`)
      .run(failure, id, channelId);
  }

  /** A failed announcement goes back to pending when the sponsor saves again (e.g. after inviting the bot). */
  retryFailedAnnouncements(id: number): string[] {
    const rows = this.db
      .prepare(`SELECT channel_id FROM announcements WHERE engagement_id = ? AND status = 'failed' AND active = 1`)
      .all(id) as { channel_id: string }[];
    this.db.prepare(`UPDATE announcements SET status = 'pending', failure = NULL WHERE engagement_id = ? AND status = 'failed' AND active = 1`).run(id);
    return rows.map((r) => r.channel_id);
  }

  setAutoEscalate(id: number, on: boolean): void {
    this.db.prepare('UPDATE engagements SET auto_escalate = ? WHERE id = ?').run(on ? 1 : 0, id);
  }

  /** Active engagements of a workspace, for pickers (most recent first). */
  listActive(teamId: string, limit = 100): { id: number; key: string; name: string }[] {
    return this.db
      .prepare(`SELECT id, key, name FROM engagements WHERE team_id = ? AND lifecycle = 'active' ORDER BY id DESC LIMIT ?`)
      .all(teamId, limit) as { id: number; key: string; name: string }[];
  }

  setConfirmation(id: number, ref: { channel: string; ts: string }): void {
    this.db.prepare('UPDATE engagements SET confirmation_channel = ?, confirmation_ts = ? WHERE id = ?').run(ref.channel, ref.ts, id);
  }

  close(id: number, note: string | null, at: Date): void {
    this.db
      .prepare(`UPDATE engagements SET lifecycle = 'completed', close_note = ?, closed_at = ?, updated_at = ? WHERE id = ?`)
      .run(note, at.toISOString(), at.toISOString(), id);
  }

  getByKey(teamId: string, key: string): Engagement | null {
    const row = this.db.prepare('SELECT id FROM engagements WHERE team_id = ? AND key = ?').get(teamId, key) as { id: number } | undefined;
    return row ? this.get(row.id) : null;
  }

  get(id: number): Engagement | null {
    const row = this.db.prepare('SELECT * FROM engagements WHERE id = ?').get(id) as EngagementRow | undefined;
    if (!row) return null;
    const coachIds = (
      this.db.prepare('SELECT user_id FROM engagement_coaches WHERE engagement_id = ? ORDER BY position').all(id) as { user_id: string }[]
    ).map((r) => r.user_id);
    const painPoints = (
      this.db.prepare('SELECT text FROM pain_points WHERE engagement_id = ? ORDER BY position').all(id) as { text: string }[]
    ).map((r) => r.text);
    const outcomes = (
      this.db.prepare('SELECT * FROM outcomes WHERE engagement_id = ? ORDER BY position').all(id) as {
        text: string;
        baseline: number | null;
        target: number | null;
        current: number | null;
        unit: string | null;
      }[]
    ).map(
      (r): Outcome => ({
        text: r.text,
        metric: r.baseline === null || r.target === null ? null : { baseline: r.baseline, target: r.target, current: r.current, unit: r.unit ?? '' },
      }),
    );
    const contacts = this.db
      .prepare('SELECT level, user_id FROM escalation_contacts WHERE engagement_id = ? ORDER BY level, position')
      .all(id) as { level: number; user_id: string }[];
    const escalation = (
      this.db.prepare('SELECT * FROM escalation_levels WHERE engagement_id = ? ORDER BY level').all(id) as {
        level: number;
        name: string;
        response_time: number;
        response_unit: ResponseUnit;
      }[]
    ).map(
      (r): EscalationLevel => ({
        level: r.level,
        name: r.name,
        responseTime: r.response_time,
        responseUnit: r.response_unit,
        contactIds: contacts.filter((c) => c.level === r.level).map((c) => c.user_id),
      }),
    );
    const announcements = (
      this.db.prepare('SELECT * FROM announcements WHERE engagement_id = ? ORDER BY in_engagement_channel DESC, position').all(id) as AnnouncementRow[]
    ).map(
      (a): Announcement => ({
        channelId: a.channel_id,
        status: a.status,
        messageChannel: a.message_channel,
        ts: a.message_ts,
        permalink: a.permalink,
        failure: a.failure,
        inEngagementChannel: a.in_engagement_channel === 1,
        active: a.active === 1,
      }),
    );
    return {
      id: row.id,
      teamId: row.team_id,
      key: row.key,
      name: row.name,
      level: row.level,
      origin: row.origin,
      requestedBy: row.requested_by,
      sponsorId: row.sponsor_id,
      coachIds,
      painPoints,
      outcomes,
      escalation,
      startDate: row.start_date,
      reviewDate: row.review_date,
      announcementChannelIds: announcements.filter((a) => a.active && !a.inEngagementChannel).map((a) => a.channelId),
      engagementChannelName: row.engagement_channel_name,
      engagementChannelId: row.engagement_channel_id,
      health: row.health,
      lifecycle: row.lifecycle,
      closeNote: row.close_note,
      createdBy: row.created_by,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
      closedAt: row.closed_at ? new Date(row.closed_at) : null,
      autoEscalate: row.auto_escalate === 1,
      announcements,
      confirmation: row.confirmation_channel && row.confirmation_ts ? { channel: row.confirmation_channel, ts: row.confirmation_ts } : null,
    };
  }
}

function pickColumns(d: EngagementDraft) {
  return {
    key: d.key,
    name: d.name,
    level: d.level,
    origin: d.origin,
    requestedBy: d.origin === 'pull' ? d.requestedBy : null,
    sponsorId: d.sponsorId,
    startDate: d.startDate,
    reviewDate: d.reviewDate,
    engagementChannelName: d.engagementChannelName,
  };
}
