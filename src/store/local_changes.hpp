#pragma once
// The only way a local write reaches the record tables: each function writes
// the row AND its outbox entry inside the caller's write transaction, so the
// two commit or roll back together.

#include <nlohmann/json.hpp>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/scoring_job.hpp"

namespace scoringjobs::detail {

class WriteTransaction;

void create_locally(WriteTransaction& tx, const ScoringJob& job);
/// As above, queueing `wire`, which must be job.to_dict() (already made by validated()).
void create_locally(WriteTransaction& tx, const ScoringJob& job, const nlohmann::json& wire);
void create_locally(WriteTransaction& tx, const BatchJob& batch);
void create_locally(WriteTransaction& tx, const BatchJobScoringJob& link);

/// `after` is the whole new record; `changed` the wire fields that changed,
/// including the new updatedAt.
void update_locally(WriteTransaction& tx, const ScoringJob& after, const nlohmann::json& changed);
void update_locally(WriteTransaction& tx, const BatchJob& after, const nlohmann::json& changed);

}  // namespace scoringjobs::detail
