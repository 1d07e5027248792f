#pragma once
// Runs a program (by default the `scoringjobs` CLI) as a user would: its own
// process, stdin from /dev/null (or a file), stdout and stderr captured, bounded in time.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace scoringjobs::test {

struct RunOptions {
  /// Variables to set (a value) or remove (nullopt) on top of this process's environment.
  std::map<std::string, std::optional<std::string>> env;
  /// A file the child reads as its stdin; empty: /dev/null.
  std::filesystem::path stdin_file;
  /// Working directory of the child; empty: this process's.
  std::filesystem::path cwd;
  /// The child is killed (SIGKILL) when it runs longer than this.
  std::chrono::milliseconds timeout{60'000};
  /// Called with the child's pid once it is started (e.g. to signal it from another thread).
  std::function<void(pid_t)> on_started;
  /// Run the child as this user and group (the caller must be root), with no supplementary groups.
  std::optional<std::pair<uid_t, gid_t>> as_user;
};

struct RunResult {
  int exit_code = -1;  // the exit status; -1 when killed by a signal or timed out
  int signal = 0;      // the signal that ended it, 0 when it exited
  bool timed_out = false;
  std::string out;
  std::string err;

  /// For failure messages: exit code, signal and both streams.
  std::string describe() const;
};

/// Runs `program` with `args` (argv[1..]). Throws std::runtime_error when the
/// program cannot be started at all (an exec failure is reported as exit 127).
/// Fails the running test when its stdout or stderr holds the canary API key
/// (support/canary.hpp).
RunResult run_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                      const RunOptions& options = {});

/// Runs the scoringjobs CLI built with this test tree (SCORINGJOBS_CLI_PATH).
RunResult run_cli(const std::vector<std::string>& args, const RunOptions& options = {});

}  // namespace scoringjobs::test
