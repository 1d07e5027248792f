// The scoringjobs CLI, driven as a user drives it: the real binary in its own
// process, checked on stdout (one JSON line), stderr and the exit code.

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scoringjobs/store.hpp"
#include "scoringjobs/version.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using scoringjobs::test::run_cli;
using scoringjobs::test::RunOptions;
using scoringjobs::test::RunResult;
using scoringjobs::test::TempDir;

namespace {

// A temp database and the CLI pointed at it with --db.
struct StoreCli {
  TempDir dir;
  std::string db = (dir / "jobs.db").string();

  RunResult run(std::vector<std::string> args, const RunOptions& options = {}) const {
    args.insert(args.begin(), {"--db", db});
    return run_cli(args, options);
  }

  // Runs a command that must succeed and print exactly one JSON line.
  json ok(const std::vector<std::string>& args) const {
    const auto result = run(args);
    INFO(result.describe());
    REQUIRE(result.exit_code == 0);
    REQUIRE(!result.out.empty());
    CHECK(result.out.back() == '\n');
    CHECK(result.out.find('\n') == result.out.size() - 1);
    return json::parse(result.out);
  }

  // Runs a command that must fail with `code`, print nothing on stdout and one error line.
  RunResult fails(const std::vector<std::string>& args, int code) const {
    auto result = run(args);
    INFO(result.describe());
    CHECK(result.exit_code == code);
    CHECK(result.out.empty());
    CHECK(result.err.rfind("scoringjobs: error: ", 0) == 0);
    return result;
  }

  json outbox() const { return ok({"outbox", "--json", "--limit", "1000"}); }
  std::int64_t pending() const { return outbox()["pending"].get<std::int64_t>(); }
};

std::vector<std::string> assign_args(const std::string& item) {
  return {"assign", "--account",        "acct",   "--scorecard",  "card",       "--item",
          item,     "--model-provider", "OpenAI", "--model-name", "gpt-4o-mini"};
}

}  // namespace

TEST_CASE("init creates the database with mode 0600 and prints its schema version") {
  StoreCli cli;
  const auto out = cli.ok({"init"});
  CHECK(out["db"] == std::filesystem::absolute(cli.db).string());
  CHECK(out["schemaVersion"] == scoringjobs::Store::latest_schema_version());

  struct stat info {};
  REQUIRE(::stat(cli.db.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);

  // Running it again on an up-to-date database changes nothing.
  CHECK(cli.ok({"init"}) == out);
  CHECK(cli.pending() == 0);
}

TEST_CASE("create, get, update and find-by-item") {
  StoreCli cli;
  const auto created =
      cli.ok({"create", "--account", "acct", "--scorecard", "card", "--item", "item-1", "--score", "score-1",
              "--metadata", R"({"source":"edge","n":1})", "--parameters", R"({"temperature":0})", "--id", "job-a"});
  CHECK(created["id"] == "job-a");
  CHECK(created["status"] == "PENDING");
  CHECK(created["scoreId"] == "score-1");
  CHECK(created["metadata"] == json::parse(R"({"source":"edge","n":1,"parameters":{"temperature":0}})"));
  CHECK(created["batchId"].is_null());

  SUBCASE("get prints the same record") { CHECK(cli.ok({"get", "job-a"}) == created); }

  SUBCASE("update changes the given fields, --clear nulls them") {
    const auto updated = cli.ok({"update", "job-a", "--status", "RUNNING", "--started-at", "2026-01-02T03:04:05.678Z"});
    CHECK(updated["status"] == "RUNNING");
    CHECK(updated["startedAt"] == "2026-01-02T03:04:05.678Z");
    CHECK(updated["createdAt"] == created["createdAt"]);
    CHECK(updated["updatedAt"] != created["updatedAt"]);
    CHECK(cli.ok({"get", "job-a"}) == updated);

    const auto cleared = cli.ok({"update", "job-a", "--clear", "score", "--clear", "started-at"});
    CHECK(cleared["scoreId"].is_null());
    CHECK(cleared["startedAt"].is_null());
    CHECK(cleared["status"] == "RUNNING");
  }

  SUBCASE("update --created-at is refused and changes nothing") {
    const auto pending = cli.pending();
    const auto result = cli.fails({"update", "job-a", "--created-at", "2020-01-01T00:00:00.000Z"}, 2);
    CHECK(result.err.find("createdAt cannot be modified") != std::string::npos);
    CHECK(cli.ok({"get", "job-a"}) == created);
    CHECK(cli.pending() == pending);
  }

  SUBCASE("update refuses an empty value and an unknown --clear field") {
    cli.fails({"update", "job-a", "--score", ""}, 2);
    cli.fails({"update", "job-a", "--clear", "status"}, 2);
    cli.fails({"update", "job-a", "--score", "x", "--clear", "score"}, 2);
    cli.fails({"update", "job-a", "--started-at", "yesterday"}, 2);
    CHECK(cli.ok({"get", "job-a"}) == created);
  }

  SUBCASE("find-by-item returns the newest job of the item") {
    // Ids order the two jobs too, should both land in the same millisecond.
    const auto newer =
        cli.ok({"create", "--account", "acct", "--scorecard", "card", "--item", "item-1", "--id", "job-b"});
    CHECK(cli.ok({"find-by-item", "item-1"}) == newer);
  }
}

TEST_CASE("missing records exit 3") {
  StoreCli cli;
  cli.ok({"create", "--account", "acct", "--scorecard", "card", "--item", "item-1", "--id", "job-a"});
  CHECK(cli.fails({"get", "nope"}, 3).err.find("nope") != std::string::npos);
  cli.fails({"update", "nope", "--status", "DONE"}, 3);
  cli.fails({"find-by-item", "item-2"}, 3);
  cli.fails({"batch-of", "nope"}, 3);
  cli.fails({"batch-of", "job-a"}, 3);  // exists, but in no batch
  cli.fails({"batch", "get", "nope"}, 3);
  cli.fails({"batch", "jobs", "nope"}, 3);
  cli.fails({"link", "nope", "job-a"}, 3);
}

TEST_CASE("assign fills a batch with 20 jobs, closes it, and opens a second for the 21st") {
  StoreCli cli;
  std::vector<json> results;
  for (int i = 0; i < 21; ++i) {
    const auto item = "item-" + std::to_string(100 + i);
    results.push_back(cli.ok(assign_args(item)));
    CHECK(results.back()["created"] == true);
    CHECK(results.back()["scoringJob"]["itemId"] == item);
  }
  const auto first = results.front()["batchJob"]["id"];
  for (int i = 0; i < 20; ++i) CHECK(results[i]["batchJob"]["id"] == first);
  const auto second = results.back()["batchJob"]["id"];
  CHECK(second != first);

  const auto closed = cli.ok({"batch", "get", first.get<std::string>()});
  CHECK(closed["status"] == "CLOSED");
  CHECK(closed["scoringJobCountCache"] == 20);
  CHECK(closed["type"] == "MultiStepScore");
  CHECK(closed["modelProvider"] == "OpenAI");
  CHECK(closed["modelName"] == "gpt-4o-mini");

  const auto open = cli.ok({"batch", "get", second.get<std::string>()});
  CHECK(open["status"] == "OPEN");
  CHECK(open["scoringJobCountCache"] == 1);

  const auto jobs = cli.ok({"batch", "jobs", first.get<std::string>()});
  CHECK(jobs["batchJobId"] == first);
  REQUIRE(jobs["scoringJobs"].size() == 20);
  for (int i = 0; i < 20; ++i) CHECK(jobs["scoringJobs"][i]["id"] == results[i]["scoringJob"]["id"]);

  const auto last_job = results.back()["scoringJob"]["id"].get<std::string>();
  CHECK(cli.ok({"batch-of", last_job})["id"] == second);
  CHECK(cli.ok({"get", last_job})["batchId"] == second);
}

TEST_CASE("assign of an item that has a job returns it with created false") {
  StoreCli cli;
  const auto first = cli.ok(assign_args("item-1"));
  CHECK(first["created"] == true);
  const auto pending = cli.pending();

  const auto again = cli.ok(assign_args("item-1"));
  CHECK(again["created"] == false);
  CHECK(again["scoringJob"]["id"] == first["scoringJob"]["id"]);
  CHECK(again["batchJob"]["id"] == first["batchJob"]["id"]);
  CHECK(cli.pending() == pending);

  // A job made with `create` was never batched: it comes back with no batch.
  const auto lone = cli.ok({"create", "--account", "acct", "--scorecard", "card", "--item", "item-2"});
  const auto unbatched = cli.ok(assign_args("item-2"));
  CHECK(unbatched["created"] == false);
  CHECK(unbatched["scoringJob"] == lone);
  CHECK(unbatched["batchJob"].is_null());
}

TEST_CASE("batch create, get, jobs and link") {
  StoreCli cli;
  const auto batch = cli.ok({"batch", "create", "--account", "acct", "--type", "MultiStepScore", "--model-provider",
                             "OpenAI", "--model-name", "gpt-4o", "--scorecard", "card", "--id", "batch-1"});
  CHECK(batch["id"] == "batch-1");
  CHECK(batch["status"] == "PENDING");
  CHECK(cli.ok({"batch", "get", "batch-1"}) == batch);
  cli.ok({"batch", "create", "--account", "acct", "--type", "MultiStepScore", "--model-provider", "OpenAI",
          "--model-name", "gpt-4o", "--id", "batch-2"});
  cli.ok({"create", "--account", "acct", "--scorecard", "card", "--item", "item-1", "--id", "job-a"});

  const auto link = cli.ok({"link", "batch-1", "job-a"});
  CHECK(link["batchJobId"] == "batch-1");
  CHECK(link["scoringJobId"] == "job-a");
  CHECK(cli.ok({"link", "batch-1", "job-a"}) == link);  // linking again writes nothing
  CHECK(cli.ok({"batch-of", "job-a"}) == cli.ok({"batch", "get", "batch-1"}));

  const auto jobs = cli.ok({"batch", "jobs", "batch-1"});
  REQUIRE(jobs["scoringJobs"].size() == 1);
  CHECK(jobs["scoringJobs"][0]["id"] == "job-a");
  CHECK(cli.ok({"batch", "jobs", "batch-2"})["scoringJobs"] == json::array());

  // A job already in another batch is a conflict: exit 1.
  cli.fails({"link", "batch-2", "job-a"}, 1);
}

TEST_CASE("outbox counts the queued creates and updates per kind") {
  StoreCli cli;
  cli.ok({"init"});
  auto report = cli.outbox();
  CHECK(report["pending"] == 0);
  CHECK(report["oldestAgeMs"].is_null());
  CHECK(report["entries"] == json::array());

  cli.ok({"create", "--account", "acct", "--scorecard", "card", "--item", "item-1", "--id", "job-a"});
  cli.ok({"create", "--account", "acct", "--scorecard", "card", "--item", "item-2", "--id", "job-b"});
  cli.ok({"update", "job-a", "--status", "RUNNING"});
  cli.ok({"update", "job-a", "--status", "RUNNING"});  // no change: nothing queued
  cli.ok({"update", "job-a", "--status", "COMPLETED"});
  cli.ok({"batch", "create", "--account", "acct", "--type", "T", "--model-provider", "p", "--model-name", "m", "--id",
          "batch-1"});
  cli.ok({"link", "batch-1", "job-b"});

  report = cli.outbox();
  CHECK(report["pending"] == 7);  // the link also updates the batch's scoringJobCountCache
  CHECK(report["oldestAgeMs"].is_number_integer());
  CHECK(report["oldestAgeMs"].get<std::int64_t>() >= 0);
  CHECK(report["byKind"] == json::parse(R"({"ScoringJob":{"create":2,"update":2},
                                            "BatchJob":{"create":1,"update":1},
                                            "BatchJobScoringJob":{"create":1,"update":0}})"));
  const auto& entries = report["entries"];
  REQUIRE(entries.size() == 7);
  CHECK(entries[0]["model"] == "ScoringJob");
  CHECK(entries[0]["operation"] == "create");
  CHECK(entries[0]["recordId"] == "job-a");
  CHECK(entries[0]["fields"]["itemId"] == "item-1");
  CHECK(entries[0]["attempts"] == 0);
  CHECK(entries[2]["operation"] == "update");
  CHECK(entries[2]["fields"]["status"] == "RUNNING");
  for (std::size_t i = 1; i < entries.size(); ++i) CHECK(entries[i]["seq"] > entries[i - 1]["seq"]);

  // --limit bounds the list, never the counts; an assign queues its four changes.
  cli.ok(assign_args("item-3"));
  report = cli.ok({"outbox", "--json", "--limit", "2"});
  CHECK(report["entries"].size() == 2);
  CHECK(report["pending"] == 11);
  CHECK(report["byKind"]["ScoringJob"]["create"] == 3);
  CHECK(report["byKind"]["BatchJob"] == json::parse(R"({"create":2,"update":2})"));
  CHECK(report["byKind"]["BatchJobScoringJob"]["create"] == 2);

  const auto text = cli.run({"outbox"});
  CHECK(text.exit_code == 0);
  CHECK(text.out.find("pending: 11") != std::string::npos);
}

TEST_CASE("invalid JSON options exit 2 naming the option and write nothing") {
  StoreCli cli;
  const auto job = cli.ok({"create", "--account", "acct", "--scorecard", "card", "--item", "item-1", "--id", "job-a"});
  const auto pending = cli.pending();

  auto result = cli.fails(
      {"create", "--account", "acct", "--scorecard", "card", "--item", "item-2", "--metadata", "{not json"}, 2);
  CHECK(result.err.find("--metadata") != std::string::npos);
  result = cli.fails({"update", "job-a", "--metadata", "{\"a\":"}, 2);
  CHECK(result.err.find("--metadata") != std::string::npos);
  result = cli.fails({"update", "job-a", "--error-details", "nope"}, 2);
  CHECK(result.err.find("--error-details") != std::string::npos);
  result = cli.fails({"assign", "--account", "acct", "--scorecard", "card", "--item", "item-3", "--model-provider", "p",
                      "--model-name", "m", "--parameters", "[1,"},
                     2);
  CHECK(result.err.find("--parameters") != std::string::npos);

  CHECK(cli.pending() == pending);
  CHECK(cli.ok({"get", "job-a"}) == job);
  cli.fails({"find-by-item", "item-2"}, 3);
}

TEST_CASE("SCORINGJOBS_DB selects the database, --db overrides it, ./scoringjobs.db is the default") {
  TempDir dir;
  const auto env_db = (dir / "from-env.db").string();
  RunOptions with_env;
  with_env.env["SCORINGJOBS_DB"] = env_db;

  auto result =
      run_cli({"create", "--account", "acct", "--scorecard", "card", "--item", "item-1", "--id", "job-a"}, with_env);
  INFO(result.describe());
  REQUIRE(result.exit_code == 0);
  CHECK(std::filesystem::exists(env_db));
  CHECK(run_cli({"get", "job-a"}, with_env).exit_code == 0);

  const auto other_db = (dir / "other.db").string();
  REQUIRE(run_cli({"--db", other_db, "init"}, with_env).exit_code == 0);
  CHECK(run_cli({"--db", other_db, "get", "job-a"}, with_env).exit_code == 3);
  CHECK(run_cli({"get", "job-a", "--db", other_db}, with_env).exit_code == 3);  // global options may follow

  RunOptions no_env;
  no_env.env["SCORINGJOBS_DB"] = std::nullopt;
  no_env.cwd = dir.path();
  result = run_cli({"init"}, no_env);
  REQUIRE(result.exit_code == 0);
  CHECK(json::parse(result.out)["db"] == (dir.path() / "scoringjobs.db").string());
  CHECK(std::filesystem::exists(dir / "scoringjobs.db"));
}

TEST_CASE("a mistyped --db: commands that only read or sync refuse it with exit 2 and create nothing") {
  StoreCli cli;
  const std::string expected =
      "scoringjobs: error: no store at " + cli.db + " (create one with: scoringjobs --db " + cli.db + " init)\n";
  RunOptions remote;  // so a sync would have all it needs but the store
  remote.env = {{"PLEXUS_API_URL", "http://127.0.0.1:9/graphql"},
                {"PLEXUS_API_KEY", "CANARY-KEY-cli-no-store"},
                {"SCORINGJOBS_LOG", std::nullopt}};
  const std::vector<std::vector<std::string>> readers = {{"get", "job-a"},
                                                         {"find-by-item", "item-1"},
                                                         {"batch-of", "job-a"},
                                                         {"batch", "get", "b-1"},
                                                         {"batch", "jobs", "b-1"},
                                                         {"outbox"},
                                                         {"status"},
                                                         {"status", "--json"},
                                                         {"dead-letters", "list"},
                                                         {"dead-letters", "retry", "1"},
                                                         {"dead-letters", "discard", "1"},
                                                         {"conflicts", "list"},
                                                         {"export"},
                                                         {"export", "--out", (cli.dir / "out.json").string()},
                                                         {"sync"},
                                                         {"sync", "--json"},
                                                         {"sync", "--quiet"}};
  for (const auto& args : readers) {
    const auto result = cli.run(args, remote);
    INFO(result.describe());
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err == expected);
  }
  // Not even a -wal, -shm or .lock file was left behind.
  CHECK(std::filesystem::is_empty(cli.dir.path()));

  // The same for a path from $SCORINGJOBS_DB and for the default ./scoringjobs.db.
  RunOptions from_env;
  from_env.env["SCORINGJOBS_DB"] = cli.db;
  auto result = run_cli({"status"}, from_env);
  CHECK(result.exit_code == 2);
  CHECK(result.err == expected);
  RunOptions in_dir;
  in_dir.env["SCORINGJOBS_DB"] = std::nullopt;
  in_dir.cwd = cli.dir.path();
  result = run_cli({"outbox"}, in_dir);
  CHECK(result.exit_code == 2);
  CHECK(result.err ==
        "scoringjobs: error: no store at scoringjobs.db (create one with: scoringjobs --db "
        "scoringjobs.db init)\n");
  CHECK(std::filesystem::is_empty(cli.dir.path()));

  // Once init made it, the same commands run.
  cli.ok({"init"});
  CHECK(cli.run({"status"}).exit_code == 0);
  CHECK(cli.fails({"get", "job-a"}, 3).err.find("job-a") != std::string::npos);
}

TEST_CASE("commands that write records create the store when it does not exist yet") {
  const auto creates = [](const std::vector<std::string>& args, int code) {
    StoreCli cli;
    const auto result = cli.run(args);
    INFO(result.describe());
    CHECK(result.exit_code == code);
    CHECK(std::filesystem::exists(cli.db));
  };
  creates({"init"}, 0);
  creates({"create", "--account", "acct", "--scorecard", "card", "--item", "item-1"}, 0);
  creates(assign_args("item-1"), 0);
  creates({"batch", "create", "--account", "acct", "--type", "T", "--model-provider", "p", "--model-name", "m"}, 0);
  creates({"update", "job-a", "--status", "RUNNING"}, 3);  // a new store holds no job-a
  creates({"link", "batch-1", "job-a"}, 3);

  StoreCli cli;
  const auto file = (cli.dir / "empty.json").string();
  {
    std::ofstream out(file);
    out << R"({"ScoringJob": [], "BatchJob": [], "BatchJobScoringJob": []})";
  }
  cli.ok({"import", file});
  CHECK(std::filesystem::exists(cli.db));
}

TEST_CASE("an unexpected argument is named without its value: a key typed on the command line is not echoed") {
  StoreCli cli;
  cli.ok({"init"});
  const std::string key = "CANARY-KEY-typed-on-the-command-line";
  auto result = cli.fails({"sync", "--api-key", key}, 2);
  CHECK(result.err.find("CANARY") == std::string::npos);
  CHECK(result.err ==
        "scoringjobs: error: unexpected argument --api-key (its value is not shown)\n"
        "Run with --help for more information.\n");

  result = cli.fails({"sync", "--api-key=" + key}, 2);
  CHECK(result.err.find("CANARY") == std::string::npos);
  CHECK(result.err.find("unexpected argument --api-key (its value is not shown)") != std::string::npos);

  result = cli.fails({"status", "--token", key, "--colour"}, 2);
  CHECK(result.err.find("CANARY") == std::string::npos);
  CHECK(result.err.find("unexpected arguments --token --colour (1 value not shown)") != std::string::npos);

  result = cli.fails({"get", "job-a", key}, 2);
  CHECK(result.err.find("CANARY") == std::string::npos);
  CHECK(result.err.find("unexpected argument (it is not shown)") != std::string::npos);
}

TEST_CASE("SCORINGJOBS_LOG: the documented levels in any case, an unknown value reported once and ignored") {
  StoreCli cli;
  cli.ok({"create", "--account", "acct", "--scorecard", "card", "--item", "item-1"});
  const auto with_log = [&](const std::string& value, std::vector<std::string> args) {
    RunOptions options;
    options.env["SCORINGJOBS_LOG"] = value;
    return cli.run(std::move(args), options);
  };
  const std::string warning = "scoringjobs: warning: SCORINGJOBS_LOG=\"verbose\" is not a log level";
  auto result = with_log("verbose", {"outbox", "--json"});
  INFO(result.describe());
  CHECK(result.exit_code == 0);
  CHECK(result.err.find(warning) == 0);
  CHECK(result.err.find('\n') == result.err.size() - 1);  // one line, once
  CHECK(json::parse(result.out)["pending"] == 1);

  // Known names, whatever their case, are taken without a word: a sync that cannot
  // reach its API logs at info level ("sync offline: ...") only when asked to.
  const std::vector<std::string> sync = {"sync", "--api-url", "http://127.0.0.1:9/graphql"};
  RunOptions base;
  base.env = {{"PLEXUS_API_KEY", "CANARY-KEY-cli-log-level"}};
  const auto sync_with_log = [&](const std::optional<std::string>& value) {
    auto options = base;
    options.env["SCORINGJOBS_LOG"] = value;
    auto run = cli.run(sync, options);
    CHECK(run.exit_code == 75);
    CHECK(run.err.find("SCORINGJOBS_LOG") == std::string::npos);
    return run.err;
  };
  CHECK(sync_with_log(std::nullopt).find("scoringjobs: info: ") == std::string::npos);
  for (const auto* name : {"info", "INFO", "Debug", "DEBUG"}) {
    CHECK_MESSAGE(sync_with_log(std::string(name)).find("scoringjobs: info: sync offline") != std::string::npos, name);
  }
  for (const auto* name : {"warn", "WARN", "Error", "warning"}) {
    CHECK_MESSAGE(sync_with_log(std::string(name)).find("scoringjobs: info: ") == std::string::npos, name);
  }
}

TEST_CASE("usage errors exit 2, --help and --version exit 0") {
  StoreCli cli;
  auto result = cli.fails({"frobnicate"}, 2);
  CHECK(result.err.find("frobnicate") != std::string::npos);
  cli.fails({}, 2);
  cli.fails({"create", "--scorecard", "card", "--item", "item-1"}, 2);  // --account missing
  cli.fails({"assign", "--account", "a", "--scorecard", "c", "--item", "i", "--model-provider", "p", "--model-name",
             "m", "--max-batch-size", "many"},
            2);
  cli.fails({"get", "a", "b"}, 2);
  cli.fails({"batch"}, 2);
  CHECK_FALSE(std::filesystem::exists(cli.db));  // nothing ran, so nothing was created
  // Refused by the library (InvalidArgument), not the parser: also exit 2.
  cli.fails({"assign", "--account", "a", "--scorecard", "c", "--item", "i", "--model-provider", "p", "--model-name",
             "m", "--max-batch-size", "0"},
            2);

  result = cli.run({"--version"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == std::string(scoringjobs::version()) + "\n");

  result = cli.run({"--help"});
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("Exit status") != std::string::npos);
  CHECK(cli.run({"update", "--help"}).out.find("--clear") != std::string::npos);
}

TEST_CASE("a database written by a newer version is refused with exit 1") {
  StoreCli cli;
  cli.ok({"init"});
  {
    SQLite::Database db(cli.db, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 999");
  }
  const auto result = cli.fails({"get", "job-a"}, 1);
  CHECK(result.err.find("999") != std::string::npos);
}

TEST_CASE("the runner passes environment overrides and kills a program that outlives its timeout") {
  RunOptions options;
  options.env["SCORINGJOBS_RUNNER_PROBE"] = "hello";
  options.env["HOME"] = std::nullopt;
  auto result = scoringjobs::test::run_program("/bin/sh",
                                               {"-c",
                                                "echo \"$SCORINGJOBS_RUNNER_PROBE ${HOME-unset}\"; "
                                                "echo oops >&2; exit 7"},
                                               options);
  CHECK(result.exit_code == 7);
  CHECK(result.out == "hello unset\n");
  CHECK(result.err == "oops\n");
  CHECK_FALSE(result.timed_out);

  options.timeout = std::chrono::milliseconds(200);
  const auto started = std::chrono::steady_clock::now();
  result = scoringjobs::test::run_program("/bin/sh", {"-c", "exec sleep 30"}, options);
  CHECK(result.timed_out);
  CHECK(result.exit_code == -1);
  CHECK(result.signal == SIGKILL);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
}
