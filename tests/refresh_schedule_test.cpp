// How often sync reads back an unfinished record: soon after it changed,
// spacing out for one that has not changed in a long time.

#include <doctest/doctest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "scoringjobs/fixtures.hpp"
#include "scoringjobs/status.hpp"
#include "support/sync_fixture.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::SyncFixture;

namespace {

json pending_job(const std::string& id, const Timestamp& updated_at) {
  return {{"id", id},
          {"accountId", "acct"},
          {"status", "PENDING"},
          {"createdAt", updated_at.wire()},
          {"updatedAt", updated_at.wire()},
          {"scorecardId", "card"},
          {"itemId", "item-" + id}};
}

std::int64_t minutes_until(const ScheduledCheck& check, const Timestamp& now) {
  REQUIRE(check.next_check_at);
  return (check.next_check_at->unix_millis() - now.unix_millis()) / 60'000;
}

}  // namespace

TEST_CASE("a record unchanged for a day is read back about hourly, one that just changed within minutes") {
  SyncFixture f;
  const auto now = Timestamp::now();
  const json records = {{"ScoringJob",
                         {pending_job("job-idle", Timestamp::from_unix_millis(now.unix_millis() - 86'400'000)),
                          pending_job("job-fresh", Timestamp::from_unix_millis(now.unix_millis() - 60'000))}}};
  f.server.load(records);
  fixtures::ImportOptions as_remote;
  as_remote.as = fixtures::ImportAs::RemoteState;
  fixtures::import_records(f.store, records, as_remote);
  CHECK(store_status(f.store).refresh.due == 2);  // never read back: both at the next run

  const auto report = f.sync();
  CHECK(report.outcome == SyncOutcome::Done);
  const auto after = Timestamp::now();
  const auto schedule = refresh_schedule(f.store, 10);
  REQUIRE(schedule.size() == 2);
  // Soonest first: the fresh job (changed a minute ago: next within about half a minute).
  CHECK(schedule[0].id == "job-fresh");
  CHECK(minutes_until(schedule[0], after) <= 1);
  CHECK(schedule[1].id == "job-idle");
  // Unchanged for a day: the longest staleness (1 h), spread over its last tenth.
  CHECK(minutes_until(schedule[1], after) >= 53);
  CHECK(minutes_until(schedule[1], after) <= 60);
  CHECK(schedule[1].checked_at);
  const auto status = store_status(f.store);
  CHECK(status.refresh.watched == 2);
  CHECK(status.refresh.next_check_at);
}
