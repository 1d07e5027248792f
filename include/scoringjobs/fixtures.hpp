#pragma once
// Fixtures: every record of a store as one JSON document, and back.
//
// The document is the shape the local AppSync server's /admin/dump uses:
// {"ScoringJob": [...], "BatchJob": [...], "BatchJobScoringJob": [...]}, each
// record in remote wire shape (to_dict(): AWSJSON as strings holding JSON,
// timestamps as their exact wire text, no local-only batchId; membership is
// the BatchJobScoringJob rows). Each list is sorted by id, so exporting the
// same records always gives the same document.
//
// An import is checked whole before anything is written and then written in
// one transaction: a document with one bad record leaves the store unchanged.

#include <cstdint>
#include <nlohmann/json.hpp>

namespace scoringjobs {

class Store;

namespace fixtures {

/// Every local record, read from one snapshot of the store. Throws
/// Error{Storage} when the database cannot be read.
nlohmann::json export_records(Store& store);

/// How imported records enter the store.
enum class ImportAs {
  /// As records the remote already holds: written locally and recorded as the
  /// confirmed remote state, with no outbox entry; the sync engine will not
  /// send them (and takes them as the base of later merges).
  RemoteState,
  /// As local creates: each record is written with its outbox entry, so the
  /// next sync sends it.
  LocalChanges,
};

struct ImportOptions {
  ImportAs as = ImportAs::RemoteState;
  /// RemoteState only. A record with local changes not yet confirmed (queued
  /// or dead-lettered) is refused by default, since writing over it would lose
  /// them; with this set it is left as it is and counted as `kept` instead
  /// (what a pull wants: push settles those records).
  bool keep_local_changes = false;
};

/// What an import did, per model.
struct ImportCounts {
  std::int64_t written = 0;    // records added or changed
  std::int64_t unchanged = 0;  // already in the store exactly so
  std::int64_t kept = 0;       // left alone for their local changes (keep_local_changes)
};

struct ImportReport {
  ImportCounts scoring_jobs, batch_jobs, links;
};
/// {"ScoringJob": {"written": n, "unchanged": n, "kept": n}, "BatchJob": ..., "BatchJobScoringJob": ...}
void to_json(nlohmann::json& out, const ImportReport& report);

/// Imports a document in the export shape (any of the three keys may be
/// absent). Checks everything first: the shape, every record (from_dict), ids
/// unique per model, every join row naming a BatchJob and a ScoringJob in the
/// document or the store, a ScoringJob in at most one batch, and (LocalChanges)
/// no record already stored with other values. The first problem is thrown as
/// Error{InvalidArgument} whose field() is its position, e.g.
/// "ScoringJob[3].startedAt", and whose message starts with it; nothing is
/// written then. Otherwise writes BatchJobs, ScoringJobs, then join rows in one
/// transaction. Records already stored exactly so are left untouched, so
/// importing the same document twice changes nothing the second time.
ImportReport import_records(Store& store, const nlohmann::json& records, const ImportOptions& options = {});

}  // namespace fixtures
}  // namespace scoringjobs
