// WriteTransaction: commit, rollback (explicit, by exception, after a failed
// ROLLBACK) and waiting for another connection's write lock.

#include "store/write_transaction.hpp"

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

#include "scoringjobs/store.hpp"
#include "store/store_impl.hpp"
#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

using namespace scoringjobs;
using scoringjobs::detail::WriteTransaction;
using scoringjobs::test::error_of;
using scoringjobs::test::TempDir;

namespace {

// A store with a scratch table the tests write to.
struct TransactionFixture {
  explicit TransactionFixture(StoreOptions options = {}) : store(Store::open(db_path, options)) {
    impl.db.exec("CREATE TABLE scratch (value TEXT)");
  }

  // The rows of the scratch table, as another connection sees them.
  std::int64_t committed_rows() const {
    SQLite::Database other(db_path.string(), SQLite::OPEN_READONLY);
    return other.execAndGet("SELECT count(*) FROM scratch").getInt64();
  }

  TempDir dir;
  std::filesystem::path db_path = dir / "jobs.db";
  Store store;
  detail::StoreImpl& impl = detail::impl_of(store);
};

void insert(WriteTransaction& tx, const char* value) {
  auto statement = tx.statement("INSERT INTO scratch (value) VALUES (?1)");
  statement->bind(1, value);
  statement->exec();
}

}  // namespace

TEST_CASE("WriteTransaction: commit makes the writes visible to other connections, and a second commit is refused") {
  TransactionFixture f;
  {
    WriteTransaction tx(f.impl);
    insert(tx, "a");
    insert(tx, "b");
    CHECK(f.committed_rows() == 0);  // not before the commit
    tx.commit();
    CHECK(f.committed_rows() == 2);
    CHECK(error_of([&] { tx.commit(); }).code() == Errc::Internal);
  }  // the destructor after a commit rolls nothing back
  CHECK(f.committed_rows() == 2);
  CHECK(sqlite3_get_autocommit(f.impl.db.getHandle()) != 0);
}

TEST_CASE("WriteTransaction: an exception before commit rolls back every write, and the connection writes again") {
  TransactionFixture f;
  CHECK_THROWS_AS(
      [&] {
        WriteTransaction tx(f.impl);
        insert(tx, "lost");
        throw std::runtime_error("the caller failed half-way");
      }(),
      std::runtime_error);
  CHECK(f.committed_rows() == 0);
  CHECK(sqlite3_get_autocommit(f.impl.db.getHandle()) != 0);  // no transaction left open

  WriteTransaction again(f.impl);
  insert(again, "kept");
  again.commit();
  CHECK(f.committed_rows() == 1);
}

TEST_CASE("WriteTransaction: rollback() discards the writes and ends it for good") {
  TransactionFixture f;
  WriteTransaction tx(f.impl);
  insert(tx, "discarded");
  tx.rollback();
  CHECK(sqlite3_get_autocommit(f.impl.db.getHandle()) != 0);
  CHECK(error_of([&] { tx.commit(); }).code() == Errc::Internal);
  tx.rollback();  // a second rollback (and the destructor's) does nothing
  CHECK(f.committed_rows() == 0);
}

namespace {

// A busy handler that never waits (as when SQLite answers SQLITE_BUSY without
// calling the store's handler, e.g. during WAL recovery) and tells the test
// that the writer met the lock.
struct MetTheLock {
  std::promise<void> met;
  bool told = false;
  static int on_busy(void* self, int /*attempts*/) {
    auto& handler = *static_cast<MetTheLock*>(self);
    if (!handler.told) handler.met.set_value();
    handler.told = true;
    return 0;  // give up at once: SQLITE_BUSY
  }
};

}  // namespace

TEST_CASE("WriteTransaction: while another connection holds the write lock, it retries until the lock is free") {
  TransactionFixture f;
  MetTheLock handler;
  sqlite3_busy_handler(f.impl.db.getHandle(), &MetTheLock::on_busy, &handler);
  SQLite::Database holder(f.db_path.string(), SQLite::OPEN_READWRITE);
  holder.exec("BEGIN IMMEDIATE");
  holder.exec("INSERT INTO scratch (value) VALUES ('holder')");
  // The holder commits once the writer has met its lock, not before.
  auto release = std::async(std::launch::async, [&, met = handler.met.get_future()] {
    if (met.wait_for(std::chrono::seconds(30)) != std::future_status::ready) return false;
    holder.exec("COMMIT");
    return true;
  });

  WriteTransaction tx(f.impl);  // without the retry this throws Errc::Busy
  REQUIRE(release.get());
  // The write began after the holder's commit: it sees the holder's row.
  CHECK(tx.db().execAndGet("SELECT count(*) FROM scratch WHERE value = 'holder'").getInt() == 1);
  insert(tx, "writer");
  tx.commit();
  CHECK(f.committed_rows() == 2);
}

TEST_CASE("WriteTransaction: gives up with Errc::Busy after the busy timeout when the lock stays held") {
  TransactionFixture f(StoreOptions{.busy_timeout = std::chrono::milliseconds(100)});
  SQLite::Database holder(f.db_path.string(), SQLite::OPEN_READWRITE);
  holder.exec("BEGIN IMMEDIATE");

  const auto error = error_of([&] { WriteTransaction tx(f.impl); });
  CHECK(error.code() == Errc::Busy);
  CHECK(std::string(error.what()).find("starting a write") != std::string::npos);
  CHECK(sqlite3_get_autocommit(f.impl.db.getHandle()) != 0);

  holder.exec("ROLLBACK");
  WriteTransaction tx(f.impl);  // the connection is usable once the lock is free
  insert(tx, "after");
  tx.commit();
  CHECK(f.committed_rows() == 1);
}

TEST_CASE("WriteTransaction: a transaction a failed ROLLBACK left open is rolled back before the next write begins") {
  TransactionFixture f;
  // What a ROLLBACK that failed with an I/O error leaves behind: a transaction
  // still open on the connection, its writes pending.
  f.impl.db.exec("BEGIN IMMEDIATE");
  f.impl.db.exec("INSERT INTO scratch (value) VALUES ('given up')");
  f.impl.rollback_pending = true;

  WriteTransaction tx(f.impl);  // would throw "cannot start a transaction within a transaction"
  CHECK_FALSE(f.impl.rollback_pending);
  CHECK(tx.db().execAndGet("SELECT count(*) FROM scratch").getInt() == 0);
  insert(tx, "next");
  tx.commit();
  CHECK(f.committed_rows() == 1);
}
