-- Check-ins, schedules for digests and reminders, and indexes for /status at scale.

CREATE TABLE checkins (
  id             INTEGER PRIMARY KEY,
  team_id        TEXT    NOT NULL,
  engagement_id  INTEGER NOT NULL REFERENCES engagements (id),
  author_id      TEXT    NOT NULL,
  health         TEXT    NOT NULL CHECK (health IN ('green', 'amber', 'red')),
  summary        TEXT    NOT NULL,
  next_steps     TEXT    NOT NULL DEFAULT '',
  outcome_values TEXT    NOT NULL DEFAULT '[]',
  created_at     TEXT    NOT NULL
);
CREATE INDEX checkins_engagement ON checkins (engagement_id, id);

-- The latest check-in time, kept with the engagement so the portfolio needs no per-row query.
ALTER TABLE engagements ADD COLUMN last_checkin_at TEXT;
-- Weekly digest schedule in the workspace time zone (ISO weekday, 1 = Monday).
ALTER TABLE engagements ADD COLUMN digest_weekday INTEGER NOT NULL DEFAULT 1;
ALTER TABLE engagements ADD COLUMN digest_hour INTEGER NOT NULL DEFAULT 9;
ALTER TABLE engagements ADD COLUMN digest_minute INTEGER NOT NULL DEFAULT 0;
ALTER TABLE engagements ADD COLUMN digest_last_at TEXT;
ALTER TABLE engagements ADD COLUMN digest_next_at TEXT;
CREATE INDEX engagements_digest_due ON engagements (lifecycle, digest_next_at);

-- One row per reminder subject and recipient: at most one reminder a local day, snoozes.
CREATE TABLE reminders (
  team_id            TEXT    NOT NULL,
  kind               TEXT    NOT NULL CHECK (kind IN ('checkin', 'impediment')),
  item_id            INTEGER NOT NULL,
  user_id            TEXT    NOT NULL,
  last_reminded_date TEXT,
  snoozed_until      TEXT,
  PRIMARY KEY (kind, item_id, user_id)
);

-- People's time zones (users.info), so reminders arrive in their working hours.
CREATE TABLE user_zones (
  team_id    TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  tz         TEXT,
  fetched_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id)
);

-- Covering index for the per-engagement impediment rollup of /status and the portfolio.
CREATE INDEX impediments_rollup ON impediments (engagement_id, state, level, due_at, created_at);
-- Overdue per engagement (portfolio rollup, unanswered escalations): engagement first, then the due range.
CREATE INDEX impediments_engagement_due ON impediments (engagement_id, state, due_at);
CREATE INDEX impediments_team_state ON impediments (team_id, state, organisational, waiting_on_executives);
CREATE INDEX impediments_stale ON impediments (state, owner_id, updated_at);

-- Who has opened the Home tab: only their dashboards are refreshed when something changes.
CREATE TABLE home_views (
  team_id   TEXT NOT NULL,
  user_id   TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id)
);
