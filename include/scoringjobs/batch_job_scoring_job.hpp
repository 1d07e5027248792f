#pragma once
// BatchJobScoringJob: the join row that makes a scoring job a member of a batch.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "scoringjobs/timestamp.hpp"

namespace scoringjobs {

class Store;

struct BatchJobScoringJob {
  std::string id;
  std::string batchJobId;
  std::string scoringJobId;
  Timestamp createdAt = Timestamp::from_unix_millis(0);
  Timestamp updatedAt = Timestamp::from_unix_millis(0);

  static std::string_view fields() noexcept;
  static BatchJobScoringJob from_dict(const nlohmann::json& wire);
  nlohmann::json to_dict() const;
  nlohmann::json to_json() const { return to_dict(); }

  /// Links a scoring job to a batch (both must exist locally), sets the job's local
  /// batchId and queues the join row for sync, in one transaction. Linking a job
  /// that is already in that batch returns the existing row and writes nothing;
  /// a job already in another batch is refused with Error{Conflict}.
  static BatchJobScoringJob link(Store& store, std::string_view batchJobId, std::string_view scoringJobId);
  static BatchJobScoringJob get_by_id(std::string_view id, Store& store);

  friend bool operator==(const BatchJobScoringJob&, const BatchJobScoringJob&) = default;
};

}  // namespace scoringjobs
