// The sync engine against the local AppSync server over loopback.

#include "scoringjobs/sync.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/batching.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "store/one_pass_reads.hpp"
#include "store/store_impl.hpp"
#include "support/error_of.hpp"
#include "support/job_oracle.hpp"
#include "support/sync_fixture.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::assign;
using scoringjobs::test::check_local_equals_remote;
using scoringjobs::test::error_of;
using scoringjobs::test::push_only;
using scoringjobs::test::SyncFixture;
using namespace std::chrono_literals;

namespace {

// Push only, every entry sent now whatever its backoff says.
SyncOptions push_retrying_now() {
  SyncOptions options = push_only();
  options.retry_now = true;
  return options;
}

// Positions in the server's request log: a join row never before its parents,
// an update never before its record's create.
void check_request_order(test::AppSyncServer& server) {
  std::set<std::string> created;
  for (const auto& request : server.request_log()) {
    for (const auto& field : request.value("fields", json::array())) {
      if (field.value("outcome", "") != "ok") continue;
      const auto name = field.value("field", "");
      const auto id = field.value("id", json()).is_string() ? field["id"].get<std::string>() : "";
      if (name.rfind("create", 0) == 0) created.insert(id);
      if (name.rfind("update", 0) == 0) CHECK_MESSAGE(created.count(id), "update before create of " << id);
    }
  }
  const auto remote = server.dump();
  (void)remote;
}

SyncOptions account_pull(std::chrono::seconds lookback = SyncOptions{}.account_pull_lookback) {
  SyncOptions options;
  options.push = false;
  options.accounts = {"acct"};
  options.account_pull_lookback = lookback;
  return options;
}

// Store A makes job X while offline; store C, online, makes a job a minute
// later and pushes it; store B pulls the account, so its checkpoint moves past
// X's createdAt; then A comes back and pushes X. Returns X's id.
std::string push_late_job(SyncFixture& b, std::chrono::seconds lookback) {
  auto a = Store::open(b.dir / "a.db");
  const auto x = ScoringJob::create(a, "acct", "card", "made-offline");
  const auto later = Timestamp::from_unix_millis(x.createdAt.unix_millis() + 60'000).format();
  RemoteClient c(b.server.remote_config());
  c.create<ScoringJob>({{"accountId", "acct"},
                        {"scorecardId", "card"},
                        {"itemId", "made-online"},
                        {"status", "PENDING"},
                        {"createdAt", later},
                        {"updatedAt", later}});
  REQUIRE(b.sync(account_pull(lookback)).pulled == 1);
  RemoteClient a_client(b.server.remote_config());
  REQUIRE(scoringjobs::sync(a, a_client, push_only()).pushed == 1);
  return x.id;
}

// Completed jobs of "acct", one a minute from `first` on, in wire shape for /admin/load.
json minute_jobs(int first, int count) {
  auto jobs = json::array();
  for (int i = first; i < first + count; ++i) {
    const auto at = Timestamp::from_unix_millis(1'767'225'600'000 + std::int64_t{i} * 60'000).format();
    jobs.push_back({{"__typename", "ScoringJob"},
                    {"id", "job-" + std::to_string(1000 + i)},
                    {"accountId", "acct"},
                    {"scorecardId", "card"},
                    {"itemId", "item-" + std::to_string(i)},
                    {"status", "COMPLETED"},
                    {"createdAt", at},
                    {"updatedAt", at}});
  }
  return jobs;
}

// Requests in the server's log that read a page of an account's jobs.
std::size_t account_page_requests(test::AppSyncServer& server) {
  std::size_t count = 0;
  for (const auto& request : server.request_log()) {
    for (const auto& field : request.value("fields", json::array())) {
      if (field.value("field", "") == "listScoringJobByAccountIdAndCreatedAt") ++count;
    }
  }
  return count;
}

}  // namespace

TEST_CASE("push sends creates, links and updates, local equals remote, the outbox ends empty") {
  SyncFixture f;
  for (int i = 0; i < 23; ++i) batch_scoring_job(f.store, assign("item-" + std::to_string(i)));
  auto job = ScoringJob::create(f.store, "acct", "card", "solo", json{{"p", 1}});
  job.update(f.store, {{"status", "RUNNING"}, {"startedAt", "2026-11-28T18:55:00.123456+01:00"}});
  const auto queued = outbox::pending_count(f.store);

  const auto report = f.sync();
  CHECK(report.outcome == SyncOutcome::Done);
  CHECK(report.exit_code() == 0);
  CHECK(report.still_queued == 0);
  CHECK(report.pushed + report.coalesced == queued);
  CHECK(report.coalesced > 0);
  CHECK(outbox::pending_count(f.store) == 0);
  check_local_equals_remote(f.db_path, f.server);
  check_request_order(f.server);

  // Join rows went out only after both records they name were confirmed.
  std::set<std::string> confirmed;
  for (const auto& request : f.server.request_log()) {
    std::set<std::string> this_request;
    for (const auto& field : request.value("fields", json::array())) {
      if (field.value("field", "") == "createBatchJobScoringJob") {
        const auto id = field["id"].get<std::string>();
        const auto link = BatchJobScoringJob::get_by_id(id, f.store);
        CHECK(confirmed.count(link.batchJobId));
        CHECK(confirmed.count(link.scoringJobId));
      }
      if (field.value("outcome", "") == "ok" && field["id"].is_string()) this_request.insert(field["id"]);
    }
    confirmed.insert(this_request.begin(), this_request.end());
  }

  // A second run has nothing to do and makes no mutation request.
  const auto again = f.sync(push_only());
  CHECK(again.outcome == SyncOutcome::Done);
  CHECK(again.requests == 0);
}

TEST_CASE("a sync run reads with a small page cache and no memory map, which lookups get back after the run") {
  SyncFixture f;
  for (int i = 0; i < 30; ++i) ScoringJob::create(f.store, "acct", "card", "mapped-" + std::to_string(i));
  auto& db = detail::impl_of(f.store).db;
  const auto pragma = [&db](const char* name) { return db.execAndGet(std::string("PRAGMA ") + name).getInt64(); };
  const auto mapped = pragma("mmap_size");
  const auto cache = pragma("cache_size");
  REQUIRE(mapped > 0);
  REQUIRE(cache < -2000);  // KiB, above SQLite's default
  std::vector<std::pair<std::int64_t, std::int64_t>> during;
  auto options = push_only(10);
  options.progress = [&](const SyncProgress&) { during.emplace_back(pragma("mmap_size"), pragma("cache_size")); };
  CHECK(f.sync(options).outcome == SyncOutcome::Done);
  REQUIRE_FALSE(during.empty());
  CHECK(std::ranges::all_of(during, [](const auto& seen) {
    return seen == std::pair<std::int64_t, std::int64_t>{0, -detail::OnePassReads::kCacheKib};
  }));
  CHECK(pragma("mmap_size") == mapped);
  CHECK(pragma("cache_size") == cache);

  // A store opened with less keeps its own.
  auto store = Store::open(f.dir / "small.db", {.cache_kib = 500, .mmap_bytes = 0});
  ScoringJob::create(store, "acct", "card", "small");
  CHECK(sync(store, f.client, push_only()).outcome == SyncOutcome::Done);
  CHECK(detail::impl_of(store).db.execAndGet("PRAGMA mmap_size").getInt64() == 0);
  CHECK(detail::impl_of(store).db.execAndGet("PRAGMA cache_size").getInt64() == -500);
}

TEST_CASE("a create with its updates goes out as one mutation with the final values") {
  SyncFixture f;
  auto job = ScoringJob::create(f.store, "acct", "card", "item");
  job.update(f.store, {{"status", "RUNNING"}});
  job.update(f.store, {{"metadata", {{"step", 2}}}});
  job.update(f.store, {{"status", "COMPLETED"}, {"completedAt", "2026-11-28T19:00:00Z"}});
  const auto report = f.sync(push_only());
  CHECK(report.pushed == 1);
  CHECK(report.coalesced == 3);
  CHECK(report.requests == 1);
  const auto log = f.server.request_log();
  REQUIRE(log.size() == 1);
  REQUIRE(log[0]["fields"].size() == 1);
  CHECK(log[0]["fields"][0]["field"] == "createScoringJob");
  check_local_equals_remote(f.db_path, f.server);
  CHECK(f.server.dump()["ScoringJob"][0]["status"] == "COMPLETED");
}

TEST_CASE("requests are bounded by the batch size") {
  SyncFixture f;
  for (int i = 0; i < 60; ++i) ScoringJob::create(f.store, "acct", "card", "item-" + std::to_string(i));
  SyncOptions options;
  options.pull = false;
  options.batch_size = 25;
  const auto report = f.sync(options);
  CHECK(report.pushed == 60);
  CHECK(report.requests == 3);
  for (const auto& request : f.server.request_log()) CHECK(request["fields"].size() <= 25);
}

TEST_CASE("a response lost after the server applied it is settled by reading back: exactly once") {
  SyncFixture f;
  for (int i = 0; i < 5; ++i) batch_scoring_job(f.store, assign("item-" + std::to_string(i)));
  f.server.add_fault({{"mode", "drop-response"}, {"count", 1}});
  const auto report = f.sync_until_drained(push_only());
  CHECK(report.still_queued == 0);
  check_local_equals_remote(f.db_path, f.server);
  const auto dump = f.server.dump();
  CHECK(dump["ScoringJob"].size() == 5);
  CHECK(dump["BatchJobScoringJob"].size() == 5);
}

TEST_CASE("offline: the run ends quickly with 75 and changes nothing") {
  SyncFixture f;
  ScoringJob::create(f.store, "acct", "card", "item");
  f.server.stop();
  const auto report = f.sync();
  CHECK(report.outcome == SyncOutcome::Offline);
  CHECK(report.exit_code() == 75);
  CHECK(outbox::pending_count(f.store) == 1);
  CHECK(outbox::list(f.store)[0].attempts == 0);
  f.server.start();
  CHECK(f.sync().outcome == SyncOutcome::Done);
  check_local_equals_remote(f.db_path, f.server);
}

TEST_CASE("a rejected key ends the run with 77 and keeps everything queued") {
  SyncFixture f;
  ScoringJob::create(f.store, "acct", "card", "item");
  auto config = f.server.remote_config();
  config.api_key = "CANARY-KEY-wrong-sync";
  RemoteClient wrong(config);
  const auto report = scoringjobs::sync(f.store, wrong);
  CHECK(report.outcome == SyncOutcome::AuthFailed);
  CHECK(report.exit_code() == 77);
  CHECK(outbox::pending_count(f.store) == 1);
  CHECK(report.error.find("CANARY-KEY-") == std::string::npos);
}

TEST_CASE("throttling and 5xx put entries off with a persisted retry time") {
  SyncFixture f;
  ScoringJob::create(f.store, "acct", "card", "item");
  f.server.add_fault({{"mode", "throttle"}, {"count", 1}, {"retryAfter", 120}});
  const auto report = f.sync(push_only());
  CHECK(report.outcome == SyncOutcome::Throttled);
  CHECK(report.exit_code() == 75);
  const auto entry = outbox::list(f.store)[0];
  REQUIRE(entry.next_attempt_at);
  CHECK(entry.next_attempt_at->unix_millis() >= Timestamp::now().unix_millis() + 110'000);
  CHECK(entry.attempts == 1);
  // The next run respects the wait, unless told to retry now.
  const auto waiting = f.sync(push_only());
  CHECK(waiting.outcome == SyncOutcome::Waiting);
  CHECK(waiting.requests == 0);
  CHECK(f.sync(push_retrying_now()).outcome == SyncOutcome::Done);
}

TEST_CASE("a rejected mutation is dead-lettered, its dependents held, the rest synced, retry after a fix") {
  SyncFixture f;
  const auto bad = batch_scoring_job(f.store, assign("poison-item"));
  const auto good = batch_scoring_job(f.store, assign("fine-item"));
  auto other = ScoringJob::create(f.store, "acct", "card", "other");
  other.update(f.store, {{"status", "RUNNING"}});
  f.server.add_fault({{"mode", "reject"}, {"matchInput", "poison-item"}});

  const auto report = f.sync(push_only());
  CHECK(report.dead_lettered == 1);
  CHECK(report.exit_code() == 65);
  const auto letters = list_dead_letters(f.store);
  REQUIRE(letters.size() == 1);
  CHECK(letters[0].record_id == bad.scoring_job.id);
  CHECK(letters[0].model == Model::ScoringJob);
  CHECK_FALSE(letters[0].error_message.empty());
  // The poisoned job's join row is held; everything else went out.
  const auto dump = f.server.dump();
  CHECK(dump["ScoringJob"].size() == 2);
  CHECK(dump["BatchJobScoringJob"].size() == 1);
  CHECK(report.held == 1);
  CHECK(outbox::pending_count(f.store) == 1);
  (void)good;

  f.server.clear_faults();
  retry_dead_letter(f.store, letters[0].id);
  CHECK(list_dead_letters(f.store).empty());
  const auto after = f.sync(push_only());
  CHECK(after.outcome == SyncOutcome::Done);
  CHECK(outbox::pending_count(f.store) == 0);
  check_local_equals_remote(f.db_path, f.server);
}

TEST_CASE("a change made remotely and locally at once is merged three ways and recorded") {
  SyncFixture f;
  ScoringJobCreateOptions with_metadata;
  with_metadata.metadata = json{{"a", 1}, {"b", 1}};
  auto job = ScoringJob::create(f.store, "acct", "card", "item", nullptr, with_metadata);
  REQUIRE(f.sync().outcome == SyncOutcome::Done);

  // Remotely: RUNNING, metadata.b = 2, a new scoreId. Locally: COMPLETED, metadata.a = 5.
  RemoteClient remote_user(f.server.remote_config());
  remote_user.update<ScoringJob>({{"id", job.id},
                                  {"status", "RUNNING"},
                                  {"metadata", json{{"a", 1}, {"b", 2}}.dump()},
                                  {"scoreId", "remote-score"},
                                  {"startedAt", "2026-11-28T10:00:00Z"}});
  job.update(f.store, {{"status", "COMPLETED"},
                       {"metadata", {{"a", 5}, {"b", 1}}},
                       {"startedAt", "2026-11-28T11:00:00Z"},
                       {"completedAt", "2026-11-28T12:00:00Z"}});

  const auto report = f.sync();
  CHECK(report.outcome == SyncOutcome::Done);
  CHECK(report.conflicts >= 2);
  const auto merged = ScoringJob::get_by_id(job.id, f.store);
  CHECK(merged.status == "COMPLETED");                        // never backwards
  CHECK(merged.startedAt->wire() == "2026-11-28T10:00:00Z");  // the earliest
  CHECK(merged.scoreId == "remote-score");                    // remote-only change
  CHECK(merged.metadata == json{{"a", 5}, {"b", 2}});         // key by key
  CHECK(merged.completedAt->wire() == "2026-11-28T12:00:00Z");
  check_local_equals_remote(f.db_path, f.server);
  const auto decisions = list_conflicts(f.store);
  std::set<std::string> fields;
  for (const auto& d : decisions) fields.insert(d.field);
  CHECK(fields.count("status"));
  CHECK(fields.count("startedAt"));
}

TEST_CASE("a create applied unanswered and then changed by another client keeps their changes") {
  SyncFixture f;
  ScoringJobCreateOptions with_metadata;
  with_metadata.metadata = json{{"a", 1}};
  auto job = ScoringJob::create(f.store, "acct", "card", "item", nullptr, with_metadata);
  // The create is applied but its answer is lost, and the read-back fails: the run
  // ends not knowing, and the create stays queued.
  f.server.add_fault({{"mode", "drop-response"}, {"count", 1}, {"match", "^createScoringJob$"}});
  f.server.add_fault({{"mode", "fail"}, {"status", 503}, {"count", 1}});
  const auto unsure = f.sync(push_retrying_now());
  CHECK(unsure.outcome != SyncOutcome::Done);
  REQUIRE(outbox::pending_count(f.store) == 1);
  REQUIRE(f.server.dump()["ScoringJob"].size() == 1);

  // Another client changes the job; so does this store, one field on both sides.
  RemoteClient other_client(f.server.remote_config());
  other_client.update<ScoringJob>({{"id", job.id},
                                   {"errorMessage", "set remotely"},
                                   {"scoreId", "remote-score"},
                                   {"evaluationId", "remote-eval"},
                                   {"metadata", json{{"a", 1}, {"r", 9}}.dump()}});
  job.update(f.store, {{"status", "RUNNING"}, {"evaluationId", "local-eval"}});

  const auto report = f.sync_until_drained(push_only());
  CHECK(report.outcome == SyncOutcome::Done);
  CHECK(outbox::pending_count(f.store) == 0);
  const auto merged = ScoringJob::get_by_id(job.id, f.store);
  CHECK(merged.status == "RUNNING");             // changed only here
  CHECK(merged.errorMessage == "set remotely");  // changed only there
  CHECK(merged.scoreId == "remote-score");
  CHECK(merged.metadata == json{{"a", 1}, {"r", 9}});
  CHECK(merged.evaluationId == "local-eval");  // changed on both sides: local wins
  check_local_equals_remote(f.db_path, f.server);
  std::set<std::string> decided;
  for (const auto& d : list_conflicts(f.store)) decided.insert(d.field);
  CHECK(decided == std::set<std::string>{"evaluationId"});
  CHECK(f.server.dump()["ScoringJob"].size() == 1);
}

TEST_CASE("a later update of a job whose create was dead-lettered is held, then sent after the retry") {
  SyncFixture f;
  auto bad = ScoringJob::create(f.store, "acct", "card", "poison-item");
  f.server.add_fault({{"mode", "reject"}, {"matchInput", "poison-item"}});
  REQUIRE(f.sync(push_only()).dead_lettered == 1);

  bad.update(f.store, {{"status", "RUNNING"}});
  f.server.clear_log();
  const auto held = f.sync(push_only());
  CHECK(held.held == 1);
  CHECK(held.requests == 0);
  CHECK(f.server.request_log().empty());
  CHECK(f.server.dump()["ScoringJob"].empty());

  f.server.clear_faults();
  const auto letters = list_dead_letters(f.store);
  REQUIRE(letters.size() == 1);
  retry_dead_letter(f.store, letters[0].id);
  const auto after = f.sync(push_only());
  CHECK(after.outcome == SyncOutcome::Done);
  CHECK(outbox::pending_count(f.store) == 0);
  const auto dump = f.server.dump();
  REQUIRE(dump["ScoringJob"].size() == 1);
  CHECK(dump["ScoringJob"][0]["status"] == "RUNNING");
  check_local_equals_remote(f.db_path, f.server);
}

TEST_CASE("a request that hangs ends the run at its deadline, and nothing is put off for it") {
  SyncFixture f;
  ScoringJob::create(f.store, "acct", "card", "item");
  auto config = f.server.remote_config(std::chrono::seconds(60));
  config.low_speed_time = std::chrono::seconds(60);
  RemoteClient patient(config);
  f.server.add_fault({{"mode", "hang"}, {"count", 1}});
  SyncOptions options = push_only();
  options.deadline = std::chrono::seconds(1);
  const auto report = scoringjobs::sync(f.store, patient, options);
  CHECK(report.outcome == SyncOutcome::Deadline);
  CHECK(report.duration < std::chrono::seconds(30));  // not the 60 s the request alone would wait
  const auto entries = outbox::list(f.store);
  REQUIRE(entries.size() == 1);
  CHECK_FALSE(entries[0].next_attempt_at.has_value());  // no backoff: the API did not fail

  const auto after = f.sync(push_only());
  CHECK(after.outcome == SyncOutcome::Done);
  check_local_equals_remote(f.db_path, f.server);
  CHECK(f.server.dump()["ScoringJob"].size() == 1);
}

TEST_CASE("pull brings remote-only changes down and flags records deleted remotely") {
  SyncFixture f;
  const auto a = ScoringJob::create(f.store, "acct", "card", "a");
  const auto b = ScoringJob::create(f.store, "acct", "card", "b");
  REQUIRE(f.sync().outcome == SyncOutcome::Done);
  RemoteClient remote_user(f.server.remote_config());
  remote_user.update<ScoringJob>({{"id", a.id}, {"status", "RUNNING"}});
  RemoteClient deleter(f.server.remote_config());
  deleter.execute("mutation D($input: DeleteScoringJobInput!) { deleteScoringJob(input: $input) { id } }",
                  {{"input", {{"id", b.id}}}}, "D");

  // One read that finds b absent proves nothing (reads are eventually
  // consistent): b is written off once a read some time later agrees.
  SyncOptions options;
  options.absence_confirmation = std::chrono::milliseconds(200);
  const auto report = f.sync(options);
  CHECK(report.pulled == 1);
  CHECK(report.deleted_remotely == 0);
  CHECK(ScoringJob::get_by_id(a.id, f.store).status == "RUNNING");
  const auto confirmed = f.sync_at_least(options, options.absence_confirmation);
  CHECK(confirmed.deleted_remotely == 1);
  CHECK(ScoringJob::get_by_id(b.id, f.store).status == "PENDING");  // kept, flagged
}

TEST_CASE("account pull fetches remote jobs page by page and resumes from its checkpoint") {
  SyncFixture f;
  RemoteClient other_machine(f.server.remote_config());
  for (int i = 0; i < 230; ++i) {
    other_machine.create<ScoringJob>({{"accountId", "acct-remote"},
                                      {"scorecardId", "card"},
                                      {"itemId", "remote-" + std::to_string(i)},
                                      {"status", "PENDING"}});
  }
  SyncOptions options;
  options.push = false;
  options.accounts = {"acct-remote"};
  const auto report = f.sync(options);
  CHECK(report.outcome == SyncOutcome::Done);
  CHECK(report.pulled == 230);
  check_local_equals_remote(f.db_path, f.server);
  // Nothing new: the next pull reads from the checkpoint and stores nothing.
  const auto again = f.sync(options);
  CHECK(again.pulled == 0);
}

TEST_CASE("account pull finds a job pushed after newer ones were pulled, older than the checkpoint") {
  SyncFixture b;
  const auto late = push_late_job(b, SyncOptions{}.account_pull_lookback);
  const auto report = b.sync(account_pull());
  CHECK(report.outcome == SyncOutcome::Done);
  CHECK(report.pulled == 1);  // X only: C's job, read again unchanged, is not written again
  CHECK(ScoringJob::get_by_id(late, b.store).itemId == "made-offline");
  CHECK(outbox::pending_count(b.store) == 0);
  check_local_equals_remote(b.db_path, b.server);
}

TEST_CASE("account pull with no lookback misses a job pushed late with an older createdAt") {
  SyncFixture b;
  const auto late = push_late_job(b, 0s);
  CHECK(b.sync(account_pull(0s)).pulled == 0);
  CHECK(error_of([&] { ScoringJob::get_by_id(late, b.store); }).code() == Errc::NotFound);
}

TEST_CASE("an account pull reading a job again leaves a job with queued local changes to push") {
  SyncFixture f;
  f.server.load({{"ScoringJob", minute_jobs(0, 1)}});
  REQUIRE(f.sync(account_pull()).pulled == 1);
  auto job = ScoringJob::get_by_id("job-1000", f.store);
  job.update(f.store, {{"errorMessage", "seen locally"}});
  RemoteClient other(f.server.remote_config());
  other.update<ScoringJob>({{"id", job.id}, {"evaluationId", "eval-remote"}});

  CHECK(f.sync(account_pull()).pulled == 0);
  const auto local = ScoringJob::get_by_id(job.id, f.store);
  CHECK(local.errorMessage == "seen locally");
  CHECK(!local.evaluationId);  // comes with the merge when push settles the update
  CHECK(outbox::pending_count(f.store) == 1);
}

TEST_CASE("a killed account pull pass resumes from its nextToken without reading its first page again") {
  SyncFixture f;
  f.server.load({{"ScoringJob", minute_jobs(0, 30)}});
  REQUIRE(f.sync(account_pull()).pulled == 30);
  // The next pass starts a day before job 29: it reads 30 known and 200 new jobs, in 3 pages.
  // Started over, it would read them all again, as a day before job 99 is before job 0.
  f.server.load({{"ScoringJob", minute_jobs(30, 200)}});
  const std::string page_query = "^listScoringJobByAccountIdAndCreatedAt$";
  f.server.add_fault({{"mode", "delay"}, {"delayMs", 0}, {"count", 1}, {"match", page_query}});  // page 1 passes
  f.server.add_fault({{"mode", "fail"}, {"status", 503}, {"match", page_query}});  // page 2 fails, again and again
  auto failing = account_pull();
  failing.backoff_base = 10ms;  // the window gives up after a few 503s in a row, backing off between them
  const auto killed = f.sync(failing);
  CHECK(killed.outcome == SyncOutcome::Transient);
  CHECK(killed.pulled == 70);

  f.server.clear_faults();
  f.server.clear_log();
  const auto resumed = f.sync(account_pull());
  CHECK(resumed.outcome == SyncOutcome::Done);
  CHECK(resumed.pulled == 130);
  CHECK(account_page_requests(f.server) == 2);  // pages 2 and 3
  CHECK(test::local_records(f.db_path)["ScoringJob"].size() == 230);
  check_local_equals_remote(f.db_path, f.server);
}

TEST_CASE("only one sync runs per store") {
  SyncFixture f;
  ScoringJob::create(f.store, "acct", "card", "item");
  f.server.add_fault({{"mode", "delay"}, {"delayMs", 1500}, {"count", 1}});
  SyncReport second;
  std::thread other([&] {
    // Wait until the first sync's request is in flight, then try a second one.
    for (int i = 0; i < 200 && f.server.request_log().empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    auto store = Store::open(f.db_path);
    RemoteClient client(f.server.remote_config());
    second = scoringjobs::sync(store, client);
  });
  const auto first = f.sync();
  other.join();
  CHECK(first.outcome == SyncOutcome::Done);
  CHECK(second.outcome == SyncOutcome::Locked);
  CHECK(second.exit_code() == 75);
}

TEST_CASE("sync runs are kept as history, newest first") {
  SyncFixture f;
  ScoringJob::create(f.store, "acct", "card", "item");
  f.sync();
  f.sync();
  const auto runs = list_sync_runs(f.store);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].id > runs[1].id);
  CHECK(runs[1].report["pushed"] == 1);
  CHECK(runs[0].exit_code == 0);
}
