-- What the sync engine keeps between runs.

-- The last state of each record the remote confirmed: the base of three-way
-- merges, and updatedAt exactly as the remote wrote it for compare-and-set.
CREATE TABLE remote_state (
  model           TEXT NOT NULL,
  recordId        TEXT NOT NULL,
  fields          TEXT NOT NULL,
  updatedAt       TEXT NOT NULL,
  confirmedAt     TEXT NOT NULL,
  deletedRemotely INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (model, recordId)
) WITHOUT ROWID;

-- Mutations the API rejected for good, with what was sent and why. Later
-- entries of the same record, and join rows naming it, are held meanwhile.
CREATE TABLE dead_letter (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  model        TEXT NOT NULL,
  recordId     TEXT NOT NULL,
  operation    TEXT NOT NULL,
  fields       TEXT NOT NULL,
  seqs         TEXT NOT NULL,
  enqueuedAt   TEXT NOT NULL,
  attempts     INTEGER NOT NULL,
  errorClass   TEXT NOT NULL,
  errorMessage TEXT NOT NULL,
  deadAt       TEXT NOT NULL
);
CREATE INDEX dead_letter_by_record ON dead_letter (model, recordId);

-- Every merge decision on a field changed both locally and remotely.
CREATE TABLE conflict (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  model       TEXT NOT NULL,
  recordId    TEXT NOT NULL,
  field       TEXT NOT NULL,
  baseValue   TEXT,
  localValue  TEXT,
  remoteValue TEXT,
  resultValue TEXT,
  chosen      TEXT NOT NULL,
  rule        TEXT NOT NULL,
  decidedAt   TEXT NOT NULL
);

CREATE TABLE sync_run (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  startedAt  TEXT NOT NULL,
  finishedAt TEXT,
  exitCode   INTEGER,
  report     TEXT
);

-- Where a per-account pull stopped, written with each page it stored.
CREATE TABLE pull_checkpoint (
  accountId   TEXT PRIMARY KEY NOT NULL,
  createdFrom TEXT,
  nextToken   TEXT,
  maxSeen     TEXT,
  updatedAt   TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX outbox_retry ON outbox (nextAttemptAt) WHERE nextAttemptAt IS NOT NULL;
