import type { Sql } from './sql';
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
  constructor(private readonly sql: Sql) {}

  async keyTaken(teamId: string, key: string, exceptId?: number): Promise<boolean> {
    const row =
      exceptId === undefined
        ? await this.sql.get('SELECT id FROM engagements WHERE team_id = ? AND key = ?', teamId, key)
        : await this.sql.get('SELECT id FROM engagements WHERE team_id = ? AND key = ? AND id <> ?', teamId, key, exceptId);
    return row !== undefined;
  }

  async insert(teamId: string, draft: EngagementDraft, createdBy: string, at: Date): Promise<number> {
    const c = pickColumns(draft);
    const id = await this.sql.insertId(
      `INSERT INTO engagements (team_id, key, name, level, origin, requested_by, sponsor_id, start_date, review_date,
         engagement_channel_name, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      teamId, c.key, c.name, c.level, c.origin, c.requestedBy, c.sponsorId, c.startDate, c.reviewDate, c.engagementChannelName, createdBy, at, at,
    );
    await this.writeChildren(teamId, id, draft);
    return id;
  }

  /** Replaces every field the kickoff modal edits; announcement rows are kept (and their message refs). */
  async update(id: number, teamId: string, draft: EngagementDraft, at: Date): Promise<void> {
    const c = pickColumns(draft);
    await this.sql.run(
      `UPDATE engagements SET key = ?, name = ?, level = ?, origin = ?, requested_by = ?,
         sponsor_id = ?, start_date = ?, review_date = ?,
         engagement_channel_name = COALESCE(engagement_channel_name, ?), updated_at = ?
       WHERE id = ?`,
      c.key, c.name, c.level, c.origin, c.requestedBy, c.sponsorId, c.startDate, c.reviewDate, c.engagementChannelName, at, id,
    );
    for (const table of ['engagement_coaches', 'pain_points', 'outcomes', 'escalation_contacts', 'escalation_levels', ...(draft.teamIds ? ['engagement_team'] : [])]) {
      await this.sql.run(`DELETE FROM ${table} WHERE engagement_id = ?`, id);
    }
    await this.writeChildren(teamId, id, draft);
  }

  private async writeChildren(teamId: string, id: number, draft: EngagementDraft): Promise<void> {
    for (const [i, u] of draft.coachIds.entries()) {
      await this.sql.run('INSERT INTO engagement_coaches (team_id, engagement_id, position, user_id) VALUES (?, ?, ?, ?)', teamId, id, i, u);
    }
    for (const [i, u] of [...new Set(draft.teamIds ?? [])].entries()) {
      await this.sql.run('INSERT INTO engagement_team (team_id, engagement_id, position, user_id) VALUES (?, ?, ?, ?)', teamId, id, i, u);
    }
    for (const [i, p] of draft.painPoints.entries()) {
      await this.sql.run('INSERT INTO pain_points (team_id, engagement_id, position, text) VALUES (?, ?, ?, ?)', teamId, id, i, p);
    }
    for (const [i, o] of draft.outcomes.entries()) {
      await this.sql.run(
        'INSERT INTO outcomes (team_id, engagement_id, position, text, baseline, target, current, unit) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        teamId, id, i, o.text, o.metric?.baseline ?? null, o.metric?.target ?? null, o.metric?.current ?? null, o.metric?.unit ?? null,
      );
    }
    for (const l of draft.escalation) {
      await this.sql.run(
        'INSERT INTO escalation_levels (team_id, engagement_id, level, name, response_time, response_unit) VALUES (?, ?, ?, ?, ?, ?)',
        teamId, id, l.level, l.name, l.responseTime, l.responseUnit,
      );
      for (const [i, u] of l.contactIds.entries()) {
        await this.sql.run(
          'INSERT INTO escalation_contacts (team_id, engagement_id, level, position, user_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
          teamId, id, l.level, i, u,
        );
      }
    }
    const existing = new Set((await this.sql.all<{ channel_id: string }>('SELECT channel_id FROM announcements WHERE engagement_id = ?', id)).map((r) => r.channel_id));
    // Every other-channel announcement goes inactive; the wanted ones are reactivated below.
    await this.sql.run('UPDATE announcements SET active = 0 WHERE engagement_id = ? AND in_engagement_channel = 0', id);
    for (const [i, c] of draft.announcementChannelIds.entries()) {
      if (existing.has(c)) await this.sql.run('UPDATE announcements SET active = 1, position = ? WHERE engagement_id = ? AND channel_id = ?', i, id, c);
      else await this.sql.run('INSERT INTO announcements (team_id, engagement_id, channel_id, position) VALUES (?, ?, ?, ?)', teamId, id, c, i);
    }
  }

  /** Adds the engagement channel's own announcement row once the channel exists. */
  async setEngagementChannel(id: number, teamId: string, channelId: string): Promise<void> {
    await this.sql.run('UPDATE engagements SET engagement_channel_id = ? WHERE id = ?', channelId, id);
    await this.sql.run(
      `INSERT INTO announcements (team_id, engagement_id, channel_id, position, in_engagement_channel)
       VALUES (?, ?, ?, -1, 1) ON CONFLICT (engagement_id, channel_id) DO UPDATE SET in_engagement_channel = 1, active = 1`,
      teamId, id, channelId,
    );
  }

  async announcementPosted(id: number, channelId: string, ref: { channel: string; ts: string; permalink: string | null }): Promise<void> {
    await this.sql.run(
      `UPDATE announcements SET status = 'posted', message_channel = ?, message_ts = ?, permalink = ?, failure = NULL
       WHERE engagement_id = ? AND channel_id = ?`,
      ref.channel, ref.ts, ref.permalink, id, channelId,
    );
  }

  async announcementFailed(id: number, channelId: string, failure: string): Promise<void> {
    await this.sql.run(`UPDATE announcements SET status = 'failed', failure = ? WHERE engagement_id = ? AND channel_id = ? AND status != 'posted'`, failure, id, channelId);
  }

  /** A failed announcement goes back to pending when the sponsor saves again (e.g. after inviting the bot). */
  async retryFailedAnnouncements(id: number): Promise<string[]> {
    const rows = await this.sql.all<{ channel_id: string }>(`SELECT channel_id FROM announcements WHERE engagement_id = ? AND status = 'failed' AND active = 1 ORDER BY id`, id);
    await this.sql.run(`UPDATE announcements SET status = 'pending', failure = NULL WHERE engagement_id = ? AND status = 'failed' AND active = 1`, id);
    return rows.map((r) => r.channel_id);
  }

  async setAutoEscalate(id: number, on: boolean): Promise<void> {
    await this.sql.run('UPDATE engagements SET auto_escalate = ? WHERE id = ?', on, id);
  }

  /** Active engagements of a workspace, for pickers (most recent first). */
  async listActive(teamId: string, limit = 100): Promise<{ id: number; key: string; name: string }[]> {
    return this.sql.all(`SELECT id, key, name FROM engagements WHERE team_id = ? AND lifecycle = 'active' ORDER BY id DESC LIMIT ?`, teamId, limit);
  }

  async setConfirmation(id: number, ref: { channel: string; ts: string }): Promise<void> {
    await this.sql.run('UPDATE engagements SET confirmation_channel = ?, confirmation_ts = ? WHERE id = ?', ref.channel, ref.ts, id);
  }

  async close(id: number, note: string | null, at: Date): Promise<void> {
    await this.sql.run(`UPDATE engagements SET lifecycle = 'completed', close_note = ?, closed_at = ?, updated_at = ? WHERE id = ?`, note, at, at, id);
  }

  async getByKey(teamId: string, key: string): Promise<Engagement | null> {
    const row = await this.sql.get<{ id: number }>('SELECT id FROM engagements WHERE team_id = ? AND key = ?', teamId, key);
    return row ? this.get(row.id) : null;
  }

  async get(id: number): Promise<Engagement | null> {
    const row = await this.sql.get<EngagementRow>('SELECT * FROM engagements WHERE id = ?', id);
    if (!row) return null;
    const coachIds = (
      (await this.sql.all<{ user_id: string }>('SELECT user_id FROM engagement_coaches WHERE engagement_id = ? ORDER BY position', id))
    ).map((r) => r.user_id);
    const teamIds = (await this.sql.all<{ user_id: string }>('SELECT user_id FROM engagement_team WHERE engagement_id = ? ORDER BY position', id)).map((r) => r.user_id);
    const painPoints = (
      (await this.sql.all<{ text: string }>('SELECT text FROM pain_points WHERE engagement_id = ? ORDER BY position', id))
    ).map((r) => r.text);
    const outcomes = (
      await this.sql.all<{ text: string; baseline: number | null; target: number | null; current: number | null; unit: string | null }>(
        'SELECT * FROM outcomes WHERE engagement_id = ? ORDER BY position',
        id,
      )
    ).map(
      (r): Outcome => ({
        text: r.text,
        metric: r.baseline === null || r.target === null ? null : { baseline: r.baseline, target: r.target, current: r.current, unit: r.unit ?? '' },
      }),
    );
    const contacts = await this.sql.all<{ level: number; user_id: string }>('SELECT level, user_id FROM escalation_contacts WHERE engagement_id = ? ORDER BY level, position', id);
    const escalation = (
      await this.sql.all<{ level: number; name: string; response_time: number; response_unit: ResponseUnit }>(
        'SELECT * FROM escalation_levels WHERE engagement_id = ? ORDER BY level',
        id,
      )
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
      (await this.sql.all<AnnouncementRow>('SELECT * FROM announcements WHERE engagement_id = ? ORDER BY in_engagement_channel DESC, position', id))
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
      teamIds,
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
