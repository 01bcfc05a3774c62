-- Impediments, their cards, and one clock per escalation level they reach.
-- An anonymous impediment has no reporter: the CHECK makes storing one impossible.

CREATE TABLE impediment_counters (
  team_id     TEXT PRIMARY KEY,
  last_number INTEGER NOT NULL
);

CREATE TABLE impediments (
  id                    INTEGER PRIMARY KEY,
  team_id               TEXT    NOT NULL,
  number                INTEGER NOT NULL CHECK (number > 0),
  engagement_id         INTEGER NOT NULL REFERENCES engagements (id),
  description           TEXT    NOT NULL,
  severity              TEXT    NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  organisational        INTEGER NOT NULL DEFAULT 0,
  anonymous             INTEGER NOT NULL DEFAULT 0,
  reporter_id           TEXT,
  owner_id              TEXT,
  state                 TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'resolved', 'wont_fix')),
  level                 INTEGER NOT NULL DEFAULT 1,
  due_at                TEXT,
  waiting_on_executives INTEGER NOT NULL DEFAULT 0,
  source                TEXT    NOT NULL CHECK (source IN ('command', 'shortcut', 'button', 'modal')),
  source_permalink      TEXT,
  resolution_note       TEXT,
  followup_hash         TEXT,
  created_at            TEXT    NOT NULL,
  updated_at            TEXT    NOT NULL,
  closed_at             TEXT,
  UNIQUE (team_id, number),
  CHECK (anonymous = 0 OR reporter_id IS NULL)
);
CREATE INDEX impediments_engagement ON impediments (engagement_id, state);
CREATE INDEX impediments_due ON impediments (state, due_at);
CREATE INDEX impediments_owner ON impediments (team_id, owner_id, state);
CREATE INDEX impediments_reporter ON impediments (team_id, reporter_id, state);

-- Where each impediment's card was posted (the engagement channel, or each coach's DM).
CREATE TABLE impediment_cards (
  team_id       TEXT    NOT NULL,
  impediment_id INTEGER NOT NULL REFERENCES impediments (id) ON DELETE CASCADE,
  target        TEXT    NOT NULL,
  channel       TEXT,
  ts            TEXT,
  PRIMARY KEY (impediment_id, target)
);

-- One row per escalation level an impediment reached; the scorecard reads these.
CREATE TABLE escalation_clocks (
  team_id         TEXT    NOT NULL,
  impediment_id   INTEGER NOT NULL REFERENCES impediments (id) ON DELETE CASCADE,
  engagement_id   INTEGER NOT NULL REFERENCES engagements (id),
  level           INTEGER NOT NULL,
  started_at      TEXT    NOT NULL,
  due_at          TEXT    NOT NULL,
  acknowledged_at TEXT,
  ended_at        TEXT,
  automatic       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (impediment_id, level)
);
CREATE INDEX escalation_clocks_engagement ON escalation_clocks (engagement_id, level);

ALTER TABLE events ADD COLUMN impediment_id INTEGER REFERENCES impediments (id);
CREATE INDEX events_impediment ON events (impediment_id, id);

-- Requests already acted on (e.g. a view_submission Slack delivered twice): claimed in the
-- transaction that acts on them, so a repeat changes nothing.
CREATE TABLE processed_requests (
  team_id     TEXT NOT NULL,
  request_key TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (team_id, request_key)
);
