// The scoringjobs CLI's sync, status, dead-letter, conflict, export, import and
// pull commands, driven as cron and an operator drive them: the real binary in
// its own process against the local AppSync server, checked on exit codes,
// stdout/stderr and what ends up in the store and on the server.
//
// Every run is also checked for the API key: it starts with the canary prefix
// (support/canary.hpp) and must never appear in anything the tool prints. Key
// files are named *.planted-key, the only files allowed to hold it.

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/remote.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "support/appsync_server.hpp"
#include "support/canary.hpp"
#include "support/cli_rig.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using scoringjobs::test::AppSyncServer;
using scoringjobs::test::check_no_key;
using scoringjobs::test::Cli;
using scoringjobs::test::read_file;
using scoringjobs::test::Rig;
using scoringjobs::test::run_cli;
using scoringjobs::test::RunOptions;
using scoringjobs::test::RunResult;
using scoringjobs::test::TempDir;
using scoringjobs::test::write_file;

namespace {

constexpr const char* kSyncTestKey = scoringjobs::test::kCliTestKey;

const std::vector<std::string> kReportFields{
    "startedAt", "outcome",   "exitCode",     "error",        "queuedAtStart", "pushed",
    "coalesced", "conflicts", "retried",      "deadLettered", "pulled",        "deletedRemotely",
    "requests",  "throttled", "peakInFlight", "stillQueued",  "held",          "durationMs"};

}  // namespace

TEST_CASE("sync pushes the outbox and exits 0, --json prints the report, otherwise one summary line") {
  Rig rig;
  rig.create("item-1");
  rig.create("item-2");
  rig.assign("item-3");
  rig.ok({"update", rig.create("item-4"), "--status", "RUNNING"});
  const auto queued = rig.pending();
  REQUIRE(queued > 0);

  const auto report = rig.sync_json(0, {"--push-only"});
  for (const auto& field : kReportFields) CHECK_MESSAGE(report.contains(field), field);
  CHECK(report["outcome"] == "done");
  CHECK(report["queuedAtStart"] == queued);
  CHECK(report["pushed"].get<std::int64_t>() + report["coalesced"].get<std::int64_t>() == queued);
  CHECK(report["stillQueued"] == 0);
  CHECK(report["requests"].get<std::int64_t>() >= 1);
  CHECK(rig.pending() == 0);
  const auto dump = rig.server.dump();
  CHECK(dump["ScoringJob"].size() == 4);
  CHECK(dump["BatchJob"].size() == 1);
  CHECK(dump["BatchJobScoringJob"].size() == 1);

  // Without --json: nothing on stdout, one summary line on stderr (not a terminal: no progress line).
  const auto plain = rig.sync();
  INFO(plain.describe());
  CHECK(plain.exit_code == 0);
  CHECK(plain.out.empty());
  CHECK(plain.err.rfind("sync: done \u2014 pushed 0 (0 coalesced), pulled ", 0) == 0);
  CHECK(plain.err.find(" dead-lettered, 0 queued, ") != std::string::npos);
  CHECK(plain.err.find('\r') == std::string::npos);
  CHECK(plain.err.find('\n') == plain.err.size() - 1);

  // --quiet: nothing at all when done (0) ...
  const auto quiet = rig.sync({"--quiet"});
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.out.empty());
  CHECK(quiet.err.empty());

  // ... or told to try later (75): both are the normal outcomes of a cron run.
  rig.create("item-5");
  rig.server.stop();
  const auto quiet_offline = rig.sync({"--quiet"});
  CHECK(quiet_offline.exit_code == 75);
  CHECK(quiet_offline.out.empty());
  CHECK(quiet_offline.err.empty());
}

TEST_CASE("sync takes the URL and key from the environment") {
  Rig rig;
  rig.create("item");
  const auto result =
      rig.run({"sync", "--json"}, {{"PLEXUS_API_URL", rig.server.url()}, {"PLEXUS_API_KEY", kSyncTestKey}});
  INFO(result.describe());
  CHECK(result.exit_code == 0);
  CHECK(json::parse(result.out)["pushed"] == 1);
  CHECK(rig.pending() == 0);
}

TEST_CASE("sync exits 75 with the API down and loses nothing, the next run sends it all") {
  Rig rig;
  rig.create("item-1");
  rig.assign("item-2");
  const auto queued = rig.pending();
  rig.server.stop();

  const auto report = rig.sync_json(75);
  CHECK(report["outcome"] == "offline");
  CHECK(report["pushed"] == 0);
  CHECK(report["stillQueued"] == queued);
  CHECK(rig.pending() == queued);
  // The summary names the outcome; verbose logs do not carry the key either (checked by run()).
  const auto plain = rig.sync({"-vv"});
  CHECK(plain.exit_code == 75);
  CHECK(plain.err.find("sync: offline \u2014 ") != std::string::npos);
  CHECK(rig.run({"sync", "--api-url", rig.server.url(), "--api-key-file", rig.key_file}, {{"SCORINGJOBS_LOG", "debug"}})
            .exit_code == 75);
  CHECK(rig.pending() == queued);

  rig.server.start();
  CHECK(rig.sync_json(0)["stillQueued"] == 0);
  CHECK(rig.server.dump()["ScoringJob"].size() == 2);
}

TEST_CASE("sync exits 77 when the API refuses the key, keeps everything queued and never prints the key") {
  Rig rig;
  rig.create("item");
  const auto wrong = write_file(rig.dir / "wrong.planted-key", "CANARY-KEY-wrong-0000\n");
  const auto result =
      rig.run({"sync", "--api-url", rig.server.url(), "--api-key-file", wrong, "-vv"}, {{"SCORINGJOBS_LOG", "debug"}});
  INFO(result.describe());
  CHECK(result.exit_code == 77);
  CHECK(result.err.find("sync: auth") != std::string::npos);
  CHECK(rig.pending() == 1);

  const auto json_run =
      rig.run({"sync", "--json"}, {{"PLEXUS_API_URL", rig.server.url()}, {"PLEXUS_API_KEY", "CANARY-KEY-wrong-env"}});
  CHECK(json_run.exit_code == 77);
  CHECK(json::parse(json_run.out)["outcome"] == "auth");
  CHECK(rig.pending() == 1);

  // --quiet does not hide it: a refused key needs a person, so cron must have something to mail.
  const auto quiet = rig.run({"sync", "--quiet", "--api-url", rig.server.url(), "--api-key-file", wrong});
  INFO(quiet.describe());
  CHECK(quiet.exit_code == 77);
  CHECK(quiet.out.empty());
  CHECK(quiet.err.rfind("sync: auth \u2014 pushed 0", 0) == 0);
  CHECK(quiet.err.find('\n') == quiet.err.size() - 1);
}

TEST_CASE("sync refuses a missing URL or key and a key file others can read, with exit 2") {
  Rig rig;
  rig.create("item");

  auto both = rig.fails({"sync"}, 2);
  CHECK(both.err.find("API URL") != std::string::npos);
  CHECK(both.err.find("API key") != std::string::npos);

  auto no_key = rig.fails({"sync", "--api-url", rig.server.url()}, 2);
  CHECK(no_key.err.find("API key") != std::string::npos);
  CHECK(no_key.err.find("API URL") == std::string::npos);

  auto no_url = rig.fails({"sync", "--api-key-file", rig.key_file}, 2);
  CHECK(no_url.err.find("API URL") != std::string::npos);
  CHECK(no_url.err.find("API key") == std::string::npos);
  rig.fails({"sync"}, 2, {{"PLEXUS_API_KEY", kSyncTestKey}});
  rig.fails({"sync"}, 2, {{"PLEXUS_API_URL", rig.server.url()}, {"PLEXUS_API_KEY", ""}});

  const auto loose = write_file(rig.dir / "loose.planted-key", std::string(kSyncTestKey) + "\n", 0640);
  auto group_readable = rig.fails({"sync", "--api-url", rig.server.url(), "--api-key-file", loose}, 2);
  CHECK(group_readable.err.find("loose.planted-key") != std::string::npos);
  CHECK(group_readable.err.find("group or others") != std::string::npos);
  CHECK(group_readable.err.find("0640") != std::string::npos);
  REQUIRE(::chmod(loose.c_str(), 0604) == 0);
  rig.fails({"sync", "--api-url", rig.server.url(), "--api-key-file", loose}, 2);

  const auto empty = write_file(rig.dir / "empty.key", "\n");
  CHECK(rig.fails({"sync", "--api-url", rig.server.url(), "--api-key-file", empty}, 2).err.find("empty") !=
        std::string::npos);
  rig.fails({"sync", "--api-url", rig.server.url(), "--api-key-file", (rig.dir / "absent.key").string()}, 2);

  // Other usage errors.
  const auto both_only = rig.sync({"--push-only", "--pull-only"});
  CHECK(both_only.exit_code == 2);
  CHECK(rig.sync({"--batch-size", "0"}).exit_code == 2);
  const auto no_window =
      rig.fails({"sync", "--api-url", rig.server.url(), "--api-key-file", rig.key_file, "--max-in-flight", "0"}, 2);
  CHECK(no_window.err.find("--max-in-flight") != std::string::npos);
  CHECK(no_window.err.find('0') != std::string::npos);
  CHECK(rig.sync({"--deadline", "-1"}).exit_code == 2);
  // Plain http to a non-loopback host would send the key in clear.
  CHECK(rig.fails({"sync", "--api-url", "http://example.invalid/graphql", "--api-key-file", rig.key_file}, 2)
            .err.find("http") != std::string::npos);

  CHECK(rig.pending() == 1);
  CHECK(rig.server.request_log().empty());
}

TEST_CASE("sync exits 65 when the API rejects a change, dead letters can be listed, retried and discarded") {
  Rig rig;
  const auto poison1 = rig.create("poison-1");
  const auto poison2 = rig.create("poison-2");
  rig.create("fine");
  rig.server.add_fault({{"mode", "reject"}, {"matchInput", "poison"}});

  const auto report = rig.sync_json(65, {"--push-only"});
  CHECK(report["deadLettered"] == 2);
  CHECK(report["pushed"] == 1);
  CHECK(report["outcome"] == "done");
  CHECK(rig.status()["deadLetters"] == 2);

  const auto letters = rig.ok({"dead-letters", "list", "--json"})["deadLetters"];
  REQUIRE(letters.size() == 2);
  for (const auto& letter : letters) {
    for (const auto* field :
         {"id", "model", "recordId", "operation", "fields", "errorClass", "errorMessage", "deadAt", "attempts"}) {
      CHECK_MESSAGE(letter.contains(field), field);
    }
    CHECK(letter["model"] == "ScoringJob");
    CHECK(letter["operation"] == "create");
  }
  CHECK(letters[0]["recordId"] == poison1);
  CHECK(letters[1]["recordId"] == poison2);
  const auto text = rig.run({"dead-letters", "list"});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find(poison1) != std::string::npos);

  const auto retry_id = std::to_string(letters[0]["id"].get<std::int64_t>());
  const auto discard_id = std::to_string(letters[1]["id"].get<std::int64_t>());
  CHECK(rig.ok({"dead-letters", "retry", retry_id})["retried"] == true);
  CHECK(rig.pending() == 1);
  CHECK(rig.ok({"dead-letters", "discard", discard_id})["discarded"] == true);
  // Unknown ids: exit 3.
  rig.fails({"dead-letters", "retry", retry_id}, 3);
  rig.fails({"dead-letters", "discard", discard_id}, 3);
  rig.fails({"dead-letters", "retry", "999999"}, 3);
  CHECK(rig.run({"dead-letters", "retry", "not-a-number"}).exit_code == 2);
  CHECK(rig.run({"dead-letters"}).exit_code == 2);
  CHECK(rig.ok({"dead-letters", "list", "--json"})["deadLetters"].empty());

  rig.server.clear_faults();
  CHECK(rig.sync_json(0, {"--push-only"})["pushed"] == 1);
  std::set<std::string> items;
  const auto dump = rig.server.dump();
  for (const auto& job : dump["ScoringJob"]) items.insert(job["itemId"].get<std::string>());
  const std::set<std::string> expected{"fine", "poison-1"};
  CHECK(items == expected);
  CHECK(rig.status()["deadLetters"] == 0);

  // The summary of a run that dead-lettered says it needs a person, not "done";
  // --quiet still prints it (cron mails it), but not the per-letter warnings.
  rig.create("poison-3");
  rig.server.add_fault({{"mode", "reject"}, {"matchInput", "poison"}});
  const auto quiet = rig.sync({"--quiet", "--push-only"});
  INFO(quiet.describe());
  CHECK(quiet.exit_code == 65);
  CHECK(quiet.out.empty());
  CHECK(quiet.err.rfind("sync: needs attention \u2014 pushed 0 (0 coalesced), pulled 0, 0 conflicts, 1 dead-lettered",
                        0) == 0);
  CHECK(quiet.err.find('\n') == quiet.err.size() - 1);  // the summary line only
  CHECK(rig.status()["deadLetters"] == 1);

  rig.create("poison-4");
  const auto plain = rig.sync({"--push-only"});
  CHECK(plain.exit_code == 65);
  CHECK(plain.err.find("scoringjobs: warning: ") != std::string::npos);
  CHECK(plain.err.find("sync: needs attention \u2014 ") != std::string::npos);
  CHECK(plain.err.find("sync: done") == std::string::npos);
}

TEST_CASE("two syncs started at once: exactly one runs, the other exits 75 at once with outcome locked") {
  Rig rig;
  rig.create("item");
  rig.server.add_fault({{"mode", "delay"}, {"delayMs", 2000}, {"count", 1}});
  auto first = std::async(std::launch::async, [&] { return rig.sync({"--json", "--push-only"}); });
  // Wait (bounded) until the first run's request is in flight.
  for (int i = 0; i < 1000 && rig.server.request_log().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE_FALSE(rig.server.request_log().empty());

  const auto started = std::chrono::steady_clock::now();
  const auto second = rig.sync_json(75);
  CHECK(second["outcome"] == "locked");
  CHECK(second["requests"] == 0);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1500));

  const auto first_result = first.get();
  INFO(first_result.describe());
  CHECK(first_result.exit_code == 0);
  CHECK(json::parse(first_result.out)["pushed"] == 1);
  CHECK(rig.server.request_log().size() == 1);
}

TEST_CASE("two syncs at once through a symlink and another spelling of the database path: still only one runs") {
  Rig rig;
  rig.create("item");
  const auto alias = rig.dir / "alias.db";
  std::filesystem::create_symlink(rig.db, alias);
  std::filesystem::create_directory(rig.dir / "sub");
  const auto dotted = (rig.dir / "sub" / ".." / "." / "jobs.db").string();
  // The first run's only request waits 5 s in the server, holding the lock meanwhile.
  rig.server.add_fault({{"mode", "delay"}, {"delayMs", 5000}, {"count", 1}});
  auto first = std::async(std::launch::async, [&] { return rig.sync({"--json", "--push-only"}); });
  for (int i = 0; i < 1000 && rig.server.request_log().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE_FALSE(rig.server.request_log().empty());

  for (const auto& path : {alias.string(), dotted}) {
    const auto second = rig.sync_at(path, {"--json"});
    INFO(path << ": " << second.describe());
    CHECK(second.exit_code == 75);
    const auto report = json::parse(second.out);
    CHECK(report["outcome"] == "locked");
    CHECK(report["requests"] == 0);
  }
  const auto first_result = first.get();
  INFO(first_result.describe());
  CHECK(first_result.exit_code == 0);
  CHECK(json::parse(first_result.out)["pushed"] == 1);
  CHECK(rig.server.request_log().size() == 1);
  CHECK(rig.server.dump()["ScoringJob"].size() == 1);
  // One lock file, beside the real database.
  CHECK(std::filesystem::exists(rig.db + ".lock"));
  CHECK_FALSE(std::filesystem::exists(alias.string() + ".lock"));
}

TEST_CASE("entries in backoff: sync without --retry-now sends nothing and exits 75, with it the queue drains") {
  Rig rig;
  rig.create("item-1");
  rig.create("item-2");
  rig.server.add_fault({{"mode", "throttle"}, {"count", 1}, {"retryAfter", 120}});
  CHECK(rig.sync_json(75)["outcome"] == "throttled");
  REQUIRE(rig.server.request_log().size() == 1);
  REQUIRE(rig.status()["nextRetryAt"].is_string());
  rig.server.clear_log();

  // The next cron run respects the retry time: no request at all.
  const auto waiting = rig.sync_json(75);
  CHECK(waiting["outcome"] == "waiting");
  CHECK(waiting["requests"] == 0);
  CHECK(waiting["pushed"] == 0);
  CHECK(waiting["stillQueued"] == 2);
  CHECK(rig.server.request_log().empty());
  CHECK(rig.server.dump()["ScoringJob"].empty());
  CHECK(rig.pending() == 2);

  const auto now = rig.sync_json(0, {"--retry-now"});
  CHECK(now["pushed"] == 2);
  CHECK(now["stillQueued"] == 0);
  CHECK(rig.pending() == 0);
  CHECK(rig.server.dump()["ScoringJob"].size() == 2);
}

TEST_CASE("a crontab: sync run again and again while the API comes and goes and writers keep writing") {
  Rig rig;
  rig.ok({"init"});
  // Whether the API is up for each run; the server is stopped and started between runs.
  const std::vector<bool> up{true, false, false, true, true, false, true, false, false, false, true, false};
  std::vector<std::string> created;
  std::map<std::string, std::string> status_of;  // the jobs updated, and their last local status
  for (std::size_t run = 0; run < up.size(); ++run) {
    if (up[run]) {
      rig.server.start();
    } else {
      rig.server.stop();
    }
    // Writers between runs: new jobs, and updates of jobs both sent and not yet sent.
    for (int i = 0; i < 3; ++i) {
      created.push_back(rig.create("cron-" + std::to_string(run) + "-" + std::to_string(i)));
    }
    for (const auto& id : {created[created.size() / 2], created.back()}) {
      const auto status = run % 2 == 0 ? "RUNNING" : "COMPLETED";
      if (status_of[id] == "COMPLETED") continue;  // never backwards
      rig.ok({"update", id, "--status", status});
      status_of[id] = status;
    }

    const auto result = rig.sync({"--json", "--deadline", "60"});
    INFO("run " << run << (up[run] ? " (up): " : " (down): ") << result.describe());
    REQUIRE((result.exit_code == 0 || result.exit_code == 75));
    const auto report = json::parse(result.out);
    if (up[run]) {
      CHECK(result.exit_code == 0);
      CHECK(report["stillQueued"] == 0);
      CHECK(rig.pending() == 0);
    } else {
      CHECK(result.exit_code == 75);
      CHECK(report["outcome"] == "offline");
      CHECK(rig.pending() > 0);
    }
  }

  rig.server.start();
  const auto last = rig.sync_json(0);
  CHECK(last["stillQueued"] == 0);
  CHECK(rig.pending() == 0);
  const auto dump = rig.server.dump();
  std::map<std::string, int> copies;
  std::map<std::string, std::string> remote_status;
  for (const auto& job : dump["ScoringJob"]) {
    const auto id = job["id"].get<std::string>();
    ++copies[id];
    remote_status[id] = job["status"].get<std::string>();
  }
  CHECK(dump["ScoringJob"].size() == created.size());
  for (const auto& id : created) CHECK_MESSAGE(copies[id] == 1, id);
  for (const auto& entry : status_of) CHECK_MESSAGE(remote_status[entry.first] == entry.second, entry.first);
}

TEST_CASE("sync stops at --deadline between requests and exits 75, --batch-size bounds each request") {
  Rig rig;
  for (int i = 0; i < 4; ++i) rig.create("item-" + std::to_string(i));
  rig.server.add_fault({{"mode", "delay"}, {"delayMs", 600}});
  const auto report = rig.sync_json(75, {"--push-only", "--batch-size", "1", "--deadline", "1"});
  CHECK(report["outcome"] == "deadline");
  CHECK(report["pushed"].get<std::int64_t>() >= 1);
  CHECK(report["pushed"].get<std::int64_t>() < 4);
  CHECK(report["stillQueued"].get<std::int64_t>() == 4 - report["pushed"].get<std::int64_t>());
  for (const auto& request : rig.server.request_log()) CHECK(request["fields"].size() == 1);
  rig.server.clear_faults();
  CHECK(rig.sync_json(0, {"--push-only"})["stillQueued"] == 0);
}

TEST_CASE("status --json: queued entries by kind, retry time, dead letters, conflicts and the last runs") {
  Rig rig;
  rig.ok({"init"});
  auto status = rig.status();
  CHECK(status["queued"] == 0);
  CHECK(status["deadLetters"] == 0);
  CHECK(status["conflicts"] == 0);
  CHECK(status["lastRuns"] == json::array());
  CHECK(status["oldestQueuedAgeMs"].is_null());
  CHECK(status["nextRetryAt"].is_null());

  const auto job = rig.create("item-1");
  rig.create("item-2");
  rig.ok({"update", job, "--status", "RUNNING"});
  status = rig.status();
  CHECK(status["queued"] == 3);
  CHECK(status["byKind"]["ScoringJob"]["create"] == 2);
  CHECK(status["byKind"]["ScoringJob"]["update"] == 1);
  CHECK(status["byKind"]["BatchJob"]["create"] == 0);
  CHECK(status["oldestQueuedAgeMs"].get<std::int64_t>() >= 0);

  // Throttled: the entries get a retry time and the run is recorded with 75.
  rig.server.add_fault({{"mode", "throttle"}, {"count", 1}, {"retryAfter", 120}});
  rig.sync_json(75, {"--push-only"});
  status = rig.status();
  CHECK(status["nextRetryAt"].is_string());
  REQUIRE(status["lastRuns"].size() == 1);
  CHECK(status["lastRuns"][0]["exitCode"] == 75);
  CHECK(status["lastRuns"][0]["outcome"] == "throttled");

  CHECK(rig.sync_json(0, {"--retry-now"})["stillQueued"] == 0);
  status = rig.status();
  CHECK(status["queued"] == 0);
  REQUIRE(status["lastRuns"].size() == 2);
  const auto& newest = status["lastRuns"][0];
  CHECK(newest["exitCode"] == 0);
  CHECK(newest["outcome"] == "done");
  CHECK(newest["startedAt"].is_string());
  CHECK(newest["pushed"] == 2);
  CHECK(newest["coalesced"] == 1);
  CHECK(newest["requests"].get<std::int64_t>() >= 1);
  CHECK(status["lastRuns"][1]["exitCode"] == 75);

  // A change made remotely and locally at once: the merge's decisions are recorded.
  scoringjobs::RemoteClient other(rig.server.remote_config());
  other.update<scoringjobs::ScoringJob>({{"id", job}, {"status", "FAILED"}, {"errorMessage", "remote"}});
  rig.ok({"update", job, "--status", "COMPLETED"});
  CHECK(rig.sync_json(0)["conflicts"].get<std::int64_t>() >= 1);
  status = rig.status();
  CHECK(status["conflicts"].get<std::int64_t>() >= 1);
  const auto conflicts = rig.ok({"conflicts", "list", "--json"})["conflicts"];
  REQUIRE(conflicts.size() == status["conflicts"].get<std::size_t>());
  std::set<std::string> fields;
  for (const auto& c : conflicts) {
    CHECK(c["recordId"] == job);
    fields.insert(c["field"].get<std::string>());
  }
  CHECK(fields.count("status"));
  for (const auto* field : {"id", "model", "base", "local", "remote", "result", "chosen", "rule", "decidedAt"}) {
    CHECK_MESSAGE(conflicts[0].contains(field), field);
  }
  // The text form: one line per decision, values as compact JSON ("COMPLETED", not \"COMPLETED\").
  const auto listed = rig.run({"conflicts", "list"});
  CHECK(listed.out.find(job) != std::string::npos);
  CHECK(listed.out.find("\tstatus\tchose ") != std::string::npos);
  CHECK(listed.out.find("local=\"COMPLETED\" remote=\"FAILED\"") != std::string::npos);
  CHECK(listed.out.find('\\') == std::string::npos);

  // The text form names the same things.
  const auto text = rig.run({"status"});
  CHECK(text.exit_code == 0);
  CHECK(text.out.rfind("queued: 0", 0) == 0);
  CHECK(text.out.find("dead letters: 0") != std::string::npos);
  CHECK(text.out.find("last runs:") != std::string::npos);
}

TEST_CASE("export, import into an empty store, export: the same bytes, importing twice changes nothing") {
  Cli source;
  const auto job = source
                       .ok({"create", "--account", "acct", "--scorecard", "card", "--item", "a", "--metadata",
                            R"({"z": [1, 2], "a": "\u00e9"})"})["id"]
                       .get<std::string>();
  source.ok({"update", job, "--status", "RUNNING", "--started-at", "2026-11-28T18:55:00.123456+01:00"});
  source.assign("b");
  source.assign("c");
  source.create("d");
  const auto exported = source.export_text();
  const auto document = json::parse(exported);
  CHECK(document["ScoringJob"].size() == 4);
  CHECK(document["BatchJob"].size() == 1);
  CHECK(document["BatchJobScoringJob"].size() == 2);
  CHECK(source.export_text() == exported);  // stable

  // --out writes the same bytes.
  const auto file = (source.dir / "fixture.json").string();
  const auto written = source.ok({"export", "--out", file});
  CHECK(written["records"]["ScoringJob"] == 4);
  CHECK(read_file(file) == exported);

  Cli target;
  const auto first = target.ok({"import", file});
  CHECK(first["imported"]["ScoringJob"]["written"] == 4);
  CHECK(first["imported"]["BatchJobScoringJob"]["written"] == 2);
  CHECK(target.pending() == 0);  // recorded as remote state, nothing queued
  CHECK(target.export_text() == exported);
  // Memberships came through the join rows.
  const auto link = document["BatchJobScoringJob"][0];
  CHECK(target.ok({"batch-of", link["scoringJobId"].get<std::string>()})["id"] == link["batchJobId"]);

  const auto remote_state = [&] {
    SQLite::Database raw(target.db, SQLite::OPEN_READONLY);
    SQLite::Statement rows(raw,
                           "SELECT model, recordId, fields, updatedAt, confirmedAt FROM remote_state ORDER BY 1, 2");
    json out = json::array();
    while (rows.executeStep()) {
      out.push_back({rows.getColumn(0).getString(), rows.getColumn(1).getString(), rows.getColumn(2).getString(),
                     rows.getColumn(3).getString(), rows.getColumn(4).getString()});
    }
    return out;
  };
  const auto state_before = remote_state();
  CHECK(state_before.size() == 7);
  const auto second = target.ok({"import", file});
  CHECK(second["imported"]["ScoringJob"]["written"] == 0);
  CHECK(second["imported"]["ScoringJob"]["unchanged"] == 4);
  CHECK(second["imported"]["BatchJob"]["unchanged"] == 1);
  CHECK(second["imported"]["BatchJobScoringJob"]["unchanged"] == 2);
  CHECK(remote_state() == state_before);
  CHECK(target.pending() == 0);
  CHECK(target.export_text() == exported);

  // Imported as remote state, the records are not sent: a push has nothing to do.
  Rig rig;
  rig.ok({"import", file});
  const auto report = rig.sync_json(0, {"--push-only"});
  CHECK(report["queuedAtStart"] == 0);
  CHECK(report["requests"] == 0);
  CHECK(rig.server.dump()["ScoringJob"].empty());
}

TEST_CASE("import --as-local-changes queues every record as a create, and sync sends them") {
  Cli source;
  source.assign("a");
  source.create("b");
  const auto file = (source.dir / "fixture.json").string();
  source.ok({"export", "--out", file});

  Rig rig;
  const auto imported = rig.ok({"import", file, "--as-local-changes"});
  CHECK(imported["as"] == "local-changes");
  const auto status = rig.status();
  CHECK(status["queued"] == 4);
  CHECK(status["byKind"]["ScoringJob"]["create"] == 2);
  CHECK(status["byKind"]["BatchJob"]["create"] == 1);
  CHECK(status["byKind"]["BatchJobScoringJob"]["create"] == 1);
  // Twice: nothing new.
  CHECK(rig.ok({"import", file, "--as-local-changes"})["imported"]["ScoringJob"]["unchanged"] == 2);
  CHECK(rig.pending() == 4);

  CHECK(rig.sync_json(0, {"--push-only"})["stillQueued"] == 0);
  const auto dump = rig.server.dump();
  CHECK(dump["ScoringJob"].size() == 2);
  CHECK(dump["BatchJob"].size() == 1);
  CHECK(dump["BatchJobScoringJob"].size() == 1);
  // The server sets the timestamps of BatchJobs and join rows itself (their create
  // inputs have none) and the store adopts them; everything else is as imported.
  const auto sent = json::parse(rig.export_text());
  const auto original = json::parse(source.export_text());
  CHECK(sent["ScoringJob"] == original["ScoringJob"]);
  for (const auto* model : {"BatchJob", "BatchJobScoringJob"}) {
    REQUIRE(sent[model].size() == original[model].size());
    for (std::size_t i = 0; i < sent[model].size(); ++i) {
      auto a = sent[model][i], b = original[model][i];
      for (auto* record : {&a, &b}) {
        record->erase("createdAt");
        record->erase("updatedAt");
      }
      CHECK(a == b);
    }
  }
}

TEST_CASE("an invalid file is refused whole, naming the position of its first problem, the store is unchanged") {
  Cli source;
  source.assign("a");
  source.create("b");
  source.create("c");
  const auto document = json::parse(source.export_text());

  Cli target;
  target.create("already-here");
  const auto before = target.export_text();
  const auto pending = target.pending();

  const auto refused = [&](const json& doc, const std::string& position) {
    const auto file = write_file(target.dir / "bad.json", doc.dump());
    const auto result = target.fails({"import", file}, 2);
    CHECK_MESSAGE(result.err.find(position) != std::string::npos, position << " in " << result.err);
    CHECK(target.export_text() == before);
    CHECK(target.pending() == pending);
  };

  auto bad_time = document;
  bad_time["ScoringJob"][2]["startedAt"] = "yesterday";
  refused(bad_time, "ScoringJob[2].startedAt");

  auto missing_field = document;
  missing_field["BatchJob"][0].erase("accountId");
  refused(missing_field, "BatchJob[0].accountId");

  auto unknown_field = document;
  unknown_field["ScoringJob"][0]["colour"] = "blue";
  refused(unknown_field, "ScoringJob[0]");

  auto duplicate = document;
  duplicate["ScoringJob"].push_back(document["ScoringJob"][1]);
  refused(duplicate, "ScoringJob[3].id");

  auto orphan_link = document;
  orphan_link["BatchJobScoringJob"][0]["batchJobId"] = "no-such-batch";
  refused(orphan_link, "BatchJobScoringJob[0].batchJobId");

  auto no_batches = document;
  no_batches.erase("BatchJob");
  refused(no_batches, "BatchJobScoringJob[0].batchJobId");

  auto local_only = document;
  local_only["ScoringJob"][0]["batchId"] = "x";
  refused(local_only, "ScoringJob[0].batchId");

  auto unknown_model = document;
  unknown_model["Score"] = json::array();
  refused(unknown_model, "Score");

  refused(json::array(), "document");
  auto not_a_list = document;
  not_a_list["BatchJob"] = json::object();
  refused(not_a_list, "BatchJob");

  const auto garbage = write_file(target.dir / "garbage.json", "{\"ScoringJob\": [");
  CHECK(target.fails({"import", garbage}, 2).err.find("not valid JSON") != std::string::npos);
  target.fails({"import", (target.dir / "absent.json").string()}, 2);
  CHECK(target.export_text() == before);

  // With --as-local-changes, a record stored with other values is refused too.
  const auto good = write_file(target.dir / "good.json", document.dump());
  target.ok({"import", good, "--as-local-changes"});
  auto changed = document;
  changed["ScoringJob"][1]["status"] = "COMPLETED";
  const auto changed_file = write_file(target.dir / "changed.json", changed.dump());
  CHECK(target.fails({"import", changed_file, "--as-local-changes"}, 2).err.find("ScoringJob[1]") != std::string::npos);
  // And as remote state, over records with local changes not yet synced.
  CHECK(target.fails({"import", changed_file}, 2).err.find("not yet synced") != std::string::npos);
}

TEST_CASE("pull fills a store from the API as remote state: an account's jobs, batches and links") {
  Rig rig;
  scoringjobs::RemoteClient other(rig.server.remote_config());
  const auto old_job = other.create<scoringjobs::ScoringJob>({{"accountId", "acct-remote"},
                                                              {"scorecardId", "card"},
                                                              {"itemId", "old"},
                                                              {"status", "PENDING"},
                                                              {"createdAt", "2020-01-01T00:00:00.000Z"}});
  std::vector<std::string> new_jobs;
  for (int i = 0; i < 3; ++i) {
    new_jobs.push_back(other
                           .create<scoringjobs::ScoringJob>({{"accountId", "acct-remote"},
                                                             {"scorecardId", "card"},
                                                             {"itemId", "new-" + std::to_string(i)},
                                                             {"status", "PENDING"}})
                           .id);
  }
  other.create<scoringjobs::ScoringJob>(
      {{"accountId", "someone-else"}, {"scorecardId", "card"}, {"itemId", "x"}, {"status", "PENDING"}});
  const auto batch = other.create<scoringjobs::BatchJob>({{"accountId", "acct-remote"},
                                                          {"status", "OPEN"},
                                                          {"type", "SCORING"},
                                                          {"batchId", "b-1"},
                                                          {"modelProvider", "OpenAI"},
                                                          {"modelName", "gpt-4o-mini"}});
  other.create<scoringjobs::BatchJobScoringJob>({{"batchJobId", batch.id}, {"scoringJobId", new_jobs[0]}});

  const auto pulled = rig.ok({"pull", "--account", "acct-remote", "--since", "2025-01-01T00:00:00Z", "--api-url",
                              rig.server.url(), "--api-key-file", rig.key_file});
  CHECK(pulled["fetched"]["ScoringJob"] == 3);
  CHECK(pulled["fetched"]["BatchJob"] == 1);
  CHECK(pulled["fetched"]["BatchJobScoringJob"] == 1);
  CHECK(rig.pending() == 0);
  const auto local = json::parse(rig.export_text());
  CHECK(local["ScoringJob"].size() == 3);
  CHECK(rig.ok({"batch-of", new_jobs[0]})["id"] == batch.id);
  rig.fails({"get", old_job.id}, 3);

  // Without --since: everything of the account; again: nothing new.
  CHECK(rig.ok({"pull", "--account", "acct-remote", "--api-url", rig.server.url(), "--api-key-file",
                rig.key_file})["imported"]["ScoringJob"]["written"] == 1);
  const auto again =
      rig.ok({"pull", "--account", "acct-remote", "--api-url", rig.server.url(), "--api-key-file", rig.key_file});
  CHECK(again["imported"]["ScoringJob"]["written"] == 0);
  CHECK(again["imported"]["ScoringJob"]["unchanged"] == 4);
  // Pulled records are remote state: a sync has nothing to push.
  CHECK(rig.sync_json(0, {"--push-only"})["requests"] == 0);

  rig.fails({"pull", "--account", "acct-remote", "--since", "last week", "--api-url", rig.server.url(),
             "--api-key-file", rig.key_file},
            2);
  rig.fails({"pull", "--account", "acct-remote"}, 2);
  rig.server.stop();
  rig.fails({"pull", "--account", "acct-remote", "--api-url", rig.server.url(), "--api-key-file", rig.key_file}, 75);
}

TEST_CASE("sync --lookback: by default a job that reached the API late is fetched, with 0 it is missed") {
  Rig rig;
  scoringjobs::RemoteClient other(rig.server.remote_config());
  const auto job_at = [&](const std::string& item, const std::string& createdAt) {
    return other
        .create<scoringjobs::ScoringJob>({{"accountId", "acct"},
                                          {"scorecardId", "card"},
                                          {"itemId", item},
                                          {"status", "COMPLETED"},
                                          {"createdAt", createdAt}})
        .id;
  };
  job_at("newer", "2026-01-01T12:00:00.000Z");
  rig.ok({"init"});
  CHECK(rig.sync_json(0, {"--pull-only", "--account", "acct", "--lookback", "0"})["pulled"] == 1);
  // Made an hour before the job already pulled, by a store that was offline until now.
  const auto late = job_at("late", "2026-01-01T11:00:00.000Z");
  CHECK(rig.sync_json(0, {"--pull-only", "--account", "acct", "--lookback", "0"})["pulled"] == 0);
  rig.fails({"get", late}, 3);
  CHECK(rig.sync_json(0, {"--pull-only", "--account", "acct"})["pulled"] == 1);
  CHECK(rig.ok({"get", late})["itemId"] == "late");

  CHECK(rig.sync({"--lookback", "-1"}).exit_code == 2);
  CHECK(rig.run({"sync", "--help"}).out.find("--lookback") != std::string::npos);
}

TEST_CASE("an unusable database is an unexpected failure: exit 1") {
  Rig rig;
  std::filesystem::create_directory(rig.dir / "a-directory");
  const auto result = run_cli({"--db", (rig.dir / "a-directory").string(), "sync", "--api-url", rig.server.url(),
                               "--api-key-file", rig.key_file});
  check_no_key(result);
  INFO(result.describe());
  CHECK(result.exit_code == 1);
}

TEST_CASE("on a terminal, sync redraws a progress line in place and then prints the summary") {
  const std::filesystem::path script = "/usr/bin/script";
  if (!std::filesystem::exists(script)) {
    MESSAGE("util-linux script(1) is not installed; the terminal case is not exercised");
    return;
  }
  Rig rig;
  for (int i = 0; i < 3; ++i) rig.create("item-" + std::to_string(i));
  // Two updates of a job fold into its create: 5 queued changes go out as 3 mutations.
  const auto folded = rig.create("item-3");
  rig.ok({"update", folded, "--status", "RUNNING"});
  rig.ok({"update", folded, "--status", "COMPLETED"});
  const auto quote = [](const std::string& s) { return "'" + s + "'"; };
  const std::string command = quote(SCORINGJOBS_CLI_PATH) + " --db " + quote(rig.db) + " sync --push-only --api-url " +
                              quote(rig.server.url()) + " --api-key-file " + quote(rig.key_file) + " --batch-size 1";
  RunOptions options;
  options.env = {{"PLEXUS_API_URL", std::nullopt}, {"PLEXUS_API_KEY", std::nullopt}};
  // script(1) runs the command on a pseudo-terminal and copies what it wrote to our stdout.
  const auto result = scoringjobs::test::run_program(script, {"-qec", command, "/dev/null"}, options);
  check_no_key(result);
  INFO(result.describe());
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("\r\033[Ksync: 1/6 queued changes") != std::string::npos);
  CHECK(result.out.find("\r\033[Ksync: 6/6 queued changes") != std::string::npos);
  CHECK(result.out.find("sync: done \u2014 pushed 4") != std::string::npos);
  CHECK(rig.pending() == 0);
}

TEST_CASE("SIGTERM during a sync stops it between requests: summary printed, exit 75, kept as interrupted") {
  Rig rig;
  for (int i = 0; i < 4; ++i) rig.create("item-" + std::to_string(i));
  rig.server.add_fault({{"mode", "delay"}, {"delayMs", 1500}, {"match", "MutationBatch"}});
  std::atomic<pid_t> child{0};
  RunResult result;
  std::thread runner([&] {
    RunOptions options;
    options.env = {{"PLEXUS_API_KEY", std::nullopt}, {"SCORINGJOBS_LOG", std::nullopt}};
    options.on_started = [&](pid_t pid) { child = pid; };
    std::vector<std::string> args{"--db", rig.db, "sync", "--batch-size", "1"};
    for (auto& a : rig.remote_args()) args.push_back(a);
    result = run_cli(args, options);
  });
  // Wait (bounded) for the first request to reach the server, then stop the sync as systemd would.
  for (int i = 0; i < 2000 && rig.server.request_log().empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(child != 0);
  REQUIRE_FALSE(rig.server.request_log().empty());
  ::kill(child, SIGTERM);
  runner.join();
  INFO(result.describe());
  CHECK(result.exit_code == 75);
  CHECK(result.err.find("sync: interrupted") != std::string::npos);  // the summary, not a silent death
  const auto status = rig.status();
  REQUIRE(status["lastRuns"].size() == 1);
  const auto& run = status["lastRuns"][0];
  CHECK(run["outcome"] == "interrupted");
  CHECK(run["exitCode"] == 75);
  // Every request in flight (a window's worth, one mutation each) was answered
  // and settled; none was sent after the stop.
  const auto sent = static_cast<int>(rig.server.request_log().size());
  CHECK(sent >= 1);
  CHECK(sent < 4);
  CHECK(run["pushed"] == sent);
  CHECK(run["stillQueued"] == 4 - sent);
  CHECK(rig.pending() == 4 - sent);
}

TEST_CASE("a quarantined remote record makes sync exit 65 even with --quiet, and status and quarantine list show it") {
  Rig rig;
  json broken = {{"__typename", "ScoringJob"},
                 {"id", "job-broken"},
                 {"accountId", "acct"},
                 {"itemId", "item-x"},
                 {"status", "PENDING"},
                 {"createdAt", "2026-01-01T00:00:00.000Z"},
                 {"updatedAt", "2026-01-01T00:00:00.000Z"}};  // no scorecardId: the schema says it is never null
  rig.server.load({{"ScoringJob", json::array({broken})}});
  rig.ok({"init"});
  const auto result = rig.sync({"--account", "acct", "--quiet"});
  INFO(result.describe());
  CHECK(result.exit_code == 65);
  CHECK(result.err.find("1 quarantined") != std::string::npos);
  CHECK(rig.status()["quarantined"] == 1);
  const auto listed = rig.ok({"quarantine", "list", "--json"})["quarantined"];
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["recordId"] == "job-broken");
  CHECK(listed[0]["reason"].get<std::string>().find("scorecardId") != std::string::npos);
  const auto text = rig.run({"quarantine", "list"});
  CHECK(text.out.find("job-broken") != std::string::npos);
  CHECK(rig.run({"status"}).out.find("quarantined: 1") != std::string::npos);
  const auto check = rig.run({"status", "--check", "--max-quarantined", "0"});
  CHECK(check.exit_code == 2);
  CHECK(check.out.rfind("SCORINGJOBS CRITICAL - 1 quarantined", 0) == 0);
  CHECK(rig.run({"status", "--check", "--max-quarantined", "1"}).exit_code == 0);
  // Seen again: no new alarm. Dismissed: gone from the list.
  CHECK(rig.sync({"--account", "acct", "--quiet"}).exit_code == 0);
  CHECK(rig.ok({"quarantine", "dismiss", std::to_string(listed[0]["id"].get<std::int64_t>())})["dismissed"] == true);
  CHECK(rig.status()["quarantined"] == 0);
  CHECK(rig.run({"quarantine", "dismiss", "9999"}).exit_code == 3);
}

TEST_CASE("root is refused on another user's store before anything is created, and that user's syncs work") {
  if (::geteuid() != 0) {
    MESSAGE("skipped: needs root to act as root and as another user");
    return;
  }
  Rig rig;
  constexpr uid_t kNobody = 65534;
  rig.create("item-1");
  REQUIRE(::chown(rig.dir.path().c_str(), kNobody, kNobody) == 0);
  REQUIRE(::chown(rig.db.c_str(), kNobody, kNobody) == 0);
  const auto refused = rig.sync();
  INFO(refused.describe());
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("as root") != std::string::npos);
  CHECK(refused.err.find("sudo -u") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(rig.db + ".lock"));
  CHECK_FALSE(std::filesystem::exists(rig.db + "-wal"));

  // A lock file left behind by root before (as an older version would) does not lock the owner out.
  std::ofstream(rig.db + ".lock").close();
  REQUIRE(::chmod((rig.db + ".lock").c_str(), 0644) == 0);
  RunOptions options;
  options.as_user = std::pair<uid_t, gid_t>{kNobody, kNobody};
  options.env = {{"PLEXUS_API_KEY", kSyncTestKey}, {"PLEXUS_API_URL", std::nullopt}};
  const auto as_owner = run_cli({"--db", rig.db, "sync", "--api-url", rig.server.url(), "--json"}, options);
  INFO(as_owner.describe());
  CHECK(as_owner.exit_code == 0);
  CHECK(json::parse(as_owner.out)["pushed"] == 1);
}
