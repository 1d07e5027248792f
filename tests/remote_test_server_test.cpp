// The AppSyncServer fixture itself: what the server prints must reach the
// test's own output, where ctest logs it (and tools/test searches it for the key).

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "support/appsync_server.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

using scoringjobs::test::AppSyncServer;
using scoringjobs::test::ScopedEnv;
using scoringjobs::test::TempDir;

namespace {

/// Sends one of this process's descriptors (stdout, stderr) into a file until destroyed.
class Redirect {
 public:
  Redirect(int fd, const std::filesystem::path& file) : fd_(fd) {
    flush();
    saved_ = ::dup(fd_);
    const int target = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    REQUIRE(saved_ >= 0);
    REQUIRE(target >= 0);
    REQUIRE(::dup2(target, fd_) == fd_);
    ::close(target);
  }
  ~Redirect() {
    flush();
    ::dup2(saved_, fd_);
    ::close(saved_);
  }
  Redirect(const Redirect&) = delete;
  Redirect& operator=(const Redirect&) = delete;

 private:
  static void flush() {
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
  }
  int fd_;
  int saved_ = -1;
};

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("what the server prints after READY reaches the test's stdout, its stderr the test's stderr") {
  TempDir dir;
  // A stand-in that only prints: to stderr, then READY with more in the same
  // chunk, and once more on stdout when the fixture stops it (long after READY).
  const auto script = dir / "printing-server.js";
  std::ofstream(script)
      << "process.on('SIGTERM', () => { process.stdout.write('printed-at-exit\\n'); process.exit(0); });\n"
         "process.stderr.write('printed-on-stderr\\n');\n"
         "process.stdout.write('READY http://127.0.0.1:9/graphql\\nsame-chunk-as-ready\\n');\n"
         "setInterval(() => {}, 60000);\n";
  const ScopedEnv server_program("SCORINGJOBS_TEST_SERVER", script.string());
  {
    const Redirect out(STDOUT_FILENO, dir / "stdout.txt");
    const Redirect err(STDERR_FILENO, dir / "stderr.txt");
    // Stopping the server joins the thread that forwards its stdout: all of it is through then.
    AppSyncServer server("CANARY-KEY-test-server");
  }
  const std::string out = read_file(dir / "stdout.txt");
  const std::string err = read_file(dir / "stderr.txt");
  CHECK(out.find("same-chunk-as-ready") != std::string::npos);
  CHECK(out.find("printed-at-exit") != std::string::npos);
  CHECK(err.find("printed-on-stderr") != std::string::npos);
  CHECK(out.find("READY") == std::string::npos);  // the fixture's own line is not repeated
}
