-- Reading records back on a schedule, confirming absences, and keeping aside
-- remote records this client cannot read.

-- When each record was last read back, when it next will be (NULL: never, its
-- status is final), when its content last changed as seen here, and since when
-- reads have found it absent (NULL: found, or never read absent).
ALTER TABLE remote_state ADD COLUMN checkedAt TEXT;
ALTER TABLE remote_state ADD COLUMN nextCheckAt TEXT;
ALTER TABLE remote_state ADD COLUMN changedAt TEXT;
ALTER TABLE remote_state ADD COLUMN absentSince TEXT;

-- Records not yet final are due at once: '' sorts before every timestamp.
UPDATE remote_state SET nextCheckAt = '', changedAt = confirmedAt
  WHERE (model = 'ScoringJob' AND coalesce(json_extract(fields, '$.status'), '') NOT IN ('COMPLETED', 'FAILED', 'ERROR'))
     OR (model = 'BatchJob' AND coalesce(json_extract(fields, '$.status'), '') NOT IN ('COMPLETED', 'ERROR'));
UPDATE remote_state SET nextCheckAt = '' WHERE deletedRemotely = 1;
CREATE INDEX remote_state_due ON remote_state (model, nextCheckAt) WHERE nextCheckAt IS NOT NULL;

-- Remote records the models refuse (a required field null, a value out of
-- range): kept aside with why and a bounded excerpt, so the rest syncs on.
-- recordKey is the record id, or 'unknown:<hash>' when not even the id could be read.
CREATE TABLE quarantine (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  model       TEXT NOT NULL,
  recordKey   TEXT NOT NULL,
  recordId    TEXT,
  reason      TEXT NOT NULL,
  excerpt     TEXT NOT NULL,
  firstSeenAt TEXT NOT NULL,
  lastSeenAt  TEXT NOT NULL,
  timesSeen   INTEGER NOT NULL DEFAULT 1,
  UNIQUE (model, recordKey)
);
