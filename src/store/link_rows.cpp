#include "store/columns.hpp"
#include "store/index_page_sql.hpp"
#include "store/rows.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"

namespace scoringjobs::detail::rows {
namespace {

void bind_all(SQLite::Statement& s, const BatchJobScoringJob& link) {
  bind(s, 1, link.id);
  bind(s, 2, link.batchJobId);
  bind(s, 3, link.scoringJobId);
  bind(s, 4, link.createdAt);
  bind(s, 5, link.updatedAt);
}

#define LINK_COLUMNS "id, batchJobId, scoringJobId, createdAt, updatedAt"

BatchJobScoringJob read_link(SQLite::Statement& s) {
  return BatchJobScoringJob{
      .id = s.getColumn(0).getString(),
      .batchJobId = s.getColumn(1).getString(),
      .scoringJobId = s.getColumn(2).getString(),
      .createdAt = timestamp(s.getColumn(3)),
      .updatedAt = timestamp(s.getColumn(4)),
  };
}

}  // namespace

void insert(WriteTransaction& tx, const BatchJobScoringJob& link) {
  auto s = tx.statement(
      "INSERT INTO batch_job_scoring_job (id, batchJobId, scoringJobId, createdAt, updatedAt) "
      "VALUES (?1, ?2, ?3, ?4, ?5)");
  bind_all(*s, link);
  s->exec();
}

void upsert(WriteTransaction& tx, const BatchJobScoringJob& link) {
  auto s = tx.statement(
      "INSERT INTO batch_job_scoring_job (id, batchJobId, scoringJobId, createdAt, updatedAt) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET batchJobId = excluded.batchJobId, "
      "scoringJobId = excluded.scoringJobId, createdAt = excluded.createdAt, updatedAt = excluded.updatedAt");
  bind_all(*s, link);
  s->exec();
}

bool any_link(StoreImpl& store) {
  auto s = store.statements.get("SELECT EXISTS (SELECT 1 FROM batch_job_scoring_job)");
  s->executeStep();
  return s->getColumn(0).getInt() != 0;
}

std::optional<BatchJobScoringJob> find_link(StoreImpl& store, std::string_view id) {
  auto s = store.statements.get(
      "SELECT id, batchJobId, scoringJobId, createdAt, updatedAt FROM batch_job_scoring_job WHERE id = ?1");
  s->bind(1, std::string(id));
  if (!s->executeStep()) return std::nullopt;
  return read_link(*s);
}

std::optional<BatchJobScoringJob> link_of_scoring_job(StoreImpl& store, std::string_view scoringJobId) {
  // Bound without a further copy: the key outlives every use of the statement.
  const std::string key(scoringJobId);
  auto s = store.statements.get(
      "SELECT id, batchJobId, scoringJobId, createdAt, updatedAt FROM batch_job_scoring_job "
      "WHERE scoringJobId = ?1 ORDER BY createdAt, id LIMIT 1");
  s->bindNoCopy(1, key);
  if (!s->executeStep()) return std::nullopt;
  return read_link(*s);
}

std::optional<std::string> batch_id_of_scoring_job(StoreImpl& store, std::string_view scoringJobId) {
  const std::string key(scoringJobId);
  // link_by_scoring_job holds every column this reads, in this order (migration 004).
  auto s = store.statements.get(
      "SELECT batchJobId FROM batch_job_scoring_job WHERE scoringJobId = ?1 ORDER BY createdAt, id LIMIT 1");
  s->bindNoCopy(1, key);
  if (!s->executeStep()) return std::nullopt;
  return s->getColumn(0).getString();
}

int count_links_of_batch(StoreImpl& store, std::string_view batchJobId) {
  auto s = store.statements.get("SELECT count(*) FROM batch_job_scoring_job WHERE batchJobId = ?1");
  s->bind(1, std::string(batchJobId));
  s->executeStep();
  return s->getColumn(0).getInt();
}

std::vector<BatchJobScoringJob> link_page(StoreImpl& store, const IndexQuery& query) {
  static constexpr IndexPageSql kIndexes[] = {
      {"", "", SCORINGJOBS_INDEX_PAGES(LINK_COLUMNS, "batch_job_scoring_job", "1", "id")},
      {"batchJobId", "", SCORINGJOBS_INDEX_PAGES(LINK_COLUMNS, "batch_job_scoring_job", "batchJobId = ?1", "id")},
      {"scoringJobId", "", SCORINGJOBS_INDEX_PAGES(LINK_COLUMNS, "batch_job_scoring_job", "scoringJobId = ?1", "id")},
  };
  auto s = store.statements.get(index_page_sql("BatchJobScoringJob", kIndexes, query));
  bind_index_page(*s, query);
  std::vector<BatchJobScoringJob> links;
  while (s->executeStep()) links.push_back(read_link(*s));
  return links;
}

}  // namespace scoringjobs::detail::rows
