-- Coaching requests (/kickoff request): a team asks for a coach; an admin or a coach starts the
-- engagement from it (origin pull) or declines it with a reason the requester receives.
CREATE TABLE coaching_requests (
  id             INTEGER PRIMARY KEY,
  team_id        TEXT    NOT NULL,
  requester_id   TEXT    NOT NULL,
  team_name      TEXT    NOT NULL,
  pain_points    TEXT    NOT NULL,
  outcomes       TEXT    NOT NULL DEFAULT '',
  urgency        TEXT    NOT NULL CHECK (urgency IN ('low', 'medium', 'high')),
  status         TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'started', 'declined')),
  decided_by     TEXT,
  decline_reason TEXT,
  engagement_id  INTEGER REFERENCES engagements (id),
  requester_told INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT    NOT NULL,
  decided_at     TEXT
);
CREATE INDEX coaching_requests_open ON coaching_requests (team_id, status, created_at);
CREATE INDEX coaching_requests_engagement ON coaching_requests (engagement_id);

-- Where a request was posted (the requests channel, or each admin's DM), to update it in place.
CREATE TABLE coaching_request_posts (
  request_id INTEGER NOT NULL REFERENCES coaching_requests (id) ON DELETE CASCADE,
  target     TEXT    NOT NULL,
  channel    TEXT,
  ts         TEXT,
  PRIMARY KEY (request_id, target)
);

-- Workspace settings an admin sets in Slack (e.g. the coaching-requests channel).
CREATE TABLE workspace_settings (
  team_id    TEXT NOT NULL,
  name       TEXT NOT NULL,
  value      TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (team_id, name)
);
