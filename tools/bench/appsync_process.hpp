#pragma once
// The local AppSync server (tests/appsync/server.js) for the sync figures:
// a real Node process on a loopback port, reset between runs, with added
// latency through its admin API (POST /admin/faults {"mode":"delay"}).

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>

namespace scoringjobs::bench {

class AppSyncProcess {
 public:
  /// Starts `node <source>/tests/appsync/server.js --port 0 --api-key <key>` and
  /// waits (up to 20 s) for its READY line. Throws std::runtime_error.
  AppSyncProcess(const std::filesystem::path& source_dir, std::string api_key);
  /// SIGTERM, up to 5 s, then SIGKILL. Never throws.
  ~AppSyncProcess();
  AppSyncProcess(const AppSyncProcess&) = delete;
  AppSyncProcess& operator=(const AppSyncProcess&) = delete;

  std::string url() const;  // http://127.0.0.1:PORT/graphql
  const std::string& api_key() const noexcept { return api_key_; }

  /// Clears data, fault rules and the request log.
  void reset();
  /// Every request waits `delay` before it runs (0: no added latency).
  void set_latency(std::chrono::milliseconds delay);
  /// Number of POST /graphql requests since the last reset.
  std::size_t requests_logged();
  /// Puts records on the server as they are given (POST /admin/load, the dump shape).
  void load(const nlohmann::json& records);

 private:
  void terminate() noexcept;
  nlohmann::json admin(std::string_view method, std::string_view path, const nlohmann::json& body = nullptr);

  std::string api_key_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
  std::thread drain_;
};

}  // namespace scoringjobs::bench
