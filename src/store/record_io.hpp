#pragma once
// Local records of any model as wire-shape JSON, for the sync engine, which
// works on all three models alike. Writes here never queue outbox entries.

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/model.hpp"
#include "scoringjobs/scoring_job.hpp"

namespace scoringjobs::detail {

struct StoreImpl;
class WriteTransaction;

/// The local record in wire shape (to_dict), or nullopt.
std::optional<nlohmann::json> read_local(StoreImpl& store, Model model, std::string_view id);
/// Writes a wire-shape record over the local row (or inserts it), keeping the
/// local-only batchId of a scoring job. Throws InvalidArgument for a malformed record.
void write_local(WriteTransaction& tx, Model model, const nlohmann::json& wire);
/// The same, from a record already read from its wire shape (from_dict).
void write_local(WriteTransaction& tx, ScoringJob job);
void write_local(WriteTransaction& tx, const BatchJob& batch);
void write_local(WriteTransaction& tx, const BatchJobScoringJob& link);

}  // namespace scoringjobs::detail
