#include "cli_bench.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>

#include "dataset.hpp"
#include "process.hpp"
#include "scoringjobs/store.hpp"

namespace scoringjobs::bench {
namespace {

constexpr int kRuns = 20;

/// A loopback port nothing listens on: connecting to it is refused at once,
/// as when the API (or the link to it) is down.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  int port = 9;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  if (fd >= 0) ::close(fd);
  return port;
}

double median_ms(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

std::vector<Figure> run_cli_figures(const Options& options, AppSyncProcess& server) {
  std::vector<Figure> figures;
  const std::string down_name = "6 scoringjobs sync no-op, nothing queued, server down (median of 20)";
  const std::string up_name = "6 scoringjobs sync no-op, nothing queued, server up (median of 20)";
  auto not_measured = [&](const std::string& why) {
    for (const auto& name : {down_name, up_name}) {
      Figure f;
      f.name = name;
      f.unit = "ms";
      f.target = 20;
      f.target_of = "value";
      f.measured = false;
      f.note = why;
      figures.push_back(std::move(f));
    }
    return figures;
  };
  if (options.cli.empty() || !std::filesystem::exists(options.cli)) return not_measured("no scoringjobs binary built");

  const auto db = options.work / "cron.db";
  const auto key_file = options.work / "api-key";
  remove_store(db);
  { Store::open(db); }  // migrated and empty: nothing queued
  {
    std::ofstream(key_file) << server.api_key() << '\n';
    std::filesystem::permissions(key_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  const auto probe = run_child({options.cli, "--db", db.string(), "sync", "--help"}, true);
  if (probe.exit_code != 0) {
    return not_measured("the CLI has no `sync` command yet (`scoringjobs sync --help` exits " +
                        std::to_string(probe.exit_code) + ")");
  }

  const std::string down_url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/graphql";
  const std::map<std::string, std::vector<std::string>> commands = {
      {"version", {options.cli, "--version"}},
      {"down", {options.cli, "--db", db.string(), "sync", "--api-url", down_url, "--api-key-file", key_file.string()}},
      {"up",
       {options.cli, "--db", db.string(), "sync", "--api-url", server.url(), "--api-key-file", key_file.string()}},
  };
  std::map<std::string, std::vector<double>> ms;
  std::map<std::string, int> exit_codes;
  for (int run = -2; run < kRuns; ++run) {  // two warm-up runs of each
    for (const auto& [name, args] : commands) {
      const auto result = run_child(args, false);
      exit_codes[name] = result.exit_code;
      if (run >= 0) ms[name].push_back(std::chrono::duration<double, std::milli>(result.elapsed).count());
    }
  }
  const double version_ms = median_ms(ms["version"]);
  for (const auto& [name, label] : {std::pair{std::string("down"), down_name}, std::pair{std::string("up"), up_name}}) {
    Figure f;
    f.name = label;
    f.unit = "ms";
    f.value = median_ms(ms[name]);
    f.baseline = version_ms;
    f.ratio = f.value / f.baseline;
    f.target = 20;
    f.target_of = "value";
    f.note = "spawn to exit of the built CLI, exit code " + std::to_string(exit_codes[name]) +
             "; baseline = `scoringjobs --version` (process start), ratio for information";
    figures.push_back(std::move(f));
  }
  remove_store(db);
  std::filesystem::remove(key_file);
  return figures;
}

}  // namespace scoringjobs::bench
