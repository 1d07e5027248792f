#pragma once
// Hot statements are prepared once per connection and reused. A CachedStatement
// lends one out and resets it (and clears its bindings) when it goes out of
// scope, so a statement never leaks state into its next use.

#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string_view>
#include <unordered_map>

namespace SQLite {
class Database;
}

namespace scoringjobs::detail {

class CachedStatement {
 public:
  explicit CachedStatement(SQLite::Statement& statement) noexcept : statement_(&statement) {}
  ~CachedStatement();
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  SQLite::Statement& operator*() const noexcept { return *statement_; }
  SQLite::Statement* operator->() const noexcept { return statement_; }

 private:
  SQLite::Statement* statement_;
};

class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : db_(db) {}

  /// The prepared statement for `sql`, preparing it on first use. `sql` must be a
  /// string literal: the cache keys on its text.
  CachedStatement get(std::string_view sql);

 private:
  // Hashes the length and at most the first and last 64 bytes of the text: a
  // statement of hundreds of bytes is looked up on every write of a bulk
  // import. Texts alike there still differ to the map, which compares whole.
  struct SqlHash {
    std::size_t operator()(std::string_view sql) const noexcept;
  };

  SQLite::Database& db_;
  std::unordered_map<std::string_view, std::unique_ptr<SQLite::Statement>, SqlHash> statements_;
};

}  // namespace scoringjobs::detail
