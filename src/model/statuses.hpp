#pragma once
// The lifecycle order of the known statuses: the merge orders statuses by it
// (src/sync/merge.cpp), and sync stops reading back records whose status is final.

#include <string_view>

#include "scoringjobs/statuses.hpp"

namespace scoringjobs::detail {

/// Position of a status in its model's lifecycle; -1 for a status outside it.
/// ScoringJob: PENDING 0, RUNNING 1, terminal (COMPLETED, FAILED, ERROR) 2.
/// BatchJob: OPEN 0, CLOSED 1, PROCESSING 2, PROCESSED 3, terminal (COMPLETED,
/// ERROR) 4; PENDING (a batch not opened yet) is known but outside the lifecycle.
int status_rank(Model model, std::string_view status);
/// Whether a status ends its model's lifecycle (a final record is not read back again).
bool is_terminal_status(Model model, std::string_view status);

}  // namespace scoringjobs::detail
