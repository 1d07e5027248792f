#pragma once
// Checks of a store's consistency from the outside, with a separate read-only
// connection as another process would see it.

#include <filesystem>

namespace scoringjobs::test {

/// Fails the current test unless: PRAGMA integrity_check is ok, no foreign key
/// is broken, every outbox entry names an existing record, every update entry
/// follows its record's create entry, and every record is either still queued
/// (its create entry is in the outbox) or confirmed by the remote (remote_state).
void check_store_consistent(const std::filesystem::path& db);

/// Makes the next write transaction grow a file: checkpoints the WAL into the
/// database and truncates it to zero bytes (REQUIREs that no reader prevented it).
void empty_the_wal(const std::filesystem::path& db);

}  // namespace scoringjobs::test
