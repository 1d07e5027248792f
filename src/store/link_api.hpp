#pragma once

#include <string_view>

#include "scoringjobs/batch_job_scoring_job.hpp"

namespace scoringjobs::detail {

class WriteTransaction;

/// BatchJobScoringJob::link inside the caller's transaction (batch_scoring_job uses it).
BatchJobScoringJob link_in(WriteTransaction& tx, std::string_view batchJobId, std::string_view scoringJobId);

}  // namespace scoringjobs::detail
