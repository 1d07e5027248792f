// Pull with several requests in flight: the refresh of unfinished records and
// the pulls of several accounts share the run's window with push, against the
// local AppSync server, whose request log says when each request arrived and
// was answered.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "scoringjobs/sync.hpp"
#include "support/request_log.hpp"
#include "support/sync_fixture.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::any_overlap;
using scoringjobs::test::check_local_equals_remote;
using scoringjobs::test::LoggedRequest;
using scoringjobs::test::read_request_log;
using scoringjobs::test::SyncFixture;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kFirstJobAt = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

// `count` unfinished jobs of `account`, one a minute, in wire shape for /admin/load;
// `moved_on` gives each a later version (RUNNING, a day later).
json pending_jobs(const std::string& account, int count, bool moved_on = false) {
  auto jobs = json::array();
  for (int i = 0; i < count; ++i) {
    const auto created = Timestamp::from_unix_millis(kFirstJobAt + std::int64_t{i} * 60'000).format();
    const auto updated =
        moved_on ? Timestamp::from_unix_millis(kFirstJobAt + 86'400'000 + std::int64_t{i} * 60'000).format() : created;
    jobs.push_back({{"__typename", "ScoringJob"},
                    {"id", account + "-job-" + std::to_string(i)},
                    {"accountId", account},
                    {"scorecardId", "card"},
                    {"itemId", "item-" + std::to_string(i)},
                    {"status", moved_on ? "RUNNING" : "PENDING"},
                    {"createdAt", created},
                    {"updatedAt", updated}});
  }
  return jobs;
}

// Pulls only; every unfinished record due at once (and again in every run).
SyncOptions pull_only(std::vector<std::string> accounts = {}) {
  SyncOptions options;
  options.push = false;
  options.accounts = std::move(accounts);
  options.longest_staleness = 0s;
  options.backoff_base = 10ms;
  return options;
}

// A store holding `count` unfinished jobs of "acct" as the API first had
// them, the API now holding a later version of each, every request held 50 ms.
void unfinished_jobs_moved_on(SyncFixture& f, int count) {
  f.server.load({{"ScoringJob", pending_jobs("acct", count)}});
  REQUIRE(f.sync(pull_only({"acct"})).pulled == count);
  f.server.load({{"ScoringJob", pending_jobs("acct", count, /*moved_on=*/true)}});
  f.server.add_fault({{"mode", "delay"}, {"delayMs", 50}});
  f.server.clear_log();
}

// Requests of the log that asked for one of `field`.
std::vector<LoggedRequest> asking_for(const std::vector<LoggedRequest>& requests, const std::string& field) {
  std::vector<LoggedRequest> out;
  for (const auto& request : requests) {
    for (const auto& asked : request.fields) {
      if (asked != field) continue;
      out.push_back(request);
      break;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a refresh of many unfinished records has several reads in flight and ends as one at a time does") {
  constexpr int kJobs = 400;
  const auto refresh = [&](std::size_t max_in_flight, std::int64_t& peak) {
    SyncFixture f;
    unfinished_jobs_moved_on(f, kJobs);
    auto options = pull_only();
    options.max_in_flight = max_in_flight;
    const auto report = f.sync_at_least(options, 2ms);
    CHECK(report.outcome == SyncOutcome::Done);
    CHECK(report.pulled == kJobs);  // every job's later version adopted
    check_local_equals_remote(f.db_path, f.server);
    const auto reads = read_request_log(f.server);
    CHECK(reads.size() == kJobs / 50);  // a request's worth of gets each, none read twice
    CHECK(any_overlap(reads) == (max_in_flight > 1));
    peak = report.peak_in_flight;
    return test::local_records(f.db_path);
  };
  std::int64_t concurrent_peak = 0;
  std::int64_t lone_peak = 0;
  const auto concurrent = refresh(8, concurrent_peak);
  const auto lone = refresh(1, lone_peak);
  CHECK(concurrent_peak > 1);
  CHECK(lone_peak == 1);
  CHECK(concurrent == lone);
}

TEST_CASE("the pulls of several accounts overlap, each pass complete with its checkpoint at its newest job") {
  SyncFixture f;
  const std::vector<std::string> accounts = {"acct-a", "acct-b", "acct-c", "acct-d"};
  constexpr int kJobs = 250;  // 3 pages each
  for (const auto& account : accounts) f.server.load({{"ScoringJob", pending_jobs(account, kJobs)}});
  f.server.add_fault({{"mode", "delay"}, {"delayMs", 50}});
  auto options = pull_only(accounts);
  const auto report = f.sync(options);
  CHECK(report.outcome == SyncOutcome::Done);
  CHECK(report.pulled == kJobs * static_cast<std::int64_t>(accounts.size()));
  CHECK(report.peak_in_flight > 1);
  const auto pages = asking_for(read_request_log(f.server), "listScoringJobByAccountIdAndCreatedAt");
  CHECK(pages.size() == 3 * accounts.size());
  CHECK(any_overlap(pages));
  check_local_equals_remote(f.db_path, f.server);

  // Each checkpoint holds its account's newest createdAt and no page token: a
  // pass without lookback asks each account for one page, from its newest job.
  f.server.clear_faults();
  f.server.clear_log();
  options.account_pull_lookback = 0s;
  options.longest_staleness = 1h;  // the refresh reads nothing
  const auto again = f.sync(options);
  CHECK(again.outcome == SyncOutcome::Done);
  CHECK(again.pulled == 0);
  CHECK(asking_for(read_request_log(f.server), "listScoringJobByAccountIdAndCreatedAt").size() == accounts.size());
}

TEST_CASE("a refresh against a server that throttles above a rate slows down and still reads every record") {
  constexpr int kJobs = 600;
  SyncFixture f;
  unfinished_jobs_moved_on(f, kJobs);
  // Each request takes 100 ms, and the API allows 15 a second: two in flight
  // already ask for 20, one alone for 10. A throttled request says when to come back.
  // And the first read is throttled outright, whatever the rate.
  f.server.clear_faults();
  f.server.add_fault({{"mode", "throttle"}, {"count", 1}, {"retryAfter", 1}});
  f.server.add_fault({{"mode", "rate-limit"}, {"perSecond", 15}, {"burst", 2}, {"retryAfter", 1}});
  f.server.add_fault({{"mode", "delay"}, {"delayMs", 100}});
  const auto report = f.sync_at_least(pull_only(), 2ms);
  CHECK(report.outcome == SyncOutcome::Done);
  CHECK(report.pulled == kJobs);
  check_local_equals_remote(f.db_path, f.server);

  const auto requests = read_request_log(f.server);
  std::int64_t throttled = 0;
  for (const auto& request : requests) throttled += request.status == 429 ? 1 : 0;
  CHECK(throttled > 0);
  CHECK(report.throttled == throttled);
  // Every throttled read went again: the others read each record once.
  CHECK(static_cast<std::int64_t>(requests.size()) - throttled == kJobs / 50);
  CHECK(report.requests == static_cast<std::int64_t>(requests.size()));
}
