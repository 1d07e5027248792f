// SyncLock: one sync per store, held while its owner lives, whatever path names
// the database, and released by the kernel when the holding process dies.

#include "sync/sync_lock.hpp"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <optional>

#include "scoringjobs/error.hpp"
#include "support/child_process.hpp"
#include "support/error_of.hpp"
#include "support/temp_dir.hpp"

using namespace scoringjobs;
using scoringjobs::detail::SyncLock;
using scoringjobs::test::error_of;
using scoringjobs::test::TempDir;

TEST_CASE("SyncLock: a second holder is refused while the first lives, and gets the lock once it is gone") {
  TempDir dir;
  const auto db = dir / "jobs.db";
  auto first = SyncLock::try_acquire(db);
  REQUIRE(first);
  CHECK(std::filesystem::exists(dir / "jobs.db.lock"));
  CHECK_FALSE(SyncLock::try_acquire(db));
  first.reset();
  CHECK(SyncLock::try_acquire(db));
}

TEST_CASE("SyncLock: a moved lock stays held until its last owner is gone") {
  TempDir dir;
  const auto db = dir / "jobs.db";
  auto first = SyncLock::try_acquire(db);
  REQUIRE(first);
  std::optional<SyncLock> moved(std::move(*first));
  first.reset();  // the moved-from lock releases nothing
  CHECK_FALSE(SyncLock::try_acquire(db));
  moved.reset();
  CHECK(SyncLock::try_acquire(db));
}

TEST_CASE("SyncLock: every path to the same database finds the same lock") {
  TempDir dir;
  std::filesystem::create_directory(dir / "sub");
  std::ofstream(dir / "jobs.db").put('x');  // a sync runs on a database that exists
  std::filesystem::create_symlink(dir / "jobs.db", dir / "link.db");
  const auto held = SyncLock::try_acquire(dir / "jobs.db");
  REQUIRE(held);
  CHECK_FALSE(SyncLock::try_acquire(dir / "link.db"));
  CHECK_FALSE(SyncLock::try_acquire(dir / "sub" / ".." / "jobs.db"));
  CHECK(SyncLock::lock_file(dir / "link.db") == SyncLock::lock_file(dir / "jobs.db"));
}

TEST_CASE("SyncLock: the lock of a killed process is free again") {
  TempDir dir;
  const auto db = dir / "jobs.db";
  int ready[2];
  REQUIRE(::pipe(ready) == 0);
  const pid_t holder = scoringjobs::test::spawn([&] {
    ::close(ready[0]);
    const auto lock = SyncLock::try_acquire(db);
    const char held = lock ? 'y' : 'n';
    if (::write(ready[1], &held, 1) != 1) std::_Exit(2);
    ::pause();  // until killed
  });
  ::close(ready[1]);
  char held = 0;
  REQUIRE(::read(ready[0], &held, 1) == 1);
  ::close(ready[0]);
  REQUIRE(held == 'y');
  CHECK_FALSE(SyncLock::try_acquire(db));
  ::kill(holder, SIGKILL);
  int status = 0;
  REQUIRE(::waitpid(holder, &status, 0) == holder);
  CHECK(SyncLock::try_acquire(db));
}

TEST_CASE("SyncLock: a lock file that cannot be opened for writing is Errc::Storage naming it") {
  TempDir dir;
  SUBCASE("the lock file's name is taken by a directory") {
    std::filesystem::create_directory(dir / "jobs.db.lock");
    const auto error = error_of([&] { (void)SyncLock::try_acquire(dir / "jobs.db"); });
    CHECK(error.code() == Errc::Storage);
    CHECK(std::string(error.what()).find((dir / "jobs.db.lock").string()) != std::string::npos);
  }
  SUBCASE("the database's directory does not exist") {
    const auto error = error_of([&] { (void)SyncLock::try_acquire(dir / "missing" / "jobs.db"); });
    CHECK(error.code() == Errc::Storage);
    CHECK(std::string(error.what()).find("jobs.db.lock") != std::string::npos);
  }
}
