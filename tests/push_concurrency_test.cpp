// Push with several requests in flight: the adaptive window, and every
// ordering guarantee of push held across requests, against the local AppSync
// server, whose request log says when each request arrived and was answered.

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "scoringjobs/batching.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "scoringjobs/sync.hpp"
#include "support/job_oracle.hpp"
#include "support/request_log.hpp"
#include "support/sync_fixture.hpp"
#include "sync/request_window.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::detail::RequestWindow;
using scoringjobs::test::any_overlap;
using scoringjobs::test::assign;
using scoringjobs::test::check_local_equals_remote;
using scoringjobs::test::push_only;
using scoringjobs::test::read_request_log;
using scoringjobs::test::SyncFixture;
using namespace std::chrono_literals;

namespace {

void create_jobs(Store& store, int count, const std::string& prefix = "item-") {
  for (int i = 0; i < count; ++i) ScoringJob::create(store, "acct", "card", prefix + std::to_string(i));
}

}  // namespace

TEST_CASE("the window starts at 2, grows per success, halves once per slow-down, and probes gently after") {
  constexpr auto rtt = 100ms;
  RequestWindow window(8);
  CHECK(window.size() == 2);
  for (int i = 0; i < 3; ++i) window.succeeded(rtt);
  CHECK(window.size() == 5);
  const auto sent = window.epoch();
  CHECK(window.slowed_down(sent));
  CHECK(window.rate() == doctest::Approx(2.5));
  CHECK(window.size() == 2);
  // Requests sent before the halving answer the same way: no second halving.
  CHECK_FALSE(window.slowed_down(sent));
  CHECK(window.size() == 2);
  CHECK(window.slow_downs_in_a_row() == 1);
  // After a slow-down: one more per kProbeRounds round trips, a round trip being a window's worth of successes.
  window.succeeded(rtt);
  CHECK(window.slow_downs_in_a_row() == 0);
  CHECK(window.size() == 2);
  // From 2.5 to 3.5: kProbeRounds round trips of 2.5 to 3.5 requests each.
  int successes = 1;
  while (window.rate() < 3.5) {
    window.succeeded(rtt);
    ++successes;
  }
  CHECK(successes >= static_cast<int>(RequestWindow::kProbeRounds * 2.5));
  CHECK(successes <= static_cast<int>(RequestWindow::kProbeRounds * 3.5));
  for (int i = 0; i < 1000; ++i) window.succeeded(rtt);
  CHECK(window.size() == 8);  // never above the maximum
  CHECK_FALSE(window.paused(RequestWindow::Clock::now()));
}

TEST_CASE("below one request per round trip the window paces: one request in flight, the next after its share") {
  constexpr auto rtt = 100ms;
  RequestWindow window(8);
  for (int i = 0; i < 4; ++i) window.succeeded(rtt);  // the smoothed round trip moves toward the measured one
  const auto measured = window.round_trip();
  CHECK(measured < RequestWindow::kFirstRoundTrip);
  CHECK(measured >= rtt);
  const auto now = RequestWindow::Clock::now();
  // 6 -> 3 -> 1.5 -> 0.75 -> 0.375: each halving counts (each request sent after the last).
  for (int i = 0; i < 4; ++i) CHECK(window.slowed_down(window.epoch(), now));
  CHECK(window.size() == 1);
  CHECK(window.rate() == doctest::Approx(0.375));
  // One request per 1/0.375 round trips: the next waits the rest of that.
  const auto share = std::chrono::duration_cast<std::chrono::microseconds>(measured * (1 / 0.375 - 1));
  CHECK(window.paused(now + share - 1ms));
  CHECK_FALSE(window.paused(now + share + 1ms));
  // Halving stops at the slowest pace.
  for (int i = 0; i < 20; ++i) window.slowed_down(window.epoch(), now);
  CHECK(window.rate() == doctest::Approx(RequestWindow::kSlowest));
  CHECK(window.slow_downs_in_a_row() == 24);
  // Growing back below one is faster than above it: one more per kPacedProbeRounds round trips.
  RequestWindow paced(8);
  for (int i = 0; i < 2; ++i) paced.slowed_down(paced.epoch(), now);
  CHECK(paced.rate() == doctest::Approx(0.5));
  paced.succeeded(rtt, now);
  CHECK(paced.rate() == doctest::Approx(0.5 + 1 / (RequestWindow::kPacedProbeRounds * 0.5)));
}

TEST_CASE("a window of 1 stays 1, and a pause holds until its time") {
  RequestWindow one(1);
  CHECK(one.size() == 1);
  one.succeeded(100ms);
  CHECK(one.size() == 1);
  CHECK(RequestWindow(0).size() == 1);

  RequestWindow window(8);
  const auto now = RequestWindow::Clock::now();
  CHECK_FALSE(window.paused(now));
  window.pause_until(now + 2s);
  window.pause_until(now + 1s);  // a shorter pause does not cut a longer one
  CHECK(window.paused(now + 1500ms));
  CHECK_FALSE(window.paused(now + 2s));
}

TEST_CASE(
    "not now: a Retry-After pauses every request, a longer one, the fifth failure in a row or the deadline gives up") {
  using enum RequestWindow::NotNow;
  const auto no_backoff = [](int) { return 0ms; };
  const auto later = RequestWindow::Clock::now() + 1h;
  RequestWindow window(8);
  const auto until = window.not_now(Throttled, window.epoch(), RequestWindow::kLongestPause, no_backoff, later);
  REQUIRE(until);
  CHECK(window.paused(*until - 1ms));
  CHECK_FALSE(window.paused(*until));
  CHECK_FALSE(window.not_now(Throttled, window.epoch(), RequestWindow::kLongestPause + 1s, no_backoff, later));

  RequestWindow in_a_row(8);
  for (int i = 1; i < RequestWindow::kGiveUpAfter; ++i) {
    CHECK(in_a_row.not_now(Failing, in_a_row.epoch(), std::nullopt, no_backoff, later));
  }
  CHECK_FALSE(in_a_row.not_now(Failing, in_a_row.epoch(), std::nullopt, no_backoff, later));

  // From the second in a row without a Retry-After, the backoff pauses, at most kLongestPause.
  RequestWindow backing_off(8);
  int asked = 0;
  const auto backoff = [&](int n) {
    asked = n;
    return n == 1 ? 2s : 10min;
  };
  CHECK(backing_off.not_now(Failing, backing_off.epoch(), std::nullopt, backoff, later));
  CHECK(asked == 0);
  auto paused = backing_off.not_now(Failing, backing_off.epoch(), std::nullopt, backoff, later);
  REQUIRE(paused);
  CHECK(asked == 1);
  CHECK(backing_off.paused(*paused - 1s));
  CHECK(*paused - RequestWindow::Clock::now() <= 2s);
  paused = backing_off.not_now(Failing, backing_off.epoch(), std::nullopt, backoff, later);
  REQUIRE(paused);
  CHECK(asked == 2);
  CHECK(*paused - RequestWindow::Clock::now() <= RequestWindow::kLongestPause);
  CHECK(*paused - RequestWindow::Clock::now() > RequestWindow::kLongestPause - 1s);
  // A pause reaching past the deadline gives up.
  RequestWindow late(8);
  CHECK_FALSE(late.not_now(Throttled, late.epoch(), 1s, no_backoff, RequestWindow::Clock::now()));
}

TEST_CASE("a throttled run goes on past any number of throttled answers in a row until nothing succeeded for long") {
  using enum RequestWindow::NotNow;
  const auto no_backoff = [](int) { return 0ms; };
  const auto start = RequestWindow::Clock::now();
  const auto later = start + 1h;
  RequestWindow window(8);
  // An edge unlucky with a quota others share: far more than kGiveUpAfter in a row, still going.
  for (int i = 0; i < 4 * RequestWindow::kGiveUpAfter; ++i) {
    CHECK(window.not_now(Throttled, window.epoch(), std::nullopt, no_backoff, later, start + 1s));
  }
  CHECK(window.size() == 1);
  // One success restarts the count of time without one.
  window.succeeded(100ms, start + 30s);
  CHECK(window.not_now(Throttled, window.epoch(), std::nullopt, no_backoff, later, start + 30s + 59s));
  CHECK_FALSE(window.not_now(Throttled, window.epoch(), std::nullopt, no_backoff, later,
                             start + 30s + RequestWindow::kLongestThrottled));
}

TEST_CASE("under concurrency no record's mutation overtakes an earlier one and join rows follow their parents") {
  SyncFixture f;
  std::vector<ScoringJob> jobs;
  for (int i = 0; i < 40; ++i) {
    jobs.push_back(ScoringJob::create(f.store, "acct", "card", "item-" + std::to_string(i)));
  }
  REQUIRE(f.sync(push_only()).pushed == 40);
  f.server.clear_log();

  // One update per job, and new jobs with batches and join rows.
  for (auto& job : jobs) job.update(f.store, {{"status", "RUNNING"}});
  for (int i = 0; i < 30; ++i) batch_scoring_job(f.store, assign("batched-" + std::to_string(i), 10));
  // The first request is held much longer than the others, which overtake it.
  f.server.add_fault({{"mode", "delay"}, {"delayMs", 1500}, {"count", 1}});
  f.server.add_fault({{"mode", "delay"}, {"delayMs", 30}});

  // After the first answer, every job changes again: a job whose update is
  // still in flight (the held request) must not have this one sent before it.
  SyncOptions options = push_only(5);
  bool changed = false;
  options.progress = [&](const SyncProgress&) {
    if (changed) return;
    changed = true;
    for (auto& job : jobs) job.update(f.store, {{"status", "COMPLETED"}, {"completedAt", "2026-12-06T20:00:00Z"}});
  };
  const auto report = f.sync(options);
  CHECK(report.outcome == SyncOutcome::Done);
  CHECK(report.dead_lettered == 0);
  CHECK(report.conflicts == 0);  // no update overtook another and met a failed condition
  CHECK(outbox::pending_count(f.store) == 0);
  check_local_equals_remote(f.db_path, f.server);
  const auto on_server = f.server.dump();  // kept: the loop reads inside it
  for (const auto& remote : on_server.at("ScoringJob")) {
    if (remote["itemId"].get<std::string>().rfind("item-", 0) == 0) CHECK(remote["status"] == "COMPLETED");
  }

  const auto requests = read_request_log(f.server);
  // More than one request was in flight at once.
  CHECK(report.peak_in_flight > 1);
  CHECK(any_overlap(requests));
  // A record's mutation arrives only after the request that carried its
  // previous one was answered; a join row only after both its parents' creates.
  std::map<std::string, double> last_answered;  // by record id
  std::map<std::string, double> created;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    for (const auto& mutation : requests[i].applied) {
      // Plain names: doctest's messages capture them, and clang 14 cannot capture a structured binding.
      const auto& field = mutation.first;
      const auto& id = mutation.second;
      if (const auto before = last_answered.find(id); before != last_answered.end()) {
        CHECK_MESSAGE(requests[i].arrived >= before->second,
                      field << " of " << id << " overtook its previous mutation");
      }
      if (field == "createBatchJobScoringJob") {
        const auto link = BatchJobScoringJob::get_by_id(id, f.store);
        for (const auto& parent : {link.batchJobId, link.scoringJobId}) {
          const auto confirmed = created.find(parent);
          REQUIRE_MESSAGE(confirmed != created.end(), "join row " << id << " before the create of " << parent);
          CHECK_MESSAGE(requests[i].arrived >= confirmed->second, "join row " << id << " before " << parent);
        }
      }
    }
    for (const auto& mutation : requests[i].applied) {
      // Plain names: doctest's messages capture them, and clang 14 cannot capture a structured binding.
      const auto& field = mutation.first;
      const auto& id = mutation.second;
      // Applied in an earlier-arrived request but maybe answered later: keep the latest answer.
      last_answered[id] = std::max(last_answered[id], requests[i].answered);
      if (field.rfind("create", 0) == 0) created[id] = requests[i].answered;
    }
  }
}

TEST_CASE("a server that throttles above a rate shrinks the window, which grows back, and nothing is dead-lettered") {
  SyncFixture f;
  create_jobs(f.store, 150);
  // Each request takes 100 ms, and the API allows 15 a second: two in flight
  // already ask for 20, one alone for 10.
  f.server.add_fault({{"mode", "rate-limit"}, {"perSecond", 15}, {"burst", 2}});
  f.server.add_fault({{"mode", "delay"}, {"delayMs", 100}});
  SyncOptions options = push_only(5);
  const auto report = f.sync(options);
  CHECK(report.outcome == SyncOutcome::Done);
  CHECK(report.pushed == 150);
  CHECK(report.dead_lettered == 0);
  CHECK(report.retried == 0);  // throttled requests went again in the run, nothing was put off
  CHECK(outbox::pending_count(f.store) == 0);
  check_local_equals_remote(f.db_path, f.server);

  const auto requests = read_request_log(f.server);
  std::size_t first_throttled = requests.size();
  std::int64_t throttled = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].status != 429) continue;
    ++throttled;
    first_throttled = std::min(first_throttled, i);
  }
  CHECK(throttled > 0);
  CHECK(report.throttled == throttled);
  CHECK(report.requests == static_cast<std::int64_t>(requests.size()));
  // After the first throttle the window halved, then grew back above one.
  REQUIRE(first_throttled < requests.size());
  CHECK(any_overlap(requests, first_throttled + 1));
}

TEST_CASE("a window of one sends one request at a time") {
  SyncFixture f;
  create_jobs(f.store, 20);
  f.server.add_fault({{"mode", "delay"}, {"delayMs", 20}});
  SyncOptions options = push_only(2);
  options.max_in_flight = 1;
  const auto report = f.sync(options);
  CHECK(report.pushed == 20);
  CHECK(report.peak_in_flight == 1);
  CHECK_FALSE(any_overlap(read_request_log(f.server)));
}

TEST_CASE("a lone 503 slows push down and the run goes on, 503s in a row end it with the entries put off") {
  SyncFixture f;
  create_jobs(f.store, 6);
  f.server.add_fault({{"mode", "fail"}, {"status", 503}, {"count", 1}});
  SyncOptions options = push_only(2);
  const auto report = f.sync(options);
  CHECK(report.outcome == SyncOutcome::Done);
  CHECK(report.pushed == 6);
  CHECK(report.retried == 0);
  CHECK(report.throttled == 0);  // a 5xx is not a throttle

  create_jobs(f.store, 6, "more-");
  f.server.add_fault({{"mode", "fail"}, {"status", 503}});
  options.backoff_base = 10ms;
  const auto failing = f.sync(options);
  CHECK(failing.outcome == SyncOutcome::Transient);
  CHECK(failing.retried > 0);  // the last request's entries wait out their backoff
  CHECK(outbox::next_retry_time(f.store).has_value());
  CHECK(outbox::pending_count(f.store) == 6);
}

TEST_CASE("the batch recount's read answered throttled goes again in the run, which ends done with the count right") {
  SyncFixture f;
  for (int i = 0; i < 5; ++i) batch_scoring_job(f.store, assign("recounted-" + std::to_string(i), 10));
  // Only the recount reads batches back in a clean push (GetManyBatchJob); the first such request is throttled.
  f.server.add_fault({{"mode", "throttle"}, {"match", "GetManyBatchJob"}, {"count", 1}});
  const auto report = f.sync(push_only());
  CHECK(report.outcome == SyncOutcome::Done);
  CHECK(report.throttled == 1);
  const auto log = read_request_log(f.server);
  CHECK(std::ranges::count_if(log, [](const auto& request) { return request.status == 429; }) == 1);
  const auto remote = f.server.dump();
  REQUIRE(remote["BatchJob"].size() == 1);
  CHECK(remote["BatchJob"][0]["scoringJobCountCache"] == 5);
  check_local_equals_remote(f.db_path, f.server);
}
