#include "support/store_snapshot.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <vector>

namespace scoringjobs::test {

std::string store_snapshot(const std::filesystem::path& db_path) {
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  return store_snapshot(db);
}

std::string store_snapshot(SQLite::Database& db) {
  std::string snapshot;
  SQLite::Statement tables(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  while (tables.executeStep()) {
    const auto name = tables.getColumn(0).getString();
    // A table name from the schema itself, not a value: quoting it is enough.
    SQLite::Statement select(db, "SELECT * FROM \"" + name + "\"");
    std::vector<std::string> rows;
    while (select.executeStep()) {
      std::string row;
      for (int c = 0; c < select.getColumnCount(); ++c) {
        const auto column = select.getColumn(c);
        // getString() keeps the exact bytes (length-based), NUL bytes included.
        row += column.isNull() ? std::string("<null>") : column.getString();
        row += '\x1f';
      }
      rows.push_back(std::move(row));
    }
    // Some tables are WITHOUT ROWID: sort here for one stable order.
    std::sort(rows.begin(), rows.end());
    snapshot += "== " + name + "\n";
    for (const auto& row : rows) snapshot += row + "\n";
  }
  return snapshot;
}

}  // namespace scoringjobs::test
