#pragma once
// A record's canonical wire JSON text written straight from the record: byte
// for byte what `record.to_dict().dump()` gives, without building the JSON
// object first. The bulk import stores and compares thousands of these.

#include <string>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/scoring_job.hpp"

namespace scoringjobs::detail {

std::string wire_text(const ScoringJob& job);
std::string wire_text(const BatchJob& batch);
std::string wire_text(const BatchJobScoringJob& link);

}  // namespace scoringjobs::detail
