#pragma once
// BatchJob: a batch of scoring jobs sent to one model together. Every field of
// the remote schema's BatchJob; served from the local store like ScoringJob.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scoringjobs/timestamp.hpp"
#include "scoringjobs/update_condition.hpp"

namespace scoringjobs {

class Store;
struct ScoringJob;

// Every member has an initializer ({} where empty is the default), so a designated
// initializer naming only some of them compiles without -Wmissing-field-initializers.
struct BatchJobCreateOptions {
  std::optional<std::string> id{};       // default: a new UUID v4
  std::optional<std::string> batchId{};  // default: a new UUID v4, as the Python client does
  std::string status = "PENDING";
  std::optional<std::string> scorecardId{};
  std::optional<std::string> scoreId{};
  std::optional<std::string> errorMessage{};
  std::optional<nlohmann::json> errorDetails{};
  std::optional<Timestamp> startedAt{};
  std::optional<Timestamp> estimatedEndAt{};
  std::optional<Timestamp> completedAt{};
  std::optional<int> totalRequests{};
  std::optional<int> completedRequests{};
  std::optional<int> failedRequests{};
  std::optional<int> scoringJobCountCache{};
};

struct BatchJob {
  std::string id;
  std::string accountId;
  std::string status;
  std::string type;
  std::string batchId;
  std::string modelProvider;
  std::string modelName;
  std::optional<int> scoringJobCountCache;
  std::optional<Timestamp> startedAt;
  std::optional<Timestamp> estimatedEndAt;
  std::optional<Timestamp> completedAt;
  std::optional<int> totalRequests;
  std::optional<int> completedRequests;
  std::optional<int> failedRequests;
  std::optional<std::string> errorMessage;
  std::optional<nlohmann::json> errorDetails;  // AWSJSON
  std::optional<std::string> scorecardId;
  std::optional<std::string> scoreId;
  Timestamp createdAt = Timestamp::from_unix_millis(0);
  Timestamp updatedAt = Timestamp::from_unix_millis(0);

  /// The GraphQL selection set (every scalar field of the remote BatchJob).
  static std::string_view fields() noexcept;
  /// See ScoringJob::from_dict; GraphQL Int fields must fit in 32 bits.
  static BatchJob from_dict(const nlohmann::json& wire);
  nlohmann::json to_dict() const;
  nlohmann::json to_json() const;

  /// Creates a batch locally; status PENDING unless given. Batches have no field to
  /// keep `parameters` in, so a non-empty one is refused rather than silently dropped.
  static BatchJob create(Store& store, std::string_view accountId, std::string_view type,
                         std::string_view modelProvider, std::string_view modelName,
                         const nlohmann::json& parameters = nullptr, const BatchJobCreateOptions& options = {});
  /// As ScoringJob::update; refuses id, createdAt and updatedAt.
  BatchJob& update(Store& store, const nlohmann::json& changes);
  /// As ScoringJob::update with a condition.
  BatchJob& update(Store& store, const nlohmann::json& changes, const UpdateCondition& condition);
  static BatchJob get_by_id(std::string_view id, Store& store);
  /// The scoring jobs linked to this batch, in the order they were linked.
  static std::vector<ScoringJob> list_scoring_jobs(std::string_view batchJobId, Store& store);

  friend bool operator==(const BatchJob&, const BatchJob&) = default;
};

}  // namespace scoringjobs
