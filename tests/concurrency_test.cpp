// Several processes on one store file: concurrent writers, and writers killed
// with SIGKILL at random moments.

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <string>
#include <vector>

#include "scoringjobs/batching.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "scoringjobs/store.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

using namespace scoringjobs;
using scoringjobs::test::TempDir;

namespace {

using scoringjobs::test::spawn;

int wait_exit_code(pid_t pid) {
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::int64_t count(const std::filesystem::path& db, const std::string& sql) {
  SQLite::Database raw(db.string(), SQLite::OPEN_READONLY);
  return raw.execAndGet(sql).getInt64();
}

// Every record has its outbox create entry and every entry has its record.
void check_rows_and_entries_match(const std::filesystem::path& db) {
  SQLite::Database raw(db.string(), SQLite::OPEN_READONLY);
  CHECK(raw.execAndGet("PRAGMA integrity_check").getString() == "ok");
  SQLite::Statement foreign_keys(raw, "PRAGMA foreign_key_check");
  CHECK_FALSE(foreign_keys.executeStep());
  const std::pair<const char*, const char*> tables[] = {
      {"ScoringJob", "scoring_job"}, {"BatchJob", "batch_job"}, {"BatchJobScoringJob", "batch_job_scoring_job"}};
  for (const auto& pair : tables) {
    const char* model = pair.first;  // not a structured binding: CAPTURE's lambda names it
    const char* table = pair.second;
    CAPTURE(model);
    const std::string rows_without_create =
        std::string("SELECT count(*) FROM ") + table +
        " r WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.recordId = r.id AND o.operation = 'create' AND "
        "o.model = '" +
        model + "')";
    const std::string entries_without_row = std::string("SELECT count(*) FROM outbox o WHERE o.model = '") + model +
                                            "' AND NOT EXISTS (SELECT 1 FROM " + table + " r WHERE r.id = o.recordId)";
    CHECK(raw.execAndGet(rows_without_create).getInt64() == 0);
    CHECK(raw.execAndGet(entries_without_row).getInt64() == 0);
  }
  // An update entry never exists without the create entry before it.
  CHECK(raw.execAndGet("SELECT count(*) FROM outbox u WHERE u.operation = 'update' AND NOT EXISTS (SELECT 1 FROM "
                       "outbox c WHERE c.recordId = u.recordId AND c.operation = 'create' AND c.seq < u.seq)")
            .getInt64() == 0);
}

}  // namespace

TEST_CASE("4 writer processes at full speed: every job present with its outbox entry, no lock errors") {
  TempDir dir;
  const auto db = dir / "jobs.db";
  { Store::open(db); }
  constexpr int kWriters = 4;
  constexpr int kJobsEach = 250;
  std::vector<pid_t> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.push_back(spawn([&, w] {
      auto store = Store::open(db);
      for (int i = 0; i < kJobsEach; ++i) {
        auto job = ScoringJob::create(store, "acct", "card", "w" + std::to_string(w) + "-" + std::to_string(i));
        if (i % 5 == 0) job.update(store, {{"status", "RUNNING"}});
      }
    }));
  }
  // A reader keeps reading the whole time.
  const pid_t reader = spawn([&] {
    auto store = Store::open(db);
    for (int i = 0; i < 2000; ++i) {
      (void)outbox::pending_count(store);
      (void)ScoringJob::find_by_item_id("w0-0", store);
    }
  });
  for (const pid_t pid : writers) CHECK(wait_exit_code(pid) == 0);
  CHECK(wait_exit_code(reader) == 0);
  CHECK(count(db, "SELECT count(*) FROM scoring_job") == kWriters * kJobsEach);
  CHECK(count(db, "SELECT count(*) FROM outbox WHERE operation = 'create'") == kWriters * kJobsEach);
  CHECK(count(db, "SELECT count(*) FROM outbox WHERE operation = 'update'") == kWriters * kJobsEach / 5);
  CHECK(count(db, "SELECT count(DISTINCT id) FROM scoring_job") == kWriters * kJobsEach);
  check_rows_and_entries_match(db);
}

TEST_CASE("SIGKILL of a writer at 60 random moments never leaves a row without its entry or loses a commit") {
  TempDir dir;
  const auto db = dir / "jobs.db";
  { Store::open(db); }
  std::mt19937 random(424242);
  std::uniform_int_distribution<int> writes_before_kill(0, 40);
  std::int64_t acknowledged = 0;  // jobs whose create returned before the kill
  for (int round = 0; round < 60; ++round) {
    int pipe_fds[2];
    REQUIRE(::pipe(pipe_fds) == 0);
    const pid_t writer = spawn([&, round] {
      ::close(pipe_fds[0]);
      auto store = Store::open(db);
      for (int i = 0;; ++i) {
        // Alternate the kinds of writes so kills land inside each of them.
        const std::string item = "r" + std::to_string(round) + "-" + std::to_string(i);
        if (i % 3 == 0) {
          BatchScoringJobRequest request;
          request.accountId = "acct";
          request.scorecardId = "card";
          request.itemId = item;
          request.modelProvider = "openai";
          request.modelName = "gpt";
          request.max_batch_size = 7;
          batch_scoring_job(store, request);
        } else {
          auto job = ScoringJob::create(store, "acct", "card", item);
          job.update(store, {{"status", "RUNNING"}, {"metadata", {{"i", i}}}});
        }
        const char done = 'x';  // this job is committed
        if (::write(pipe_fds[1], &done, 1) != 1) std::_Exit(2);
      }
    });
    ::close(pipe_fds[1]);
    const int wait_for = writes_before_kill(random);
    int seen = 0;
    char byte;
    while (seen < wait_for && ::read(pipe_fds[0], &byte, 1) == 1) ++seen;
    ::kill(writer, SIGKILL);
    wait_exit_code(writer);
    while (::read(pipe_fds[0], &byte, 1) == 1) ++seen;  // commits reported before the kill landed
    ::close(pipe_fds[0]);
    acknowledged += seen;
  }
  // Every acknowledged job is there (a kill may also have landed after a commit
  // whose byte was never written, so there may be more, never fewer).
  CHECK(count(db, "SELECT count(*) FROM scoring_job") >= acknowledged);
  check_rows_and_entries_match(db);
  auto store = Store::open(db);
  CHECK(outbox::pending_count(store) == count(db, "SELECT count(*) FROM outbox"));
}
