#pragma once
// The Plexus batch_scoring_job flow, served locally as one transaction.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/scoring_job.hpp"

namespace scoringjobs {

class Store;

// Every member has an initializer ({} where empty is the default), so a designated
// initializer naming only some of them compiles without -Wmissing-field-initializers.
struct BatchScoringJobRequest {
  std::string accountId{};
  std::string scorecardId{};
  std::string itemId{};
  std::string modelProvider{};
  std::string modelName{};
  std::optional<std::string> scoreId{};
  nlohmann::json parameters = nullptr;  // kept in the new job's metadata["parameters"]
  std::optional<nlohmann::json> metadata{};
  int max_batch_size = 20;
};

struct BatchScoringJobResult {
  ScoringJob scoring_job;
  std::optional<BatchJob> batch_job;  // empty only for an existing job that was never batched
  bool created = false;               // false when an existing job for the item was returned
};

/// If a job exists for the item, returns it with its batch. Otherwise finds an
/// OPEN batch with the same account, scorecard, model provider and model name
/// holding fewer than max_batch_size jobs (else creates one: type MultiStepScore,
/// status OPEN, scoringJobCountCache 0), creates the job and the join row,
/// recounts the batch into scoringJobCountCache and closes it (CLOSED) when it
/// reaches max_batch_size. All in one transaction, every change queued for sync.
BatchScoringJobResult batch_scoring_job(Store& store, const BatchScoringJobRequest& request);

}  // namespace scoringjobs
