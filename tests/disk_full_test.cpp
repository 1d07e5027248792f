// A full disk during local writes and during sync: the write that finds no
// space fails with a clear Error{Storage}, the store stays consistent, nothing
// acknowledged or queued is lost, and once space is back everything goes on and
// reaches the remote exactly once.
//
// The disk is a small tmpfs when the test may mount, otherwise a file size
// limit (support/fillable_disk.hpp); each test says which with MESSAGE.

#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "scoringjobs/batching.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/remote.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "scoringjobs/store.hpp"
#include "scoringjobs/sync.hpp"
#include "support/appsync_server.hpp"
#include "support/canary.hpp"
#include "support/cli_runner.hpp"
#include "support/error_of.hpp"
#include "support/fillable_disk.hpp"
#include "support/store_checks.hpp"
#include "support/sync_fixture.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::AppSyncServer;
using scoringjobs::test::error_of;
using scoringjobs::test::FillableDisk;

namespace {

// Room for the schema and a few hundred jobs; small enough to fill in an instant.
constexpr std::uintmax_t kDiskBytes = 4 * 1024 * 1024;

// The error a write on the full disk must give: Storage, saying why. SQLite
// reports SQLITE_FULL when a write finds no space, and an I/O error when it
// cannot even create its shared-memory file or is over the file size limit.
void check_storage_error(const std::string& message, Errc code) {
  INFO(message);
  CHECK(code == Errc::Storage);
  const bool says_why = message.find("the disk is full") != std::string::npos ||
                        message.find("cannot write to the database files") != std::string::npos;
  CHECK(says_why);
}

ScoringJob new_job(Store& store, int n) {
  return ScoringJob::create(store, "acct", "card", "item-" + std::to_string(n));
}

// Every ScoringJob the server holds, by id, and how many times.
std::map<std::string, int> remote_job_counts(AppSyncServer& server) {
  std::map<std::string, int> counts;
  const auto dump = server.dump();
  for (const auto& job : dump["ScoringJob"]) ++counts[job["id"].get<std::string>()];
  return counts;
}

void check_each_remote_once(AppSyncServer& server, const std::set<std::string>& ids) {
  const auto counts = remote_job_counts(server);
  CHECK(counts.size() == ids.size());
  for (const auto& id : ids) {
    CAPTURE(id);
    CHECK(counts.count(id) == 1);
    if (counts.count(id)) CHECK(counts.at(id) == 1);
  }
}

}  // namespace

TEST_CASE("a full disk during local writes: a clear storage error, the store consistent, nothing acknowledged lost") {
  FillableDisk disk(kDiskBytes);
  MESSAGE("full disk simulated with " << disk.describe());
  const auto db = disk.path() / "jobs.db";
  std::set<std::string> acknowledged;
  {
    auto store = Store::open(db);
    for (int n = 0; n < 20; ++n) acknowledged.insert(new_job(store, n).id);
    auto running = ScoringJob::get_by_id(*acknowledged.begin(), store);
    running.update(store, {{"status", "RUNNING"}});
    const auto queued = outbox::pending_count(store);

    scoringjobs::test::empty_the_wal(db);  // so the next commit must grow a file
    disk.fill();
    const auto create_failure = error_of([&] { new_job(store, 100); });
    check_storage_error(create_failure.what(), create_failure.code());
    const auto update_failure = error_of([&] { running.update(store, {{"status", "COMPLETED"}}); });
    check_storage_error(update_failure.what(), update_failure.code());
    CHECK(running.status == "RUNNING");  // the object keeps the stored state
    BatchScoringJobRequest assign;
    assign.accountId = "acct";
    assign.scorecardId = "card";
    assign.itemId = "item-b";
    assign.modelProvider = "openai";
    assign.modelName = "gpt-4o";
    const auto assign_failure = error_of([&] { batch_scoring_job(store, assign); });
    check_storage_error(assign_failure.what(), assign_failure.code());

    // Reads still work on the full disk, and show exactly what was acknowledged.
    CHECK(outbox::pending_count(store) == queued);
    for (const auto& id : acknowledged) CHECK(ScoringJob::get_by_id(id, store).id == id);
    CHECK(ScoringJob::get_by_id(running.id, store).status == "RUNNING");
    scoringjobs::test::check_store_consistent(db);

    // Space again: the same store writes on, with no reopen.
    disk.free();
    for (int n = 20; n < 25; ++n) acknowledged.insert(new_job(store, n).id);
    running.update(store, {{"status", "COMPLETED"}});
    CHECK(ScoringJob::get_by_id(running.id, store).status == "COMPLETED");
  }
  scoringjobs::test::check_store_consistent(db);

  // Everything that was acknowledged reaches the remote, once.
  AppSyncServer server(scoringjobs::test::kTestApiKey);
  auto store = Store::open(db);
  RemoteClient client(server.remote_config());
  const auto report = sync(store, client);
  INFO(nlohmann::json(report).dump());
  CHECK(report.exit_code() == 0);
  CHECK(outbox::pending_count(store) == 0);
  check_each_remote_once(server, acknowledged);
  scoringjobs::test::check_local_equals_remote(db, server);
}

TEST_CASE(
    "a full disk during sync: the confirm fails, the run throws Error{Storage}, and the next run sends each record "
    "once") {
  FillableDisk disk(kDiskBytes);
  MESSAGE("full disk simulated with " << disk.describe());
  const auto db = disk.path() / "jobs.db";
  AppSyncServer server(scoringjobs::test::kTestApiKey);
  auto store = Store::open(db);
  std::set<std::string> ids;
  for (int n = 0; n < 6; ++n) ids.insert(new_job(store, n).id);
  RemoteClient client(server.remote_config());

  // One mutation per request; once the first is confirmed the disk fills, so
  // the second is applied remotely but its confirm transaction finds no space.
  SyncOptions options;
  options.batch_size = 1;
  options.pull = false;
  int progress_calls = 0;
  options.progress = [&](const SyncProgress&) {
    if (progress_calls++ > 0) return;
    scoringjobs::test::empty_the_wal(db);
    disk.fill();
  };
  const auto failure = error_of([&] { sync(store, client, options); });
  check_storage_error(failure.what(), failure.code());
  scoringjobs::test::check_no_canary("the sync's storage error", failure.what());
  CHECK(progress_calls == 1);
  CHECK(remote_job_counts(server).size() == 2);  // the confirmed one and the one whose confirm failed
  CHECK(outbox::pending_count(store) == 5);      // only the confirmed one left the queue
  scoringjobs::test::check_store_consistent(db);

  disk.free();
  options.progress = nullptr;
  options.pull = true;
  const auto report = sync(store, client, options);
  INFO(nlohmann::json(report).dump());
  CHECK(report.outcome == SyncOutcome::Done);  // not Locked: the failed run let go of the lock
  CHECK(report.exit_code() == 0);
  CHECK(report.pushed == 5);
  CHECK(outbox::pending_count(store) == 0);
  check_each_remote_once(server, ids);
  scoringjobs::test::check_store_consistent(db);
  scoringjobs::test::check_local_equals_remote(db, server);
}

TEST_CASE(
    "scoringjobs on a full disk: create and sync exit 1 naming the cause, the queue is kept, and it drains after") {
  // No process has the store open here, as under cron: the commands fail as soon
  // as SQLite needs to write (its shared-memory file, the run history, the row).
  FillableDisk disk(kDiskBytes);
  MESSAGE("full disk simulated with " << disk.describe());
  const auto db = (disk.path() / "jobs.db").string();
  AppSyncServer server(scoringjobs::test::kTestApiKey);
  scoringjobs::test::RunOptions env;
  env.env = {{"PLEXUS_API_URL", server.url()},
             {"PLEXUS_API_KEY", server.api_key()},
             {"SCORINGJOBS_DB", std::nullopt},
             {"SCORINGJOBS_LOG", std::nullopt}};
  const auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db});
    return scoringjobs::test::run_cli(args, env);
  };
  std::set<std::string> ids;
  for (int n = 0; n < 3; ++n) {
    const auto created =
        cli({"create", "--account", "acct", "--scorecard", "card", "--item", "item-" + std::to_string(n)});
    REQUIRE(created.exit_code == 0);
    ids.insert(json::parse(created.out)["id"].get<std::string>());
  }

  scoringjobs::test::empty_the_wal(db);
  disk.fill();
  const auto create = cli({"create", "--account", "acct", "--scorecard", "card", "--item", "item-x"});
  INFO(create.describe());
  CHECK(create.exit_code == 1);
  CHECK(create.out.empty());
  CHECK(create.err.rfind("scoringjobs: error: ", 0) == 0);
  check_storage_error(create.err, Errc::Storage);

  const auto sync = cli({"sync"});
  INFO(sync.describe());
  CHECK(sync.exit_code == 1);
  check_storage_error(sync.err, Errc::Storage);
  CHECK(remote_job_counts(server).empty());  // it stopped before sending anything

  disk.free();
  scoringjobs::test::check_store_consistent(db);
  const auto outbox = cli({"outbox", "--json", "--limit", "0"});
  REQUIRE(outbox.exit_code == 0);
  CHECK(json::parse(outbox.out)["pending"] == 3);

  const auto drained = cli({"sync", "--json"});
  INFO(drained.describe());
  CHECK(drained.exit_code == 0);
  CHECK(json::parse(drained.out)["stillQueued"] == 0);
  check_each_remote_once(server, ids);
}
