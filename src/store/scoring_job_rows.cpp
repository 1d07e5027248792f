#include <algorithm>
#include <cstdint>

#include "store/columns.hpp"
#include "store/index_page_sql.hpp"
#include "store/rows.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs::detail::rows {
namespace {

// The columns in the order read_scoring_job() takes them; insert binds createdAtSort after them.
#define SCORING_JOB_COLUMNS                                                                                  \
  "id, accountId, status, createdAt, updatedAt, scorecardId, itemId, startedAt, completedAt, errorMessage, " \
  "errorDetails, metadata, evaluationId, scoreId, batchId"

#define SCORING_JOB_INSERT                            \
  "INSERT INTO scoring_job (" SCORING_JOB_COLUMNS     \
  ", createdAtSort) VALUES (?1, ?2, ?3, ?4, ?5, ?6, " \
  "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"

// `json` (AwsJsonText(job)) and `created_sort` are bound without a copy: they
// outlive the statement's run.
void bind_all(SQLite::Statement& s, const ScoringJob& job, const AwsJsonText& json, const std::string& created_sort) {
  bind(s, 1, job.id);
  bind(s, 2, job.accountId);
  bind(s, 3, job.status);
  bind(s, 4, job.createdAt);
  bind(s, 5, job.updatedAt);
  bind(s, 6, job.scorecardId);
  bind(s, 7, job.itemId);
  bind(s, 8, job.startedAt);
  bind(s, 9, job.completedAt);
  bind(s, 10, job.errorMessage);
  bind(s, 11, json.errorDetails);
  bind(s, 12, json.metadata);
  bind(s, 13, job.evaluationId);
  bind(s, 14, job.scoreId);
  bind(s, 15, job.batchId);
  bind(s, 16, created_sort);
}

ScoringJob read_scoring_job(SQLite::Statement& s) {
  // Designated initializers: each member is built once from its column, never
  // default-constructed first (a default Timestamp formats the epoch).
  return ScoringJob{
      .id = s.getColumn(0).getString(),
      .accountId = s.getColumn(1).getString(),
      .status = s.getColumn(2).getString(),
      .createdAt = timestamp(s.getColumn(3)),
      .updatedAt = timestamp(s.getColumn(4)),
      .scorecardId = s.getColumn(5).getString(),
      .itemId = s.getColumn(6).getString(),
      .startedAt = optional_timestamp(s.getColumn(7)),
      .completedAt = optional_timestamp(s.getColumn(8)),
      .errorMessage = optional_text(s.getColumn(9)),
      .errorDetails = optional_json(s.getColumn(10)),
      .metadata = optional_json(s.getColumn(11)),
      .evaluationId = optional_text(s.getColumn(12)),
      .scoreId = optional_text(s.getColumn(13)),
      .batchId = optional_text(s.getColumn(14)),
  };
}

std::optional<ScoringJob> read_one(CachedStatement& statement) {
  if (!statement->executeStep()) return std::nullopt;
  return read_scoring_job(*statement);
}

}  // namespace

void insert(WriteTransaction& tx, const ScoringJob& job) { insert(tx, job, AwsJsonText(job)); }

void insert(WriteTransaction& tx, const ScoringJob& job, const AwsJsonText& json) {
  auto s = tx.statement(SCORING_JOB_INSERT);
  const auto created_sort = sort_key(job.createdAt);
  bind_all(*s, job, json, created_sort);
  s->exec();
}

void upsert(WriteTransaction& tx, const ScoringJob& job) { upsert(tx, job, AwsJsonText(job)); }

void upsert(WriteTransaction& tx, const ScoringJob& job, const AwsJsonText& json) {
  auto s = tx.statement(
      SCORING_JOB_INSERT
      " ON CONFLICT (id) DO UPDATE SET accountId = excluded.accountId, status = excluded.status, "
      "createdAt = excluded.createdAt, updatedAt = excluded.updatedAt, scorecardId = excluded.scorecardId, "
      "itemId = excluded.itemId, startedAt = excluded.startedAt, completedAt = excluded.completedAt, "
      "errorMessage = excluded.errorMessage, errorDetails = excluded.errorDetails, metadata = excluded.metadata, "
      "evaluationId = excluded.evaluationId, scoreId = excluded.scoreId, batchId = excluded.batchId, "
      "createdAtSort = excluded.createdAtSort");
  const auto created_sort = sort_key(job.createdAt);
  bind_all(*s, job, json, created_sort);
  s->exec();
}

void set_batch_id(WriteTransaction& tx, std::string_view scoringJobId, std::string_view batchJobId) {
  auto s = tx.statement("UPDATE scoring_job SET batchId = ?2 WHERE id = ?1");
  s->bind(1, std::string(scoringJobId));
  s->bind(2, std::string(batchJobId));
  s->exec();
}

std::optional<ScoringJob> find_scoring_job(StoreImpl& store, std::string_view id) {
  // Bound without a further copy: the key outlives every use of the statement.
  const std::string key(id);
  auto s = store.statements.get("SELECT " SCORING_JOB_COLUMNS " FROM scoring_job WHERE id = ?1");
  s->bindNoCopy(1, key);
  return read_one(s);
}

bool read_batch_id(StoreImpl& store, std::string_view id, std::optional<std::string>& batch_id) {
  auto s = store.statements.get("SELECT batchId FROM scoring_job WHERE id = ?1");
  s->bind(1, std::string(id));
  if (!s->executeStep()) return false;
  batch_id = optional_text(s->getColumn(0));
  return true;
}

bool any_scoring_job(StoreImpl& store) {
  auto s = store.statements.get("SELECT EXISTS (SELECT 1 FROM scoring_job)");
  s->executeStep();
  return s->getColumn(0).getInt() != 0;
}

std::optional<ScoringJob> newest_scoring_job_for_item(StoreImpl& store, std::string_view itemId) {
  // Bound without a further copy: the key outlives every use of the statement.
  const std::string key(itemId);
  auto s = store.statements.get("SELECT " SCORING_JOB_COLUMNS
                                " FROM scoring_job WHERE itemId = ?1 ORDER BY createdAtSort DESC, id DESC LIMIT 1");
  s->bindNoCopy(1, key);
  return read_one(s);
}

std::vector<ScoringJob> list_scoring_jobs(StoreImpl& store, const ScoringJobListOptions& options) {
  auto s = store.statements.get("SELECT " SCORING_JOB_COLUMNS
                                " FROM scoring_job WHERE (?1 IS NULL OR accountId = ?1) "
                                "AND (?2 IS NULL OR status IN (SELECT value FROM json_each(?2))) "
                                // updatedAt is kept as its wire text, which may carry an offset or a lower-case t/z:
                                // compared as instants (julianday reads both forms, in upper case; to the millisecond).
                                "AND (?3 IS NULL OR julianday(upper(updatedAt)) >= julianday(?3)) "
                                "ORDER BY createdAtSort DESC, id DESC LIMIT ?4");
  bind(*s, 1, options.accountId);
  if (!options.statuses.empty()) s->bind(2, nlohmann::json(options.statuses).dump());
  if (options.updated_since) s->bind(3, options.updated_since->format());
  s->bind(4, static_cast<std::int64_t>(std::min<std::size_t>(options.limit, INT64_MAX)));
  std::vector<ScoringJob> jobs;
  while (s->executeStep()) jobs.push_back(read_scoring_job(*s));
  return jobs;
}

std::vector<ScoringJob> scoring_jobs_of_batch(StoreImpl& store, std::string_view batchJobId) {
  // The job's own columns only (the link has id, createdAt and updatedAt too), in the link's order.
  auto s = store.statements.get("SELECT " SCORING_JOB_COLUMNS
                                " FROM scoring_job j JOIN ("
                                "SELECT scoringJobId, createdAt AS linkedAt, id AS linkId FROM batch_job_scoring_job "
                                "WHERE batchJobId = ?1) l ON j.id = l.scoringJobId ORDER BY l.linkedAt, l.linkId");
  s->bind(1, std::string(batchJobId));
  std::vector<ScoringJob> jobs;
  while (s->executeStep()) jobs.push_back(read_scoring_job(*s));
  return jobs;
}

std::vector<ScoringJob> scoring_job_page(StoreImpl& store, const IndexQuery& query) {
  // The remote schema's ScoringJob indexes (tests/appsync/lib/models.js).
  static constexpr IndexPageSql kIndexes[] = {
      {"", "", SCORINGJOBS_INDEX_PAGES(SCORING_JOB_COLUMNS, "scoring_job", "1", "id")},
      {"itemId", "", SCORINGJOBS_INDEX_PAGES(SCORING_JOB_COLUMNS, "scoring_job", "itemId = ?1", "id")},
      {"itemId", "scoreId", SCORINGJOBS_INDEX_PAGES(SCORING_JOB_COLUMNS, "scoring_job", "itemId = ?1", "scoreId")},
      {"accountId", "", SCORINGJOBS_INDEX_PAGES(SCORING_JOB_COLUMNS, "scoring_job", "accountId = ?1", "id")},
      {"accountId", "createdAt",
       SCORINGJOBS_INDEX_PAGES(SCORING_JOB_COLUMNS, "scoring_job", "accountId = ?1", "createdAt")},
      {"scoreId", "", SCORINGJOBS_INDEX_PAGES(SCORING_JOB_COLUMNS, "scoring_job", "scoreId = ?1", "id")},
  };
  auto s = store.statements.get(index_page_sql("ScoringJob", kIndexes, query));
  bind_index_page(*s, query);
  std::vector<ScoringJob> jobs;
  while (s->executeStep()) jobs.push_back(read_scoring_job(*s));
  return jobs;
}

}  // namespace scoringjobs::detail::rows
