#include "support/sync_fixture.hpp"

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include <thread>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "support/canary.hpp"

namespace scoringjobs::test {

SyncReport SyncFixture::sync(const SyncOptions& options) {
  auto report = scoringjobs::sync(store, client, options);
  last_sync = std::chrono::steady_clock::now();
  check_no_canary("a sync report", nlohmann::json(report).dump());
  return report;
}

SyncReport SyncFixture::sync_at_least(const SyncOptions& options, std::chrono::milliseconds gap) {
  // A duration the test defines, not a guess at how long something takes.
  std::this_thread::sleep_until(last_sync + gap);
  return sync(options);
}

SyncReport SyncFixture::sync_until_drained(SyncOptions options, int rounds) {
  options.retry_now = true;
  SyncReport report;
  for (int i = 0; i < rounds; ++i) {
    report = sync(options);
    if (report.outcome == SyncOutcome::Done && report.still_queued == 0) return report;
  }
  return report;
}

nlohmann::json local_records(const std::filesystem::path& db) {
  SQLite::Database raw(db.string(), SQLite::OPEN_READONLY);
  nlohmann::json out = {{"ScoringJob", nlohmann::json::object()},
                        {"BatchJob", nlohmann::json::object()},
                        {"BatchJobScoringJob", nlohmann::json::object()}};
  auto store = Store::open(db);
  {
    SQLite::Statement ids(raw, "SELECT id FROM scoring_job");
    while (ids.executeStep()) {
      const auto id = ids.getColumn(0).getString();
      out["ScoringJob"][id] = ScoringJob::get_by_id(id, store).to_dict();
    }
  }
  {
    SQLite::Statement ids(raw, "SELECT id FROM batch_job");
    while (ids.executeStep()) {
      const auto id = ids.getColumn(0).getString();
      out["BatchJob"][id] = BatchJob::get_by_id(id, store).to_dict();
    }
  }
  {
    SQLite::Statement ids(raw, "SELECT id FROM batch_job_scoring_job");
    while (ids.executeStep()) {
      const auto id = ids.getColumn(0).getString();
      out["BatchJobScoringJob"][id] = BatchJobScoringJob::get_by_id(id, store).to_dict();
    }
  }
  return out;
}

nlohmann::json remote_records(AppSyncServer& server) {
  const auto dump = server.dump();
  nlohmann::json out = {{"ScoringJob", nlohmann::json::object()},
                        {"BatchJob", nlohmann::json::object()},
                        {"BatchJobScoringJob", nlohmann::json::object()}};
  const auto normalise = [](nlohmann::json item) {
    item.erase("__typename");
    return item;
  };
  for (const auto& item : dump.value("ScoringJob", nlohmann::json::array())) {
    out["ScoringJob"][item["id"].get<std::string>()] = ScoringJob::from_dict(normalise(item)).to_dict();
  }
  for (const auto& item : dump.value("BatchJob", nlohmann::json::array())) {
    out["BatchJob"][item["id"].get<std::string>()] = BatchJob::from_dict(normalise(item)).to_dict();
  }
  for (const auto& item : dump.value("BatchJobScoringJob", nlohmann::json::array())) {
    out["BatchJobScoringJob"][item["id"].get<std::string>()] = BatchJobScoringJob::from_dict(normalise(item)).to_dict();
  }
  return out;
}

void check_local_equals_remote(const std::filesystem::path& db, AppSyncServer& server) {
  const auto local = local_records(db);
  const auto remote = remote_records(server);
  for (const char* model : {"ScoringJob", "BatchJob", "BatchJobScoringJob"}) {
    CAPTURE(model);
    CHECK(local[model].size() == remote[model].size());
    for (const auto& item : local[model].items()) {
      const auto& id = item.key();
      const auto& record = item.value();
      CAPTURE(id);
      REQUIRE(remote[model].contains(id));
      CHECK(remote[model][id] == record);
    }
  }
}

}  // namespace scoringjobs::test
