-- PostgreSQL equivalent of db/migrations/0007_coach_profiles.sql (same number, same schema).
-- Coach profiles (/kickoff profile): level and craft strengths, shown when coaches are introduced.
CREATE TABLE coach_profiles (
  team_id    TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  level      TEXT NOT NULL CHECK (level IN ('associate', 'coach', 'senior', 'staff')),
  strengths  TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id)
);
