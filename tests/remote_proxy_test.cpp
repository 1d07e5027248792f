// Proxies from the environment (http_proxy, https_proxy, all_proxy): honoured
// for remote hosts, never for a loopback endpoint.

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "scoringjobs/remote.hpp"
#include "support/appsync_server.hpp"
#include "support/error_of.hpp"
#include "support/loopback_port.hpp"
#include "support/remote_inputs.hpp"
#include "support/scoped_env.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::AppSyncServer;
using scoringjobs::test::ScopedEnv;

using scoringjobs::test::job_input;

namespace {

constexpr const char* kProxyTestKey = "CANARY-KEY-remote-proxy";

/// A "proxy" that only listens: it answers nothing and records whether a
/// client connected (the kernel completes the handshake into the backlog).
class FakeProxy {
 public:
  FakeProxy() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) {
    REQUIRE(fd_ >= 0);
    url_ = "http://127.0.0.1:" + std::to_string(scoringjobs::test::bind_loopback(fd_));
    REQUIRE(::listen(fd_, 16) == 0);
  }
  ~FakeProxy() { ::close(fd_); }
  FakeProxy(const FakeProxy&) = delete;
  FakeProxy& operator=(const FakeProxy&) = delete;

  const std::string& url() const noexcept { return url_; }
  /// True once any connection reached the listener (non-blocking: looks at the backlog).
  bool contacted() {
    for (int client = -1; (client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC)) >= 0;) {
      ::close(client);
      contacted_ = true;
    }
    return contacted_;
  }

 private:
  int fd_;
  std::string url_;
  bool contacted_ = false;
};

/// Every proxy variable libcurl reads points at `proxy`; no_proxy exempts nothing.
struct ProxyEnvironment {
  explicit ProxyEnvironment(const FakeProxy& proxy)
      : http(std::string("http_proxy"), proxy.url()),
        https(std::string("https_proxy"), proxy.url()),
        all(std::string("all_proxy"), proxy.url()),
        all_upper(std::string("ALL_PROXY"), proxy.url()),
        no_proxy(std::string("no_proxy"), std::nullopt),
        no_proxy_upper(std::string("NO_PROXY"), std::nullopt) {}
  ScopedEnv http, https, all, all_upper, no_proxy, no_proxy_upper;
};

}  // namespace

TEST_CASE("a loopback endpoint is reached directly, whatever proxy the environment names") {
  AppSyncServer server(kProxyTestKey);  // its admin calls run before the proxy variables are set
  FakeProxy proxy;
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    CAPTURE(host);
    RemoteConfig config = server.remote_config();
    config.api_url = "http://" + host + ":" + std::to_string(server.port()) + "/graphql";
    const ProxyEnvironment environment(proxy);
    RemoteClient client(config);
    CHECK(client.create<ScoringJob>(job_input("job-" + host)).id == "job-" + host);
    CHECK(client.get<ScoringJob>("job-" + host));
  }
  CHECK_FALSE(proxy.contacted());
}

TEST_CASE("a remote endpoint still goes through the environment's proxy") {
  FakeProxy proxy;
  const ProxyEnvironment environment(proxy);
  RemoteConfig config;
  // .invalid never resolves (RFC 2606): only the proxy can be reached at all.
  config.api_url = "http://scoringjobs-proxy-test.invalid/graphql";
  config.api_key = kProxyTestKey;
  config.allow_insecure_http = true;
  config.total_timeout = std::chrono::seconds(1);  // the fake proxy never answers
  RemoteClient client(config);
  const Error error = scoringjobs::test::error_of([&] { client.get<ScoringJob>("job-1"); });
  CHECK(error.code() == Errc::Transient);  // sent to the proxy, no answer: not Offline
  CHECK(proxy.contacted());
}
