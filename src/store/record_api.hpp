#pragma once
// Helpers shared by the record APIs (create/update/get) of the three models.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <type_traits>

#include "model/wire.hpp"
#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/model.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "scoringjobs/timestamp.hpp"

namespace scoringjobs::detail {

template <class Record>
constexpr Model model_of_record() {
  if constexpr (std::is_same_v<Record, ScoringJob>) {
    return Model::ScoringJob;
  } else if constexpr (std::is_same_v<Record, BatchJob>) {
    return Model::BatchJob;
  } else {
    static_assert(std::is_same_v<Record, BatchJobScoringJob>);
    return Model::BatchJobScoringJob;
  }
}

/// Checks a record by reading back its own wire shape, so creates obey exactly
/// the rules from_dict enforces on input.
/// `wire` receives the record's wire shape, which is also the to_dict() of the
/// result (dump and parse round-trip), so a create can queue it as it is.
template <class Record>
Record validated(const Record& record, nlohmann::json& wire) {
  // JSON values from the caller are checked before to_dict() dumps them: a
  // hostile nesting depth would overflow the stack there.
  if constexpr (requires { record.errorDetails; }) {
    if (record.errorDetails) check_json_value("errorDetails", *record.errorDetails);
  }
  if constexpr (requires { record.metadata; }) {
    if (record.metadata) check_json_value("metadata", *record.metadata);
  }
  try {
    wire = record.to_dict();
  } catch (const nlohmann::json::exception&) {
    throw Error(Errc::InvalidArgument, "an AWSJSON field holds a string that is not valid UTF-8");
  }
  auto checked = Record::from_dict(wire);
  // Local writes only: a record the API holds already fits, and must read here whatever its size.
  check_item_size(model_name(model_of_record<Record>()), wire);
  return checked;
}

template <class Record>
Record validated(const Record& record) {
  nlohmann::json wire;
  return validated(record, wire);
}

/// The updatedAt for a change made now: never earlier than (or equal to) the
/// previous one, so a later local change always carries a later updatedAt.
Timestamp next_updated_at(const Timestamp& previous);

[[noreturn]] void throw_not_found(std::string_view model, std::string_view field, std::string_view id);
/// Error{Conflict} with field "condition": an update's condition did not hold.
[[noreturn]] void throw_condition_failed(std::string_view model, std::string_view id);

/// A non-empty `parameters` object merged into metadata under "parameters".
void keep_parameters(std::optional<nlohmann::json>& metadata, const nlohmann::json& parameters);

}  // namespace scoringjobs::detail
