#pragma once
// Running child processes: the AppSync server, the drain child, the CLI.

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace scoringjobs::bench {

struct ChildResult {
  int exit_code = -1;                   // -1 when killed by a signal
  std::chrono::nanoseconds elapsed{0};  // spawn to reaped
  rusage usage{};                       // of the child alone (wait4)
  std::string out;                      // its stdout, when captured
};

/// Runs `args` (argv[0] searched in PATH) to completion with posix_spawn,
/// stdin and stderr on /dev/null, stdout captured or on /dev/null, `extra_env`
/// ("NAME=value") added to the environment. Throws std::runtime_error when it
/// cannot be started.
ChildResult run_child(const std::vector<std::string>& args, bool capture_stdout,
                      const std::vector<std::string>& extra_env = {});

/// fork + exec with stdout on `stdout_fd`; the child gets SIGTERM when this
/// process dies, so a crashed bench leaves no server behind.
pid_t spawn_tied(const std::vector<std::string>& args, int stdout_fd);

/// Waits up to `bound` for `pid` to exit; true when it was reaped.
bool wait_exit(pid_t pid, std::chrono::milliseconds bound);

}  // namespace scoringjobs::bench
