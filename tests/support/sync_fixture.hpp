#pragma once
// A store, a running local AppSync server and a client for it: what every
// sync test starts from, plus the checks they share.

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "scoringjobs/remote.hpp"
#include "scoringjobs/store.hpp"
#include "scoringjobs/sync.hpp"
#include "support/appsync_server.hpp"
#include "support/temp_dir.hpp"

namespace scoringjobs::test {

/// A canary key (support/canary.hpp): sync() checks every report for it.
inline constexpr const char* kTestApiKey = "CANARY-KEY-7d41-sync";

struct SyncFixture {
  TempDir dir;
  std::filesystem::path db_path = dir / "jobs.db";
  Store store = Store::open(db_path);
  AppSyncServer server{kTestApiKey};
  RemoteClient client{server.remote_config()};
  std::chrono::steady_clock::time_point last_sync{};

  SyncReport sync(const SyncOptions& options = {});
  /// Syncs once at least `gap` has passed since the previous sync() returned
  /// (for what is defined by time: an absence confirmed by reads apart).
  SyncReport sync_at_least(const SyncOptions& options, std::chrono::milliseconds gap);
  /// Syncs with retry_now until the outbox is drained (at most `rounds` runs).
  SyncReport sync_until_drained(SyncOptions options = {}, int rounds = 50);
};

/// Options for a run that pushes and does not pull; `batch_size` mutations a request.
inline SyncOptions push_only(std::size_t batch_size = SyncOptions{}.batch_size) {
  SyncOptions options;
  options.pull = false;
  options.batch_size = batch_size;
  return options;
}

/// Every local record of the store, by model name and id, in wire shape.
nlohmann::json local_records(const std::filesystem::path& db);
/// The server's records normalised through the models (AWSJSON re-encoded).
nlohmann::json remote_records(AppSyncServer& server);
/// Fails the current test unless local and remote hold the same records with the same values.
void check_local_equals_remote(const std::filesystem::path& db, AppSyncServer& server);

}  // namespace scoringjobs::test
