#include "store/run_history.hpp"

#include "store/columns.hpp"
#include "store/store_impl.hpp"

namespace scoringjobs::detail {
namespace {

// Outcomes of runs that got no HTTP response from the API although they may
// have made requests (a failed connection counts as a request made). An
// outcome added for another way of not getting an answer belongs here too.
constexpr const char* kOutcomesWithoutAnswer = R"(["offline", "untrusted", "locked", "failed"])";

std::optional<Timestamp> first_row_time(StoreImpl& store, const char* sql) {
  auto s = store.statements.get(sql);
  if (!s->executeStep()) return std::nullopt;
  return optional_timestamp(s->getColumn(0));
}

}  // namespace

RunMilestones run_milestones(StoreImpl& store) {
  RunMilestones milestones;
  {
    // Newest first, so the scan stops at the first match, normally the last run or close to it.
    auto s = store.statements.get(
        "SELECT finishedAt FROM sync_run WHERE finishedAt IS NOT NULL AND json_extract(report, '$.requests') > 0 "
        "AND json_extract(report, '$.outcome') NOT IN (SELECT value FROM json_each(?1)) ORDER BY id DESC LIMIT 1");
    s->bind(1, kOutcomesWithoutAnswer);
    if (s->executeStep()) milestones.last_reached_api = optional_timestamp(s->getColumn(0));
  }
  milestones.last_done = first_row_time(store,
                                        "SELECT finishedAt FROM sync_run WHERE finishedAt IS NOT NULL AND "
                                        "json_extract(report, '$.outcome') = 'done' ORDER BY id DESC LIMIT 1");
  milestones.first_started = first_row_time(store, "SELECT startedAt FROM sync_run ORDER BY id LIMIT 1");
  return milestones;
}

}  // namespace scoringjobs::detail
