#pragma once
// What writers in the sync tests meant their jobs to hold (the oracle), and the
// checks a sync test ends with. Because the oracle is kept apart from both
// stores, "local equals remote" cannot pass by both sides losing the same write.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scoringjobs/batching.hpp"
#include "scoringjobs/store.hpp"
#include "support/appsync_server.hpp"

namespace scoringjobs::test {

inline constexpr const char* kStartedAt = "2026-11-28T10:00:00.000Z";
inline constexpr const char* kCompletedAt = "2026-11-28T12:00:00.000Z";
inline constexpr int kLastStep = 4;  // step 4 completes a job; no write after that

// What the writers meant one job to hold: `step` updates were applied to it.
struct JobRef {
  std::string id;
  std::string item;
  int step = 0;
};

/// The status and changes of a job's update number `step`.
std::string status_for(int step);
nlohmann::json changes_for(int step, const std::string& writer = {});
/// Applies the job's next update, if it has one left.
void touch(Store& store, JobRef& ref, const std::string& writer = {});
/// A batch_scoring_job request for `item` in account "acct".
BatchScoringJobRequest assign(const std::string& item, int max_batch = 20);

/// Fails the current test unless every job holds what its writer last wrote, locally and remotely.
void check_jobs_hold_their_writes(const std::filesystem::path& db, AppSyncServer& server,
                                  const std::vector<JobRef>& jobs);
/// Remote has no record twice: ids are unique per model and no two join rows link the same pair.
void check_no_remote_duplicates(AppSyncServer& server);
/// integrity_check and foreign_key_check find nothing.
void check_integrity(const std::filesystem::path& db);
/// The checks every sync test ends with: nothing queued or dead-lettered,
/// local equals remote, no remote duplicates, a sound database.
void check_converged(const std::filesystem::path& db, AppSyncServer& server);

}  // namespace scoringjobs::test
