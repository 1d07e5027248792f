// Robustness of the sync engine against the local AppSync server over loopback:
// syncs SIGKILLed at random moments, random network and API faults, request
// order, writer processes racing a sync, two stores converging, and local writes
// made while a request is in flight.
//
// Every test keeps an oracle of what the writers meant the records to hold
// (support/job_oracle.hpp).

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/batching.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/model.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/remote.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "scoringjobs/store.hpp"
#include "scoringjobs/sync.hpp"
#include "support/appsync_server.hpp"
#include "support/child_process.hpp"
#include "support/job_oracle.hpp"
#include "support/sync_fixture.hpp"
#include "support/temp_dir.hpp"

using namespace scoringjobs;
using nlohmann::json;
using namespace scoringjobs::test;
using Clock = std::chrono::steady_clock;

namespace {

// ---------------------------------------------------------------- the oracle

// Queues `count` new jobs (every other one through batch_scoring_job, so with
// batches, links and batch updates), each followed by 0..3 updates.
void add_backlog(Store& store, std::mt19937& random, const std::string& prefix, int count, std::vector<JobRef>& jobs,
                 int max_batch = 3) {
  for (int i = 0; i < count; ++i) {
    const auto item = prefix + std::to_string(i);
    JobRef ref;
    ref.item = item;
    if (i % 2 == 0) {
      ref.id = batch_scoring_job(store, assign(item, max_batch)).scoring_job.id;
    } else {
      ref.id = ScoringJob::create(store, "acct", "card", item).id;
    }
    jobs.push_back(ref);
    const int updates = static_cast<int>(random() % 4);
    for (int u = 0; u < updates; ++u) touch(store, jobs.back());
  }
}

// Updates `count` jobs picked at random, half of them among the newest (the
// ones most likely to have a mutation in doubt), half among all.
void touch_some(Store& store, std::mt19937& random, std::vector<JobRef>& jobs, int count) {
  if (jobs.empty()) return;
  for (int i = 0; i < count; ++i) {
    const std::size_t recent = std::min<std::size_t>(jobs.size(), 12);
    const auto pick = i % 2 == 0 ? jobs.size() - 1 - random() % recent : random() % jobs.size();
    touch(store, jobs[pick]);
  }
}

// Jobs the remote already holds while their create is still queued locally:
// the create was applied but its confirmation never committed.
std::vector<std::size_t> creates_in_doubt(Store& store, AppSyncServer& server, const std::vector<JobRef>& jobs) {
  std::set<std::string> remote;
  for (const auto& item : server.dump().value("ScoringJob", json::array()))
    remote.insert(item["id"].get<std::string>());
  std::set<std::string> queued;
  for (const auto& entry : outbox::list(store, 100000)) {
    if (entry.model == Model::ScoringJob && entry.operation == Operation::Create) queued.insert(entry.record_id);
  }
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    if (remote.count(jobs[i].id) && queued.count(jobs[i].id)) out.push_back(i);
  }
  return out;
}

// ---------------------------------------------------------------- checks

// The whole end state of a store with everything random (ids, timestamps the
// clock made, batchId) left out: jobs by item, batches by their members.
json canonical(const json& records) {
  json jobs = json::object();
  std::map<std::string, std::string> item_of;
  for (const auto& [id, record] : records["ScoringJob"].items()) {
    json c = record;
    for (const char* key : {"id", "createdAt", "updatedAt"}) c.erase(key);
    item_of[id] = record["itemId"].get<std::string>();
    jobs[record["itemId"].get<std::string>()] = c;
  }
  std::map<std::string, std::vector<std::string>> members;
  for (const auto& [id, link] : records["BatchJobScoringJob"].items()) {
    const auto job = link["scoringJobId"].get<std::string>();
    members[link["batchJobId"].get<std::string>()].push_back(item_of.count(job) ? item_of[job] : "missing:" + job);
  }
  std::vector<std::string> batches;
  for (const auto& [id, record] : records["BatchJob"].items()) {
    json c = record;
    for (const char* key : {"id", "createdAt", "updatedAt", "batchId"}) c.erase(key);
    auto items = members[id];
    std::sort(items.begin(), items.end());
    c["members"] = items;
    batches.push_back(c.dump());
  }
  std::sort(batches.begin(), batches.end());
  return {{"jobs", jobs}, {"batches", batches}, {"links", records["BatchJobScoringJob"].size()}};
}

// ---------------------------------------------------------------- processes

int wait_status(pid_t pid) {
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return status;
}

// Reads one byte from `fd` within `bound`; false on timeout or end of file.
bool read_byte(int fd, std::chrono::milliseconds bound) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(bound.count())) != 1) return false;
  char byte;
  return ::read(fd, &byte, 1) == 1;
}

// Waits (bounded) until no delayed request is still running on the server, so
// nothing a killed process sent can land after the final checks.
void wait_for_delayed_requests(AppSyncServer& server) {
  const auto deadline = Clock::now() + std::chrono::seconds(15);
  for (;;) {
    bool pending = false;
    for (const auto& request : server.request_log()) {
      if (request.value("fault", json()) == "delay" && request["status"].is_null()) pending = true;
    }
    if (!pending) return;
    REQUIRE_MESSAGE(Clock::now() < deadline, "a delayed request never finished");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

SyncReport drain(Store& store, RemoteClient& client, SyncOptions options = {}, int rounds = 60) {
  options.retry_now = true;
  SyncReport report;
  for (int i = 0; i < rounds; ++i) {
    report = scoringjobs::sync(store, client, options);
    if (report.outcome == SyncOutcome::Done && report.still_queued == 0) break;
  }
  return report;
}

std::uint32_t seed_from_env(std::uint32_t fallback) {
  if (const char* text = std::getenv("SYNC_ROBUSTNESS_SEED")) return static_cast<std::uint32_t>(std::stoul(text));
  return fallback;
}

// How many times the kill test SIGKILLs the sync: SYNC_ROBUSTNESS_KILLS, at least 200.
int kills_from_env() {
  const char* text = std::getenv("SYNC_ROBUSTNESS_KILLS");
  return text != nullptr ? std::max(200, std::stoi(text)) : 220;
}

json random_fault(std::mt19937& random) {
  switch (random() % 6) {
    case 0: return {{"mode", "fail"}, {"status", 503}, {"count", 1 + random() % 2}};
    case 1: return {{"mode", "throttle"}, {"count", 1 + random() % 2}};
    case 2: return {{"mode", "throttle"}, {"count", 1}, {"retryAfter", 1 + random() % 30}};
    case 3: return {{"mode", "drop"}, {"count", 1 + random() % 2}};
    case 4: return {{"mode", "drop-response"}, {"count", 1 + random() % 3}};
    default: return {{"mode", "delay"}, {"delayMs", 5 + random() % 60}, {"count", 1 + random() % 3}};
  }
}

}  // namespace

// ============================================================== 1. kills

TEST_CASE("sync SIGKILLed at 220 random moments: nothing lost or duplicated and the store stays sound") {
  const auto seed = seed_from_env(20261128);
  const int planned_kills = kills_from_env();
  MESSAGE("seed " << seed << " (SYNC_ROBUSTNESS_SEED to replay), " << planned_kills
                  << " kills (SYNC_ROBUSTNESS_KILLS)");
  std::mt19937 random(seed);
  TempDir dir;
  const auto db = dir / "jobs.db";
  AppSyncServer server(kTestApiKey);
  std::vector<JobRef> jobs;
  {
    auto store = Store::open(db);
    add_backlog(store, random, "start-", 40, jobs);
  }

  int kills = 0, writes_rounds = 0, mid_run = 0, doubtful_touched = 0;
  for (int round = 0; round < planned_kills; ++round) {
    // Between kills: new jobs and updates of jobs whose mutations may be in any
    // state (queued, sent with the answer lost, applied late by a delayed request),
    // and of every job whose create was applied but not confirmed.
    {
      auto store = Store::open(db);
      if (round % 5 == 4) {
        add_backlog(store, random, "r" + std::to_string(round) + "-", 4, jobs);
        touch_some(store, random, jobs, 5);
        ++writes_rounds;
      }
      if (round % 2 == 1) {
        for (const auto i : creates_in_doubt(store, server, jobs)) {
          if (jobs[i].step < kLastStep) ++doubtful_touched;
          touch(store, jobs[i]);
        }
      }
    }
    const auto dice = random() % 8;
    if (dice == 0) server.add_fault({{"mode", "drop-response"}, {"count", 1 + random() % 2}});
    if (dice == 1) server.add_fault({{"mode", "delay"}, {"delayMs", 10 + random() % 70}, {"count", 1 + random() % 3}});

    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const auto config = server.remote_config();
    const pid_t child = spawn([&] {
      ::close(fds[0]);
      auto store = Store::open(db);
      RemoteClient client(config);
      SyncOptions options;
      options.retry_now = true;
      options.batch_size = 5;
      options.progress = [&](const SyncProgress&) {
        const char byte = 'r';
        if (::write(fds[1], &byte, 1) != 1) std::_Exit(3);
      };
      const char started = 's';
      if (::write(fds[1], &started, 1) != 1) std::_Exit(3);
      for (;;) scoringjobs::sync(store, client, options);
    });
    ::close(fds[1]);
    // Kill at a random moment: shortly after fork, a random time into the
    // syncing, or just after the k-th request came back.
    const auto mode = random() % 5;
    if (mode == 0) {
      std::this_thread::sleep_for(std::chrono::microseconds(random() % 3000));
    } else if (mode <= 2) {
      read_byte(fds[0], std::chrono::seconds(5));
      std::this_thread::sleep_for(std::chrono::microseconds(random() % 30000));
    } else {
      read_byte(fds[0], std::chrono::seconds(5));
      const int requests = 1 + static_cast<int>(random() % 4);
      int seen = 0;
      while (seen < requests && read_byte(fds[0], std::chrono::milliseconds(300))) ++seen;
      if (seen == requests) ++mid_run;
      std::this_thread::sleep_for(std::chrono::microseconds(random() % 2000));
    }
    ::kill(child, SIGKILL);
    const int status = wait_status(child);
    ::close(fds[0]);
    CHECK_MESSAGE((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL),
                  "round " << round << ": the syncing child ended by itself, status " << status);
    ++kills;
  }
  MESSAGE(kills << " kills, " << mid_run << " right after a request, " << writes_rounds << " write rounds, "
                << jobs.size() << " jobs, " << doubtful_touched << " updates of jobs whose create was in doubt");
  CHECK(kills == planned_kills);

  server.clear_faults();
  wait_for_delayed_requests(server);
  {
    auto store = Store::open(db);
    RemoteClient client(server.remote_config());
    const auto report = drain(store, client);
    CHECK(report.outcome == SyncOutcome::Done);
    CHECK(report.still_queued == 0);
  }
  check_converged(db, server);
  check_jobs_hold_their_writes(db, server, jobs);
}

// ============================================================== 2. faults

namespace {

// One run of the scenario of `seed`: phases of writes, each followed by one sync
// (with random faults when `faulty`), then syncs until drained. Returns the
// canonical end state of the store.
json run_fault_scenario(std::uint32_t seed, bool faulty, AppSyncServer& server, const std::filesystem::path& db) {
  std::mt19937 writes(seed);             // the same writes in both runs
  std::mt19937 faults(seed ^ 0x5eed5u);  // faults only in the faulty one
  std::vector<JobRef> jobs;
  server.reset();
  auto store = Store::open(db);
  RemoteClient client(server.remote_config());
  SyncOptions options;
  options.retry_now = true;
  options.batch_size = 5;
  options.backoff_base = std::chrono::milliseconds(1);
  options.backoff_cap = std::chrono::milliseconds(5);
  constexpr int kPhases = 8;
  for (int phase = 0; phase < kPhases; ++phase) {
    add_backlog(store, writes, "p" + std::to_string(phase) + "-", phase == 0 ? 20 : 6, jobs);
    touch_some(store, writes, jobs, 6);
    if (faulty) {
      const int rules = 1 + static_cast<int>(faults() % 3);
      for (int r = 0; r < rules; ++r) server.add_fault(random_fault(faults));
    }
    scoringjobs::sync(store, client, options);
  }
  SyncReport report;
  int runs = 0;
  for (; runs < 80; ++runs) {
    if (faulty && runs < 15 && faults() % 2 == 0) server.add_fault(random_fault(faults));
    report = scoringjobs::sync(store, client, options);
    if (report.outcome == SyncOutcome::Done && report.still_queued == 0) break;
  }
  CAPTURE(faulty);
  if (faulty) {
    std::map<std::string, int> hits;
    for (const auto& request : server.request_log()) {
      if (request["fault"].is_string()) ++hits[request["fault"].get<std::string>()];
    }
    MESSAGE("faults applied: " << json(hits).dump() << " over " << kPhases << " phases and " << runs + 1
                               << " draining runs");
  }
  CHECK_MESSAGE(report.outcome == SyncOutcome::Done,
                "not drained after " << runs << " runs: " << nlohmann::json(report).dump());
  CHECK(report.still_queued == 0);
  wait_for_delayed_requests(server);
  check_converged(db, server);
  check_jobs_hold_their_writes(db, server, jobs);
  auto local = canonical(local_records(db));
  CHECK(canonical(remote_records(server)) == local);
  return local;
}

// Run n uses seed n, or SYNC_ROBUSTNESS_SEED + n.
void check_faults_change_nothing(std::uint32_t seed) {
  MESSAGE("seed " << seed);
  AppSyncServer server(kTestApiKey);
  TempDir dir;
  const auto with_faults = run_fault_scenario(seed, true, server, dir / "faulty.db");
  const auto without = run_fault_scenario(seed, false, server, dir / "clean.db");
  CHECK(with_faults["links"] == without["links"]);
  CHECK(with_faults["batches"] == without["batches"]);
  int differing = 0;
  for (const auto& [item, job] : without["jobs"].items()) {
    if (!with_faults["jobs"].contains(item) || with_faults["jobs"][item] != job) {
      if (++differing <= 5) {
        MESSAGE("job " << item << " fault-free: " << job.dump()
                       << " with faults: " << with_faults["jobs"].value(item, json()).dump());
      }
    }
  }
  CHECK_MESSAGE(differing == 0, differing << " jobs end differently with faults");
  CHECK(with_faults["jobs"].size() == without["jobs"].size());
}

}  // namespace

TEST_CASE("random faults between runs end in the fault-free end state - run 1") {
  check_faults_change_nothing(seed_from_env(0) + 1);
}
TEST_CASE("random faults between runs end in the fault-free end state - run 2") {
  check_faults_change_nothing(seed_from_env(0) + 2);
}
TEST_CASE("random faults between runs end in the fault-free end state - run 3") {
  check_faults_change_nothing(seed_from_env(0) + 3);
}

// A deterministic reduction of what the random runs can hit.
TEST_CASE("a create whose answer was lost keeps the update made before it is sent again") {
  SyncFixture f;
  auto job = ScoringJob::create(f.store, "acct", "card", "item");
  // The create is applied but its answer lost; the read-back that would settle it fails.
  f.server.add_fault({{"mode", "drop-response"}, {"count", 1}});
  f.server.add_fault({{"mode", "fail"}, {"status", 503}, {"count", 1}});
  SyncOptions options;
  options.pull = false;
  const auto first = f.sync(options);
  CHECK(first.outcome == SyncOutcome::Transient);
  REQUIRE(f.server.dump()["ScoringJob"].size() == 1);  // applied remotely
  // Before the next run, the job moves on locally.
  job.update(f.store, changes_for(1));
  REQUIRE(outbox::pending_count(f.store) == 2);  // the create, still unconfirmed, and the update
  const auto report = f.sync_until_drained(options);
  CHECK(report.still_queued == 0);
  const auto local = ScoringJob::get_by_id(job.id, f.store);
  if (local.status != "RUNNING") {
    MESSAGE("report: " << nlohmann::json(report).dump());
    for (const auto& request : f.server.request_log()) MESSAGE("request: " << request.dump());
  }
  CHECK(local.status == "RUNNING");
  CHECK(local.metadata == json{{"step", 1}});
  CHECK(f.server.dump()["ScoringJob"][0]["status"] == "RUNNING");
  check_local_equals_remote(f.db_path, f.server);
}

// ============================================================== 3. order

TEST_CASE("the request log never shows a join row before its parents or an update before its create") {
  SyncFixture f;
  std::mt19937 random(7);
  std::vector<JobRef> jobs;
  SyncOptions options;
  options.pull = false;
  options.batch_size = 5;
  add_backlog(f.store, random, "a-", 60, jobs, 4);
  auto report = f.sync_until_drained(options);
  CHECK(report.still_queued == 0);
  // Updates of synced jobs queued among new jobs, links and batches, with lost answers.
  touch_some(f.store, random, jobs, 25);
  add_backlog(f.store, random, "b-", 30, jobs, 4);
  touch_some(f.store, random, jobs, 25);
  f.server.add_fault({{"mode", "drop-response"}, {"count", 2}});
  report = f.sync_until_drained(options);
  CHECK(report.still_queued == 0);

  std::set<std::string> created;  // ids whose create succeeded in an earlier request
  int links = 0, updates = 0;
  for (const auto& request : f.server.request_log()) {
    CAPTURE(request.value("seq", 0));
    std::set<std::string> this_request;
    for (const auto& field : request.value("fields", json::array())) {
      if (!field["id"].is_string() || field.value("outcome", "") != "ok") continue;
      const auto name = field.value("field", "");
      const auto id = field["id"].get<std::string>();
      if (name == "createBatchJobScoringJob") {
        ++links;
        const auto link = BatchJobScoringJob::get_by_id(id, f.store);
        CHECK_MESSAGE(created.count(link.batchJobId), "link " << id << " before its batch " << link.batchJobId);
        CHECK_MESSAGE(created.count(link.scoringJobId), "link " << id << " before its job " << link.scoringJobId);
      }
      if (name.rfind("update", 0) == 0) {
        ++updates;
        CHECK_MESSAGE(created.count(id), name << " of " << id << " before its create");
      }
      if (name.rfind("create", 0) == 0) this_request.insert(id);
    }
    created.insert(this_request.begin(), this_request.end());
  }
  CHECK(links > 0);
  CHECK(updates > 0);
  for (const auto& request : f.server.request_log()) CHECK(request["fields"].size() <= 50);
  check_converged(f.db_path, f.server);
  check_jobs_hold_their_writes(f.db_path, f.server, jobs);
}

// ============================================================== 4. concurrency

namespace {

constexpr int kWriterJobs = 200;
// The iterations after its create at which job i of a writer is updated.
constexpr int kTouchAfter[] = {0, 2, 5, 9};

int updates_of(int writer, int i) { return (writer * 7 + i * 3) % (kLastStep + 1); }

void writer_body(const std::filesystem::path& db, int writer) {
  auto store = Store::open(db);
  std::vector<JobRef> jobs;
  const auto name = "w" + std::to_string(writer);
  for (int i = 0; i < kWriterJobs + 10; ++i) {
    if (i < kWriterJobs) {
      const auto item = name + "-" + std::to_string(i);
      const auto id = i % 3 == 0 ? batch_scoring_job(store, assign(item, 4)).scoring_job.id
                                 : ScoringJob::create(store, "acct", "card", item).id;
      jobs.push_back({id, item, 0});
    }
    // Later updates of earlier jobs: these land after the parent synced their creates.
    for (int k = 0; k < static_cast<int>(std::size(kTouchAfter)); ++k) {
      const int j = i - kTouchAfter[k];
      if (j >= 0 && j < kWriterJobs && k < updates_of(writer, j)) touch(store, jobs[j], name);
    }
  }
}

}  // namespace

TEST_CASE("2 writer processes write while syncs run: every record arrives with its last write") {
  TempDir dir;
  const auto db = dir / "jobs.db";
  AppSyncServer server(kTestApiKey);
  { Store::open(db); }
  std::vector<pid_t> writers;
  for (int w = 0; w < 2; ++w) writers.push_back(spawn([&, w] { writer_body(db, w); }));

  auto store = Store::open(db);
  RemoteClient client(server.remote_config());
  SyncOptions options;
  options.retry_now = true;
  options.batch_size = 10;
  // Short runs, so pull and the start and end of runs interleave with the writes too.
  options.deadline = std::chrono::milliseconds(150);
  int runs = 0, pushed = 0;
  std::vector<int> exit_codes;
  while (exit_codes.size() < writers.size() && runs < 20000) {
    const auto report = scoringjobs::sync(store, client, options);
    CHECK(report.outcome != SyncOutcome::Locked);
    pushed += static_cast<int>(report.pushed);
    ++runs;
    for (auto& pid : writers) {
      int status = 0;
      if (pid > 0 && ::waitpid(pid, &status, WNOHANG) == pid) {
        exit_codes.push_back(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        pid = -1;
      }
    }
  }
  for (auto& pid : writers) {
    if (pid > 0) exit_codes.push_back(WEXITSTATUS(wait_status(pid)));
  }
  for (const int code : exit_codes) CHECK(code == 0);
  MESSAGE(runs << " syncs ran beside the writers, pushing " << pushed << " mutations");
  CHECK(runs > 1);
  options.deadline = std::chrono::minutes(1);
  const auto report = drain(store, client, options);
  CHECK(report.outcome == SyncOutcome::Done);

  check_converged(db, server);
  std::vector<JobRef> expected;
  for (int w = 0; w < 2; ++w) {
    for (int i = 0; i < kWriterJobs; ++i) {
      const auto item = "w" + std::to_string(w) + "-" + std::to_string(i);
      const auto job = ScoringJob::find_by_item_id(item, store);
      REQUIRE_MESSAGE(job, "job " << item << " is missing locally");
      expected.push_back({job->id, item, updates_of(w, i)});
    }
  }
  check_jobs_hold_their_writes(db, server, expected);
  CHECK(local_records(db)["ScoringJob"].size() == 2 * kWriterJobs);
}

// ============================================================== 5. two stores

namespace {

// Two stores stamp updatedAt from the clock in milliseconds: for one write to be
// the later, the clock must have moved past the other's stamp.
void wait_for_clock_past(const Timestamp& stamp) {
  while (Timestamp::now() <= stamp) std::this_thread::yield();
}

void check_two_stores_converge(const std::optional<json>& initial_metadata) {
  SyncFixture a;
  TempDir dir_b;
  const auto db_b = dir_b / "b.db";
  auto store_b = Store::open(db_b);
  RemoteClient client_b(a.server.remote_config());
  SyncOptions pull_b;
  pull_b.accounts = {"acct-shared"};
  // A learns of B's change by reading its unfinished job back. The schedule
  // would put that read off by half the time since the job last changed, which
  // on a busy machine can outlast B's run; this test is about the merge.
  SyncOptions read_back_a;
  read_back_a.longest_staleness = std::chrono::seconds(0);

  ScoringJobCreateOptions create;
  create.metadata = initial_metadata;
  auto job_a = ScoringJob::create(a.store, "acct-shared", "card", "item", nullptr, create);
  REQUIRE(a.sync(read_back_a).outcome == SyncOutcome::Done);
  const auto pulled = scoringjobs::sync(store_b, client_b, pull_b);
  REQUIRE(pulled.outcome == SyncOutcome::Done);
  REQUIRE(pulled.pulled == 1);
  auto job_b = ScoringJob::get_by_id(job_a.id, store_b);

  auto with = [&](const char* key, int value) {
    json metadata = initial_metadata.value_or(json::object());
    metadata[key] = value;
    return metadata;
  };
  job_a.update(a.store, {{"status", "RUNNING"}, {"metadata", with("x", 1)}});
  wait_for_clock_past(job_a.updatedAt);
  job_b.update(store_b, {{"status", "COMPLETED"}, {"metadata", with("y", 2)}, {"completedAt", kCompletedAt}});
  CHECK(job_b.updatedAt > job_a.updatedAt);

  CHECK(a.sync(read_back_a).outcome == SyncOutcome::Done);
  CHECK(scoringjobs::sync(store_b, client_b, pull_b).outcome == SyncOutcome::Done);
  CHECK(a.sync(read_back_a).outcome == SyncOutcome::Done);

  const auto dump = a.server.dump();
  REQUIRE(dump["ScoringJob"].size() == 1);
  const auto remote = ScoringJob::from_dict([&] {
    auto item = dump["ScoringJob"][0];
    item.erase("__typename");
    return item;
  }());
  const auto final_a = ScoringJob::get_by_id(job_a.id, a.store);
  auto final_b = ScoringJob::get_by_id(job_a.id, store_b);
  CHECK(final_a.to_dict() == remote.to_dict());
  CHECK(final_b.to_dict() == remote.to_dict());
  CHECK(remote.status == "COMPLETED");
  REQUIRE(remote.metadata);
  CHECK(remote.metadata->contains("x"));
  CHECK(remote.metadata->contains("y"));
  CHECK(outbox::pending_count(a.store) == 0);
  CHECK(outbox::pending_count(store_b) == 0);
  MESSAGE("remote metadata: " << remote.metadata->dump());
  for (const auto& decision : list_conflicts(store_b)) {
    MESSAGE("B's merge decided " << decision.field << ": base " << decision.base << " local " << decision.local
                                 << " remote " << decision.remote << " -> " << decision.result << " (" << decision.rule
                                 << ")");
  }
}

}  // namespace

TEST_CASE("two stores converge on a job both changed - metadata an object from the start") {
  check_two_stores_converge(json{{"p", 1}});
}

TEST_CASE("two stores converge on a job both changed - metadata unset at first") {
  check_two_stores_converge(std::nullopt);
}

TEST_CASE("two stores that both pulled a job converge on the later of two terminal statuses") {
  SyncFixture creator;
  auto job = ScoringJob::create(creator.store, "acct-both", "card", "item");
  job.update(creator.store, {{"status", "RUNNING"}});
  REQUIRE(creator.sync().outcome == SyncOutcome::Done);

  TempDir dir;
  auto store_b = Store::open(dir / "b.db");
  auto store_c = Store::open(dir / "c.db");
  RemoteClient client(creator.server.remote_config());
  SyncOptions pull_account;
  pull_account.accounts = {"acct-both"};
  REQUIRE(scoringjobs::sync(store_b, client, pull_account).pulled == 1);
  REQUIRE(scoringjobs::sync(store_c, client, pull_account).pulled == 1);

  // B fails the job; C, later, completes it. C's push lands first.
  auto job_b = ScoringJob::get_by_id(job.id, store_b);
  job_b.update(store_b, {{"status", "FAILED"}, {"completedAt", "2026-11-28T10:00:00.000Z"}, {"errorMessage", "b"}});
  auto job_c = ScoringJob::get_by_id(job.id, store_c);
  wait_for_clock_past(job_b.updatedAt);
  job_c.update(store_c, {{"status", "COMPLETED"}, {"completedAt", "2026-11-28T11:00:00.000Z"}});
  REQUIRE(job_c.updatedAt > job_b.updatedAt);
  CHECK(scoringjobs::sync(store_c, client, pull_account).outcome == SyncOutcome::Done);
  CHECK(scoringjobs::sync(store_b, client, pull_account).outcome == SyncOutcome::Done);
  CHECK(scoringjobs::sync(store_c, client, pull_account).outcome == SyncOutcome::Done);
  CHECK(creator.sync().outcome == SyncOutcome::Done);

  const auto remote = remote_records(creator.server)["ScoringJob"][job.id];
  CHECK(remote["status"] == "COMPLETED");                      // the later terminal status
  CHECK(remote["completedAt"] == "2026-11-28T11:00:00.000Z");  // goes with it
  CHECK(remote["errorMessage"] == "b");                        // changed by B only
  CHECK(local_records(creator.db_path)["ScoringJob"][job.id] == remote);
  CHECK(local_records(dir / "b.db")["ScoringJob"][job.id] == remote);
  CHECK(local_records(dir / "c.db")["ScoringJob"][job.id] == remote);
  std::set<std::string> decided;
  for (const auto& d : list_conflicts(store_b)) decided.insert(d.field);
  CHECK(decided.count("status"));
  CHECK(decided.count("completedAt"));
}

// ============================================================== 6. writes during a sync

namespace {

// Runs `write` on another thread with its own Store as soon as the server has
// received a request carrying fault `fault`, while `run_sync` runs on this one.
// Returns whether the write finished while that request was still unanswered.
template <class Write, class RunSync>
bool write_while_in_flight(AppSyncServer& server, const std::filesystem::path& db, const std::string& fault,
                           Write&& write, RunSync&& run_sync) {
  std::atomic<bool> in_flight{false};
  std::atomic<bool> wrote{false};
  std::thread writer([&] {
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    std::optional<int> seq;
    while (!seq && Clock::now() < deadline) {
      for (const auto& request : server.request_log()) {
        if (request.value("fault", json()) == fault) seq = request.value("seq", 0);
      }
      if (!seq) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (!seq) return;
    auto store = Store::open(db);
    write(store);
    wrote = true;
    for (const auto& request : server.request_log()) {
      if (request.value("seq", 0) == *seq) in_flight = request["status"].is_null() || fault == "trickle";
    }
  });
  run_sync();
  writer.join();
  REQUIRE(wrote);
  return in_flight;
}

}  // namespace

TEST_CASE("a write made while the job's create is in flight survives and goes out next") {
  SyncFixture f;
  auto job = ScoringJob::create(f.store, "acct", "card", "item");
  f.server.add_fault({{"mode", "delay"}, {"delayMs", 1500}, {"count", 1}});
  SyncReport first;
  const bool in_flight = write_while_in_flight(
      f.server, f.db_path, "delay",
      [&](Store& store) { ScoringJob::get_by_id(job.id, store).update(store, changes_for(1, "t")); },
      [&] { first = f.sync(); });
  if (!in_flight) WARN("the write landed after the request was answered; the race was not exercised");
  CHECK(first.outcome == SyncOutcome::Done);
  auto local = ScoringJob::get_by_id(job.id, f.store);
  CHECK(local.status == "RUNNING");
  CHECK(local.metadata == json{{"step", 1}, {"writer", "t"}});
  // The run that confirmed the create may already have sent the write (it keeps
  // collecting until the outbox is empty); if not, the next run sends it.
  CHECK(f.sync().outcome == SyncOutcome::Done);
  CHECK(outbox::pending_count(f.store) == 0);
  CHECK(f.server.dump()["ScoringJob"][0]["status"] == "RUNNING");
  CHECK(ScoringJob::get_by_id(job.id, f.store).metadata == json{{"step", 1}, {"writer", "t"}});
  check_local_equals_remote(f.db_path, f.server);
}

TEST_CASE("a write made while an update of the same fields is in flight survives and goes out next") {
  SyncFixture f;
  auto job = ScoringJob::create(f.store, "acct", "card", "item");
  REQUIRE(f.sync().outcome == SyncOutcome::Done);
  job.update(f.store, changes_for(1));
  f.server.add_fault({{"mode", "delay"}, {"delayMs", 1500}, {"count", 1}});
  const bool in_flight = write_while_in_flight(
      f.server, f.db_path, "delay",
      [&](Store& store) { ScoringJob::get_by_id(job.id, store).update(store, changes_for(kLastStep, "t")); },
      [&] { f.sync(); });
  if (!in_flight) WARN("the write landed after the request was answered; the race was not exercised");
  auto local = ScoringJob::get_by_id(job.id, f.store);
  CHECK(local.status == "COMPLETED");
  CHECK(local.metadata == json{{"step", kLastStep}, {"writer", "t"}});

  CHECK(f.sync().outcome == SyncOutcome::Done);
  CHECK(outbox::pending_count(f.store) == 0);
  const auto remote = f.server.dump()["ScoringJob"][0];
  CHECK(remote["status"] == "COMPLETED");
  CHECK(json::parse(remote["metadata"].get<std::string>()) == json{{"step", kLastStep}, {"writer", "t"}});
  check_local_equals_remote(f.db_path, f.server);
}

TEST_CASE("a write made while a create's answer is being lost survives the read-back and goes out next") {
  SyncFixture f;
  auto job = ScoringJob::create(f.store, "acct", "card", "item");
  // The create runs, then its answer trickles so slowly that the client gives up: outcome unknown.
  f.server.add_fault({{"mode", "trickle"}, {"intervalMs", 1000}, {"count", 1}});
  RemoteClient impatient(f.server.remote_config(std::chrono::milliseconds(1500)));
  SyncOptions options;
  options.pull = false;
  write_while_in_flight(
      f.server, f.db_path, "trickle",
      [&](Store& store) { ScoringJob::get_by_id(job.id, store).update(store, changes_for(1, "t")); },
      [&] { scoringjobs::sync(f.store, impatient, options); });
  auto local = ScoringJob::get_by_id(job.id, f.store);
  CHECK(local.status == "RUNNING");
  CHECK(local.metadata == json{{"step", 1}, {"writer", "t"}});
  CHECK(f.sync_until_drained(options).still_queued == 0);
  CHECK(f.server.dump()["ScoringJob"].size() == 1);
  CHECK(f.server.dump()["ScoringJob"][0]["status"] == "RUNNING");
  check_local_equals_remote(f.db_path, f.server);
}

TEST_CASE("a write made while pull is reading the record survives and goes out next") {
  SyncFixture f;
  auto job = ScoringJob::create(f.store, "acct", "card", "item");
  REQUIRE(f.sync().outcome == SyncOutcome::Done);
  // Someone else moves the job on remotely, so pull has something to bring down.
  RemoteClient other(f.server.remote_config());
  other.update<ScoringJob>({{"id", job.id}, {"scoreId", "remote-score"}});
  f.server.add_fault({{"mode", "delay"}, {"delayMs", 1500}, {"count", 1}, {"match", "^getScoringJob$"}});
  const bool in_flight = write_while_in_flight(
      f.server, f.db_path, "delay",
      [&](Store& store) { ScoringJob::get_by_id(job.id, store).update(store, changes_for(1, "t")); },
      [&] { f.sync(); });
  if (!in_flight) WARN("the write landed after the request was answered; the race was not exercised");
  auto local = ScoringJob::get_by_id(job.id, f.store);
  CHECK(local.status == "RUNNING");
  CHECK(local.metadata == json{{"step", 1}, {"writer", "t"}});

  CHECK(f.sync_until_drained().still_queued == 0);
  const auto merged = ScoringJob::get_by_id(job.id, f.store);
  CHECK(merged.status == "RUNNING");
  CHECK(merged.metadata == json{{"step", 1}, {"writer", "t"}});
  CHECK(merged.scoreId == "remote-score");
  check_local_equals_remote(f.db_path, f.server);
}
