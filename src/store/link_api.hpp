#pragma once

#include <optional>
#include <string_view>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"

namespace scoringjobs::detail {

class WriteTransaction;

/// BatchJobScoringJob::link inside the caller's transaction (batch_scoring_job uses it).
BatchJobScoringJob link_in(WriteTransaction& tx, std::string_view batchJobId, std::string_view scoringJobId);

/// Recounts the batch's join rows into scoringJobCountCache (and sets it CLOSED
/// when `close_at` is given, the count reached it and it is OPEN), queuing the
/// change in `tx`; returns the batch as stored. Recounted rather than
/// incremented: the cache must match the join rows.
BatchJob recount_members(WriteTransaction& tx, const BatchJob& batch, std::optional<int> close_at = std::nullopt);

}  // namespace scoringjobs::detail
