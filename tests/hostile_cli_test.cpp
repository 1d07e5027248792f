// Hostile input through the scoringjobs CLI: option values and import files
// with quotes and SQL, invalid UTF-8, NUL bytes, huge values and numbers, deep
// nesting. Each is refused with exit 2 and one short, printable error line
// naming the option or field (the store unchanged row for row), or stored and
// printed back exactly.
//
// argv cannot carry NUL bytes, and Linux caps one argument at 128 KiB, so the
// NUL and 10 MB cases go through import files.

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scoringjobs/error.hpp"
#include "support/cli_runner.hpp"
#include "support/store_snapshot.hpp"
#include "support/temp_dir.hpp"

using nlohmann::json;
using scoringjobs::test::run_cli;
using scoringjobs::test::RunResult;
using scoringjobs::test::store_snapshot;
using scoringjobs::test::TempDir;

namespace {

constexpr std::size_t kBigArg = 120'000;  // under the kernel's 128 KiB limit for one argument

struct SeededCli {
  TempDir dir;
  std::string db = (dir / "jobs.db").string();

  /// With `seeded`, the store starts with one job (job-0) and its queued create.
  explicit SeededCli(bool seeded = true) {
    if (seeded) ok({"create", "--account", "acct", "--scorecard", "card", "--item", "item-0", "--id", "job-0"});
  }

  RunResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db});
    return run_cli(args);
  }
  json ok(const std::vector<std::string>& args) const {
    const auto result = run(args);
    INFO(result.describe().substr(0, 2000));
    REQUIRE(result.exit_code == 0);
    return json::parse(result.out);
  }
  // Exit 2, one short printable line on stderr naming `name`, nothing on stdout, nothing changed.
  void refused(const std::vector<std::string>& args, const std::string& name) const {
    const auto before = store_snapshot(db);
    const auto result = run(args);
    INFO(result.describe().substr(0, 2000));
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err.rfind("scoringjobs: error: ", 0) == 0);
    CHECK(result.err.find(name) != std::string::npos);
    CHECK(result.err.size() < 800);
    CHECK(result.err.find('\n') == result.err.size() - 1);
    for (const unsigned char c : result.err) CHECK(((c >= 0x20 && c < 0x7f) || c == '\n'));
    CHECK(store_snapshot(db) == before);
  }
  std::string write(const std::string& name, const std::string& content) const {
    auto path = (dir / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
};

std::vector<std::string> create_args(const std::string& id) {
  return {"create", "--account", "acct", "--scorecard", "card", "--item", "item-" + id, "--id", id};
}

std::vector<std::string> with_option(std::vector<std::string> args, const std::string& option,
                                     const std::string& value) {
  args.push_back(option);
  args.push_back(value);
  return args;
}

const std::string kStamps = R"("createdAt":"2026-11-28T10:00:00.000Z","updatedAt":"2026-11-28T10:00:00.000Z")";

// An import file with one ScoringJob whose extra fields are `fields` (JSON text, starting with a comma).
std::string fixture_with(const std::string& fields) {
  return R"({"ScoringJob":[{"id":"job-f","accountId":"a","status":"PENDING","scorecardId":"c","itemId":"i",)" +
         kStamps + fields + "}]}";
}

}  // namespace

TEST_CASE("quotes and SQL in CLI values are stored and printed back exactly") {
  SeededCli cli;
  const std::string drop = "'; DROP TABLE ScoringJob; --";
  const std::string quotes = R"(" OR "1"="1 \ 'single' `tick` $(x))";
  const auto created = cli.ok({"create",       "--account",
                               drop,           "--scorecard",
                               quotes,         "--item",
                               drop,           "--id",
                               drop,           "--score",
                               quotes,         "--evaluation",
                               drop,           "--status",
                               quotes,         "--allow-new-status",
                               "--metadata",   json{{drop, quotes}}.dump(),
                               "--parameters", json{{"q", drop}}.dump()});
  CHECK(created["id"] == drop);
  CHECK(created["accountId"] == drop);
  CHECK(created["scorecardId"] == quotes);
  CHECK(created["status"] == quotes);
  CHECK(created["metadata"] == json{{drop, quotes}, {"parameters", {{"q", drop}}}});
  CHECK(cli.ok({"get", drop}) == created);
  CHECK(cli.ok({"find-by-item", drop}) == created);

  const auto updated = cli.ok({"update", drop, "--error-message", drop + quotes, "--error-details",
                               json::array({drop}).dump(), "--score", drop});
  CHECK(updated["errorMessage"] == drop + quotes);
  CHECK(updated["errorDetails"] == json::array({drop}));
  CHECK(cli.ok({"get", drop}) == updated);
  const auto outbox = cli.ok({"outbox", "--json"});
  CHECK(outbox["entries"].back()["fields"]["errorMessage"] == drop + quotes);

  const auto batch = cli.ok({"batch", "create", "--account", drop, "--type", quotes, "--model-provider", drop,
                             "--model-name", quotes, "--id", quotes});
  CHECK(cli.ok({"batch", "get", quotes}) == batch);
  cli.ok({"link", quotes, drop});
  const auto member_of = cli.ok({"batch-of", drop});
  CHECK(member_of["id"] == batch["id"]);
  CHECK(member_of["scoringJobCountCache"] == 1);
  CHECK(cli.ok({"get", "job-0"})["id"] == "job-0");  // the table is still there
}

TEST_CASE("invalid UTF-8 in CLI values is refused naming the field") {
  SeededCli cli;
  for (const std::string& bad : std::vector<std::string>{"\xff", "ok\xc3", "\xed\xa0\x80"}) {
    CAPTURE(scoringjobs::excerpt(bad));
    cli.refused(with_option(create_args("j1"), "--score", bad), "scoreId");
    cli.refused({"create", "--account", bad, "--scorecard", "c", "--item", "i"}, "accountId");
    cli.refused({"update", "job-0", "--error-message", bad}, "errorMessage");
    cli.refused({"update", "job-0", "--metadata", "{\"k\":\"" + bad + "\"}"}, "--metadata");
    cli.refused({"batch", "create", "--account", "a", "--type", "t", "--model-provider", bad, "--model-name", "m"},
                "modelProvider");
    cli.refused({"update", "job-0", "--status", "RUNNING", "--evaluation", bad}, "evaluationId");
  }
}

TEST_CASE("oversized CLI values are refused with a short excerpt") {
  SeededCli cli;
  const std::string big(kBigArg, 'x');
  cli.refused({"create", "--account", "a", "--scorecard", "c", "--item", "i", "--id", big}, "id");
  // Under the text and AWSJSON limits (what DynamoDB holds): kept exactly.
  CHECK(cli.ok({"update", "job-0", "--error-message", big})["errorMessage"] == big);
  CHECK(cli.ok({"update", "job-0", "--metadata", json(big).dump()})["metadata"] == big);
  // Text that is not JSON is not echoed whole either: an unterminated string, deep nesting.
  cli.refused({"update", "job-0", "--metadata", "\"" + big}, "--metadata");
  cli.refused({"update", "job-0", "--error-details", std::string(kBigArg, '[')}, "--error-details");
  cli.refused(with_option(create_args("j1"), "--parameters", "{\"k\":" + std::string(kBigArg, '{')), "--parameters");
}

TEST_CASE("huge numbers in CLI JSON are refused, extremes JSON can hold round-trip") {
  SeededCli cli;
  for (const std::string& bad :
       std::vector<std::string>{R"({"n":1e400})", R"([-1e400])", R"({"n":18446744073709551616})",
                                "[-9223372036854775809]", "123456789012345678901234567890"}) {
    CAPTURE(bad);
    cli.refused({"update", "job-0", "--metadata", bad}, "--metadata");
    cli.refused(with_option(create_args("j1"), "--parameters", "{\"p\":" + bad + "}"), "--parameters");
  }
  const auto created =
      cli.ok(with_option(create_args("j2"), "--metadata",
                         R"({"u":18446744073709551615,"i":-9223372036854775808,"z":-0,"f":-0.0,"d":1e308})"));
  const auto& metadata = created["metadata"];
  CHECK(metadata["u"].get<std::uint64_t>() == std::numeric_limits<std::uint64_t>::max());
  CHECK(metadata["i"].get<std::int64_t>() == std::numeric_limits<std::int64_t>::min());
  CHECK(metadata["z"] == 0);
  CHECK(std::signbit(metadata["f"].get<double>()));
  CHECK(metadata["d"].get<double>() == 1e308);
  CHECK(cli.ok({"get", "j2"}) == created);
  // Numbers where the CLI wants text are text: stored as the string given.
  CHECK(cli.ok({"update", "j2", "--status", "18446744073709551616", "--allow-new-status"})["status"] ==
        "18446744073709551616");
  // An integer option given 2^64 is a usage error from the option parser.
  const auto before = store_snapshot(cli.db);
  const auto result = cli.run({"assign", "--account", "a", "--scorecard", "c", "--item", "i", "--model-provider", "p",
                               "--model-name", "m", "--max-batch-size", "18446744073709551616"});
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("--max-batch-size") != std::string::npos);
  CHECK(store_snapshot(cli.db) == before);
}

TEST_CASE("hostile import files are refused naming the position and import nothing") {
  SeededCli cli;
  const std::string ten_mb(10 * 1024 * 1024, 'x');
  struct Case {
    std::string name, content, expected;
  };
  const std::vector<Case> cases = {
      {"nul.json", fixture_with(R"(,"scoreId":"a\u0000b")"), "ScoringJob[0].scoreId"},
      {"long.json", fixture_with(",\"errorMessage\":\"" + ten_mb + "\""), "ScoringJob[0].errorMessage"},
      {"key.json", fixture_with(",\"" + ten_mb + "\":1"), "ScoringJob[0].xxxxxxxx"},
      {"sql.json", fixture_with(R"(,"status":"'; DROP TABLE ScoringJob; --","bogus":1)"), "ScoringJob[0].bogus"},
      {"huge_int.json", fixture_with(R"(,"metadata":"{\"n\":18446744073709551616}")"), "ScoringJob[0].metadata"},
      {"inf.json", fixture_with(R"(,"metadata":"[1e400]")"), "ScoringJob[0].metadata"},
      {"int_as_text.json",
       R"({"BatchJob":[{"id":"b","accountId":"a","status":"OPEN","type":"t","batchId":"x","modelProvider":"p",)"
       R"("modelName":"m",)" +
           kStamps + R"(,"totalRequests":"12"}]})",
       "BatchJob[0].totalRequests"},
      {"int_2_64.json",
       R"({"BatchJob":[{"id":"b","accountId":"a","status":"OPEN","type":"t","batchId":"x","modelProvider":"p",)"
       R"("modelName":"m",)" +
           kStamps + R"(,"failedRequests":18446744073709551616}]})",
       "18446744073709551616"},
      {"text_as_number.json", fixture_with(R"(,"scoreId":12)"), "ScoringJob[0].scoreId"},
      // Not JSON at all: raw invalid UTF-8 inside a 10 MB string, an unterminated 10 MB string, deep nesting.
      {"raw_bytes.json", fixture_with(",\"errorMessage\":\"" + ten_mb + "\xff\""), "not valid JSON"},
      {"unterminated.json", "{\"ScoringJob\":[\"" + ten_mb, "not valid JSON"},
      {"deep.json", "{\"ScoringJob\":" + std::string(ten_mb.size(), '['), "nested deeper"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    cli.refused({"import", cli.write(c.name, c.content)}, c.expected);
  }
}

TEST_CASE("a hostile but valid fixture imports and exports back byte for byte") {
  SeededCli cli;
  const auto path =
      cli.write("hostile.json",
                fixture_with(R"(,"errorMessage":"'; DROP TABLE ScoringJob; --","metadata":"{\"k\":\"a\\u0000b\",)"
                             R"(\"u\":18446744073709551615,\"q\":\"\\\"\"}","scoreId":"\u00fc\u2713\ud834\udd1e")"));
  const auto imported = cli.ok({"import", path});
  CHECK(imported["imported"]["ScoringJob"]["written"] == 1);
  const auto job = cli.ok({"get", "job-f"});
  CHECK(job["errorMessage"] == "'; DROP TABLE ScoringJob; --");
  CHECK(job["metadata"]["k"] == std::string("a\0b", 3));
  CHECK(job["metadata"]["u"].get<std::uint64_t>() == std::numeric_limits<std::uint64_t>::max());
  CHECK(job["scoreId"] == "\xc3\xbc\xe2\x9c\x93\xf0\x9d\x84\x9e");

  // Export, import into a fresh store, export again: the same bytes.
  const auto first = cli.run({"export"});
  REQUIRE(first.exit_code == 0);
  SeededCli other(/*seeded=*/false);
  const auto file = other.write("export.json", first.out);
  other.ok({"import", file});
  const auto second = other.run({"export"});
  REQUIRE(second.exit_code == 0);
  CHECK(second.out == first.out);
  // A second import of the same file changes nothing.
  const auto before = store_snapshot(other.db);
  CHECK(other.ok({"import", file})["imported"]["ScoringJob"]["written"] == 0);
  CHECK(store_snapshot(other.db) == before);
}
