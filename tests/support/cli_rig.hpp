#pragma once
// The scoringjobs CLI driven as cron and an operator drive it, for the CLI
// tests: a database of its own, the environment a cron job would have, and
// (Rig) a running local AppSync server with a key file for it.

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support/appsync_server.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace scoringjobs::test {

/// The API key of the CLI tests (a canary key: it must never show in output).
inline constexpr const char* kCliTestKey = "CANARY-KEY-cli-sync-5c0ffee";

/// Writes `text` to `path` with `mode`; returns the path as a string.
std::string write_file(const std::filesystem::path& path, const std::string& text, mode_t mode = 0600);
std::string read_file(const std::filesystem::path& path);

/// Fails the test if the key (or any part of it marked CANARY) shows in a run's output.
void check_no_key(const RunResult& result);

using Env = std::map<std::string, std::optional<std::string>>;

/// A database of its own (--db) and none of the variables the tool reads, unless a test sets them.
struct Cli {
  TempDir dir;
  std::string db = (dir / "jobs.db").string();

  RunResult run(std::vector<std::string> args, const Env& env = {}) const;
  /// The same on another path to the database (e.g. a symlink to it).
  RunResult run_at(const std::string& db_path, std::vector<std::string> args, const Env& env = {}) const;
  /// A command that must succeed and print exactly one JSON line.
  nlohmann::json ok(const std::vector<std::string>& args) const;
  /// A command that must fail with `code` and one error line naming the problem.
  RunResult fails(const std::vector<std::string>& args, int code, const Env& env = {}) const;

  std::int64_t pending() const;
  nlohmann::json status() const;
  std::string create(const std::string& item, const std::string& account = "acct") const;
  nlohmann::json assign(const std::string& item) const;
  std::string export_text() const;
};

/// Writes kCliTestKey and a newline, as a person's editor leaves a key file.
std::string write_key_file(const std::filesystem::path& path);

/// A store and a running server with a key file for it.
struct Rig : Cli {
  AppSyncServer server{kCliTestKey};
  std::string key_file = write_key_file(dir / "api.planted-key");

  std::vector<std::string> remote_args() const;
  RunResult sync(const std::vector<std::string>& extra = {}) const;
  RunResult sync_at(const std::string& db_path, const std::vector<std::string>& extra = {}) const;
  /// sync --json: the exit code must be `code` and stdout one JSON report.
  nlohmann::json sync_json(int code, std::vector<std::string> extra = {}) const;
};

}  // namespace scoringjobs::test
