#pragma once
// The local AppSync server (tests/appsync/server.js) as an RAII test fixture:
// a real Node process on a loopback port, with the admin API (faults, dump,
// load, reset, request log) one call away. Tests talk to it over HTTP exactly
// as production talks to AppSync; nothing is mocked in-process.

#include <sys/types.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "scoringjobs/remote.hpp"
#include "support/temp_dir.hpp"

namespace scoringjobs::test {

/// What an HTTPS server serves (PEM files): its certificate and key, and the CA
/// certificate that signed it, which the admin calls below trust.
struct TlsFiles {
  std::filesystem::path cert;
  std::filesystem::path key;
  std::filesystem::path ca;
};

/// Installs the local server's node dependencies (`npm ci --prefix tests/appsync`)
/// unless present, once even when several test programs start together.
/// Throws std::runtime_error when npm fails.
void ensure_node_modules();

/// tests/appsync in the source tree.
std::filesystem::path appsync_dir();

class AppSyncServer {
 public:
  /// Starts `node tests/appsync/server.js --port 0 --api-key <api_key> [--data <data_file>]`,
  /// running `npm ci --prefix tests/appsync` first if its node_modules is missing.
  /// SCORINGJOBS_TEST_SERVER=PATH runs another implementation with the same flags instead.
  /// Returns once the server printed its READY line; throws std::runtime_error if
  /// it exits or stays silent for 20 s. What it prints afterwards reaches this
  /// process's stdout, its stderr this process's stderr (so ctest logs hold both).
  explicit AppSyncServer(std::string api_key, const std::optional<std::filesystem::path>& data_file = std::nullopt);
  /// The same server over HTTPS (`--tls-cert --tls-key`): url() is https://127.0.0.1:PORT/graphql.
  /// remote_config() does NOT name tls.ca: a client trusts the server only when told to.
  AppSyncServer(std::string api_key, TlsFiles tls);
  /// Stops the server: SIGTERM, up to 5 s for it to exit, then SIGKILL. Never throws.
  ~AppSyncServer();
  AppSyncServer(const AppSyncServer&) = delete;
  AppSyncServer& operator=(const AppSyncServer&) = delete;

  const std::string& api_key() const noexcept { return api_key_; }
  /// http://127.0.0.1:PORT/graphql (https:// when serving TLS)
  std::string url() const;
  /// http://127.0.0.1:PORT (https:// when serving TLS)
  std::string base_url() const;
  int port() const noexcept { return port_; }
  bool running() const noexcept { return pid_ > 0; }

  /// A RemoteConfig for this server with its key and the given total timeout.
  RemoteConfig remote_config(std::chrono::milliseconds total_timeout = std::chrono::seconds(10)) const;

  /// Takes the server down (clients now get "connection refused"; requests in
  /// flight lose their answer). The server saves its records as it exits, after
  /// its last connection closed, so start() brings back every write a client
  /// could have seen applied: an outage of the real API loses nothing either.
  /// Fault rules and the request log are not kept. No-op when already stopped.
  void stop();
  /// Starts the server again on the SAME port, so clients configured with
  /// url() reach it again, preloaded with what stop() saved. No-op when running.
  void start();

  // Admin API (see tests/appsync/README.md). Each throws std::runtime_error on a non-2xx answer.
  /// POST /admin/faults; returns the stored rule (with its "id").
  nlohmann::json add_fault(const nlohmann::json& rule);
  /// DELETE /admin/faults
  void clear_faults();
  /// GET /admin/dump: {"ScoringJob":[…],"BatchJob":[…],"BatchJobScoringJob":[…]}, wire shape.
  nlohmann::json dump();
  /// POST /admin/load: upserts the records exactly as given.
  nlohmann::json load(const nlohmann::json& records);
  /// POST /admin/reset: clears data, fault rules and the request log.
  void reset();
  /// GET /admin/log: the "requests" array, one entry per POST /graphql.
  nlohmann::json request_log();
  /// DELETE /admin/log
  void clear_log();
  /// Any admin call: method, path under base_url() (e.g. "/admin/health"), JSON body or null.
  nlohmann::json admin(std::string_view method, std::string_view path, const nlohmann::json& body = nullptr);

 private:
  void launch(int port, const std::optional<std::filesystem::path>& data_file);
  void terminate() noexcept;
  std::filesystem::path saved_records() const;

  std::string api_key_;
  std::optional<TlsFiles> tls_;
  TempDir scratch_;  // holds the records saved by stop()
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
  std::thread drain_;  // copies the server's stdout to ours; reads on even if ours fails, so it never blocks
};

}  // namespace scoringjobs::test
