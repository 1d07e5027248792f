#pragma once
// The refresh schedule: unfinished records that sync reads back from the API,
// each with when it is next due. One definition of "watched" serves the sync
// (what is due now) and the person on call (what is due when).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scoringjobs/model.hpp"
#include "scoringjobs/timestamp.hpp"

namespace scoringjobs::detail {

struct StoreImpl;

/// A record due for reading back.
struct DueRecord {
  std::string id;
  std::optional<Timestamp> changed_at;
  std::size_t bytes = 0;  // the size of its last known remote state, to size reads by
};
/// Records of `model` due for reading back at `now` (most overdue first): a
/// remote state whose next check has come, a local copy whose status is not
/// final, and no queued or dead-lettered change (push settles those).
std::vector<DueRecord> due_for_check(StoreImpl& store, Model model, const Timestamp& now, std::size_t limit);

/// A watched record and when it is next read back.
struct WatchedRecord {
  Model model = Model::ScoringJob;
  std::string id;
  std::string status;
  std::optional<Timestamp> checked_at;     // nullopt: not read back yet
  std::optional<Timestamp> next_check_at;  // nullopt: at the next run
};
/// Every watched record of both models, soonest due first, at most `limit`.
std::vector<WatchedRecord> watched_records(StoreImpl& store, std::size_t limit);

struct WatchSummary {
  std::int64_t watched = 0;
  std::int64_t due = 0;                    // due at `now`
  std::optional<Timestamp> next_check_at;  // the earliest check after `now`
};
WatchSummary watch_summary(StoreImpl& store, const Timestamp& now);

}  // namespace scoringjobs::detail
