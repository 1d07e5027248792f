#include "support/cli_rig.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "support/canary.hpp"

namespace scoringjobs::test {

using nlohmann::json;

std::string write_file(const std::filesystem::path& path, const std::string& text, mode_t mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
  }
  REQUIRE(::chmod(path.c_str(), mode) == 0);
  return path.string();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void check_no_key(const RunResult& result) {
  INFO(result.describe());
  CHECK(result.out.find(kCanaryPrefix) == std::string::npos);
  CHECK(result.err.find(kCanaryPrefix) == std::string::npos);
}

RunResult Cli::run(std::vector<std::string> args, const Env& env) const { return run_at(db, std::move(args), env); }

RunResult Cli::run_at(const std::string& db_path, std::vector<std::string> args, const Env& env) const {
  RunOptions options;
  options.env = {{"PLEXUS_API_URL", std::nullopt},
                 {"PLEXUS_API_KEY", std::nullopt},
                 {"SCORINGJOBS_DB", std::nullopt},
                 {"SCORINGJOBS_LOG", std::nullopt}};
  for (auto& [name, value] : env) options.env[name] = value;
  args.insert(args.begin(), {"--db", db_path});
  auto result = run_cli(args, options);
  check_no_key(result);
  return result;
}

json Cli::ok(const std::vector<std::string>& args) const {
  const auto result = run(args);
  INFO(result.describe());
  REQUIRE(result.exit_code == 0);
  REQUIRE(!result.out.empty());
  CHECK(result.out.find('\n') == result.out.size() - 1);
  return json::parse(result.out);
}

RunResult Cli::fails(const std::vector<std::string>& args, int code, const Env& env) const {
  auto result = run(args, env);
  INFO(result.describe());
  CHECK(result.exit_code == code);
  CHECK(result.out.empty());
  CHECK(result.err.rfind("scoringjobs: error: ", 0) == 0);
  return result;
}

std::int64_t Cli::pending() const { return ok({"outbox", "--json", "--limit", "0"})["pending"].get<std::int64_t>(); }

json Cli::status() const { return ok({"status", "--json"}); }

std::string Cli::create(const std::string& item, const std::string& account) const {
  return ok({"create", "--account", account, "--scorecard", "card", "--item", item})["id"].get<std::string>();
}

json Cli::assign(const std::string& item) const {
  return ok({"assign", "--account", "acct", "--scorecard", "card", "--item", item, "--model-provider", "OpenAI",
             "--model-name", "gpt-4o-mini"});
}

std::string Cli::export_text() const {
  const auto result = run({"export"});
  INFO(result.describe());
  REQUIRE(result.exit_code == 0);
  return result.out;
}

std::string write_key_file(const std::filesystem::path& path) {
  std::string text = kCliTestKey;
  text += '\n';
  return write_file(path, text);
}

std::vector<std::string> Rig::remote_args() const { return {"--api-url", server.url(), "--api-key-file", key_file}; }

RunResult Rig::sync(const std::vector<std::string>& extra) const { return sync_at(db, extra); }

RunResult Rig::sync_at(const std::string& db_path, const std::vector<std::string>& extra) const {
  std::vector<std::string> args{"sync"};
  for (auto& a : remote_args()) args.push_back(a);
  for (auto& a : extra) args.push_back(a);
  return run_at(db_path, args);
}

json Rig::sync_json(int code, std::vector<std::string> extra) const {
  extra.push_back("--json");
  const auto result = sync(extra);
  INFO(result.describe());
  CHECK(result.exit_code == code);
  REQUIRE(!result.out.empty());
  CHECK(result.out.find('\n') == result.out.size() - 1);
  CHECK(result.err.find("sync: ") == std::string::npos);  // no summary; warnings may be logged
  auto report = json::parse(result.out);
  CHECK(report["exitCode"] == code);
  return report;
}

}  // namespace scoringjobs::test
