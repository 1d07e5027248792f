// A bounded partition soak: the local AppSync server goes away and comes back
// many times while writer processes write and syncs run in a loop, the way a
// cron job meets a flaky uplink. After each heal (which starts with 503s, as a
// recovering load balancer gives) the queue must drain to zero within the
// backoff cap plus one run; no run may stall; at the end local equals remote
// and every job holds its writer's last write.

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "scoringjobs/batching.hpp"
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
using namespace scoringjobs::test;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

namespace {

constexpr int kPartitions = 12;
constexpr int kWriters = 2;
constexpr int kJobsPerWriter = 12;
constexpr milliseconds kBackoffCap{300};
constexpr milliseconds kRunDeadline{300};
constexpr milliseconds kRequestTimeout{2000};
// A run ends at its deadline or with one request's timeout after it; more than
// this (generous, for loaded machines and sanitizers) means it stalled.
constexpr milliseconds kStallBound = kRunDeadline + kRequestTimeout + milliseconds(8000);

// How many updates job `i` of `writer` gets in partition `round`.
int updates_of(int round, int writer, int i) { return (round * 5 + writer * 7 + i * 3) % (kLastStep + 1); }

std::string item_of(int round, int writer, int i) {
  return "p" + std::to_string(round) + "-w" + std::to_string(writer) + "-" + std::to_string(i);
}

// Creates the writer's jobs for this round (every third through
// batch_scoring_job, so batches and links too), updating each job in the
// iterations after its create so creates and updates interleave.
void writer_body(const std::filesystem::path& db, int round, int writer) {
  auto store = Store::open(db);
  std::vector<JobRef> jobs;
  for (int i = 0; i < kJobsPerWriter + kLastStep; ++i) {
    if (i < kJobsPerWriter) {
      const auto item = item_of(round, writer, i);
      const auto id = i % 3 == 0 ? batch_scoring_job(store, assign(item, 4)).scoring_job.id
                                 : ScoringJob::create(store, "acct", "card", item).id;
      jobs.push_back({id, item, 0});
    }
    for (int after = 1; after <= kLastStep; ++after) {
      const int j = i - after;
      if (j >= 0 && j < kJobsPerWriter && after <= updates_of(round, writer, j)) touch(store, jobs[j]);
    }
  }
}

bool any_running(std::vector<pid_t>& pids) {
  bool running = false;
  for (auto& pid : pids) {
    if (pid <= 0) continue;
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      CHECK_MESSAGE((WIFEXITED(status) && WEXITSTATUS(status) == 0), "a writer failed");
      pid = -1;
    } else {
      running = true;
    }
  }
  return running;
}

SyncReport checked_sync(Store& store, RemoteClient& client, const SyncOptions& options) {
  const auto started = Clock::now();
  auto report = scoringjobs::sync(store, client, options);
  const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
  CHECK_MESSAGE(took <= kStallBound, "a sync run took " << took.count() << " ms (" << to_string(report.outcome) << ")");
  CHECK(report.outcome != SyncOutcome::Locked);
  CHECK(report.dead_lettered == 0);
  return report;
}

}  // namespace

TEST_CASE("partition soak: the API goes away 12 times while writers write and syncs loop") {
  TempDir dir;
  const auto db = dir / "jobs.db";
  AppSyncServer server(kTestApiKey);
  RemoteClient client([&] {
    auto config = server.remote_config(kRequestTimeout);
    config.connect_timeout = milliseconds(500);
    return config;
  }());
  SyncOptions loop_options;
  loop_options.batch_size = 10;
  loop_options.deadline = kRunDeadline;
  loop_options.backoff_base = milliseconds(50);
  loop_options.backoff_cap = kBackoffCap;
  auto drain_options = loop_options;
  drain_options.deadline = std::chrono::minutes(2);

  std::optional<Store> store;
  int runs = 0, offline_runs = 0, deferred = 0;
  for (int round = 0; round < kPartitions; ++round) {
    CAPTURE(round);
    // Writers write while syncs loop; part-way through, the API goes away.
    store.reset();  // no open connection across fork()
    std::vector<pid_t> writers;
    for (int w = 0; w < kWriters; ++w) writers.push_back(spawn([&, w] { writer_body(db, round, w); }));
    store.emplace(Store::open(db));
    std::thread partition([&] {
      std::this_thread::sleep_for(milliseconds(20 + 40 * (round % 5)));
      server.stop();
    });
    while (any_running(writers)) {
      const auto report = checked_sync(*store, client, loop_options);
      ++runs;
      if (report.outcome == SyncOutcome::Offline) ++offline_runs;
    }
    partition.join();

    // While the API is away a run says so quickly and changes nothing.
    const auto queued = outbox::pending_count(*store);
    const auto down = checked_sync(*store, client, loop_options);
    CHECK(down.outcome == SyncOutcome::Offline);
    CHECK(down.exit_code() == 75);
    CHECK(outbox::pending_count(*store) == queued);

    // The heal starts with 503s: push slows down, then gives up for this run, so
    // the entries of the last request wait out their backoff.
    server.start();
    server.add_fault({{"mode", "fail"}, {"status", 503}});
    // (No short deadline here: a slow machine must not end the run before its first request.)
    const auto healing = checked_sync(*store, client, drain_options);
    const auto last_failure = Clock::now();
    CHECK_MESSAGE(healing.outcome == SyncOutcome::Transient,
                  to_string(healing.outcome) << ": " << healing.error << " (queued " << healing.queued_at_start << ")");
    // (Its first request may go out on a connection the old server closed: then
    // the read-back of that request's records meets the 503 instead.)
    deferred += static_cast<int>(healing.retried);
    server.clear_faults();

    // Within the backoff cap plus one run, the queue is empty.
    std::this_thread::sleep_until(last_failure + kBackoffCap);
    const auto drained = checked_sync(*store, client, drain_options);
    CHECK(drained.outcome == SyncOutcome::Done);
    CHECK(drained.still_queued == 0);
    CHECK(outbox::pending_count(*store) == 0);
  }
  MESSAGE(runs << " runs beside the writers (" << offline_runs << " offline), " << deferred
               << " mutations deferred by 503s");
  CHECK(offline_runs > 0);
  CHECK(deferred > 0);

  store.reset();
  check_converged(db, server);
  std::vector<JobRef> expected;
  auto reader = Store::open(db);
  for (int round = 0; round < kPartitions; ++round) {
    for (int w = 0; w < kWriters; ++w) {
      for (int i = 0; i < kJobsPerWriter; ++i) {
        const auto item = item_of(round, w, i);
        const auto job = ScoringJob::find_by_item_id(item, reader);
        REQUIRE_MESSAGE(job, "job " << item << " is missing locally");
        expected.push_back({job->id, item, updates_of(round, w, i)});
      }
    }
  }
  check_jobs_hold_their_writes(db, server, expected);
}
