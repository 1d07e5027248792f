#pragma once
// Filling a store from the API: an account's ScoringJobs and BatchJobs, and the
// join rows of those batches, stored as the remote's confirmed state (nothing is
// queued for sync). What `scoringjobs pull` runs, e.g. to make offline test
// fixtures from real data. The sync engine's own pull (sync() with
// SyncOptions::accounts) is resumable and incremental; this one reads everything
// asked for in one go and imports it in one transaction.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scoringjobs/fixtures.hpp"
#include "scoringjobs/timestamp.hpp"

namespace scoringjobs {

class Store;
class RemoteClient;

struct PullSnapshotOptions {
  /// The accounts whose ScoringJobs and BatchJobs are read.
  std::vector<std::string> accounts;
  /// Only records created at or after this instant. The members of a batch
  /// that was read are fetched whatever their age, so every join row stored
  /// names records the store holds.
  std::optional<Timestamp> since;
};

struct PullSnapshotReport {
  /// Distinct records read from the API, per model.
  std::int64_t fetched_scoring_jobs = 0, fetched_batch_jobs = 0, fetched_links = 0;
  /// What the import did with them (records with local changes not yet synced are kept as they are).
  fixtures::ImportReport imported;
  /// HTTP requests made.
  std::int64_t requests = 0;
};
/// {"fetched": {"ScoringJob": n, "BatchJob": n, "BatchJobScoringJob": n}, "imported": …, "requests": n}:
/// what `scoringjobs pull` prints.
void to_json(nlohmann::json& out, const PullSnapshotReport& report);

/// Reads the accounts' records from the API, then imports them as remote state
/// (fixtures::import_records with ImportAs::RemoteState, keep_local_changes). A
/// join row naming a ScoringJob the API does not have is logged and not stored.
/// Throws Error with the remote class of a failed request (nothing is written
/// then), or the import's errors.
PullSnapshotReport pull_snapshot(Store& store, RemoteClient& client, const PullSnapshotOptions& options);

}  // namespace scoringjobs
