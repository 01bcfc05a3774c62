-- Outbox rows are claimed with a lease: the instance that claims a row records itself and a time
-- until which the row is its own. A row whose lease expired (its instance died) is claimed by
-- another instance, in doubt; no instance resets another's rows at start.
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN lease_until TEXT;
-- Rows an older coachline left in flight have no lease: they are expired now.
UPDATE outbox SET lease_until = '1970-01-01T00:00:00.000Z' WHERE status = 'sending';
CREATE INDEX outbox_lease ON outbox (status, lease_until);
