#include "support/job_oracle.hpp"

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include <set>
#include <utility>

#include "scoringjobs/model.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "scoringjobs/sync.hpp"
#include "support/sync_fixture.hpp"

namespace scoringjobs::test {

using nlohmann::json;

std::string status_for(int step) {
  if (step == 0) return "PENDING";
  return step >= kLastStep ? "COMPLETED" : "RUNNING";
}

json changes_for(int step, const std::string& writer) {
  json changes = {{"status", status_for(step)}, {"metadata", {{"step", step}}}};
  if (!writer.empty()) changes["metadata"]["writer"] = writer;
  if (step == 1) changes["startedAt"] = kStartedAt;
  if (step == kLastStep) changes["completedAt"] = kCompletedAt;
  return changes;
}

void touch(Store& store, JobRef& ref, const std::string& writer) {
  if (ref.step >= kLastStep) return;
  ++ref.step;
  auto job = ScoringJob::get_by_id(ref.id, store);
  job.update(store, changes_for(ref.step, writer));
}

BatchScoringJobRequest assign(const std::string& item, int max_batch) {
  BatchScoringJobRequest request;
  request.accountId = "acct";
  request.scorecardId = "card";
  request.itemId = item;
  request.modelProvider = "openai";
  request.modelName = "gpt-4o";
  request.max_batch_size = max_batch;
  return request;
}

void check_jobs_hold_their_writes(const std::filesystem::path& db, AppSyncServer& server,
                                  const std::vector<JobRef>& jobs) {
  const auto local = local_records(db)["ScoringJob"];
  const auto remote = remote_records(server)["ScoringJob"];
  int lost = 0;
  for (const auto& ref : jobs) {
    for (const auto& [side, records] :
         {std::pair{std::string("local"), &local}, std::pair{std::string("remote"), &remote}}) {
      if (!records->contains(ref.id)) {
        ++lost;
        MESSAGE(side << " lacks job " << ref.id << " (" << ref.item << ")");
        continue;
      }
      const auto& record = (*records)[ref.id];
      bool ok = record["status"] == status_for(ref.step);
      if (ref.step > 0) {
        const auto metadata =
            json::parse(record["metadata"].is_string() ? record["metadata"].get<std::string>() : "null");
        ok = ok && metadata.is_object() && metadata.value("step", -1) == ref.step;
      }
      if (!ok) {
        ++lost;
        if (lost <= 10) {
          MESSAGE(side << " job " << ref.item << " (" << ref.id << ") should be at step " << ref.step << " status "
                       << status_for(ref.step) << " but holds status " << record["status"] << " metadata "
                       << record["metadata"]);
        }
      }
    }
  }
  CHECK_MESSAGE(lost == 0, lost << " job states (local or remote) lost a write");
}

void check_no_remote_duplicates(AppSyncServer& server) {
  const auto dump = server.dump();
  for (const char* model : {"ScoringJob", "BatchJob", "BatchJobScoringJob"}) {
    CAPTURE(model);
    std::set<std::string> ids;
    for (const auto& item : dump.value(model, json::array())) ids.insert(item["id"].get<std::string>());
    CHECK(ids.size() == dump.value(model, json::array()).size());
  }
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& link : dump.value("BatchJobScoringJob", json::array())) {
    const auto pair = std::make_pair(link.value("batchJobId", ""), link.value("scoringJobId", ""));
    CHECK_MESSAGE(pairs.insert(pair).second, "two join rows link " << pair.first << " and " << pair.second);
  }
}

void check_integrity(const std::filesystem::path& db) {
  SQLite::Database raw(db.string(), SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("PRAGMA integrity_check").getString() == "ok");
  SQLite::Statement foreign_keys(raw, "PRAGMA foreign_key_check");
  CHECK_FALSE(foreign_keys.executeStep());
}

void check_converged(const std::filesystem::path& db, AppSyncServer& server) {
  {
    auto store = Store::open(db);
    CHECK(outbox::pending_count(store) == 0);
    const auto letters = list_dead_letters(store);
    CHECK(letters.empty());
    for (const auto& letter : letters) {
      MESSAGE("dead letter: " << model_name(letter.model) << " " << letter.record_id << " " << letter.operation << " "
                              << letter.error_class << ": " << letter.error_message);
    }
  }
  check_local_equals_remote(db, server);
  check_no_remote_duplicates(server);
  check_integrity(db);
}

}  // namespace scoringjobs::test
