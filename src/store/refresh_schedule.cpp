#include "store/refresh_schedule.hpp"

#include <string_view>

#include "store/store_impl.hpp"

namespace scoringjobs::detail {
namespace {

// The records sync reads back: a remote state still scheduled (nextCheckAt is
// NULL once its status is final), a local copy not final either, and no queued
// or dead-lettered change (push settles those). nextCheckAt is canonical UTC
// text, or '' for "at the next run", so text order is time order.
std::string watched_sql(std::string_view model, std::string_view table, std::string_view final_statuses) {
  std::string sql = "SELECT s.model AS model, s.recordId AS recordId, r.status AS status, s.checkedAt AS checkedAt, ";
  sql += "s.nextCheckAt AS nextCheckAt, s.changedAt AS changedAt, length(s.fields) AS bytes FROM remote_state s ";
  sql += "JOIN " + std::string(table) + " r ON r.id = s.recordId WHERE s.model = '" + std::string(model) + "' ";
  sql += "AND s.nextCheckAt IS NOT NULL AND r.status NOT IN (" + std::string(final_statuses) + ") ";
  sql += "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.model = s.model AND o.recordId = s.recordId) ";
  sql += "AND NOT EXISTS (SELECT 1 FROM dead_letter d WHERE d.model = s.model AND d.recordId = s.recordId)";
  return sql;
}

const std::string& watched_scoring_jobs() {
  static const std::string sql = watched_sql("ScoringJob", "scoring_job", "'COMPLETED', 'FAILED', 'ERROR'");
  return sql;
}

const std::string& watched_batch_jobs() {
  static const std::string sql = watched_sql("BatchJob", "batch_job", "'COMPLETED', 'ERROR'");
  return sql;
}

const std::string& watched_both() {
  static const std::string sql = watched_scoring_jobs() + " UNION ALL " + watched_batch_jobs();
  return sql;
}

std::optional<Timestamp> scheduled_time(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return Timestamp::try_parse(column.getString());  // '' (at the next run) reads as nullopt
}

}  // namespace

std::vector<DueRecord> due_for_check(StoreImpl& store, Model model, const Timestamp& now, std::size_t limit) {
  static const std::string due_scoring_jobs = "SELECT recordId, changedAt, bytes FROM (" + watched_scoring_jobs() +
                                              ") WHERE nextCheckAt <= ?1 ORDER BY nextCheckAt, recordId LIMIT ?2";
  static const std::string due_batch_jobs = "SELECT recordId, changedAt, bytes FROM (" + watched_batch_jobs() +
                                            ") WHERE nextCheckAt <= ?1 ORDER BY nextCheckAt, recordId LIMIT ?2";
  auto s = store.statements.get(model == Model::ScoringJob ? due_scoring_jobs : due_batch_jobs);
  s->bind(1, now.wire());
  s->bind(2, static_cast<std::int64_t>(limit));
  std::vector<DueRecord> due;
  while (s->executeStep()) {
    due.push_back(DueRecord{s->getColumn(0).getString(), scheduled_time(s->getColumn(1)),
                            static_cast<std::size_t>(s->getColumn(2).getInt64())});
  }
  return due;
}

std::vector<WatchedRecord> watched_records(StoreImpl& store, std::size_t limit) {
  static const std::string sql = "SELECT model, recordId, status, checkedAt, nextCheckAt FROM (" + watched_both() +
                                 ") ORDER BY nextCheckAt, model, recordId LIMIT ?1";
  auto s = store.statements.get(sql);
  s->bind(1, static_cast<std::int64_t>(limit));
  std::vector<WatchedRecord> records;
  while (s->executeStep()) {
    records.push_back(WatchedRecord{model_from_name(s->getColumn(0).getString()).value_or(Model::ScoringJob),
                                    s->getColumn(1).getString(), s->getColumn(2).getString(),
                                    scheduled_time(s->getColumn(3)), scheduled_time(s->getColumn(4))});
  }
  return records;
}

WatchSummary watch_summary(StoreImpl& store, const Timestamp& now) {
  static const std::string sql =
      "SELECT count(*), coalesce(sum(nextCheckAt <= ?1), 0), min(CASE WHEN nextCheckAt > ?1 THEN nextCheckAt END) "
      "FROM (" +
      watched_both() + ")";
  auto s = store.statements.get(sql);
  s->bind(1, now.wire());
  s->executeStep();
  WatchSummary summary{s->getColumn(0).getInt64(), s->getColumn(1).getInt64(), scheduled_time(s->getColumn(2))};
  s->reset();
  return summary;
}

}  // namespace scoringjobs::detail
