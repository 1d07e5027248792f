#include "create_input.hpp"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "scoringjobs/error.hpp"
#include "scoringjobs/json_input.hpp"
#include "scoringjobs/timestamp.hpp"

namespace scoringjobs::python {
namespace {

using nlohmann::json;

/// The fields a create input names that this store sets itself.
void refuse_stamps(const json& input, std::string_view model) {
  for (const char* stamp : {"createdAt", "updatedAt"}) {
    if (input.contains(stamp) && !input[stamp].is_null()) {
      throw Error(Errc::InvalidArgument,
                  std::string(model) + ": input." + stamp +
                      " cannot be given: the local store stamps createdAt and updatedAt itself",
                  stamp);
    }
  }
}

std::optional<std::string> optional_text(const json& input, const char* name) {
  if (!input.contains(name) || input[name].is_null()) return std::nullopt;
  if (!input[name].is_string()) throw_invalid(name, input[name].dump(), "must be a string");
  return input[name].get<std::string>();
}

std::optional<Timestamp> optional_time(const json& input, const char* name) {
  auto value = optional_text(input, name);
  if (!value) return std::nullopt;
  return Timestamp::parse(*value, name);
}

std::optional<json> optional_awsjson(const json& input, const char* name) {
  auto value = optional_text(input, name);
  if (!value) return std::nullopt;
  return parse_json_input(name, *value);
}

std::optional<int> optional_int(const json& input, const char* name) {
  if (!input.contains(name) || input[name].is_null()) return std::nullopt;
  const auto& value = input[name];
  // GraphQL's Int: 32 bits.
  if (value.is_number_integer() && value.get<std::int64_t>() >= INT32_MIN && value.get<std::int64_t>() <= INT32_MAX &&
      !(value.is_number_unsigned() && value.get<std::uint64_t>() > INT32_MAX)) {
    return value.get<int>();
  }
  throw_invalid(name, value.dump(), "must be an integer within 32 bits (GraphQL Int)");
}

std::string required_text(const json& input, const char* name) {
  auto value = optional_text(input, name);
  if (!value) throw Error(Errc::InvalidArgument, std::string("input.") + name + " is required", name);
  return *value;
}

/// Checks that the input names only `known` fields (GraphQL validation already
/// did, for documents; this guards direct callers).
void check_fields(const json& input, std::string_view model, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : input.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      throw Error(Errc::InvalidArgument, std::string(model) + ": unknown field \"" + excerpt(key) + "\"", key);
    }
  }
}

}  // namespace

ScoringJob create_scoring_job(Store& store, const json& input, const json& parameters) {
  check_fields(input, "ScoringJob",
               {"id", "status", "startedAt", "completedAt", "errorMessage", "errorDetails", "metadata", "itemId",
                "accountId", "scorecardId", "evaluationId", "scoreId", "createdAt", "updatedAt"});
  refuse_stamps(input, "ScoringJob");
  ScoringJobCreateOptions options;
  options.id = optional_text(input, "id");
  if (auto status = optional_text(input, "status")) options.status = *status;
  options.scoreId = optional_text(input, "scoreId");
  options.evaluationId = optional_text(input, "evaluationId");
  options.errorMessage = optional_text(input, "errorMessage");
  options.errorDetails = optional_awsjson(input, "errorDetails");
  options.metadata = optional_awsjson(input, "metadata");
  options.startedAt = optional_time(input, "startedAt");
  options.completedAt = optional_time(input, "completedAt");
  return ScoringJob::create(store, required_text(input, "accountId"), required_text(input, "scorecardId"),
                            required_text(input, "itemId"), parameters, options);
}

BatchJob create_batch_job(Store& store, const json& input, const json& parameters) {
  check_fields(input, "BatchJob",
               {"id",
                "type",
                "batchId",
                "status",
                "startedAt",
                "estimatedEndAt",
                "completedAt",
                "totalRequests",
                "completedRequests",
                "failedRequests",
                "errorMessage",
                "errorDetails",
                "accountId",
                "scorecardId",
                "scoreId",
                "scoringJobCountCache",
                "modelProvider",
                "modelName",
                "createdAt",
                "updatedAt"});
  refuse_stamps(input, "BatchJob");
  BatchJobCreateOptions options;
  options.id = optional_text(input, "id");
  options.batchId = optional_text(input, "batchId");
  if (auto status = optional_text(input, "status")) options.status = *status;
  options.scorecardId = optional_text(input, "scorecardId");
  options.scoreId = optional_text(input, "scoreId");
  options.errorMessage = optional_text(input, "errorMessage");
  options.errorDetails = optional_awsjson(input, "errorDetails");
  options.startedAt = optional_time(input, "startedAt");
  options.estimatedEndAt = optional_time(input, "estimatedEndAt");
  options.completedAt = optional_time(input, "completedAt");
  options.totalRequests = optional_int(input, "totalRequests");
  options.completedRequests = optional_int(input, "completedRequests");
  options.failedRequests = optional_int(input, "failedRequests");
  options.scoringJobCountCache = optional_int(input, "scoringJobCountCache");
  return BatchJob::create(store, required_text(input, "accountId"), required_text(input, "type"),
                          required_text(input, "modelProvider"), required_text(input, "modelName"), parameters,
                          options);
}

BatchJobScoringJob create_link(Store& store, const json& input) {
  check_fields(input, "BatchJobScoringJob", {"id", "batchJobId", "scoringJobId"});
  if (input.contains("id") && !input["id"].is_null()) {
    throw Error(Errc::InvalidArgument, "BatchJobScoringJob: input.id cannot be given: the local store makes the id",
                "id");
  }
  return BatchJobScoringJob::link(store, required_text(input, "batchJobId"), required_text(input, "scoringJobId"));
}

}  // namespace scoringjobs::python
