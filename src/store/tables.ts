import type { Generated } from 'kysely';

/**
 * The schema as Kysely sees it (db/migrations is the source of truth). Times are ISO-8601
 * text and flags are 0/1 integers on both engines, so comparisons and sorting agree.
 */
type Id = Generated<number>;
type Flag = number;

export interface Tables {
  engagements: {
    id: Id;
    team_id: string;
    key: string;
    name: string;
    level: string;
    origin: string;
    requested_by: string | null;
    sponsor_id: string;
    start_date: string;
    review_date: string;
    engagement_channel_name: string | null;
    engagement_channel_id: string | null;
    lifecycle: Generated<string>;
    health: string | null;
    auto_escalate: Generated<Flag>;
    close_note: string | null;
    confirmation_channel: string | null;
    confirmation_ts: string | null;
    created_by: string;
    created_at: string;
    updated_at: string;
    closed_at: string | null;
    last_checkin_at: string | null;
    digest_weekday: Generated<number>;
    digest_hour: Generated<number>;
    digest_minute: Generated<number>;
    digest_last_at: string | null;
    digest_next_at: string | null;
  };
  engagement_coaches: { team_id: string; engagement_id: number; position: number; user_id: string };
  pain_points: { team_id: string; engagement_id: number; position: number; text: string };
  outcomes: {
    team_id: string;
    engagement_id: number;
    position: number;
    text: string;
    baseline: number | null;
    target: number | null;
    current: number | null;
    unit: string | null;
  };
  escalation_levels: { team_id: string; engagement_id: number; level: number; name: string; response_time: number; response_unit: string };
  escalation_contacts: { team_id: string; engagement_id: number; level: number; position: number; user_id: string };
  announcements: {
    id: Id;
    team_id: string;
    engagement_id: number;
    channel_id: string;
    position: number;
    in_engagement_channel: Generated<Flag>;
    active: Generated<Flag>;
    status: Generated<string>;
    message_channel: string | null;
    message_ts: string | null;
    permalink: string | null;
    failure: string | null;
  };
  events: {
    id: Id;
    team_id: string;
    engagement_id: number | null;
    impediment_id: number | null;
    actor_id: string | null;
    type: string;
    data: Generated<string>;
    created_at: string;
  };
  outbox: {
    id: Id;
    team_id: string;
    engagement_id: number | null;
    kind: string;
    order_key: string;
    payload: string;
    status: Generated<string>;
    attempts: Generated<number>;
    in_doubt: Generated<Flag>;
    next_attempt_at: string;
    attempt_started: string | null;
    last_error: string | null;
    result: string | null;
    created_at: string;
    updated_at: string;
    claimed_by: string | null;
    lease_until: string | null;
  };
  impediment_counters: { team_id: string; last_number: number };
  impediments: {
    id: Id;
    team_id: string;
    number: number;
    engagement_id: number;
    description: string;
    severity: string;
    organisational: Generated<Flag>;
    anonymous: Generated<Flag>;
    reporter_id: string | null;
    owner_id: string | null;
    state: Generated<string>;
    level: Generated<number>;
    due_at: string | null;
    waiting_on_executives: Generated<Flag>;
    source: string;
    source_permalink: string | null;
    resolution_note: string | null;
    followup_hash: string | null;
    created_at: string;
    updated_at: string;
    closed_at: string | null;
  };
  impediment_cards: { team_id: string; impediment_id: number; target: string; channel: string | null; ts: string | null };
  escalation_clocks: {
    team_id: string;
    impediment_id: number;
    engagement_id: number;
    level: number;
    started_at: string;
    due_at: string;
    acknowledged_at: string | null;
    ended_at: string | null;
    automatic: Generated<Flag>;
  };
  processed_requests: { team_id: string; request_key: string; created_at: string };
  checkins: {
    id: Id;
    team_id: string;
    engagement_id: number;
    author_id: string;
    health: string;
    summary: string;
    next_steps: Generated<string>;
    outcome_values: Generated<string>;
    created_at: string;
  };
  reminders: { team_id: string; kind: string; item_id: number; user_id: string; last_reminded_date: string | null; snoozed_until: string | null };
  user_zones: { team_id: string; user_id: string; tz: string | null; fetched_at: string };
  home_views: { team_id: string; user_id: string; opened_at: string };
  engagement_team: { team_id: string; engagement_id: number; position: number; user_id: string };
  pulses: {
    id: Id;
    team_id: string;
    engagement_id: number;
    occurrence: string;
    reason: string;
    requested_by: string | null;
    status: Generated<string>;
    asked: Generated<number>;
    answered: Generated<number>;
    opened_at: string;
    remind_at: string;
    closes_at: string;
    closed_on: string | null;
  };
  pulse_recipients: { pulse_id: number; user_id: string; reminded: Generated<Flag> };
  pulse_answered: { pulse_id: number; person: string };
  pulse_answers: { pulse_id: number; token: string; day: string; s1: number; s2: number; s3: number; s4: number; s5: number; comment: string | null };
  coaching_requests: {
    id: Id;
    team_id: string;
    requester_id: string;
    team_name: string;
    pain_points: string;
    outcomes: Generated<string>;
    urgency: string;
    status: Generated<string>;
    decided_by: string | null;
    decline_reason: string | null;
    engagement_id: number | null;
    requester_told: Generated<Flag>;
    created_at: string;
    decided_at: string | null;
  };
  coaching_request_posts: { request_id: number; target: string; channel: string | null; ts: string | null };
  workspace_settings: { team_id: string; name: string; value: string; updated_by: string; updated_at: string };
  coach_profiles: { team_id: string; user_id: string; level: string; strengths: Generated<string>; updated_at: string };
}
