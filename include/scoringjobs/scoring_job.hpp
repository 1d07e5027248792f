#pragma once
// ScoringJob: one scoring operation on one item, mirroring the Plexus Python
// class plexus.dashboard.api.models.scoring_job.ScoringJob, served from the
// local store. Every write is durable when the call returns and queues its
// outbox entry for the next sync in the same transaction.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scoringjobs/timestamp.hpp"
#include "scoringjobs/update_condition.hpp"

namespace scoringjobs {

class Store;
struct BatchJob;

// Every member has an initializer ({} where empty is the default), so a designated
// initializer naming only some of them compiles without -Wmissing-field-initializers.
struct ScoringJobCreateOptions {
  std::optional<std::string> id{};  // default: a new UUID v4
  std::string status = "PENDING";
  std::optional<std::string> scoreId{};
  std::optional<std::string> evaluationId{};
  std::optional<std::string> errorMessage{};
  std::optional<nlohmann::json> errorDetails{};
  std::optional<nlohmann::json> metadata{};
  std::optional<Timestamp> startedAt{};
  std::optional<Timestamp> completedAt{};
};

/// Which jobs ScoringJob::list returns; every condition given must hold.
struct ScoringJobListOptions {
  std::optional<std::string> accountId{};
  std::vector<std::string> statuses{};       // any of these; empty: every status
  std::optional<Timestamp> updated_since{};  // updatedAt at or after this instant (to the millisecond)
  std::size_t limit = 100;
};

struct ScoringJob {
  std::string id;
  std::string accountId;
  std::string status;
  Timestamp createdAt = Timestamp::from_unix_millis(0);
  Timestamp updatedAt = Timestamp::from_unix_millis(0);
  std::string scorecardId;
  std::string itemId;
  std::optional<Timestamp> startedAt;
  std::optional<Timestamp> completedAt;
  std::optional<std::string> errorMessage;
  std::optional<nlohmann::json> errorDetails;  // AWSJSON
  std::optional<nlohmann::json> metadata;      // AWSJSON
  std::optional<std::string> evaluationId;
  std::optional<std::string> scoreId;
  /// Local only: the batch this job was linked to. Remotely, membership is the
  /// BatchJobScoringJob join row; batchId is never sent.
  std::optional<std::string> batchId;

  /// The GraphQL selection set of a ScoringJob (every remote field, no batchId).
  static std::string_view fields() noexcept;

  /// Reads the wire shape (as getScoringJob returns it: AWSJSON fields are strings
  /// holding JSON). A local-only "batchId" key is accepted. Throws
  /// Error{InvalidArgument} naming the field and value for anything malformed,
  /// missing or unknown.
  static ScoringJob from_dict(const nlohmann::json& wire);
  /// The wire shape: every remote field, null where unset, AWSJSON as strings.
  nlohmann::json to_dict() const;
  /// The shape printed for people: wire names, AWSJSON as JSON values, batchId included.
  nlohmann::json to_json() const;

  /// Creates a job locally with a client-generated id; status PENDING unless given;
  /// createdAt = updatedAt = now. A non-empty `parameters` object is kept in
  /// metadata["parameters"] (the Python client accepts and drops it; we keep it).
  static ScoringJob create(Store& store, std::string_view accountId, std::string_view scorecardId,
                           std::string_view itemId, const nlohmann::json& parameters = nullptr,
                           const ScoringJobCreateOptions& options = {});

  /// Applies `changes` (an object keyed by wire field names; AWSJSON fields as JSON
  /// values; timestamps as RFC 3339 strings; null clears a field), sets updatedAt =
  /// now and queues the change. Refuses id, createdAt, updatedAt and batchId with
  /// Error{InvalidArgument}. A patch that changes nothing writes nothing. Updates
  /// *this to the stored state; throws NotFound if the job is gone.
  ScoringJob& update(Store& store, const nlohmann::json& changes);
  /// As above, but only if `condition` holds for the stored job (checked inside
  /// the same write transaction); otherwise nothing is written and
  /// Error{Conflict} is thrown with field() "condition". An empty condition
  /// always holds.
  ScoringJob& update(Store& store, const nlohmann::json& changes, const UpdateCondition& condition);

  /// Throws Error{NotFound} when absent.
  static ScoringJob get_by_id(std::string_view id, Store& store);
  /// The job of that item with the newest createdAt (then the greatest id).
  static std::optional<ScoringJob> find_by_item_id(std::string_view itemId, Store& store);
  /// The batch this job is linked to, through the join table.
  static std::optional<BatchJob> get_batch_job(std::string_view scoringJobId, Store& store);
  /// The local store's jobs matching `options`, newest createdAt first (then the
  /// greatest id), at most options.limit of them. Not in the Python client.
  static std::vector<ScoringJob> list(Store& store, const ScoringJobListOptions& options = {});

  friend bool operator==(const ScoringJob&, const ScoringJob&) = default;
};

}  // namespace scoringjobs
