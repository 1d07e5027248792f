// tools/demo, the README's tour, run with the CLI of this build: it ends well,
// says where the binary is, and every command it shows ("$ ...") can be pasted
// into a shell as printed: it parses, names a real program, and gives that
// program exactly the arguments the demo ran it with (JSON included).

#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_runner.hpp"

using scoringjobs::test::run_program;
using scoringjobs::test::RunOptions;

TEST_CASE("tools/demo runs end to end and every command it prints can be pasted into a shell") {
  const std::filesystem::path source = SCORINGJOBS_SOURCE_DIR;
  RunOptions options;
  options.env = {{"SCORINGJOBS_DEMO_CLI", SCORINGJOBS_CLI_PATH},
                 {"SCORINGJOBS_DB", std::nullopt},
                 {"PLEXUS_API_URL", std::nullopt},
                 {"PLEXUS_API_KEY", std::nullopt}};
  options.timeout = std::chrono::seconds(300);
  const auto demo = run_program("/bin/bash", {(source / "tools" / "demo").string()}, options);
  INFO(demo.describe());
  REQUIRE(demo.exit_code == 0);
  CHECK(demo.out.find("The scoringjobs CLI: " SCORINGJOBS_CLI_PATH "\n") != std::string::npos);

  std::vector<std::string> commands;
  std::istringstream lines(demo.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("$ ", 0) == 0) commands.push_back(line.substr(2));
  }
  REQUIRE(commands.size() >= 10);
  CHECK(commands.front().rfind("export SCORINGJOBS_DB=", 0) == 0);
  bool saw_json_argument = false;
  for (const auto& command : commands) {
    CAPTURE(command);
    const bool is_export = command.rfind("export ", 0) == 0;
    if (!is_export) {
      // The program is named by a path that exists: no "scoringjobs" that is not on PATH.
      const auto program = command.substr(0, command.find(' '));
      CHECK(std::filesystem::path(program).is_absolute());
      CHECK(std::filesystem::exists(program));
    }
    // The shell reads it back: its words, one per line, with the program replaced by printf.
    const auto words_script = is_export ? command : "printf '%s\\n'" + command.substr(command.find(' '));
    const auto words = run_program("/bin/bash", {"-c", words_script});
    CHECK(words.exit_code == 0);
    CHECK(words.err.empty());
    if (words.out.find("\n{\"source\":\"demo\"}\n") != std::string::npos) saw_json_argument = true;
  }
  CHECK(saw_json_argument);  // `--metadata {"source":"demo"}` reached the shell intact
}
