#pragma once
// The sync engine's tables: remote state, outbox bookkeeping, dead letters,
// conflicts, run history and pull checkpoints. Writes take the caller's
// transaction so each step of a sync commits as one unit.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scoringjobs/model.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/sync.hpp"
#include "scoringjobs/timestamp.hpp"

namespace scoringjobs::detail {

struct StoreImpl;
class WriteTransaction;

struct RemoteState {
  nlohmann::json fields;  // wire shape, as the remote last returned the record
  std::string updatedAt;  // exactly as the remote wrote it
  bool deleted_remotely = false;
  std::optional<Timestamp> absent_since;  // reads have found it absent since then
  std::optional<Timestamp> changed_at;    // when its content last changed: its updatedAt, or when seen here if earlier
};

std::optional<RemoteState> find_remote_state(StoreImpl& store, Model model, std::string_view id);
/// Records the remote's version of a record: found, so an absence noted before
/// is over and a deleted-remotely flag is cleared. A record whose status is not
/// final stays due for reading back (at once when new, else when it was due);
/// one whose status is final is not read back again.
void put_remote_state(WriteTransaction& tx, Model model, const nlohmann::json& remote_wire);
/// The same from a record's canonical wire text (wire_text.hpp), with what the
/// overload above reads from the object.
void put_remote_state(WriteTransaction& tx, Model model, const std::string& id, const std::string& updated_at,
                      bool finished, const std::string& fields_text);
/// Notes that a read found the record absent and returns since when reads
/// have (the first such read, kept until the record is found again).
Timestamp note_absent(WriteTransaction& tx, Model model, std::string_view id, const Timestamp& now);
void flag_deleted_remotely(WriteTransaction& tx, Model model, std::string_view id);
/// Records a read back at `now` and when the next is due (nullopt: never). A
/// record whose status is final stays unscheduled.
void schedule_check(WriteTransaction& tx, Model model, std::string_view id, const Timestamp& now,
                    const std::optional<Timestamp>& next);

/// Whether the record has an unconfirmed create in the outbox.
bool has_pending_create(StoreImpl& store, Model model, std::string_view id);
bool has_pending_entries(StoreImpl& store, Model model, std::string_view id);
bool has_dead_letter(StoreImpl& store, Model model, std::string_view id);
/// Whether the outbox (or the dead letters) hold anything at all: one probe
/// that lets bulk work skip the per-record lookups above.
bool any_pending_entry(StoreImpl& store);
bool any_dead_letter(StoreImpl& store);
std::vector<std::int64_t> pending_seqs(StoreImpl& store, Model model, std::string_view id);
/// The record's queued entries in enqueue order (seq, operation and fields only).
std::vector<OutboxEntry> pending_entries(StoreImpl& store, Model model, std::string_view id);

void delete_entries(WriteTransaction& tx, std::span<const std::int64_t> seqs);
/// Puts entries off until `next_attempt` and counts the attempt.
void defer_entries(WriteTransaction& tx, std::span<const std::int64_t> seqs, const Timestamp& next_attempt,
                   std::string_view error);
/// Replaces every pending entry of a record with one update at the position of
/// the first of them (or a new entry at the end when there is none).
void rewrite_pending_as_update(WriteTransaction& tx, Model model, std::string_view id, const nlohmann::json& fields);

struct DeadLetterInput {
  Model model;
  std::string record_id;
  Operation operation;
  nlohmann::json fields;
  std::vector<std::int64_t> seqs;
  std::string error_class;
  std::string errorMessage;
};
/// Moves the entries into the dead-letter table.
void dead_letter(WriteTransaction& tx, const DeadLetterInput& letter);

struct ConflictRecord {
  Model model;
  std::string record_id;
  std::string field;
  nlohmann::json base, local, remote, result;
  std::string chosen, rule;
};
void record_conflict(WriteTransaction& tx, const ConflictRecord& conflict);
/// The newest `limit` merge decisions, newest first.
std::vector<ConflictDecision> read_conflicts(StoreImpl& store, std::size_t limit);
std::int64_t count_conflict_rows(StoreImpl& store);
/// The newest `limit` sync runs, newest first.
std::vector<SyncRun> read_sync_runs(StoreImpl& store, std::size_t limit);
/// Removes every queued entry of a record; returns how many there were.
std::int64_t drop_entries(WriteTransaction& tx, Model model, std::string_view id);

/// Brings every next attempt later than `latest` back to `latest` (a clock set
/// back, or a time written by a clock running ahead, would park entries for
/// longer than any backoff). Writes nothing when none is.
void clamp_next_attempts(StoreImpl& store, const Timestamp& latest);
/// Entries whose next attempt is still in the future.
std::int64_t count_waiting_entries(StoreImpl& store, const Timestamp& now);
std::optional<Timestamp> next_retry_time(StoreImpl& store);
/// Entries held behind a dead letter of their record or of a record they name.
std::int64_t count_held_entries(StoreImpl& store);
/// Attempts made so far for an outbox entry (0 when it is gone).
int entry_attempts(StoreImpl& store, std::int64_t seq);

std::int64_t begin_run(StoreImpl& store, const Timestamp& started);
void finish_run(StoreImpl& store, std::int64_t run_id, int exit_code, const nlohmann::json& report);

struct PullCheckpoint {
  std::optional<Timestamp> created_from;  // the current (or last) sweep reads createdAt >= this
  std::optional<std::string> nextToken;   // where the sweep stopped, when it did not finish
  std::optional<Timestamp> max_seen;      // newest createdAt of every sweep so far (never past the puller's clock)
};
PullCheckpoint read_checkpoint(StoreImpl& store, std::string_view accountId);
void write_checkpoint(WriteTransaction& tx, std::string_view accountId, const PullCheckpoint& checkpoint);

}  // namespace scoringjobs::detail
