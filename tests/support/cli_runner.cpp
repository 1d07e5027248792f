#include "support/cli_runner.hpp"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <stdexcept>

#include "support/canary.hpp"

extern char** environ;

namespace scoringjobs::test {
namespace {

// Closes a descriptor once; the owner of each pipe end in the parent.
class Fd {
 public:
  explicit Fd(int fd = -1) noexcept : fd_(fd) {}
  ~Fd() { close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const noexcept { return fd_; }
  void close() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

std::runtime_error sys_error(const std::string& what) { return std::runtime_error(what + ": " + std::strerror(errno)); }

std::array<Fd, 2> make_pipe() {
  int fds[2];
  // CLOEXEC so that children started concurrently do not inherit our ends.
  if (::pipe2(fds, O_CLOEXEC) != 0) throw sys_error("pipe2");
  return {Fd(fds[0]), Fd(fds[1])};
}

std::vector<std::string> child_environment(const RunOptions& options) {
  std::map<std::string, std::string> merged;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string text(*entry);
    const auto eq = text.find('=');
    if (eq == std::string::npos) continue;
    merged[text.substr(0, eq)] = text.substr(eq + 1);
  }
  for (const auto& [name, value] : options.env) {
    if (value) {
      merged[name] = *value;
    } else {
      merged.erase(name);
    }
  }
  std::vector<std::string> out;
  for (const auto& [name, value] : merged) {
    std::string entry = name;
    entry += '=';
    entry += value;
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

std::string RunResult::describe() const {
  std::string text = "exit code " + std::to_string(exit_code);
  if (signal != 0) text += ", signal " + std::to_string(signal);
  if (timed_out) text += ", timed out";
  return text + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
}

RunResult run_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                      const RunOptions& options) {
  // Everything the child needs is built before fork(): between fork and exec
  // only async-signal-safe calls are allowed (this test process may have threads).
  std::vector<std::string> argv_strings{program.string()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  auto env_strings = child_environment(options);
  auto argv = pointers(argv_strings);
  auto envp = pointers(env_strings);
  const std::string cwd = options.cwd.string();

  auto out_pipe = make_pipe();
  auto err_pipe = make_pipe();
  const std::string stdin_path = options.stdin_file.empty() ? "/dev/null" : options.stdin_file.string();
  Fd input(::open(stdin_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (input.get() < 0) throw sys_error("open " + stdin_path);

  const pid_t pid = ::fork();
  if (pid < 0) throw sys_error("fork");
  if (pid == 0) {
    if (::dup2(input.get(), STDIN_FILENO) < 0 || ::dup2(out_pipe[1].get(), STDOUT_FILENO) < 0 ||
        ::dup2(err_pipe[1].get(), STDERR_FILENO) < 0) {
      ::_exit(127);
    }
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(127);
    if (options.as_user && (::setgroups(0, nullptr) != 0 || ::setgid(options.as_user->second) != 0 ||
                            ::setuid(options.as_user->first) != 0)) {
      ::_exit(126);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  out_pipe[1].close();
  err_pipe[1].close();
  input.close();
  if (options.on_started) options.on_started(pid);

  RunResult result;
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::array<pollfd, 2> fds{pollfd{out_pipe[0].get(), POLLIN, 0}, pollfd{err_pipe[0].get(), POLLIN, 0}};
  std::array<std::string*, 2> sinks{&result.out, &result.err};
  int open_streams = 2;
  while (open_streams > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      result.timed_out = true;
      break;
    }
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      throw sys_error("poll");
    }
    for (std::size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;  // EOF (or a read error): poll ignores negative descriptors
        --open_streams;
      }
    }
  }

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw sys_error("waitpid");
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  if (result.timed_out) result.exit_code = -1;
  // Whatever a test runs, the API key must not show in what it prints.
  check_no_canary("the stdout of " + program.filename().string(), result.out);
  check_no_canary("the stderr of " + program.filename().string(), result.err);
  return result;
}

RunResult run_cli(const std::vector<std::string>& args, const RunOptions& options) {
  const std::filesystem::path cli = SCORINGJOBS_CLI_PATH;
  if (cli.empty()) throw std::runtime_error("the scoringjobs CLI was not built (SCORINGJOBS_TOOLS off)");
  return run_program(cli, args, options);
}

}  // namespace scoringjobs::test
