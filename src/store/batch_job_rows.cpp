#include "store/columns.hpp"
#include "store/index_page_sql.hpp"
#include "store/rows.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs::detail::rows {
namespace {

#define BATCH_JOB_COLUMNS                                                                             \
  "id, accountId, status, type, batchId, modelProvider, modelName, scoringJobCountCache, startedAt, " \
  "estimatedEndAt, completedAt, totalRequests, completedRequests, failedRequests, errorMessage, "     \
  "errorDetails, scorecardId, scoreId, createdAt, updatedAt"

#define BATCH_JOB_INSERT                                     \
  "INSERT INTO batch_job (" BATCH_JOB_COLUMNS                \
  ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, " \
  "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"

// `json` (AwsJsonText(b)) is bound without a copy: it outlives the statement's run.
void bind_all(SQLite::Statement& s, const BatchJob& b, const AwsJsonText& json) {
  bind(s, 1, b.id);
  bind(s, 2, b.accountId);
  bind(s, 3, b.status);
  bind(s, 4, b.type);
  bind(s, 5, b.batchId);
  bind(s, 6, b.modelProvider);
  bind(s, 7, b.modelName);
  bind(s, 8, b.scoringJobCountCache);
  bind(s, 9, b.startedAt);
  bind(s, 10, b.estimatedEndAt);
  bind(s, 11, b.completedAt);
  bind(s, 12, b.totalRequests);
  bind(s, 13, b.completedRequests);
  bind(s, 14, b.failedRequests);
  bind(s, 15, b.errorMessage);
  bind(s, 16, json.errorDetails);
  bind(s, 17, b.scorecardId);
  bind(s, 18, b.scoreId);
  bind(s, 19, b.createdAt);
  bind(s, 20, b.updatedAt);
}

BatchJob read_batch_job(SQLite::Statement& s) {
  // Designated initializers: each member is built once from its column.
  return BatchJob{
      .id = s.getColumn(0).getString(),
      .accountId = s.getColumn(1).getString(),
      .status = s.getColumn(2).getString(),
      .type = s.getColumn(3).getString(),
      .batchId = s.getColumn(4).getString(),
      .modelProvider = s.getColumn(5).getString(),
      .modelName = s.getColumn(6).getString(),
      .scoringJobCountCache = optional_int(s.getColumn(7)),
      .startedAt = optional_timestamp(s.getColumn(8)),
      .estimatedEndAt = optional_timestamp(s.getColumn(9)),
      .completedAt = optional_timestamp(s.getColumn(10)),
      .totalRequests = optional_int(s.getColumn(11)),
      .completedRequests = optional_int(s.getColumn(12)),
      .failedRequests = optional_int(s.getColumn(13)),
      .errorMessage = optional_text(s.getColumn(14)),
      .errorDetails = optional_json(s.getColumn(15)),
      .scorecardId = optional_text(s.getColumn(16)),
      .scoreId = optional_text(s.getColumn(17)),
      .createdAt = timestamp(s.getColumn(18)),
      .updatedAt = timestamp(s.getColumn(19)),
  };
}

}  // namespace

void insert(WriteTransaction& tx, const BatchJob& batch) { insert(tx, batch, AwsJsonText(batch)); }

void insert(WriteTransaction& tx, const BatchJob& batch, const AwsJsonText& json) {
  auto s = tx.statement(BATCH_JOB_INSERT);
  bind_all(*s, batch, json);
  s->exec();
}

void upsert(WriteTransaction& tx, const BatchJob& batch) { upsert(tx, batch, AwsJsonText(batch)); }

void upsert(WriteTransaction& tx, const BatchJob& batch, const AwsJsonText& json) {
  auto s = tx.statement(BATCH_JOB_INSERT
                        " ON CONFLICT (id) DO UPDATE SET accountId = excluded.accountId, status = excluded.status, "
                        "type = excluded.type, batchId = excluded.batchId, modelProvider = excluded.modelProvider, "
                        "modelName = excluded.modelName, scoringJobCountCache = excluded.scoringJobCountCache, "
                        "startedAt = excluded.startedAt, estimatedEndAt = excluded.estimatedEndAt, "
                        "completedAt = excluded.completedAt, totalRequests = excluded.totalRequests, "
                        "completedRequests = excluded.completedRequests, failedRequests = excluded.failedRequests, "
                        "errorMessage = excluded.errorMessage, errorDetails = excluded.errorDetails, "
                        "scorecardId = excluded.scorecardId, scoreId = excluded.scoreId, "
                        "createdAt = excluded.createdAt, updatedAt = excluded.updatedAt");
  bind_all(*s, batch, json);
  s->exec();
}

std::optional<BatchJob> find_batch_job(StoreImpl& store, std::string_view id) {
  // Bound without a further copy: the key outlives every use of the statement.
  const std::string key(id);
  auto s = store.statements.get("SELECT " BATCH_JOB_COLUMNS " FROM batch_job WHERE id = ?1");
  s->bindNoCopy(1, key);
  if (!s->executeStep()) return std::nullopt;
  return read_batch_job(*s);
}

bool any_batch_job(StoreImpl& store) {
  auto s = store.statements.get("SELECT EXISTS (SELECT 1 FROM batch_job)");
  s->executeStep();
  return s->getColumn(0).getInt() != 0;
}

std::vector<BatchJob> open_batches(StoreImpl& store, std::string_view accountId, std::string_view scorecardId,
                                   std::string_view modelProvider, std::string_view modelName) {
  auto s = store.statements.get("SELECT " BATCH_JOB_COLUMNS
                                " FROM batch_job WHERE accountId = ?1 AND scorecardId = ?2 AND modelProvider = ?3 "
                                "AND modelName = ?4 AND status = 'OPEN' ORDER BY createdAt, id");
  s->bind(1, std::string(accountId));
  s->bind(2, std::string(scorecardId));
  s->bind(3, std::string(modelProvider));
  s->bind(4, std::string(modelName));
  std::vector<BatchJob> batches;
  while (s->executeStep()) batches.push_back(read_batch_job(*s));
  return batches;
}

std::vector<BatchJob> batch_job_page(StoreImpl& store, const IndexQuery& query) {
  static constexpr IndexPageSql kIndexes[] = {
      {"", "", SCORINGJOBS_INDEX_PAGES(BATCH_JOB_COLUMNS, "batch_job", "1", "id")},
      {"accountId", "", SCORINGJOBS_INDEX_PAGES(BATCH_JOB_COLUMNS, "batch_job", "accountId = ?1", "id")},
      {"scorecardId", "", SCORINGJOBS_INDEX_PAGES(BATCH_JOB_COLUMNS, "batch_job", "scorecardId = ?1", "id")},
      {"scoreId", "", SCORINGJOBS_INDEX_PAGES(BATCH_JOB_COLUMNS, "batch_job", "scoreId = ?1", "id")},
  };
  auto s = store.statements.get(index_page_sql("BatchJob", kIndexes, query));
  bind_index_page(*s, query);
  std::vector<BatchJob> batches;
  while (s->executeStep()) batches.push_back(read_batch_job(*s));
  return batches;
}

}  // namespace scoringjobs::detail::rows
