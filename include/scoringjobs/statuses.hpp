#pragma once
// The statuses Plexus uses (see APPSYNC.md), per model.
//
// The rule, for the library and the CLI alike: a record's status should be one
// of known_statuses(). The library stores any non-empty status as given, as the
// Python client does, since Plexus may add statuses the schema (a String) does
// not list. But the three-way merge can only order the statuses of the
// lifecycle (PENDING < RUNNING < COMPLETED/FAILED/ERROR; batches OPEN < CLOSED <
// PROCESSING < PROCESSED < COMPLETED/ERROR): an unknown one changed on both
// sides is decided as "local wins", whatever stage the other side reached, so a
// typo such as "RUNING" can undo a COMPLETED. `scoringjobs create|update|batch
// create --status` therefore refuse an unknown status unless given
// --allow-new-status; library callers check with is_known_status().

#include <span>
#include <string_view>

#include "scoringjobs/model.hpp"

namespace scoringjobs {

/// ScoringJob: PENDING, RUNNING, COMPLETED, FAILED, ERROR. BatchJob: PENDING
/// (BatchJob::create's default), OPEN, CLOSED, PROCESSING, PROCESSED, COMPLETED,
/// ERROR. BatchJobScoringJob: none. Thread-safe; static storage.
std::span<const std::string_view> known_statuses(Model model) noexcept;

/// Whether `status` is one of known_statuses(model) (exactly: case matters).
bool is_known_status(Model model, std::string_view status) noexcept;

}  // namespace scoringjobs
