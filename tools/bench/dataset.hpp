#pragma once
// The data the benchmarks run on: stores of N scoring jobs in batches for the
// lookups, and outbox queues of mixed mutations for the sync drains.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace scoringjobs::bench {

/// Lookup stores: job i has item "item-<i/2>" (two jobs per item, the newer
/// one found by find_by_item_id), metadata with parameters, and is linked to
/// batch i/20 (a CLOSED MultiStepScore batch of 20), as batch_scoring_job
/// leaves them. Ids are UUIDs derived from i, so lookups can be sampled
/// without reading the store.
std::string lookup_job_id(std::int64_t i);
std::string lookup_item_id(std::int64_t i);

/// Creates the schema with Store::open, then writes `jobs` jobs with their
/// batches and join rows in one transaction of prepared inserts (the rows the
/// library would have written, with fixed timestamps; no outbox entries: the
/// lookups never read it). Replaces an existing file.
void build_lookup_store(const std::filesystem::path& path, std::int64_t jobs);

/// An export-shaped fixture document ({"ScoringJob":[...],"BatchJob":[...],
/// "BatchJobScoringJob":[...]}, wire shape) of `jobs` jobs in batches of 20,
/// with the same values as the lookup stores.
nlohmann::json make_fixture_document(std::int64_t jobs);

struct LookupKeys {
  std::vector<std::string> job_ids;   // random existing jobs
  std::vector<std::string> item_ids;  // their items
};
/// `count` jobs picked uniformly at random (fixed seed) among `jobs`.
LookupKeys sample_lookup_keys(std::int64_t jobs, std::size_t count);

/// Fills a new store through the public API (synchronous=NORMAL, to be quick)
/// until its outbox holds at least `entries` entries, mixing what an edge box
/// queues: plain creates, batch_scoring_job (job create + join row + batch
/// create/update), and status updates of earlier jobs (RUNNING, then
/// COMPLETED). Returns the number of entries queued. The store is closed (its
/// WAL checkpointed) on return, so the file can be copied.
std::int64_t make_queue(const std::filesystem::path& path, std::int64_t entries);

/// Copies a closed store file (no -wal/-shm) to `to`, replacing it and its sidecars.
void copy_store(const std::filesystem::path& from, const std::filesystem::path& to);
/// Removes a store file with its -wal, -shm and .lock sidecars.
void remove_store(const std::filesystem::path& path);

}  // namespace scoringjobs::bench
