-- The records, as the remote schema names their fields, and the outbox.
-- Timestamps are stored as their exact wire text; *Sort columns hold a
-- fixed-width UTC form so ordering is right whatever offset the text uses.
-- AWSJSON fields hold compact JSON text.

CREATE TABLE batch_job (
  id                   TEXT PRIMARY KEY NOT NULL,
  accountId            TEXT NOT NULL,
  status               TEXT NOT NULL,
  type                 TEXT NOT NULL,
  batchId              TEXT NOT NULL,
  modelProvider        TEXT NOT NULL,
  modelName            TEXT NOT NULL,
  scoringJobCountCache INTEGER,
  startedAt            TEXT,
  estimatedEndAt       TEXT,
  completedAt          TEXT,
  totalRequests        INTEGER,
  completedRequests    INTEGER,
  failedRequests       INTEGER,
  errorMessage         TEXT,
  errorDetails         TEXT,
  scorecardId          TEXT,
  scoreId              TEXT,
  createdAt            TEXT NOT NULL,
  updatedAt            TEXT NOT NULL
) WITHOUT ROWID;

-- batch_scoring_job looks for an open batch with the same account, scorecard and model.
CREATE INDEX batch_job_open_lookup
  ON batch_job (accountId, scorecardId, modelProvider, modelName, status);

CREATE TABLE scoring_job (
  id            TEXT PRIMARY KEY NOT NULL,
  accountId     TEXT NOT NULL,
  status        TEXT NOT NULL,
  createdAt     TEXT NOT NULL,
  createdAtSort TEXT NOT NULL,
  updatedAt     TEXT NOT NULL,
  scorecardId   TEXT NOT NULL,
  itemId        TEXT NOT NULL,
  startedAt     TEXT,
  completedAt   TEXT,
  errorMessage  TEXT,
  errorDetails  TEXT,
  metadata      TEXT,
  evaluationId  TEXT,
  scoreId       TEXT,
  batchId       TEXT REFERENCES batch_job (id)
) WITHOUT ROWID;

CREATE INDEX scoring_job_by_item ON scoring_job (itemId, createdAtSort DESC, id DESC);
CREATE INDEX scoring_job_by_account ON scoring_job (accountId, createdAtSort);
CREATE INDEX scoring_job_by_batch ON scoring_job (batchId) WHERE batchId IS NOT NULL;

CREATE TABLE batch_job_scoring_job (
  id           TEXT PRIMARY KEY NOT NULL,
  batchJobId   TEXT NOT NULL REFERENCES batch_job (id),
  scoringJobId TEXT NOT NULL REFERENCES scoring_job (id),
  createdAt    TEXT NOT NULL,
  updatedAt    TEXT NOT NULL
) WITHOUT ROWID;

CREATE INDEX link_by_batch ON batch_job_scoring_job (batchJobId, createdAt, id);
CREATE INDEX link_by_scoring_job ON batch_job_scoring_job (scoringJobId);

-- One entry per local create, update or link, written in the same transaction
-- as the row. seq is the enqueue order the sync engine drains in.
CREATE TABLE outbox (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  model         TEXT NOT NULL CHECK (model IN ('ScoringJob', 'BatchJob', 'BatchJobScoringJob')),
  recordId      TEXT NOT NULL,
  operation     TEXT NOT NULL CHECK (operation IN ('create', 'update')),
  fields        TEXT NOT NULL,
  enqueuedAt    TEXT NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  nextAttemptAt TEXT,
  lastError     TEXT
);

CREATE INDEX outbox_by_record ON outbox (model, recordId, seq);
