-- Team pulses: five statements on a 1–5 scale, answered anonymously (see README, "Anonymous means anonymous").
-- Who is asked, when there is no engagement channel: the kickoff's optional Team field.
CREATE TABLE engagement_team (
  team_id       TEXT    NOT NULL,
  engagement_id INTEGER NOT NULL REFERENCES engagements (id) ON DELETE CASCADE,
  position      INTEGER NOT NULL,
  user_id       TEXT    NOT NULL,
  PRIMARY KEY (engagement_id, user_id)
);

-- One pulse of one engagement. `occurrence` is its unique key (baseline, review:<date>, closing,
-- manual:<n>), so a scheduled pulse cannot be sent twice even if two instances compute it.
CREATE TABLE pulses (
  id            INTEGER PRIMARY KEY,
  team_id       TEXT    NOT NULL,
  engagement_id INTEGER NOT NULL REFERENCES engagements (id),
  occurrence    TEXT    NOT NULL,
  reason        TEXT    NOT NULL CHECK (reason IN ('baseline', 'review', 'closing', 'manual')),
  requested_by  TEXT,
  status        TEXT    NOT NULL DEFAULT 'inviting' CHECK (status IN ('inviting', 'open', 'closed')),
  asked         INTEGER NOT NULL DEFAULT 0,
  answered      INTEGER NOT NULL DEFAULT 0,
  opened_at     TEXT    NOT NULL,
  remind_at     TEXT    NOT NULL,
  closes_at     TEXT    NOT NULL,
  closed_on     TEXT,
  UNIQUE (engagement_id, occurrence)
);
CREATE INDEX pulses_status ON pulses (status, closes_at);

-- Who was asked (for the one reminder), only while the pulse is open (deleted when it closes).
CREATE TABLE pulse_recipients (
  pulse_id INTEGER NOT NULL REFERENCES pulses (id) ON DELETE CASCADE,
  user_id  TEXT    NOT NULL,
  reminded INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (pulse_id, user_id)
);

-- Who has answered, to refuse a second answer and skip reminders: not the person's id but a keyed
-- hash of it (HMAC with a secret the database never holds), so even the write that records an
-- answer does not name its author. Deleted when the pulse closes.
CREATE TABLE pulse_answered (
  pulse_id INTEGER NOT NULL REFERENCES pulses (id) ON DELETE CASCADE,
  person   TEXT    NOT NULL,
  PRIMARY KEY (pulse_id, person)
);

-- Answers: no person, the day only, and a random key as the only order (WITHOUT ROWID: SQLite keeps
-- no insertion order either), so nobody can tell who answered first.
CREATE TABLE pulse_answers (
  pulse_id INTEGER NOT NULL REFERENCES pulses (id) ON DELETE CASCADE,
  token    TEXT    NOT NULL,
  day      TEXT    NOT NULL,
  s1       INTEGER NOT NULL CHECK (s1 BETWEEN 1 AND 5),
  s2       INTEGER NOT NULL CHECK (s2 BETWEEN 1 AND 5),
  s3       INTEGER NOT NULL CHECK (s3 BETWEEN 1 AND 5),
  s4       INTEGER NOT NULL CHECK (s4 BETWEEN 1 AND 5),
  s5       INTEGER NOT NULL CHECK (s5 BETWEEN 1 AND 5),
  comment  TEXT,
  PRIMARY KEY (pulse_id, token)
) WITHOUT ROWID;
