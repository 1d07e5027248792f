#pragma once
// A record's canonical wire JSON text written straight from the record: byte
// for byte what `record.to_dict().dump()` gives, without building the JSON
// object first. The bulk import stores and compares thousands of these.

#include <optional>
#include <string>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/scoring_job.hpp"

namespace scoringjobs::detail {

/// A record's AWSJSON fields as compact JSON text (value.dump()), nullopt where
/// null: dumped once for both the wire text, which holds each as a string, and
/// the row, which stores it (rows::upsert).
struct AwsJsonText {
  std::optional<std::string> errorDetails;
  std::optional<std::string> metadata;  // a ScoringJob's; a BatchJob has none

  AwsJsonText() = default;
  explicit AwsJsonText(const ScoringJob& job);
  explicit AwsJsonText(const BatchJob& batch);
};

std::string wire_text(const ScoringJob& job);
std::string wire_text(const BatchJob& batch);
std::string wire_text(const BatchJobScoringJob& link);
/// The same with the AWSJSON fields already dumped (AwsJsonText(record)).
std::string wire_text(const ScoringJob& job, const AwsJsonText& json);
std::string wire_text(const BatchJob& batch, const AwsJsonText& json);

}  // namespace scoringjobs::detail
