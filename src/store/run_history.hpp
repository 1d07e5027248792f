#pragma once
// The sync run history read for monitoring: when a run last reached the API,
// when one last ended done, and since when runs have been recorded.

#include <optional>

#include "scoringjobs/timestamp.hpp"

namespace scoringjobs::detail {

struct StoreImpl;

struct RunMilestones {
  /// When the newest run that reached the API ended. A run reached it when it
  /// received at least one HTTP response, which the stored report tells as: it
  /// made a request and its outcome is not one that means no answer came back
  /// (offline, locked).
  std::optional<Timestamp> last_reached_api;
  /// When the newest run whose outcome was `done` ended.
  std::optional<Timestamp> last_done;
  /// When the oldest recorded run started.
  std::optional<Timestamp> first_started;
};

/// Reads the three from the run history (finished runs only, except first_started).
RunMilestones run_milestones(StoreImpl& store);

}  // namespace scoringjobs::detail
