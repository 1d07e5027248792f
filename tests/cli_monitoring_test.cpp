// What the CLI gives the people who watch a fleet: `sync --metrics-file` and
// `status --prometheus` (node_exporter's textfile format), `status --check`
// (a monitoring plugin) and `sync --quiet --alert-after` (cron mails a run
// that keeps exiting 75 once the API has been out of reach too long). The real
// binary against the local AppSync server; the run history's times are moved
// into the past with SQL, never waited for.

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "scoringjobs/timestamp.hpp"
#include "support/cli_rig.hpp"
#include "support/cli_runner.hpp"

using nlohmann::json;
using scoringjobs::Timestamp;
using scoringjobs::test::Cli;
using scoringjobs::test::read_file;
using scoringjobs::test::Rig;
using scoringjobs::test::RunOptions;
using scoringjobs::test::RunResult;

namespace {

// The value of one sample ("name" or "name{labels}" exactly as written), or nullopt.
std::optional<double> sample(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(series + ' ', 0) == 0) return std::stod(line.substr(series.size() + 1));
  }
  return std::nullopt;
}

// The metric families a text declares (its # TYPE lines).
std::set<std::string> families(const std::string& text) {
  std::set<std::string> names;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("# TYPE ", 0) == 0) names.insert(line.substr(7, line.find(' ', 7) - 7));
  }
  return names;
}

// `promtool check metrics` (Debian's prometheus package) accepts the text: the
// format and the naming conventions. Skipped, saying so, where it is missing.
void check_with_promtool(const std::filesystem::path& file) {
  const std::filesystem::path promtool = "/usr/bin/promtool";
  if (!std::filesystem::exists(promtool)) {
    MESSAGE("promtool is not installed (Debian package prometheus): the format is not checked by it");
    return;
  }
  RunOptions options;
  options.stdin_file = file;
  const auto result = scoringjobs::test::run_program(promtool, {"check", "metrics"}, options);
  INFO(result.describe());
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err.empty());
}

// Runs SQL on the store as another process would (the CLI has exited).
void exec_sql(const std::string& db, const std::string& sql) {
  SQLite::Database connection(db, SQLite::OPEN_READWRITE);
  connection.exec(sql);
}

// A canonical timestamp `ago` before now, as the store writes them.
std::string time_ago(std::chrono::seconds ago) {
  const auto now = Timestamp::now().unix_millis();
  return Timestamp::from_unix_millis(now - std::chrono::duration_cast<std::chrono::milliseconds>(ago).count()).format();
}

constexpr auto kTwoDays = std::chrono::hours(48);

// Holds the store's sync lock, as a sync that is still running does.
class HeldSyncLock {
 public:
  explicit HeldSyncLock(const std::string& db) : fd_(::open((db + ".lock").c_str(), O_RDWR | O_CREAT, 0600)) {
    REQUIRE(fd_ >= 0);
    REQUIRE(::flock(fd_, LOCK_EX | LOCK_NB) == 0);
  }
  ~HeldSyncLock() { ::close(fd_); }
  HeldSyncLock(const HeldSyncLock&) = delete;
  HeldSyncLock& operator=(const HeldSyncLock&) = delete;

 private:
  int fd_;
};

// The files of a directory other than the store's own.
std::set<std::string> other_files(const std::filesystem::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto name = entry.path().filename().string();
    if (name.rfind("jobs.db", 0) != 0 && name.find("planted-key") == std::string::npos) names.insert(name);
  }
  return names;
}

// The perfdata of an entry queued two days before the test wrote it: seconds
// may have passed since (a slow machine), never a minute.
bool has_oldest_age_of_two_days(const std::string& line, const std::string& thresholds) {
  const std::regex age(" oldest_queued_age=(17280[0-9]|1728[1-5][0-9])s" + thresholds);  // digits and ';' only
  return std::regex_search(line, age);
}

}  // namespace

TEST_CASE("sync --metrics-file writes the metrics after every run: done, offline and locked") {
  Rig rig;
  rig.create("item-1");
  rig.create("item-2");
  const auto file = rig.dir / "scoringjobs.prom";

  const auto done = rig.sync({"--push-only", "--metrics-file", file.string()});
  INFO(done.describe());
  REQUIRE(done.exit_code == 0);
  auto text = read_file(file);
  INFO(text);
  check_with_promtool(file);
  CHECK(sample(text, R"(scoringjobs_queued{model="ScoringJob",operation="create"})") == 0);
  CHECK(sample(text, R"(scoringjobs_last_run_outcome{outcome="done"})") == 1);
  CHECK(sample(text, "scoringjobs_last_run_exit_code") == 0);
  CHECK(sample(text, "scoringjobs_last_run_pushed") == 2);
  CHECK(sample(text, "scoringjobs_last_run_requests") >= 1);
  CHECK(sample(text, "scoringjobs_dead_letters") == 0);
  CHECK(sample(text, "scoringjobs_conflicts_total") == 0);
  CHECK(sample(text, "scoringjobs_oldest_queued_age_seconds") == 0);
  const auto reached = sample(text, "scoringjobs_last_reached_api_timestamp_seconds");
  const auto done_at = sample(text, "scoringjobs_last_done_timestamp_seconds");
  const double now = static_cast<double>(Timestamp::now().unix_millis()) / 1000;
  REQUIRE(reached);
  REQUIRE(done_at);
  CHECK(*reached > now - 600);
  CHECK(*done_at > now - 600);
  const auto started = sample(text, "scoringjobs_last_run_timestamp_seconds");
  REQUIRE(started);
  CHECK(*started <= *done_at);
  // Readable by node_exporter (another user), and nothing left beside it.
  struct stat info {};
  REQUIRE(::stat(file.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0644);
  CHECK(other_files(rig.dir.path()) == std::set<std::string>{"scoringjobs.prom"});

  SUBCASE("offline: written too, the last contact with the API stays where it was") {
    rig.create("item-3");
    rig.server.stop();
    const auto offline = rig.sync({"--quiet", "--metrics-file", file.string()});
    INFO(offline.describe());
    CHECK(offline.exit_code == 75);
    CHECK(offline.err.empty());  // the API answered minutes ago: nothing for cron to mail
    text = read_file(file);
    CHECK(sample(text, R"(scoringjobs_last_run_outcome{outcome="offline"})") == 1);
    CHECK(sample(text, R"(scoringjobs_last_run_outcome{outcome="done"})") == std::nullopt);
    CHECK(sample(text, "scoringjobs_last_run_exit_code") == 75);
    CHECK(sample(text, R"(scoringjobs_queued{model="ScoringJob",operation="create"})") == 1);
    CHECK(sample(text, "scoringjobs_last_reached_api_timestamp_seconds") == reached);
    CHECK(sample(text, "scoringjobs_last_done_timestamp_seconds") == done_at);
    check_with_promtool(file);
  }

  SUBCASE("locked: another sync holds the store, this run still writes what it saw") {
    rig.create("item-3");
    const HeldSyncLock lock(rig.db);
    const auto locked = rig.sync({"--metrics-file", file.string()});
    INFO(locked.describe());
    CHECK(locked.exit_code == 75);
    text = read_file(file);
    CHECK(sample(text, R"(scoringjobs_last_run_outcome{outcome="locked"})") == 1);
    CHECK(sample(text, "scoringjobs_last_run_requests") == 0);
    CHECK(sample(text, R"(scoringjobs_queued{model="ScoringJob",operation="create"})") == 1);
    CHECK(sample(text, "scoringjobs_last_reached_api_timestamp_seconds") == reached);
  }

  SUBCASE("status --prometheus prints the same metrics, the last run being the newest recorded one") {
    const auto printed = rig.run({"status", "--prometheus"});
    INFO(printed.describe());
    CHECK(printed.exit_code == 0);
    CHECK(families(printed.out) == families(text));
    CHECK(sample(printed.out, R"(scoringjobs_last_run_outcome{outcome="done"})") == 1);
    CHECK(sample(printed.out, "scoringjobs_last_run_pushed") == 2);
    CHECK(sample(printed.out, "scoringjobs_last_reached_api_timestamp_seconds") == reached);
    CHECK(sample(printed.out, "scoringjobs_last_run_timestamp_seconds") == started);
  }
}

TEST_CASE("a sync with nothing to do is not recorded, yet its metrics say it ended done") {
  Rig rig;
  rig.ok({"init"});
  const auto file = rig.dir / "idle.prom";
  const auto idle = rig.sync({"--metrics-file", file.string()});
  INFO(idle.describe());
  CHECK(idle.exit_code == 0);
  const auto text = read_file(file);
  CHECK(sample(text, R"(scoringjobs_last_run_outcome{outcome="done"})") == 1);
  CHECK(sample(text, "scoringjobs_last_run_requests") == 0);
  CHECK(sample(text, "scoringjobs_last_done_timestamp_seconds") > 0);
  CHECK(sample(text, "scoringjobs_last_reached_api_timestamp_seconds") == 0);  // it sent nothing
  CHECK(rig.status()["lastRuns"].empty());
  // No run recorded: status --prometheus has no last run to show.
  const auto printed = rig.run({"status", "--prometheus"});
  CHECK(printed.exit_code == 0);
  CHECK(printed.out.find("scoringjobs_last_run_") == std::string::npos);
  CHECK(sample(printed.out, "scoringjobs_last_done_timestamp_seconds") == 0);
}

TEST_CASE("--metrics-file: a missing directory is refused before the run, a failed write names the file") {
  Rig rig;
  rig.create("item-1");
  const auto missing = rig.fails({"sync", "--api-url", rig.server.url(), "--api-key-file", rig.key_file,
                                  "--metrics-file", (rig.dir / "no-such-dir" / "m.prom").string()},
                                 2);
  CHECK(missing.err.find("--metrics-file") != std::string::npos);
  CHECK(rig.pending() == 1);  // nothing was sent
  CHECK(rig.server.request_log().empty());

  // The path is a directory: the rename over it fails after the run.
  const auto taken = rig.dir / "taken.prom";
  std::filesystem::create_directory(taken);
  const auto failed = rig.sync({"--metrics-file", taken.string()});
  INFO(failed.describe());
  CHECK(failed.exit_code == 1);
  CHECK(failed.err.find("scoringjobs: error: --metrics-file: cannot write " + taken.string() + ": ") !=
        std::string::npos);
  CHECK(failed.err.find(".tmp-") == std::string::npos);  // the name asked for, not the temporary one
  CHECK(rig.pending() == 0);                             // the run itself went through
  CHECK(other_files(rig.dir.path()) == std::set<std::string>{"taken.prom"});

  const auto bad_duration = rig.fails({"sync", "--alert-after", "soon"}, 2);
  CHECK(bad_duration.err.find("--alert-after \"soon\" is not a duration") != std::string::npos);
}

TEST_CASE("status --check answers as a monitoring plugin: OK, WARNING, CRITICAL, UNKNOWN and perfdata") {
  Cli cli;
  cli.ok({"init"});
  const auto check = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"status", "--check"});
    auto result = cli.run(args);
    INFO(result.describe());
    CHECK(result.err.empty());
    CHECK(result.out.find('\n') == result.out.size() - 1);
    return result;
  };

  auto ok = check({"--max-oldest-age", "1h", "--max-dead-letters", "0", "--max-since-success", "1h"});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.rfind("SCORINGJOBS OK - 0 queued, 0 dead letters, 0 quarantined, in sync | ", 0) == 0);
  CHECK(ok.out.find(" | queued=0;;;0; oldest_queued_age=0s;;3600;0; dead_letters=0;;0;0; quarantined=0;;;0; "
                    "since_success=0s;;3600;0;") != std::string::npos);

  // A job queued two days ago that no sync ever sent.
  cli.create("item-1");
  exec_sql(cli.db, "UPDATE outbox SET enqueuedAt = '" + time_ago(kTwoDays) + "'");
  auto critical = check({"--max-oldest-age", "1h"});
  CHECK(critical.exit_code == 2);
  CHECK(critical.out.rfind("SCORINGJOBS CRITICAL - oldest queued 2 d (over 1 h), 1 queued, ", 0) == 0);
  CHECK(has_oldest_age_of_two_days(critical.out, ";;3600;0; "));
  auto warning = check({"--max-oldest-age", "1h,3d"});
  CHECK(warning.exit_code == 1);
  CHECK(warning.out.rfind("SCORINGJOBS WARNING - oldest queued 2 d (over 1 h)", 0) == 0);
  CHECK(has_oldest_age_of_two_days(warning.out, ";3600;259200;0; "));
  // Never synced: out of sync since the oldest entry was queued.
  CHECK(check({"--max-since-success", "1d"}).exit_code == 2);

  SUBCASE("dead letters") {
    exec_sql(cli.db,
             "INSERT INTO dead_letter (model, recordId, operation, fields, seqs, enqueuedAt, attempts, errorClass, "
             "errorMessage, deadAt) VALUES ('ScoringJob', 'x', 'create', '{}', '[]', '" +
                 time_ago(kTwoDays) + "', 1, 'rejected', 'no', '" + time_ago(kTwoDays) + "')");
    const auto letters = check({"--max-dead-letters", "0"});
    CHECK(letters.exit_code == 2);
    CHECK(letters.out.rfind("SCORINGJOBS CRITICAL - 1 dead letter (over 0), ", 0) == 0);
    CHECK(check({"--max-dead-letters", "0,5"}).exit_code == 1);
    CHECK(check({"--max-dead-letters", "1"}).exit_code == 0);
  }

  SUBCASE("since success: the last run that ended done, and in sync when nothing waits") {
    const auto done_report = R"({"outcome":"done","exitCode":0,"requests":1})";
    exec_sql(cli.db, "INSERT INTO sync_run (startedAt, finishedAt, exitCode, report) VALUES ('" + time_ago(kTwoDays) +
                         "', '" + time_ago(kTwoDays) + "', 0, '" + done_report + "')");
    const auto stale = check({"--max-since-success", "1d"});
    CHECK(stale.exit_code == 2);
    CHECK(stale.out.find("last sync done 2 d ago (over 1 d)") != std::string::npos);
    // Nothing queued after a run that ended done: later runs had nothing to do
    // and were not recorded, so the store counts as in sync.
    exec_sql(cli.db, "DELETE FROM outbox");
    const auto quiet = check({"--max-since-success", "1h"});
    CHECK(quiet.exit_code == 0);
    CHECK(quiet.out.find("in sync") != std::string::npos);
  }

  SUBCASE("UNKNOWN when the check cannot look") {
    const auto bad = check({"--max-oldest-age", "a while"});
    CHECK(bad.exit_code == 3);
    CHECK(bad.out.rfind("SCORINGJOBS UNKNOWN - --max-oldest-age \"a while\" is not a duration", 0) == 0);
    const auto unknown_option = cli.run({"status", "--check", "--max-age", "1h"});
    CHECK(unknown_option.exit_code == 3);
    CHECK(unknown_option.out.rfind("SCORINGJOBS UNKNOWN - ", 0) == 0);
    const auto no_store = cli.run_at((cli.dir / "missing.db").string(), {"status", "--check"});
    INFO(no_store.describe());
    CHECK(no_store.exit_code == 3);
    CHECK(no_store.out.rfind("SCORINGJOBS UNKNOWN - no store at ", 0) == 0);
    CHECK(!std::filesystem::exists(cli.dir / "missing.db"));
  }
}

TEST_CASE("sync --quiet: exit 75 stays silent until no run has reached the API for --alert-after") {
  Rig rig;
  rig.create("item-1");
  REQUIRE(rig.sync({"--push-only"}).exit_code == 0);
  rig.create("item-2");
  rig.server.stop();

  const auto recent = rig.sync({"--quiet"});
  INFO(recent.describe());
  CHECK(recent.exit_code == 75);
  CHECK(recent.err.empty());

  // The last run that reached the API ended two days ago.
  exec_sql(rig.db, "UPDATE sync_run SET startedAt = '" + time_ago(kTwoDays) + "', finishedAt = '" + time_ago(kTwoDays) +
                       "' WHERE json_extract(report, '$.outcome') = 'done'");
  const auto overdue = rig.sync({"--quiet"});
  INFO(overdue.describe());
  CHECK(overdue.exit_code == 75);
  CHECK(overdue.out.empty());
  // The summary, then why: two lines, once.
  CHECK(overdue.err.rfind("sync: offline \u2014 pushed 0", 0) == 0);
  CHECK(overdue.err.find("\nsync: no run has reached the API for 2 d (the last that did ended ") != std::string::npos);
  CHECK(overdue.err.find("longer than --alert-after 24h") != std::string::npos);
  CHECK(std::count(overdue.err.begin(), overdue.err.end(), '\n') == 2);

  CHECK(rig.sync({"--quiet", "--alert-after", "3d"}).err.empty());
  // --json keeps stdout for the report; the alert goes to stderr.
  const auto as_json = rig.sync({"--quiet", "--json"});
  CHECK(json::parse(as_json.out)["outcome"] == "offline");
  CHECK(as_json.err.rfind("sync: no run has reached the API for 2 d", 0) == 0);
}

TEST_CASE("sync --quiet on a store that never reached the API: counted from its first recorded run") {
  Rig rig;
  rig.create("item-1");
  rig.server.stop();
  CHECK(rig.sync({"--quiet"}).err.empty());  // the first run is now
  exec_sql(rig.db, "UPDATE sync_run SET startedAt = '" + time_ago(std::chrono::hours(30)) + "'");
  const auto overdue = rig.sync({"--quiet"});
  INFO(overdue.describe());
  CHECK(overdue.exit_code == 75);
  CHECK(overdue.err.find("\nsync: no run has reached the API since the first recorded run, 30 h ago") !=
        std::string::npos);
}

TEST_CASE("outbox and status show ages in one unit, and count 1 request in the singular") {
  Rig rig;
  rig.create("item-1");
  exec_sql(rig.db, "UPDATE outbox SET enqueuedAt = '" + time_ago(kTwoDays) + "'");
  const auto outbox = rig.run({"outbox"});
  CHECK(outbox.exit_code == 0);
  CHECK(outbox.out.rfind("pending: 1 (oldest 2 d ago)\n", 0) == 0);
  rig.server.stop();
  CHECK(rig.sync().exit_code == 75);  // one request, refused
  const auto status = rig.run({"status"});
  INFO(status.describe());
  CHECK(status.out.rfind("queued: 1 (oldest 2 d ago)", 0) == 0);
  CHECK(status.out.find(" queued, 1 request, ") != std::string::npos);
}

TEST_CASE("status and schedule show the unfinished records sync reads back, and when each is next checked") {
  Rig rig;
  const auto job = rig.create("item-1");
  const auto finished = rig.create("item-2");
  // Not confirmed remotely yet: push settles them, nothing is read back.
  CHECK(rig.status()["refresh"]["watched"] == 0);
  rig.sync_json(0);
  const auto after_push = rig.status()["refresh"];
  CHECK(after_push["watched"] == 2);
  CHECK(after_push["due"] == 2);  // confirmed: read back by the next run

  // A queued change is push's to settle, and a finished job is not read back again.
  rig.ok({"update", finished, "--status", "COMPLETED"});
  CHECK(rig.status()["refresh"]["watched"] == 1);
  rig.sync_json(0);
  CHECK(rig.status()["refresh"]["watched"] == 1);

  const auto listed = rig.run({"schedule", "--json"});
  INFO(listed.describe());
  REQUIRE(listed.exit_code == 0);
  const auto line = json::parse(listed.out);  // one record, one line
  CHECK(line["model"] == "ScoringJob");
  CHECK(line["id"] == job);
  CHECK(line["status"] == "PENDING");
  REQUIRE(line["checkedAt"].is_string());  // the second run read it back
  REQUIRE(line["nextCheckAt"].is_string());
  const auto checked = Timestamp::parse(line["checkedAt"].get<std::string>());
  CHECK(Timestamp::parse(line["nextCheckAt"].get<std::string>()).unix_millis() >= checked.unix_millis());

  const auto text = rig.run({"schedule"});
  CHECK(text.out.find(job + "\tPENDING\tnext ") != std::string::npos);
  CHECK(text.out.find(finished) == std::string::npos);
  CHECK(rig.run({"status"}).out.find("read back from the API: 1 unfinished") != std::string::npos);
}
