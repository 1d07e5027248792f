#include "support/store_checks.hpp"

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include <string>
#include <utility>

namespace scoringjobs::test {

void check_store_consistent(const std::filesystem::path& db) {
  SQLite::Database raw(db.string(), SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("PRAGMA integrity_check").getString() == "ok");
  SQLite::Statement foreign_keys(raw, "PRAGMA foreign_key_check");
  CHECK_FALSE(foreign_keys.executeStep());
  const std::pair<std::string, std::string> tables[] = {
      {"ScoringJob", "scoring_job"}, {"BatchJob", "batch_job"}, {"BatchJobScoringJob", "batch_job_scoring_job"}};
  for (const auto& pair : tables) {
    const auto& model = pair.first;  // not a structured binding: CAPTURE's lambda names it (clang 14)
    const auto& table = pair.second;
    CAPTURE(model);
    SQLite::Statement untracked(raw, "SELECT count(*) FROM " + table +
                                         " r WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.model = ? AND "
                                         "o.recordId = r.id AND o.operation = 'create') AND NOT EXISTS (SELECT 1 "
                                         "FROM remote_state s WHERE s.model = ? AND s.recordId = r.id)");
    untracked.bind(1, model);
    untracked.bind(2, model);
    REQUIRE(untracked.executeStep());
    CHECK_MESSAGE(untracked.getColumn(0).getInt64() == 0, "records neither queued nor confirmed remotely");
    SQLite::Statement orphans(raw, "SELECT count(*) FROM outbox o WHERE o.model = ? AND NOT EXISTS (SELECT 1 FROM " +
                                       table + " r WHERE r.id = o.recordId)");
    orphans.bind(1, model);
    REQUIRE(orphans.executeStep());
    CHECK_MESSAGE(orphans.getColumn(0).getInt64() == 0, "outbox entries without their record");
  }
  // An update entry never waits without its record's create, queued before it or confirmed.
  CHECK(raw.execAndGet("SELECT count(*) FROM outbox u WHERE u.operation = 'update' AND NOT EXISTS (SELECT 1 FROM "
                       "outbox c WHERE c.model = u.model AND c.recordId = u.recordId AND c.operation = 'create' AND "
                       "c.seq < u.seq) AND NOT EXISTS (SELECT 1 FROM remote_state s WHERE s.model = u.model AND "
                       "s.recordId = u.recordId)")
            .getInt64() == 0);
}

void empty_the_wal(const std::filesystem::path& db) {
  SQLite::Database raw(db.string(), SQLite::OPEN_READWRITE);
  SQLite::Statement checkpoint(raw, "PRAGMA wal_checkpoint(TRUNCATE)");
  REQUIRE(checkpoint.executeStep());
  REQUIRE_MESSAGE(checkpoint.getColumn(0).getInt() == 0, "a reader kept the WAL from being emptied");
  REQUIRE(std::filesystem::file_size(db.string() + "-wal") == 0);
}

}  // namespace scoringjobs::test
