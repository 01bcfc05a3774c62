-- coachline: engagements, escalation lines, events and the delivery outbox.
-- Every table that holds a workspace's data carries team_id.

CREATE TABLE engagements (
  id                      INTEGER PRIMARY KEY,
  team_id                 TEXT    NOT NULL,
  key                     TEXT    NOT NULL,
  name                    TEXT    NOT NULL,
  level                   TEXT    NOT NULL CHECK (level IN ('team', 'program', 'organization')),
  origin                  TEXT    NOT NULL CHECK (origin IN ('pull', 'push')),
  requested_by            TEXT,
  sponsor_id              TEXT    NOT NULL,
  start_date              TEXT    NOT NULL,
  review_date             TEXT    NOT NULL,
  engagement_channel_name TEXT,
  engagement_channel_id   TEXT,
  lifecycle               TEXT    NOT NULL DEFAULT 'active'
                                  CHECK (lifecycle IN ('active', 'paused', 'completed', 'cancelled')),
  health                  TEXT    CHECK (health IN ('green', 'amber', 'red')),
  auto_escalate           INTEGER NOT NULL DEFAULT 1,
  close_note              TEXT,
  confirmation_channel    TEXT,
  confirmation_ts         TEXT,
  created_by              TEXT    NOT NULL,
  created_at              TEXT    NOT NULL,
  updated_at              TEXT    NOT NULL,
  closed_at               TEXT,
  UNIQUE (team_id, key)
);
CREATE INDEX engagements_team_lifecycle ON engagements (team_id, lifecycle);
CREATE INDEX engagements_sponsor ON engagements (team_id, sponsor_id);
CREATE INDEX engagements_channel ON engagements (team_id, engagement_channel_id);

CREATE TABLE engagement_coaches (
  team_id       TEXT    NOT NULL,
  engagement_id INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  user_id       TEXT    NOT NULL,
  PRIMARY KEY (engagement_id, user_id)
);
CREATE INDEX engagement_coaches_user ON engagement_coaches (team_id, user_id);

CREATE TABLE pain_points (
  team_id       TEXT    NOT NULL,
  engagement_id INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  text          TEXT    NOT NULL,
  PRIMARY KEY (engagement_id, position)
);

CREATE TABLE outcomes (
  team_id       TEXT    NOT NULL,
  engagement_id INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  text          TEXT    NOT NULL,
  baseline      REAL,
  target        REAL,
  current       REAL,
  unit          TEXT,
  PRIMARY KEY (engagement_id, position)
);

CREATE TABLE escalation_levels (
  team_id        TEXT    NOT NULL,
  engagement_id  INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  level          INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
  name           TEXT    NOT NULL,
  response_time  INTEGER NOT NULL CHECK (response_time > 0),
  response_unit  TEXT    NOT NULL CHECK (response_unit IN ('business_days', 'business_hours')),
  PRIMARY KEY (engagement_id, level)
);

CREATE TABLE escalation_contacts (
  team_id       TEXT    NOT NULL,
  engagement_id INTEGER NOT NULL,
  level         INTEGER NOT NULL,
  position      INTEGER NOT NULL,
  user_id       TEXT    NOT NULL,
  PRIMARY KEY (engagement_id, level, user_id),
  FOREIGN KEY (engagement_id, level) REFERENCES escalation_levels (engagement_id, level) ON DELETE CASCADE
);
CREATE INDEX escalation_contacts_user ON escalation_contacts (team_id, user_id);

-- One row per channel an engagement is announced in; the message ref lets edits update in place.
CREATE TABLE announcements (
  id                     INTEGER PRIMARY KEY,
  team_id                TEXT    NOT NULL,
  engagement_id          INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  channel_id             TEXT    NOT NULL,
  position               INTEGER NOT NULL,
  in_engagement_channel  INTEGER NOT NULL DEFAULT 0,
  active                 INTEGER NOT NULL DEFAULT 1,
  status                 TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'posted', 'failed')),
  message_channel        TEXT,
  message_ts             TEXT,
  permalink              TEXT,
  failure                TEXT,
  UNIQUE (engagement_id, channel_id)
);
CREATE INDEX announcements_channel ON announcements (team_id, channel_id, active);

-- Append-only: every change, who made it (NULL for system or anonymous actions), when.
CREATE TABLE events (
  id            INTEGER PRIMARY KEY,
  team_id       TEXT    NOT NULL,
  engagement_id INTEGER REFERENCES engagements (id),
  actor_id      TEXT,
  type          TEXT    NOT NULL,
  data          TEXT    NOT NULL DEFAULT '{}',
  created_at    TEXT    NOT NULL
);
CREATE INDEX events_engagement ON events (engagement_id, id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- Durable delivery: a row is committed with the change that caused it; the sender delivers it.
-- order_key keeps per-destination order (one row in flight per key).
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  team_id         TEXT    NOT NULL,
  engagement_id   INTEGER REFERENCES engagements (id),
  kind            TEXT    NOT NULL,
  order_key       TEXT    NOT NULL,
  payload         TEXT    NOT NULL,
  status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'done', 'parked')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  in_doubt        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT    NOT NULL,
  attempt_started TEXT,
  last_error      TEXT,
  result          TEXT,
  created_at      TEXT    NOT NULL,
  updated_at      TEXT    NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_order ON outbox (order_key, status, id);
