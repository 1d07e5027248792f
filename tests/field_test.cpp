// Sync in the field: what edge machines meet beyond dropped connections (bad
// records, proxies, stale reads, wrong clocks, schema drift), against the local
// AppSync server with the admin settings and faults that reproduce each.

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/batching.hpp"
#include "scoringjobs/fixtures.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "scoringjobs/status.hpp"
#include "scoringjobs/sync.hpp"
#include "support/error_of.hpp"
#include "support/job_oracle.hpp"
#include "support/sync_fixture.hpp"

// Designated initializers name only the options a case sets; the rest keep
// their defaults, which is what the warning is about.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::check_local_equals_remote;
using scoringjobs::test::error_of;
using scoringjobs::test::push_only;
using scoringjobs::test::SyncFixture;
using namespace std::chrono_literals;

namespace {

SyncOptions account_pull(std::chrono::seconds lookback = SyncOptions{}.account_pull_lookback) {
  SyncOptions options;
  options.push = false;
  options.accounts = {"acct"};
  options.account_pull_lookback = lookback;
  return options;
}

void settings(test::AppSyncServer& server, const json& values) { server.admin("POST", "/admin/settings", values); }

// A ScoringJob of "acct" as stored remotely, created `minutes` after 2026-01-01.
json remote_job(const std::string& id, int minutes, const std::string& status = "COMPLETED") {
  const auto at = Timestamp::from_unix_millis(1'767'225'600'000 + std::int64_t{minutes} * 60'000).format();
  return {{"__typename", "ScoringJob"}, {"id", id},         {"accountId", "acct"}, {"scorecardId", "card"},
          {"itemId", "item-" + id},     {"status", status}, {"createdAt", at},     {"updatedAt", at}};
}

// Mutation fields the server ran (alias outcome "ok"), by field name.
std::size_t mutations_run(test::AppSyncServer& server, std::string_view field) {
  std::size_t count = 0;
  for (const auto& request : server.request_log()) {
    for (const auto& f : request.value("fields", json::array())) {
      if (f.value("field", "") == field && f.value("outcome", "") == "ok") ++count;
    }
  }
  return count;
}

std::optional<std::string> checkpoint_max_seen(const std::filesystem::path& db) {
  SQLite::Database raw(db.string(), SQLite::OPEN_READONLY);
  SQLite::Statement s(raw, "SELECT maxSeen FROM pull_checkpoint WHERE accountId = 'acct'");
  if (!s.executeStep() || s.getColumn(0).isNull()) return std::nullopt;
  return s.getColumn(0).getString();
}

}  // namespace

// Row 1: a record the client cannot read is quarantined; everything else goes on.
TEST_CASE("a remote record the client cannot read is quarantined, and every other record keeps syncing") {
  SyncFixture f;
  auto jobs = json::array();
  for (int i = 0; i < 8; ++i) jobs.push_back(remote_job("job-" + std::to_string(i), i));
  jobs[3].erase("scorecardId");                           // a required field nulled by another writer
  jobs[5]["errorMessage"] = std::string(70 * 1024, 'e');  // over the old 64 KiB limit, legal in DynamoDB
  jobs[6]["metadata"] = json{{"blob", std::string(300 * 1024, 'm')}}.dump();  // over the old 256 KiB limit
  f.server.load({{"ScoringJob", jobs}});
  const auto local = ScoringJob::create(f.store, "acct", "card", "made-here");

  const auto report = f.sync(account_pull());
  INFO(json(report).dump());
  CHECK(report.exit_code() == 65);  // a person should look
  CHECK(report.quarantined == 1);
  CHECK(report.pulled == 7);                          // the 70 KiB message and the 300 KiB metadata read fine
  CHECK(checkpoint_max_seen(f.db_path).has_value());  // the checkpoint moved past it

  const auto quarantined = list_quarantined(f.store);
  REQUIRE(quarantined.size() == 1);
  CHECK(quarantined[0].record_id == "job-3");
  CHECK(quarantined[0].reason.find("scorecardId") != std::string::npos);
  CHECK(quarantined[0].excerpt.size() < 1000);
  CHECK(store_status(f.store).quarantined == 1);

  // The local create went out in the same kind of run: push is not held by it.
  CHECK(f.sync(push_only()).pushed == 1);
  CHECK(f.server.dump()["ScoringJob"].size() == 9);
  (void)local;

  // Seen again: no new alarm (exit 0), still quarantined.
  const auto again = f.sync(account_pull());
  CHECK(again.quarantined == 0);
  CHECK(again.exit_code() == 0);
  CHECK(count_quarantined(f.store) == 1);

  // Fixed remotely: a re-check reads it fine and it leaves the quarantine.
  jobs[3]["scorecardId"] = "card";
  jobs[3]["updatedAt"] = Timestamp::now().format();
  f.server.load({{"ScoringJob", json::array({jobs[3]})}});
  SyncOptions recheck;
  recheck.push = false;
  recheck.longest_staleness = 0s;
  const auto healed = f.sync(recheck);
  CHECK(count_quarantined(f.store) == 0);
  CHECK(ScoringJob::get_by_id("job-3", f.store).scorecardId == "card");
  CHECK(healed.pulled == 1);
}

TEST_CASE("a local write whose record would exceed DynamoDB's item limit is refused at once, naming it") {
  SyncFixture f;
  // Each field within its own limit, the record over DynamoDB's.
  const auto big = json{{"blob", std::string(300 * 1024, 'x')}};
  const auto error = error_of([&] {
    ScoringJob::create(f.store, "acct", "card", "item", nullptr,
                       {.errorMessage = std::string(200 * 1024, 'e'), .metadata = big});
  });
  CHECK(error.code() == Errc::InvalidArgument);
  CHECK(error.field() == "metadata");  // the largest field
  CHECK(std::string(error.what()).find("item limit") != std::string::npos);
  CHECK(std::string(error.what()).find("ScoringJob") != std::string::npos);
  CHECK(outbox::pending_count(f.store) == 0);
  auto job = ScoringJob::create(f.store, "acct", "card", "item");
  job.update(f.store, {{"metadata", big}});
  CHECK(error_of([&] {
          job.update(f.store, {{"errorMessage", std::string(200 * 1024, 'e')}});
        }).code() == Errc::InvalidArgument);
  CHECK(outbox::pending_count(f.store) == 2);
}

// Row 2: a proxy's HTML 400 is not AppSync's answer.
TEST_CASE("a proxy's HTML 400 is transient: nothing is dead-lettered and the run exits 75") {
  SyncFixture f;
  for (int i = 0; i < 5; ++i) ScoringJob::create(f.store, "acct", "card", "item-" + std::to_string(i));
  f.server.add_fault({{"mode", "respond"},
                      {"status", 400},
                      {"match", "MutationBatch"},
                      {"headers", {{"Content-Type", "text/html"}}},
                      {"body", "<html><body><h1>400 Request Header Or Cookie Too Large</h1></body></html>"}});
  const auto report = f.sync(push_only());
  INFO(json(report).dump());
  CHECK(report.dead_lettered == 0);
  CHECK(report.exit_code() == 75);
  CHECK(outbox::pending_count(f.store) == 5);
  CHECK(count_dead_letters(f.store) == 0);
  f.server.clear_faults();
  CHECK(f.sync_until_drained(push_only()).pushed == 5);
  check_local_equals_remote(f.db_path, f.server);
}

// Row 3: a whole-document refusal is about the contract: nothing is dead-lettered.
TEST_CASE("a schema deployed without a field the client sends stops the run: exit 65, all queued, none dead") {
  SyncFixture f;
  for (int i = 0; i < 30; ++i) {
    ScoringJob::create(f.store, "acct", "card", "item-" + std::to_string(i), nullptr, {.metadata = json{{"i", i}}});
  }
  settings(f.server, {{"dropFields", {"ScoringJob.metadata"}}});
  const auto report = f.sync(push_only());
  INFO(json(report).dump());
  CHECK(report.outcome == SyncOutcome::Contract);
  CHECK(report.exit_code() == 65);
  CHECK(report.dead_lettered == 0);
  // The run stops at the first refusal: no request after it, beyond the
  // window's first two, which went out before either was answered.
  CHECK(report.requests <= 2);
  CHECK(report.error.find("metadata") != std::string::npos);
  CHECK(outbox::pending_count(f.store) == 30);
  CHECK(outbox::next_retry_time(f.store) == std::nullopt);  // not put off: fixed, it goes at once
  settings(f.server, {{"dropFields", nullptr}});
  CHECK(f.sync(push_only()).pushed == 30);
}

// Row 4: malformed answers and one empty read prove nothing.
TEST_CASE("an answer of {\"data\":{}} or of aliases answered null never writes a record off") {
  SyncFixture f;
  const auto job = ScoringJob::create(f.store, "acct", "card", "item");
  REQUIRE(f.sync().pushed == 1);

  f.server.add_fault({{"mode", "empty-data"}, {"match", "GetMany"}, {"count", 1}});
  SyncOptions options;
  options.longest_staleness = 0s;  // read back every run
  const auto empty = f.sync(options);
  // A malformed answer is a request "not now" (transient): read again in the run.
  CHECK(empty.outcome == SyncOutcome::Done);
  CHECK(empty.deleted_remotely == 0);

  f.server.add_fault({{"mode", "null-fields"}, {"match", "GetMany"}, {"count", 1}});
  const auto nulls = f.sync(options);
  CHECK(nulls.deleted_remotely == 0);  // one empty read proves nothing

  // It comes back on the next read: nothing was lost, nothing flagged.
  const auto back = f.sync_at_least(options, 20ms);
  CHECK(back.deleted_remotely == 0);
  (void)job;
}

TEST_CASE("an update is written off only after its record's absence is confirmed, and a flagged record comes back") {
  SyncFixture f;
  auto job = ScoringJob::create(f.store, "acct", "card", "item");
  REQUIRE(f.sync().pushed == 1);
  const auto stored = f.server.dump()["ScoringJob"][0];
  RemoteClient deleter(f.server.remote_config());
  deleter.execute("mutation D($input: DeleteScoringJobInput!) { deleteScoringJob(input: $input) { id } }",
                  {{"input", {{"id", job.id}}}}, "D");
  job.update(f.store, {{"status", "RUNNING"}});

  SyncOptions options;
  options.absence_confirmation = 300ms;
  options.retry_now = true;
  options.longest_staleness = 0s;
  const auto first = f.sync(options);
  CHECK(first.dead_lettered == 0);  // one read: not yet believed
  CHECK(outbox::pending_count(f.store) == 1);
  const auto second = f.sync_at_least(options, 300ms);
  CHECK(second.dead_lettered == 1);
  CHECK(second.deleted_remotely == 1);

  // Someone restores it: the re-check finds it and the flag goes.
  const auto letters = list_dead_letters(f.store);
  REQUIRE(letters.size() == 1);
  discard_dead_letter(f.store, letters[0].id);
  f.server.load({{"ScoringJob", json::array({stored})}});
  const auto third = f.sync(options);
  CHECK(third.pulled == 1);
  CHECK(ScoringJob::get_by_id(job.id, f.store).status == "PENDING");  // the remote's, as restored
}

// Row 5: a stale read never moves local state backwards.
TEST_CASE("a stale read of an older version changes nothing locally") {
  SyncFixture f;
  auto job = ScoringJob::create(f.store, "acct", "card", "item");
  REQUIRE(f.sync().pushed == 1);
  settings(f.server, {{"staleReadMs", 60'000}});  // reads answer the version before the last write
  job.update(f.store, {{"status", "RUNNING"}});
  REQUIRE(f.sync(push_only()).pushed == 1);

  SyncOptions options;
  options.push = false;
  options.longest_staleness = 0s;
  const auto report = f.sync(options);
  CHECK(report.pulled == 0);
  CHECK(ScoringJob::get_by_id(job.id, f.store).status == "RUNNING");
  settings(f.server, {{"staleReadMs", 0}});
  check_local_equals_remote(f.db_path, f.server);
}

// Row 6: a createdAt in the future never moves the account checkpoint past now.
TEST_CASE("a job created by a clock running hours ahead does not hide jobs created on time afterwards") {
  SyncFixture f;
  auto ahead = remote_job("from-the-future", 0, "PENDING");
  const auto future = Timestamp::from_unix_millis(Timestamp::now().unix_millis() + 5 * 3600 * 1000).format();
  ahead["createdAt"] = ahead["updatedAt"] = future;
  f.server.load({{"ScoringJob", json::array({ahead})}});
  REQUIRE(f.sync(account_pull(0s)).pulled == 1);
  const auto max_seen = checkpoint_max_seen(f.db_path);
  REQUIRE(max_seen);
  CHECK(Timestamp::parse(*max_seen) <= Timestamp::now());

  // Created on time afterwards, and pushed.
  auto on_time = remote_job("on-time", 0, "PENDING");
  on_time["createdAt"] = on_time["updatedAt"] = Timestamp::now().format();
  f.server.load({{"ScoringJob", json::array({on_time})}});
  CHECK(f.sync(account_pull(0s)).pulled >= 1);
  CHECK_NOTHROW(ScoringJob::get_by_id("on-time", f.store));
}

// Row 7: a retry time written before the clock was corrected.
TEST_CASE("a stored retry time further out than any backoff is clamped when read") {
  SyncFixture f;
  ScoringJob::create(f.store, "acct", "card", "item");
  {
    SQLite::Database raw(f.db_path.string(), SQLite::OPEN_READWRITE);
    raw.exec("UPDATE outbox SET attempts = 3, nextAttemptAt = '2027-12-06T00:00:00.000Z'");  // a year out
  }
  SyncOptions options = push_only();
  options.backoff_cap = 1ms;
  options.max_retry_after = 0s;
  // The first run clamps the stored time to at most the cap (1 ms) from its
  // start, so it may find the entry due or still waiting; a run that starts
  // later than that sends it.
  const auto first = f.sync(options);
  const auto second = f.sync_at_least(options, 5ms);
  CHECK(first.pushed + second.pushed == 1);
  CHECK(second.outcome == SyncOutcome::Done);
  CHECK(second.still_queued == 0);
}

// Row 8: records near the size limits read within the response limit.
TEST_CASE("large records are read in requests sized to stay under the response limit") {
  SyncFixture f;
  settings(f.server, {{"maxResponseBytes", 1'000'000}});  // AppSync answers at most about 1 MB
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) {
    ids.push_back(
        ScoringJob::create(f.store, "acct", "card", "item-" + std::to_string(i), nullptr,
                           {.metadata = json{{"blob", std::string(180 * 1024, static_cast<char>('a' + i % 26))}}})
            .id);
  }
  const auto pushed = f.sync(push_only());
  CHECK(pushed.pushed == 12);
  CHECK(pushed.dead_lettered == 0);
  CHECK(mutations_run(f.server, "createScoringJob") == 12);  // mutations answer with stamps, not records

  SyncOptions options;
  options.push = false;
  options.longest_staleness = 0s;
  const auto refreshed = f.sync_at_least(options, 5ms);
  INFO(json(refreshed).dump());
  CHECK(refreshed.outcome == SyncOutcome::Done);
  CHECK(refreshed.requests >= 3);  // 12 × 180 KB cannot share one answer under 1 MB

  // An account page of them: the page limit halves until an answer fits.
  const auto pulled = f.sync(account_pull());
  INFO(json(pulled).dump());
  CHECK(pulled.outcome == SyncOutcome::Done);
}

// Row 9: a saved nextToken the API refuses, and a token repeated forever.
TEST_CASE("a saved nextToken the API refuses restarts the pass, a repeated one ends it") {
  SyncFixture f;
  auto jobs = json::array();
  for (int i = 0; i < 5; ++i) jobs.push_back(remote_job("job-" + std::to_string(i), i));
  f.server.load({{"ScoringJob", jobs}});
  {
    auto store = Store::open(f.db_path);
    SQLite::Database raw(f.db_path.string(), SQLite::OPEN_READWRITE);
    raw.exec(
        "INSERT INTO pull_checkpoint (accountId, createdFrom, nextToken, maxSeen, updatedAt) VALUES "
        "('acct', NULL, 'bm90IGEgdG9rZW4=', NULL, '2026-01-01T00:00:00.000Z')");
  }
  const auto restarted = f.sync(account_pull());
  INFO(json(restarted).dump());
  CHECK(restarted.outcome == SyncOutcome::Done);
  CHECK(restarted.pulled == 5);

  f.server.add_fault({{"mode", "repeat-token"}});
  SyncOptions options = account_pull();
  const auto repeated = f.sync(options);
  CHECK(repeated.outcome == SyncOutcome::Done);  // ended, not looping until the deadline
  CHECK(repeated.requests <= 3);
}

// Row 10: an error below an alias, or without errorType, is not a refusal.
TEST_CASE("an error below a mutation's alias or without errorType is settled by reading back, never dead-lettered") {
  for (const std::string errors : {R"([{"path":["m0","metadata"],"message":"Can't serialize value"}])",
                                   R"([{"path":["m0"],"errorType":"","message":"something odd"}])"}) {
    CAPTURE(errors);
    SyncFixture f;
    const auto job = ScoringJob::create(f.store, "acct", "card", "item");
    f.server.add_fault({{"mode", "respond"},
                        {"execute", true},
                        {"count", 1},
                        {"match", "MutationBatch"},
                        {"body", R"({"data":{"m0":null},"errors":)" + errors + "}"}});
    const auto report = f.sync(push_only());
    INFO(json(report).dump());
    CHECK(report.dead_lettered == 0);
    CHECK(report.pushed == 1);
    CHECK(mutations_run(f.server, "createScoringJob") == 1);  // applied once, confirmed by the read-back
    check_local_equals_remote(f.db_path, f.server);
    (void)job;
  }
}

// Row 11: pull never writes over a record whose local change was dead-lettered.
TEST_CASE("an account pull over a dead-lettered local change keeps it, and a retry merges it forwards") {
  SyncFixture f;
  auto job = ScoringJob::create(f.store, "acct", "card", "item");
  REQUIRE(f.sync().pushed == 1);
  f.server.add_fault({{"mode", "reject"}, {"matchInput", "seen locally"}, {"count", 1}});
  job.update(f.store, {{"errorMessage", "seen locally"}});
  REQUIRE(f.sync(push_only()).dead_lettered == 1);
  RemoteClient other(f.server.remote_config());
  const auto later = Timestamp::from_unix_millis(Timestamp::now().unix_millis() + 1000).format();
  other.update<ScoringJob>({{"id", job.id}, {"status", "RUNNING"}, {"updatedAt", later}});

  f.sync(account_pull());
  CHECK(ScoringJob::get_by_id(job.id, f.store).errorMessage == "seen locally");  // not overwritten

  retry_dead_letter(f.store, list_dead_letters(f.store).at(0).id);
  const auto merged = f.sync_until_drained(push_only());
  CHECK(merged.outcome == SyncOutcome::Done);
  const auto remote = f.server.dump()["ScoringJob"][0];
  CHECK(remote["errorMessage"] == "seen locally");
  CHECK(remote["status"] == "RUNNING");
  CHECK(Timestamp::parse(remote["updatedAt"].get<std::string>()) > Timestamp::parse(later));  // never backwards
  check_local_equals_remote(f.db_path, f.server);
}

// Row 12: discarding a create takes its dependents with it, and says so.
TEST_CASE("discarding a BatchJob create removes it and its held join row locally, so nothing dangling goes out") {
  SyncFixture f;
  f.server.add_fault({{"mode", "reject"}, {"matchInput", "\"modelName\":\"doomed\""}, {"match", "createBatchJob"}});
  auto assign = test::assign("item-1");
  assign.modelName = "doomed";
  const auto result = batch_scoring_job(f.store, assign);
  REQUIRE(result.batch_job);
  const auto report = f.sync(push_only());
  CHECK(report.dead_lettered == 1);
  CHECK(report.held >= 1);  // the join row waits behind it

  const auto letters = list_dead_letters(f.store);
  REQUIRE(letters.size() == 1);
  const auto discarded = discard_dead_letter(f.store, letters[0].id);
  CHECK(discarded.removed.size() == 2);  // the batch and its join row
  CHECK(discarded.removed_records.size() == 2);
  CHECK(discarded.entries_dropped >= 1);
  CHECK_THROWS(BatchJob::get_by_id(result.batch_job->id, f.store));
  CHECK_FALSE(ScoringJob::get_batch_job(result.scoring_job.id, f.store));

  f.server.clear_faults();
  CHECK(f.sync_until_drained(push_only()).outcome == SyncOutcome::Done);
  CHECK(f.server.dump()["BatchJobScoringJob"].empty());
  check_local_equals_remote(f.db_path, f.server);
}

// Row 13: two edges filling one batch offline.
TEST_CASE("after two edges assign into the same batch, the remote count equals the remote join rows") {
  SyncFixture a;
  auto first = test::assign("item-a1");
  batch_scoring_job(a.store, first);
  REQUIRE(a.sync().outcome == SyncOutcome::Done);
  // Store B pulls the open batch, then both assign while offline.
  auto b = Store::open(a.dir / "b.db");
  const auto batch = a.server.dump()["BatchJob"];
  fixtures::import_records(b, {{"BatchJob", batch}});
  auto second = test::assign("item-b1");
  auto third = test::assign("item-a2");
  batch_scoring_job(b, second);
  batch_scoring_job(a.store, third);

  RemoteClient b_client(a.server.remote_config());
  REQUIRE(scoringjobs::sync(b, b_client, push_only()).outcome == SyncOutcome::Done);
  const auto synced = a.sync_until_drained(push_only());
  INFO(json(synced).dump());
  const auto remote = a.server.dump();
  REQUIRE(remote["BatchJob"].size() == 1);
  CHECK(remote["BatchJobScoringJob"].size() == 3);
  CHECK(remote["BatchJob"][0]["scoringJobCountCache"] == 3);
}

// Row 14: the refresh keeps its place across runs cut short by their deadline.
TEST_CASE("a refresh cut short by its deadline every run still reaches every record within a few runs") {
  SyncFixture f;
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) ids.push_back(ScoringJob::create(f.store, "acct", "card", "i" + std::to_string(i)).id);
  REQUIRE(f.sync_until_drained(push_only()).still_queued == 0);
  RemoteClient other(f.server.remote_config());
  for (const auto& id : ids) other.update<ScoringJob>({{"id", id}, {"status", "RUNNING"}});
  f.server.add_fault({{"mode", "delay"}, {"delayMs", 300}, {"match", "GetMany"}});

  SyncOptions options;
  options.push = false;
  options.deadline = 800ms;  // about two reads of 50 records a run
  options.longest_staleness = 24h;
  int runs = 0;
  const auto all_running = [&] {
    for (const auto& id : ids) {
      if (ScoringJob::get_by_id(id, f.store).status != "RUNNING") return false;
    }
    return true;
  };
  while (!all_running() && runs < 10) {
    f.sync(options);
    ++runs;
  }
  CHECK(all_running());
  CHECK(runs <= 6);  // 300 records at about 100 a run, not "the first ones again" every run
}

// Row 17: AppSync re-serialises AWSJSON.
TEST_CASE("AWSJSON numbers normalised by the API compare equal: no extra write after a lost answer") {
  SyncFixture f;
  settings(f.server, {{"normaliseAwsJson", true}});
  const auto job = ScoringJob::create(f.store, "acct", "card", "item", nullptr,
                                      {.metadata = json::parse(R"({"score":1.0,"n":1e2,"list":[2.50]})")});
  f.server.add_fault({{"mode", "drop-response"}, {"count", 1}, {"match", "MutationBatch"}});
  const auto report = f.sync(push_only());
  INFO(json(report).dump());
  CHECK(report.pushed == 1);
  CHECK(mutations_run(f.server, "updateScoringJob") == 0);
  CHECK(f.server.dump()["ScoringJob"][0]["metadata"] == R"({"list":[2.5],"n":100,"score":1})");

  SyncOptions options;
  options.push = false;
  options.longest_staleness = 0s;
  CHECK(f.sync_at_least(options, 5ms).pulled == 0);  // the same values: nothing to adopt
  (void)job;
}

// Storage failures never escape as SQLite's own exceptions.
TEST_CASE("a storage failure during a sync is an Error{Storage} and the run is recorded as failed") {
  SyncFixture f;
  ScoringJob::create(f.store, "acct", "card", "item");
  {
    SQLite::Database raw(f.db_path.string(), SQLite::OPEN_READWRITE);
    raw.exec("DROP TABLE pull_checkpoint");
  }
  const auto error = error_of([&] { f.sync(account_pull()); });
  CHECK(error.code() == Errc::Storage);
  const auto runs = list_sync_runs(f.store);
  REQUIRE_FALSE(runs.empty());
  CHECK(runs[0].exit_code == 1);
  CHECK(runs[0].report["outcome"] == "failed");
}
