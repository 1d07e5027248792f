// Every failure the local AppSync server can inject, and each one's Errc.
// The server really misbehaves on the wire (drops sockets, hangs, trickles,
// sends garbage); nothing here is simulated in-process.

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>

#include "scoringjobs/log.hpp"
#include "scoringjobs/remote.hpp"
#include "support/appsync_server.hpp"
#include "support/error_of.hpp"
#include "support/loopback_port.hpp"
#include "support/remote_inputs.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::AppSyncServer;

using scoringjobs::test::error_of;
using scoringjobs::test::job_input;

namespace {

constexpr const char* kFaultsTestKey = "CANARY-KEY-remote-faults";

// Fault rules that apply to the next request only.
json once(json rule) {
  rule["count"] = 1;
  return rule;
}

bool stored(AppSyncServer& server, const std::string& id) {
  const json dump = server.dump();  // named: a temporary would die before the loop body runs
  for (const auto& job : dump.at("ScoringJob")) {
    if (job.at("id") == id) return true;
  }
  return false;
}

// The number of POST /graphql requests the server received.
std::size_t requests_seen(AppSyncServer& server) { return server.request_log().size(); }

// A loopback port nothing listens on: bound once by us, then released.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  const int port = scoringjobs::test::bind_loopback(fd);
  ::close(fd);
  return port;
}

}  // namespace

TEST_CASE("fail 503 and 500: Transient for queries and mutations, nothing applied") {
  AppSyncServer server(kFaultsTestKey);
  RemoteClient client(server.remote_config());
  for (int status : {503, 500, 502}) {
    CAPTURE(status);
    server.add_fault(once({{"mode", "fail"}, {"status", status}}));
    const Error read = error_of([&] { client.get<ScoringJob>("job-1"); });
    CHECK(read.code() == Errc::Transient);
    CHECK(read.native_code() == status);
    server.add_fault(once({{"mode", "fail"}, {"status", status}}));
    CHECK(error_of([&] { client.create<ScoringJob>(job_input("job-1")); }).code() == Errc::Transient);
    CHECK_FALSE(stored(server, "job-1"));
  }
}

TEST_CASE("fail 503 with Retry-After: the hint is kept on the Transient error") {
  AppSyncServer server(kFaultsTestKey);
  RemoteClient client(server.remote_config());
  server.add_fault(once({{"mode", "fail"}, {"status", 503}, {"retryAfter", 2}}));
  const Error error = error_of([&] { client.get<ScoringJob>("job-1"); });
  CHECK(error.code() == Errc::Transient);
  CHECK(error.retry_after() == std::chrono::seconds(2));
}

TEST_CASE("fail 504: a gateway timeout leaves a mutation's outcome unknown") {
  AppSyncServer server(kFaultsTestKey);
  RemoteClient client(server.remote_config());
  server.add_fault(once({{"mode", "fail"}, {"status", 504}}));
  CHECK(error_of([&] { client.get<ScoringJob>("job-1"); }).code() == Errc::Transient);
  server.add_fault(once({{"mode", "fail"}, {"status", 504}}));
  CHECK(error_of([&] { client.create<ScoringJob>(job_input("job-1")); }).code() == Errc::OutcomeUnknown);
}

TEST_CASE("throttle: Throttled with the server's Retry-After") {
  AppSyncServer server(kFaultsTestKey);
  RemoteClient client(server.remote_config());
  server.add_fault(once({{"mode", "throttle"}, {"retryAfter", 7}}));
  const Error throttled = error_of([&] { client.create<ScoringJob>(job_input("job-1")); });
  CHECK(throttled.code() == Errc::Throttled);
  CHECK(throttled.native_code() == 429);
  CHECK(throttled.retry_after() == std::chrono::seconds(7));
  CHECK_FALSE(stored(server, "job-1"));
  // The rule is used up: the same call now goes through.
  CHECK(client.create<ScoringJob>(job_input("job-1")).id == "job-1");

  server.add_fault(once({{"mode", "throttle"}}));
  const Error no_hint = error_of([&] { client.get<ScoringJob>("job-1"); });
  CHECK(no_hint.code() == Errc::Throttled);
  CHECK_FALSE(no_hint.retry_after());
}

TEST_CASE("drop: OutcomeUnknown for a mutation, Transient for a query") {
  AppSyncServer server(kFaultsTestKey);
  RemoteClient client(server.remote_config());
  server.add_fault(once({{"mode", "drop"}}));
  CHECK(error_of([&] { client.create<ScoringJob>(job_input("job-1")); }).code() == Errc::OutcomeUnknown);
  CHECK_FALSE(stored(server, "job-1"));  // drop closes before running: the client cannot know that
  server.add_fault(once({{"mode", "drop"}}));
  CHECK(error_of([&] { client.get<ScoringJob>("job-1"); }).code() == Errc::Transient);
}

TEST_CASE("drop-response: OutcomeUnknown although applied, and sending the create again reports RemoteConflict") {
  AppSyncServer server(kFaultsTestKey);
  RemoteClient client(server.remote_config());
  client.get<ScoringJob>("warm-up");  // the create below goes over a reused keep-alive connection
  server.clear_log();
  server.add_fault(once({{"mode", "drop-response"}}));
  const Error lost = error_of([&] { client.create<ScoringJob>(job_input("job-1")); });
  CHECK(lost.code() == Errc::OutcomeUnknown);
  CHECK(stored(server, "job-1"));
  // libcurl must not have resent the mutation on its own after the connection died.
  CHECK(requests_seen(server) == 1);
  CHECK(error_of([&] { client.create<ScoringJob>(job_input("job-1")); }).code() == Errc::RemoteConflict);

  // The same for a whole batch: every alias ran, none answered.
  MutationBatch batch;
  batch.add_create(Model::ScoringJob, job_input("job-2"));
  batch.add_update(Model::ScoringJob, {{"id", "job-1"}, {"status", "RUNNING"}});
  server.add_fault(once({{"mode", "drop-response"}}));
  CHECK(error_of([&] { client.run(batch); }).code() == Errc::OutcomeUnknown);
  CHECK(stored(server, "job-2"));
}

TEST_CASE("hang: abandoned at total_timeout, as Transient or OutcomeUnknown") {
  AppSyncServer server(kFaultsTestKey);
  RemoteConfig config = server.remote_config(std::chrono::milliseconds(1500));
  // Only total_timeout may end these calls: the low-speed abort would give the same error.
  config.low_speed_time = std::chrono::seconds(60);
  RemoteClient client(config);
  // The server never answers; 30 s is far beyond total_timeout and far below the low-speed abort.
  constexpr auto kGaveUpEarly = std::chrono::seconds(30);
  server.add_fault(once({{"mode", "hang"}}));
  auto started = std::chrono::steady_clock::now();
  const Error read = error_of([&] { client.get<ScoringJob>("job-1"); });
  CHECK(std::chrono::steady_clock::now() - started < kGaveUpEarly);
  CHECK(read.code() == Errc::Transient);
  CHECK(read.native_code() == 28);  // CURLE_OPERATION_TIMEDOUT
  server.add_fault(once({{"mode", "hang"}}));
  started = std::chrono::steady_clock::now();
  CHECK(error_of([&] { client.create<ScoringJob>(job_input("job-1")); }).code() == Errc::OutcomeUnknown);
  CHECK(std::chrono::steady_clock::now() - started < kGaveUpEarly);
  // The client recovers on the next request.
  CHECK(client.create<ScoringJob>(job_input("job-1")).id == "job-1");
}

TEST_CASE("a deadline cuts a hung request short and keeps later requests from being sent") {
  AppSyncServer server(kFaultsTestKey);
  RemoteConfig config = server.remote_config(std::chrono::seconds(60));
  config.low_speed_time = std::chrono::seconds(60);  // neither timeout may be what ends the hang
  RemoteClient client(config);
  constexpr auto kGaveUpEarly = std::chrono::seconds(30);

  server.add_fault(once({{"mode", "hang"}}));
  const auto started = std::chrono::steady_clock::now();
  client.set_deadline(started + std::chrono::seconds(1));
  const Error hung = error_of([&] { client.get<ScoringJob>("job-1"); });
  CHECK(std::chrono::steady_clock::now() - started < kGaveUpEarly);
  CHECK(hung.code() == Errc::Transient);
  CHECK(hung.native_code() == 28);  // CURLE_OPERATION_TIMEDOUT, as for total_timeout
  CHECK(requests_seen(server) == 1);

  // Past the deadline nothing is sent, a mutation neither: it was not done.
  client.set_deadline(std::chrono::steady_clock::now() - std::chrono::milliseconds(1));
  const std::size_t made = client.requests_made();
  const Error late = error_of([&] { client.create<ScoringJob>(job_input("job-1")); });
  CHECK(late.code() == Errc::Transient);
  CHECK(std::string(late.what()).find("deadline") != std::string::npos);
  CHECK(client.requests_made() == made);
  CHECK(requests_seen(server) == 1);
  CHECK_FALSE(stored(server, "job-1"));

  // Without a deadline the client works as before.
  client.set_deadline(std::nullopt);
  CHECK(client.create<ScoringJob>(job_input("job-1")).id == "job-1");
}

TEST_CASE("delay: a slow answer within total_timeout is simply waited for") {
  AppSyncServer server(kFaultsTestKey);
  RemoteClient client(server.remote_config(std::chrono::milliseconds(5000)));
  server.add_fault(once({{"mode", "delay"}, {"delayMs", 300}}));
  CHECK(client.create<ScoringJob>(job_input("job-1")).id == "job-1");
  CHECK(server.request_log().back().at("fault") == "delay");
}

TEST_CASE("trickle: a body slower than the low-speed limit is abandoned") {
  AppSyncServer server(kFaultsTestKey);
  RemoteConfig config = server.remote_config();
  config.low_speed_bytes_per_second = 1000;
  config.low_speed_time = std::chrono::seconds(1);
  RemoteClient client(config);
  server.add_fault(once({{"mode", "trickle"}, {"intervalMs", 100}}));
  const Error slow = error_of([&] { client.get<ScoringJob>("job-1"); });
  CHECK(slow.code() == Errc::Transient);
  CHECK(slow.native_code() == 28);  // CURLE_OPERATION_TIMEDOUT: low-speed abort
  server.add_fault(once({{"mode", "trickle"}, {"intervalMs", 100}}));
  CHECK(error_of([&] { client.create<ScoringJob>(job_input("job-1")); }).code() == Errc::OutcomeUnknown);
}

TEST_CASE("reset-mid-body, garbage and truncate: Transient for queries, OutcomeUnknown for mutations") {
  AppSyncServer server(kFaultsTestKey);
  RemoteClient client(server.remote_config());
  int n = 0;
  for (std::string mode : {"reset-mid-body", "garbage", "truncate"}) {
    CAPTURE(mode);
    server.add_fault(once({{"mode", mode}}));
    CHECK(error_of([&] { client.get<ScoringJob>("job-1"); }).code() == Errc::Transient);
    const std::string id = "job-" + std::to_string(++n);
    server.add_fault(once({{"mode", mode}}));
    CHECK(error_of([&] { client.create<ScoringJob>(job_input(id)); }).code() == Errc::OutcomeUnknown);
    CHECK(stored(server, id));  // these modes run the document: the create did land
  }
}

TEST_CASE("oversize: a response over max_response_bytes is abandoned, under it padding is ignored") {
  AppSyncServer server(kFaultsTestKey);
  RemoteConfig config = server.remote_config();
  config.max_response_bytes = 64 * 1024;
  RemoteClient client(config);
  client.create<ScoringJob>(job_input("job-1"));

  server.add_fault(once({{"mode", "oversize"}, {"bytes", 200'000}}));
  CHECK(error_of([&] { client.get<ScoringJob>("job-1"); }).code() == Errc::TooLarge);  // ask for less
  server.add_fault(once({{"mode", "oversize"}, {"bytes", 200'000}}));
  CHECK(error_of([&] { client.create<ScoringJob>(job_input("job-2")); }).code() == Errc::OutcomeUnknown);
  server.add_fault(once({{"mode", "oversize"}, {"bytes", 30'000}}));
  CHECK(client.get<ScoringJob>("job-1")->id == "job-1");
}

TEST_CASE("reject: Rejected for the matching alias only, the others succeed") {
  AppSyncServer server(kFaultsTestKey);
  RemoteClient client(server.remote_config());
  server.add_fault({{"mode", "reject"}, {"matchInput", "poison"}});
  MutationBatch batch;
  batch.add_create(Model::ScoringJob, job_input("good-1"));
  batch.add_create(Model::ScoringJob, job_input("poison-1"));
  batch.add_create(Model::ScoringJob, job_input("good-2"));
  const auto results = client.run(batch);
  REQUIRE(results.size() == 3);
  CHECK(results[0].ok());
  REQUIRE(results[1].error);
  CHECK(results[1].error->code() == Errc::Rejected);
  CHECK(results[2].ok());
  CHECK(stored(server, "good-2"));
  CHECK_FALSE(stored(server, "poison-1"));
  // A single mutation gets the same class, thrown.
  CHECK(error_of([&] { client.create<ScoringJob>(job_input("poison-2")); }).code() == Errc::Rejected);
}

TEST_CASE("a wrong or missing API key: Auth") {
  AppSyncServer server(kFaultsTestKey);
  RemoteConfig config = server.remote_config();
  config.api_key = "CANARY-KEY-wrong-faults";
  const Error wrong = error_of([&] { RemoteClient(config).get<ScoringJob>("job-1"); });
  CHECK(wrong.code() == Errc::Auth);
  CHECK(wrong.native_code() == 401);
  config.api_key.clear();
  const Error missing = error_of([&] { RemoteClient(config).create<ScoringJob>(job_input("job-1")); });
  CHECK(missing.code() == Errc::Auth);
  CHECK(std::string(missing.what()).find("Valid authorization header not provided") != std::string::npos);
}

TEST_CASE("server stopped, closed port, unknown host: Offline, and once back up the same client works again") {
  AppSyncServer server(kFaultsTestKey);
  RemoteClient client(server.remote_config());
  client.create<ScoringJob>(job_input("job-1"));
  server.stop();
  const Error down = error_of([&] { client.get<ScoringJob>("job-1"); });
  CHECK(down.code() == Errc::Offline);
  CHECK(error_of([&] { client.create<ScoringJob>(job_input("job-2")); }).code() == Errc::Offline);
  const int port = server.port();
  server.start();  // same port, same records
  CHECK(server.port() == port);
  CHECK(client.get<ScoringJob>("job-1")->id == "job-1");

  RemoteConfig closed = server.remote_config();
  closed.api_url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/graphql";
  CHECK(error_of([&] { RemoteClient(closed).create<ScoringJob>(job_input("job-3")); }).code() == Errc::Offline);

  RemoteConfig nowhere = server.remote_config();
  nowhere.api_url = "https://scoringjobs-test.invalid/graphql";  // .invalid never resolves (RFC 2606)
  CHECK(error_of([&] { RemoteClient(nowhere).get<ScoringJob>("job-1"); }).code() == Errc::Offline);
}

TEST_CASE("the API key never appears in an error or a log line, whatever fails") {
  const std::string canary = "CANARY-KEY-3f9a";
  std::mutex mutex;
  std::vector<std::string> logged;
  set_log_level(LogLevel::Debug);
  set_log_sink([&](LogLevel, std::string_view line) {
    std::lock_guard lock(mutex);
    logged.emplace_back(line);
  });
  std::vector<std::string> messages;
  const auto collect = [&](auto&& call) {
    try {
      call();
    } catch (const Error& error) {
      messages.emplace_back(error.what());
    }
  };

  {
    AppSyncServer server(canary);
    RemoteClient client(server.remote_config(std::chrono::milliseconds(1000)));
    // Faults whose messages echo the key back, as a careless proxy might.
    server.add_fault(once({{"mode", "fail"}, {"status", 500}, {"message", "bad key " + canary}}));
    collect([&] { client.get<ScoringJob>("job-1"); });
    // Long enough that a bounded excerpt of the message would cut the key in two.
    server.add_fault(once({{"mode", "fail"}, {"status", 503}, {"message", std::string(295, 'x') + canary}}));
    collect([&] { client.get<ScoringJob>("job-1"); });
    server.add_fault({{"mode", "reject"}, {"matchInput", "poison"}, {"message", "refused for " + canary}});
    collect([&] { client.create<ScoringJob>(job_input("poison")); });
    MutationBatch batch;
    batch.add_create(Model::ScoringJob, job_input("poison-2"));
    for (const auto& result : client.run(batch)) {
      if (result.error) messages.emplace_back(result.error->what());
    }
    server.clear_faults();
    server.add_fault(once({{"mode", "garbage"}, {"body", "garbage " + canary}}));
    collect([&] { client.get<ScoringJob>("job-1"); });
    for (const char* mode : {"throttle", "drop", "drop-response", "hang", "truncate", "reset-mid-body"}) {
      server.add_fault(once({{"mode", mode}}));
      collect([&] { client.create<ScoringJob>(job_input(std::string("job-") + mode)); });
    }
    collect([&] { client.create<ScoringJob>(job_input("job-drop-response")); });  // RemoteConflict
    collect([&] { client.execute("query { nope }"); });
    RemoteConfig wrong = server.remote_config();
    wrong.api_key = canary + "-wrong";
    collect([&] { RemoteClient(wrong).get<ScoringJob>("job-1"); });
    server.stop();
    collect([&] { client.get<ScoringJob>("job-1"); });
  }
  RemoteConfig insecure;
  insecure.api_key = canary;
  insecure.api_url = "http://" + canary + "@example.com/graphql";
  collect([&] { RemoteClient client(insecure); });
  insecure.api_url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/graphql?key=" + canary;
  collect([&] { RemoteClient(insecure).get<ScoringJob>("job-1"); });
  insecure.api_key = canary + "\n";
  collect([&] { RemoteClient client(insecure); });
  set_log_sink({});
  set_log_level(LogLevel::Warn);

  CHECK(messages.size() >= 15);  // every call above failed
  CHECK(logged.size() >= 10);
  for (const auto& message : messages) {
    CAPTURE(message);
    CHECK(message.find(canary) == std::string::npos);
  }
  for (const auto& line : logged) {
    CAPTURE(line);
    CHECK(line.find(canary) == std::string::npos);
  }
}
