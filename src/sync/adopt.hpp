#pragma once
// What a read of a remote record does to the local copy, for every path that
// reads (the refresh of unfinished records, per-account pulls, push's
// read-backs, the quarantine's re-checks):
// - only a NEWER version is adopted (updatedAt as an instant): an eventually
//   consistent read may answer an older one, which changes nothing;
// - an absence is believed only when confirmed by reads some seconds apart;
// - a record the models cannot read is quarantined, and leaves the quarantine
//   when it reads again;
// - AWSJSON values are compared as JSON (AppSync re-serialises them).

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "scoringjobs/model.hpp"
#include "scoringjobs/remote.hpp"
#include "store/sync_tables.hpp"
#include "sync/run_context.hpp"

namespace scoringjobs::detail {

class WriteTransaction;

/// How far ahead of this machine's clock a remote updatedAt may be and still be
/// trusted to order versions (beyond it, the writer's clock was wrong).
inline constexpr std::chrono::minutes kClockSkew{5};

/// Whether two values of a wire field are the same; AWSJSON fields (metadata,
/// errorDetails) are compared as the JSON they hold, so "1.0" equals "1".
bool same_value(std::string_view field, const nlohmann::json& a, const nlohmann::json& b);
/// Whether `remote` holds every value of `sent` (id aside; a missing field counts as null).
bool holds(const nlohmann::json& remote, const nlohmann::json& sent);
/// Whether two wire records hold the same values (a missing field counts as null).
bool same_record(const nlohmann::json& a, const nlohmann::json& b);
/// Whether `remote` is a newer version than `state`: a later updatedAt; or the
/// same instant with other values; or any other version when `state` was
/// stamped by a clock running ahead of `now` (its order cannot be trusted).
bool is_newer(const nlohmann::json& remote, const RemoteState& state, const Timestamp& now);

enum class Taken {
  Adopted,    // written locally and as the confirmed remote state
  Unchanged,  // the same as the confirmed remote state
  Older,      // an older version than the one confirmed: a stale read, ignored
  Kept,       // the record has local changes queued or dead-lettered: push settles it
};
/// Takes what a read found for a record: adopted when it is newer and the
/// record has no local change waiting. Leaves the quarantine if it was there.
Taken take_found(RunContext& run, WriteTransaction& tx, Model model, const nlohmann::json& remote);

/// A read found the record absent: returns true once the absence is confirmed
/// (SyncOptions::absence_confirmation since the first such read), when the
/// record is flagged deleted remotely (counted and logged the first time).
bool take_absent(RunContext& run, WriteTransaction& tx, Model model, const std::string& id);

/// A read found a record the models cannot read: quarantined (counted and
/// logged when it was not before).
void take_unreadable(RunContext& run, WriteTransaction& tx, Model model, const UnreadableRecord& record);

/// When to read back a record whose content last changed at `changed_at`:
/// soon after a change, spacing out to SyncOptions::longest_staleness.
Timestamp next_check(RunContext& run, const std::optional<Timestamp>& changed_at, const Timestamp& now);

}  // namespace scoringjobs::detail
