#pragma once
// The lifecycle of a record's status: where each status stands, and which ones
// are final. The merge uses it (status never moves backwards), and the sync
// engine stops reading back records whose status is final.

#include <string_view>

#include "scoringjobs/model.hpp"

namespace scoringjobs::detail {

/// Position of a status in its model's lifecycle; -1 for a status it does not know.
/// ScoringJob: PENDING 0, RUNNING 1, terminal (COMPLETED, FAILED, ERROR) 2.
/// BatchJob: OPEN 0, CLOSED 1, PROCESSING 2, PROCESSED 3, terminal (COMPLETED, ERROR) 4.
/// Join rows have no status: -1.
int status_rank(Model model, std::string_view status);
bool is_terminal_status(Model model, std::string_view status);

}  // namespace scoringjobs::detail
