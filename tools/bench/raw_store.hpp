#pragma once
// The baseline of the local-operation figures: the same SQL work as the
// library's store, written directly on the sqlite3 C API the way a careful C
// programmer would: one connection with the store's pragmas, statements
// prepared once, values bound without copies, every column read into strings.

#include <sqlite3.h>

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace scoringjobs::bench {

/// Owns one prepared statement; reset after each use by its user.
class RawStatement {
 public:
  RawStatement(sqlite3* db, std::string_view sql);
  ~RawStatement();
  RawStatement(const RawStatement&) = delete;
  RawStatement& operator=(const RawStatement&) = delete;

  sqlite3_stmt* get() const noexcept { return stmt_; }
  void bind(int index, std::string_view text);  // SQLITE_STATIC: the text must outlive the step
  void bind_null(int index);
  void bind_int(int index, std::int64_t value);
  /// sqlite3_step; true on SQLITE_ROW, false on SQLITE_DONE, throws otherwise.
  bool step();
  void reset() noexcept;
  std::optional<std::string> text(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// Owns one connection, opened with the store's pragmas.
class RawDb {
 public:
  enum class Sync { Full, Normal };
  RawDb(const std::string& path, Sync sync);
  ~RawDb();
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  sqlite3* get() const noexcept { return db_; }
  void exec(const char* sql);

 private:
  sqlite3* db_ = nullptr;
};

/// A scoring job row read column by column into strings (NULL: nullopt).
struct RawJobRow {
  std::optional<std::string> columns[15];
};
/// A batch_job row (20 columns).
struct RawBatchRow {
  std::optional<std::string> columns[20];
};

/// The values of a new scoring job, as the caller of create() passes them.
struct RawCreateInput {
  std::string_view accountId, scorecardId, itemId;
};

/// The baseline's operations on one database.
class RawStore {
 public:
  RawStore(const std::string& path, RawDb::Sync sync);

  /// BEGIN IMMEDIATE; INSERT INTO scoring_job (16 columns); INSERT INTO outbox
  /// (the record's wire shape as compact JSON, sorted keys, as the store writes
  /// it); COMMIT. The id is a random UUID v4 and the timestamps are now.
  void create(const RawCreateInput& input);
  /// Inserts without a transaction of its own (inside begin()/commit()).
  void insert_job_and_outbox(const RawCreateInput& input);
  void begin();
  void commit();

  std::optional<RawJobRow> get_by_id(std::string_view id);
  std::optional<RawJobRow> find_by_item_id(std::string_view itemId);
  /// The link row of the job (oldest first), then its batch: the same two
  /// statements the store runs.
  std::optional<RawBatchRow> get_batch_job(std::string_view scoringJobId);

  RawDb& db() noexcept { return db_; }

 private:
  RawDb db_;
  RawStatement begin_, commit_, insert_job_, insert_outbox_, select_job_, select_by_item_, select_link_, select_batch_;
  std::uint64_t rng_;
  std::string id_, now_, sort_, fields_;
};

/// Canonical wire text (YYYY-MM-DDTHH:MM:SS.mmmZ) and the store's sort key
/// (nine fractional digits) of a Unix time in milliseconds.
void format_wire_time(std::int64_t unix_millis, std::string& wire, std::string& sort_key);

/// The baseline of the fixture import: the records of an export-shaped
/// document written as plain prepared INSERTs in one transaction, each record
/// with its remote_state row (what fixtures::import_records writes by default),
/// join rows also setting their job's local batchId. Values are bound straight
/// from the parsed document; no checks. Returns the records written.
std::int64_t raw_import(RawDb& db, const nlohmann::json& document);

}  // namespace scoringjobs::bench
