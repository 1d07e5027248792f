// The commands and messages operators reach for: `list`, statuses checked on the
// way in, the store path and file arguments refused with what is wrong, options
// named in messages by their flags, links that keep a batch's count right, and
// AWSJSON printed as JSON values in every --json. The real binary, its own process.

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_rig.hpp"
#include "support/cli_runner.hpp"
#include "support/store_snapshot.hpp"

using nlohmann::json;
using scoringjobs::test::Cli;
using scoringjobs::test::RunOptions;
using scoringjobs::test::RunResult;
using scoringjobs::test::store_snapshot;
using scoringjobs::test::write_file;

namespace {

// Four jobs with fixed times, as the API would return them: createdAt gives the
// order, updatedAt is written with an offset or in lower case on some.
constexpr const char* kJobs = R"({"ScoringJob": [
  {"id":"j1","accountId":"acct-a","status":"PENDING","createdAt":"2026-01-01T00:00:00.000Z",
   "updatedAt":"2026-01-01T00:00:00.000Z","scorecardId":"c","itemId":"i1","metadata":"{\"k\":1}"},
  {"id":"j2","accountId":"acct-a","status":"RUNNING","createdAt":"2026-01-02T00:00:00.000Z",
   "updatedAt":"2026-01-03T02:00:00.000+02:00","scorecardId":"c","itemId":"i2"},
  {"id":"j3","accountId":"acct-b","status":"COMPLETED","createdAt":"2026-01-03T00:00:00.000Z",
   "updatedAt":"2026-01-04t00:00:00.000z","scorecardId":"c","itemId":"i3"},
  {"id":"j4","accountId":"acct-a","status":"COMPLETED","createdAt":"2026-01-04T00:00:00.000Z",
   "updatedAt":"2026-01-02T23:59:59.999Z","scorecardId":"c","itemId":"i4"}]})";

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The ids `list` printed (first column of each line, or the id of each JSON line).
std::vector<std::string> listed(const RunResult& result, bool as_json = false) {
  std::vector<std::string> ids;
  for (const auto& line : lines(result.out)) {
    ids.push_back(as_json ? json::parse(line)["id"].get<std::string>() : line.substr(0, line.find('\t')));
  }
  return ids;
}

}  // namespace

TEST_CASE("list: jobs of the local store newest first, filtered by account, statuses and updatedAt") {
  Cli cli;
  write_file(cli.dir / "jobs.json", kJobs);
  cli.ok({"import", (cli.dir / "jobs.json").string()});
  const auto list = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "list");
    auto result = cli.run(args);
    INFO(result.describe());
    CHECK(result.exit_code == 0);
    CHECK(result.err.empty());
    return result;
  };

  const auto all = list({});
  CHECK(listed(all) == std::vector<std::string>{"j4", "j3", "j2", "j1"});
  CHECK(lines(all.out)[0] == "j4\tCOMPLETED\tacct-a\ti4\t2026-01-04T00:00:00.000Z\t2026-01-02T23:59:59.999Z");
  CHECK(listed(list({"--account", "acct-a"})) == std::vector<std::string>{"j4", "j2", "j1"});
  CHECK(listed(list({"--status", "COMPLETED", "--status", "PENDING"})) == std::vector<std::string>{"j4", "j3", "j1"});
  CHECK(listed(list({"--account", "acct-a", "--status", "COMPLETED"})) == std::vector<std::string>{"j4"});
  // Instants, whatever form updatedAt was written in: j2 at 00:00Z on the 3rd (+02:00), j3 lower case.
  CHECK(listed(list({"--updated-since", "2026-01-03T00:00:00Z"})) == std::vector<std::string>{"j3", "j2"});
  CHECK(listed(list({"--updated-since", "2026-01-03T00:00:00.001Z"})) == std::vector<std::string>{"j3"});
  CHECK(listed(list({"--limit", "2"})) == std::vector<std::string>{"j4", "j3"});
  CHECK(list({"--account", "nobody"}).out.empty());

  // --json: one object per line, as `get` prints it (AWSJSON as JSON values).
  const auto as_json = list({"--json", "--account", "acct-a", "--status", "PENDING"});
  REQUIRE(listed(as_json, true) == std::vector<std::string>{"j1"});
  CHECK(json::parse(as_json.out) == cli.ok({"get", "j1"}));
  CHECK(json::parse(as_json.out)["metadata"] == json{{"k", 1}});

  CHECK(cli.fails({"list", "--updated-since", "yesterday"}, 2).err.find("--updated-since") != std::string::npos);
  cli.fails({"list", "--limit", "0"}, 2);
  CHECK(cli.run_at((cli.dir / "missing.db").string(), {"list"}).exit_code == 2);
}

TEST_CASE("create, update and batch create refuse a status that is not known, unless --allow-new-status") {
  Cli cli;
  const auto id = cli.create("item-1");
  const auto before = store_snapshot(cli.db);

  const auto typo = cli.fails({"update", id, "--status", "RUNING"}, 2);
  CHECK(typo.err.find("--status \"RUNING\" is not a known ScoringJob status (PENDING, RUNNING, COMPLETED, FAILED, "
                      "ERROR); to store a status Plexus added since, pass --allow-new-status") != std::string::npos);
  cli.fails({"create", "--account", "a", "--scorecard", "c", "--item", "i2", "--status", "running"}, 2);
  const auto batch = cli.fails({"batch", "create", "--account", "a", "--type", "t", "--model-provider", "p",
                                "--model-name", "m", "--status", "FAILED"},
                               2);
  CHECK(batch.err.find("not a known BatchJob status (PENDING, OPEN, CLOSED, PROCESSING, PROCESSED, COMPLETED, "
                       "ERROR)") != std::string::npos);
  CHECK(store_snapshot(cli.db) == before);  // nothing written, nothing queued

  // A status Plexus added: stored and queued when asked for explicitly.
  CHECK(cli.ok({"update", id, "--status", "QUEUED", "--allow-new-status"})["status"] == "QUEUED");
  CHECK(cli.ok({"create", "--account", "a", "--scorecard", "c", "--item", "i3", "--status", "QUEUED",
                "--allow-new-status"})["status"] == "QUEUED");
  CHECK(cli.ok({"batch", "create", "--account", "a", "--type", "t", "--model-provider", "p", "--model-name", "m",
                "--status", "OPEN"})["status"] == "OPEN");
  CHECK(cli.run({"update", "--help"}).out.find("PENDING, RUNNING, COMPLETED, FAILED, ERROR") != std::string::npos);
}

TEST_CASE("--db :memory: is refused and leaves no file of that name") {
  Cli cli;
  RunOptions in_dir;
  in_dir.cwd = cli.dir.path();
  const auto result = scoringjobs::test::run_cli({"--db", ":memory:", "init"}, in_dir);
  INFO(result.describe());
  CHECK(result.exit_code == 2);
  CHECK(result.err.rfind("scoringjobs: error: --db: invalid path \":memory:\": not a file", 0) == 0);
  in_dir.env = {{"SCORINGJOBS_DB", ":memory:"}};
  const auto from_env =
      scoringjobs::test::run_cli({"create", "--account", "a", "--scorecard", "c", "--item", "i"}, in_dir);
  CHECK(from_env.exit_code == 2);
  CHECK(from_env.err.rfind("scoringjobs: error: $SCORINGJOBS_DB: invalid path", 0) == 0);
  CHECK(std::filesystem::is_empty(cli.dir.path()));
}

TEST_CASE("import of a directory says so (exit 2), a failed export names the file asked for") {
  Cli cli;
  cli.create("item-1");
  const auto dir = cli.fails({"import", cli.dir.path().string()}, 2);
  CHECK(dir.err.find("it is a directory, not an export file") != std::string::npos);
  CHECK(dir.err.find("basic_filebuf") == std::string::npos);

  const auto taken = cli.dir / "out.json";
  std::filesystem::create_directory(taken);
  const auto failed = cli.fails({"export", "--out", taken.string()}, 1);
  CHECK(failed.err.rfind("scoringjobs: error: cannot write " + taken.string() + ": ", 0) == 0);
  CHECK(failed.err.find(".tmp-") == std::string::npos);
}

TEST_CASE("remote settings are refused in the options' words: --api-url quoted, --insecure-http, --ca-file") {
  Cli cli;
  cli.create("item-1");
  const auto key = write_file(cli.dir / "key.planted-key", std::string(scoringjobs::test::kCliTestKey) + "\n");
  const auto before = store_snapshot(cli.db);

  const auto plain = cli.fails({"sync", "--api-url", "http://api.example.com/graphql", "--api-key-file", key}, 2);
  CHECK(plain.err.find("--api-url \"http://api.example.com/graphql\" is plain http to a host that is not loopback") !=
        std::string::npos);
  CHECK(plain.err.find("pass --insecure-http") != std::string::npos);
  CHECK(plain.err.find("allow_insecure_http") == std::string::npos);

  const auto from_env =
      cli.fails({"pull", "--account", "a", "--api-key-file", key}, 2, {{"PLEXUS_API_URL", "http://10.0.0.1/graphql"}});
  CHECK(from_env.err.find("$PLEXUS_API_URL \"http://10.0.0.1/graphql\" is plain http") != std::string::npos);

  const auto scheme = cli.fails({"sync", "--api-url", "ftp://api.example.com/graphql", "--api-key-file", key}, 2);
  CHECK(scheme.err.find("--api-url \"ftp://api.example.com/graphql\" must use https") != std::string::npos);

  const auto ca = cli.fails({"sync", "--api-url", "https://api.example.com/graphql", "--api-key-file", key, "--ca-file",
                             (cli.dir / "no-ca.pem").string()},
                            2);
  CHECK(ca.err.find("--ca-file \"" + (cli.dir / "no-ca.pem").string() +
                    "\" cannot be read: No such file or directory") != std::string::npos);
  CHECK(ca.err.find("ca_file") == std::string::npos);
  CHECK(store_snapshot(cli.db) == before);
}

TEST_CASE("a store in a directory the user cannot write: the message says SQLite needs its -wal and -shm there") {
  Cli cli;
  cli.create("item-1");
  const auto locked_dir = cli.dir / "locked";
  std::filesystem::create_directory(locked_dir);
  const auto db = locked_dir / "jobs.db";
  std::filesystem::copy_file(cli.db, db);  // a closed store: no -wal or -shm beside it yet
  std::vector<std::string> args{"--db", db.string(), "get", "x"};
  std::filesystem::path program = SCORINGJOBS_CLI_PATH;
  if (::geteuid() == 0) {
    // root writes anywhere: run as nobody, who owns the store but not the directory.
    const std::filesystem::path setpriv = "/usr/bin/setpriv";
    if (!std::filesystem::exists(setpriv)) {
      MESSAGE("running as root without setpriv(1): the unwritable directory is not exercised");
      return;
    }
    REQUIRE(::chown(db.c_str(), 65534, 65534) == 0);
    std::filesystem::permissions(cli.dir.path(), std::filesystem::perms::others_exec,
                                 std::filesystem::perm_options::add);
    args.insert(args.begin(), {"--reuid=65534", "--regid=65534", "--clear-groups", program.string()});
    program = setpriv;
  }
  std::filesystem::permissions(locked_dir, std::filesystem::perms(0755));
  if (::geteuid() != 0) std::filesystem::permissions(locked_dir, std::filesystem::perms(0555));
  const auto result = scoringjobs::test::run_program(program, args);
  std::filesystem::permissions(locked_dir, std::filesystem::perms(0755));
  INFO(result.describe());
  CHECK(result.exit_code == 1);
  CHECK(result.err.find("SQLite needs to create jobs.db-wal and jobs.db-shm beside the database, and this user "
                        "cannot write to the directory " +
                        locked_dir.string()) != std::string::npos);
  CHECK(result.err.find("Give the user write access to that directory") != std::string::npos);
}

TEST_CASE("link into a CLOSED batch: allowed with a warning, and scoringJobCountCache counts it") {
  Cli cli;
  // Two jobs fill a batch of two, which assign closes.
  cli.assign("item-1");
  const auto batch = cli.ok({"assign", "--account", "acct", "--scorecard", "card", "--item", "item-2",
                             "--model-provider", "OpenAI", "--model-name", "gpt-4o-mini", "--max-batch-size", "2"});
  const auto batch_id = batch["batchJob"]["id"].get<std::string>();
  REQUIRE(batch["batchJob"]["status"] == "CLOSED");
  REQUIRE(batch["batchJob"]["scoringJobCountCache"] == 2);

  const auto job = cli.create("item-3");
  const auto linked = cli.run({"link", batch_id, job});
  INFO(linked.describe());
  CHECK(linked.exit_code == 0);
  CHECK(linked.err.find("warning: BatchJob " + batch_id + " is CLOSED: ScoringJob " + job +
                        " was linked to it anyway (it now holds 3 jobs)") != std::string::npos);
  const auto after = cli.ok({"batch", "get", batch_id});
  CHECK(after["scoringJobCountCache"] == 3);
  CHECK(cli.ok({"batch", "jobs", batch_id})["scoringJobs"].size() == 3);
  // The new count is queued for sync with the link.
  const auto entries = cli.ok({"outbox", "--json"})["entries"];
  CHECK(entries.back()["model"] == "BatchJob");
  CHECK(entries.back()["fields"]["scoringJobCountCache"] == 3);

  // An open batch counts its new member too, silently.
  const auto open = cli.ok({"batch", "create", "--account", "acct", "--type", "t", "--model-provider", "p",
                            "--model-name", "m", "--status", "OPEN"})["id"]
                        .get<std::string>();
  const auto quiet = cli.run({"link", open, cli.create("item-4")});
  CHECK(quiet.exit_code == 0);
  CHECK(quiet.err.empty());
  CHECK(cli.ok({"batch", "get", open})["scoringJobCountCache"] == 1);
}

TEST_CASE("outbox --json and dead-letters list --json print AWSJSON fields as JSON values") {
  Cli cli;
  const auto id = cli.ok({"create", "--account", "a", "--scorecard", "c", "--item", "i", "--metadata",
                          R"({"source":"edge","n":[1,2]})"})["id"]
                      .get<std::string>();
  cli.ok({"update", id, "--error-details", R"({"trace":"x"})"});
  const auto entries = cli.ok({"outbox", "--json"})["entries"];
  REQUIRE(entries.size() == 2);
  CHECK(entries[0]["fields"]["metadata"] == json{{"source", "edge"}, {"n", {1, 2}}});
  CHECK(entries[1]["fields"]["errorDetails"] == json{{"trace", "x"}});

  {
    SQLite::Database db(cli.db, SQLite::OPEN_READWRITE);
    db.exec(
        "INSERT INTO dead_letter (model, recordId, operation, fields, seqs, enqueuedAt, attempts, errorClass, "
        "errorMessage, deadAt) VALUES ('ScoringJob', 'x', 'update', '{\"metadata\":\"{\\\"k\\\":[true]}\"}', '[]', "
        "'2026-01-01T00:00:00.000Z', 1, 'rejected', 'no', '2026-01-01T00:00:00.000Z')");
  }
  const auto letters = cli.ok({"dead-letters", "list", "--json"})["deadLetters"];
  REQUIRE(letters.size() == 1);
  CHECK(letters[0]["fields"]["metadata"] == json{{"k", {true}}});
}
