// StatementCache and CachedStatement: statements are prepared once, and come
// back reset with their bindings cleared however their last use ended.

#include "store/statement_cache.hpp"

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "support/temp_dir.hpp"

using scoringjobs::detail::StatementCache;
using scoringjobs::test::TempDir;

namespace {

struct CacheFixture {
  CacheFixture() {
    db.exec("CREATE TABLE numbers (n INTEGER)");
    db.exec("INSERT INTO numbers (n) VALUES (1), (2), (3)");
  }
  TempDir dir;
  SQLite::Database db{(dir / "cache.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  StatementCache cache{db};
};

// Every value the statement yields from where it stands.
std::vector<int> rest_of(SQLite::Statement& statement) {
  std::vector<int> values;
  while (statement.executeStep()) values.push_back(statement.getColumn(0).getInt());
  return values;
}

}  // namespace

TEST_CASE("CachedStatement: the same SQL text is prepared once and lent out again, other text gets its own") {
  CacheFixture f;
  const SQLite::Statement* first = nullptr;
  {
    auto statement = f.cache.get("SELECT n FROM numbers ORDER BY n");
    first = &*statement;
  }
  {
    auto again = f.cache.get("SELECT n FROM numbers ORDER BY n");
    CHECK(&*again == first);
  }
  auto other = f.cache.get("SELECT n FROM numbers ORDER BY n DESC");
  CHECK(&*other != first);
  CHECK(rest_of(*other) == std::vector{3, 2, 1});
}

TEST_CASE("CachedStatement: a statement comes back with its bindings cleared") {
  CacheFixture f;
  {
    auto statement = f.cache.get("SELECT ?1");
    statement->bind(1, 42);
    REQUIRE(statement->executeStep());
    CHECK(statement->getColumn(0).getInt() == 42);
  }
  auto statement = f.cache.get("SELECT ?1");
  REQUIRE(statement->executeStep());  // also: reset, or this step would find it done
  CHECK(statement->getColumn(0).isNull());
}

TEST_CASE("CachedStatement: a statement left part-way through its rows starts from the first row next time") {
  CacheFixture f;
  constexpr const char* kSql = "SELECT n FROM numbers ORDER BY n";
  SUBCASE("returned after one row") {
    auto statement = f.cache.get(kSql);
    REQUIRE(statement->executeStep());
  }
  SUBCASE("given up by an exception after one row") {
    CHECK_THROWS_AS(
        [&] {
          auto statement = f.cache.get(kSql);
          REQUIRE(statement->executeStep());
          throw std::runtime_error("the caller failed mid-way");
        }(),
        std::runtime_error);
  }
  auto statement = f.cache.get(kSql);
  CHECK(rest_of(*statement) == std::vector{1, 2, 3});
}

TEST_CASE("CachedStatement: a statement whose step failed is usable again") {
  CacheFixture f;
  f.db.exec("CREATE TABLE once (n INTEGER UNIQUE)");
  f.db.exec("INSERT INTO once (n) VALUES (1)");
  constexpr const char* kSql = "INSERT INTO once (n) VALUES (?1)";
  {
    auto statement = f.cache.get(kSql);
    statement->bind(1, 1);
    CHECK_THROWS_AS(statement->exec(), SQLite::Exception);
  }
  auto statement = f.cache.get(kSql);
  statement->bind(1, 2);
  CHECK(statement->exec() == 1);
  CHECK(f.db.execAndGet("SELECT count(*) FROM once").getInt() == 2);
}
