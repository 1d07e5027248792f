#pragma once
// Everything a store file holds, as comparable text: every row of every table
// (records, outbox, remote state, dead letters, sync runs), in rowid order.
// Tests take one before and after an operation that must change nothing.

#include <filesystem>
#include <string>

namespace SQLite {
class Database;
}

namespace scoringjobs::test {

/// Reads with a separate read-only connection, as another process would.
std::string store_snapshot(const std::filesystem::path& db);
/// The same through an open connection (e.g. the Store's own).
std::string store_snapshot(SQLite::Database& db);

}  // namespace scoringjobs::test
