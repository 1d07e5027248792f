#pragma once
// Creating a record from its create input in wire shape (as createScoringJob's
// `input` carries it: AWSJSON as JSON text, timestamps as AWSDateTime text),
// through the library's create/link: what LocalClient's create mutations and
// the record classes' create() both do. Call with the store's lock held (in
// StoreHandle::run); no Python here.

#include <nlohmann/json.hpp>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/scoring_job.hpp"

namespace scoringjobs::python {

/// Throws Error{InvalidArgument} naming the field for an unknown field, a
/// missing required one, or createdAt/updatedAt (the store stamps them).
/// status defaults to PENDING, BatchJob's batchId to a new UUID v4.
ScoringJob create_scoring_job(Store& store, const nlohmann::json& input, const nlohmann::json& parameters = nullptr);
BatchJob create_batch_job(Store& store, const nlohmann::json& input, const nlohmann::json& parameters = nullptr);
/// Links input.scoringJobId to input.batchJobId; an input id is refused (the store makes it).
BatchJobScoringJob create_link(Store& store, const nlohmann::json& input);

}  // namespace scoringjobs::python
