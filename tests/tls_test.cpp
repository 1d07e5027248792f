// TLS verification holds: the local AppSync server over HTTPS with a certificate
// from a throwaway CA (made at test time with openssl) is refused unless the
// client is told to trust that CA, through the library (RemoteConfig::ca_file)
// and the CLI (--ca-file). Nothing turns verification off, and a refused run
// loses nothing.

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "scoringjobs/remote.hpp"
#include "scoringjobs/scoring_job.hpp"
#include "support/appsync_server.hpp"
#include "support/canary.hpp"
#include "support/cli_runner.hpp"
#include "support/error_of.hpp"
#include "support/remote_inputs.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certificates.hpp"

using namespace scoringjobs;
using nlohmann::json;
using scoringjobs::test::AppSyncServer;
using scoringjobs::test::error_of;
using scoringjobs::test::TempDir;

using scoringjobs::test::job_input;

namespace {

const std::string kTlsTestKey = scoringjobs::test::canary_key("tls-5e1f");
// libcurl's CURLE_PEER_FAILED_VERIFICATION: the chain or the host name did not verify.
constexpr long kCurlPeerFailedVerification = 60;

// Certificates and an HTTPS server presenting the one for 127.0.0.1.
struct HttpsRig {
  TempDir dir;
  scoringjobs::test::TestCertificates certs = scoringjobs::test::make_test_certificates(dir.path());
  AppSyncServer server{kTlsTestKey, certs.server};
};

// The refusal a client without the right CA must get: Untrusted (nothing was
// sent, and not "offline": the network works), a message that names the cause
// and the way out, and no key.
void check_certificate_refusal(const Error& error) {
  const std::string message = error.what();
  INFO(message);
  CHECK(error.code() == Errc::Untrusted);
  CHECK(error.native_code() == kCurlPeerFailedVerification);
  CHECK(message.find("TLS certificate verification failed") != std::string::npos);
  CHECK(message.find("ca_file") != std::string::npos);
  CHECK(message.find("--ca-file") != std::string::npos);
  scoringjobs::test::check_no_canary("the certificate error", message);
}

}  // namespace

TEST_CASE("RemoteClient refuses an HTTPS server it cannot verify, whatever else is set, and sends nothing") {
  HttpsRig rig;
  REQUIRE(rig.server.url().starts_with("https://127.0.0.1:"));

  RemoteClient plain(rig.server.remote_config());  // the system's CAs only
  check_certificate_refusal(error_of([&] { plain.get<ScoringJob>("job-1"); }));
  check_certificate_refusal(error_of([&] { plain.create<ScoringJob>(job_input("job-1", "acct", "item-job-1")); }));

  // allow_insecure_http is about plain http only; it does not relax TLS.
  auto insecure = rig.server.remote_config();
  insecure.allow_insecure_http = true;
  RemoteClient insecure_client(insecure);
  check_certificate_refusal(error_of([&] { insecure_client.get<ScoringJob>("job-1"); }));

  // ca_file replaces the trusted set: a CA that did not sign the server's certificate is no help.
  auto other = rig.server.remote_config();
  other.ca_file = rig.certs.other_ca.string();
  RemoteClient other_client(other);
  check_certificate_refusal(error_of([&] { other_client.get<ScoringJob>("job-1"); }));

  // The handshake failed before any request: the server saw none, and stored nothing.
  CHECK(rig.server.request_log().empty());
  CHECK(rig.server.dump()["ScoringJob"].empty());
}

TEST_CASE("RemoteClient trusts the HTTPS server once ca_file names its CA") {
  HttpsRig rig;
  auto config = rig.server.remote_config();
  config.ca_file = rig.certs.ca.string();
  RemoteClient client(config);

  const auto created = client.create<ScoringJob>(job_input("job-1", "acct", "item-job-1"));
  CHECK(created.id == "job-1");
  const auto read = client.get<ScoringJob>("job-1");
  REQUIRE(read);
  CHECK(read->itemId == "item-job-1");

  // The certificate also names localhost.
  config.api_url = "https://localhost:" + std::to_string(rig.server.port()) + "/graphql";
  RemoteClient by_name(config);
  CHECK(by_name.get<ScoringJob>("job-1").has_value());
  CHECK(rig.server.request_log().size() == 3);
}

TEST_CASE("the host name is verified too: a certificate for another name is refused even with its CA") {
  TempDir dir;
  const auto certs = scoringjobs::test::make_test_certificates(dir.path());
  AppSyncServer server(kTlsTestKey, certs.wrong_name);  // serves a certificate for elsewhere.example only
  auto config = server.remote_config();
  config.ca_file = certs.ca.string();
  RemoteClient client(config);
  check_certificate_refusal(error_of([&] { client.get<ScoringJob>("job-1"); }));
  // (No admin call here: the admin client verifies host names as well, and would be refused too.)
}

namespace {

// The CLI as cron runs it: its own database, a key file, none of the tool's variables.
struct CliRig : HttpsRig {
  std::string db = (dir / "jobs.db").string();
  std::string key_file = [this] {
    const auto path = dir / ("api" + std::string(scoringjobs::test::kPlantedKeySuffix));
    std::ofstream(path) << kTlsTestKey << '\n';
    REQUIRE(::chmod(path.c_str(), 0600) == 0);
    return path.string();
  }();

  scoringjobs::test::RunResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db});
    scoringjobs::test::RunOptions options;
    options.env = {{"PLEXUS_API_URL", std::nullopt},
                   {"PLEXUS_API_KEY", std::nullopt},
                   {"SCORINGJOBS_DB", std::nullopt},
                   {"SCORINGJOBS_LOG", std::nullopt}};
    return scoringjobs::test::run_cli(args, options);
  }
  json ok(const std::vector<std::string>& args) const {
    const auto result = run(args);
    INFO(result.describe());
    REQUIRE(result.exit_code == 0);
    return json::parse(result.out);
  }
  std::string create(const std::string& item) const {
    return ok({"create", "--account", "acct", "--scorecard", "card", "--item", item})["id"].get<std::string>();
  }
  std::int64_t pending() const { return ok({"outbox", "--json", "--limit", "0"})["pending"].get<std::int64_t>(); }
  scoringjobs::test::RunResult sync(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args = {"sync", "--api-url", server.url(), "--api-key-file", key_file};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }
};

}  // namespace

TEST_CASE("scoringjobs sync over HTTPS: refused without --ca-file (exit 75, nothing lost), drains with it") {
  CliRig rig;
  const std::set<std::string> ids = {rig.create("item-1"), rig.create("item-2"), rig.create("item-3")};
  REQUIRE(rig.pending() == 3);

  for (const auto& extra : {std::vector<std::string>{}, std::vector<std::string>{"--insecure-http"},
                            std::vector<std::string>{"--ca-file", rig.certs.other_ca.string()}}) {
    const auto refused = rig.sync(extra);
    INFO(refused.describe());
    CHECK(refused.exit_code == 75);
    CHECK(refused.err.find("sync: untrusted") != std::string::npos);
    CHECK(refused.err.find("TLS certificate verification failed") != std::string::npos);
    CHECK(refused.err.find("--ca-file") != std::string::npos);
    CHECK(rig.pending() == 3);
  }
  const auto as_json = rig.sync({"--json"});
  CHECK(as_json.exit_code == 75);
  const auto report = json::parse(as_json.out);
  CHECK(report["outcome"] == "untrusted");
  CHECK(report["error"].get<std::string>().find("TLS certificate verification failed") != std::string::npos);
  CHECK(report["stillQueued"] == 3);
  CHECK(rig.server.request_log().empty());

  // --quiet hides "try later" but not this: nothing gets through until someone looks.
  const auto quiet = rig.sync({"--quiet"});
  CHECK(quiet.exit_code == 75);
  CHECK(quiet.err.find("sync: untrusted") != std::string::npos);

  const auto trusted = rig.sync({"--ca-file", rig.certs.ca.string(), "--json"});
  INFO(trusted.describe());
  REQUIRE(trusted.exit_code == 0);
  CHECK(json::parse(trusted.out)["pushed"] == 3);
  CHECK(rig.pending() == 0);
  std::multiset<std::string> remote_ids;
  const auto dump = rig.server.dump();
  for (const auto& job : dump["ScoringJob"]) remote_ids.insert(job["id"].get<std::string>());
  CHECK(remote_ids == std::multiset<std::string>(ids.begin(), ids.end()));
}

TEST_CASE("scoringjobs sync refuses a --ca-file it cannot read, with exit 2 naming it") {
  CliRig rig;
  rig.create("item-1");
  const auto missing = (rig.dir / "no-such-ca.pem").string();
  const auto result = rig.sync({"--ca-file", missing});
  INFO(result.describe());
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("--ca-file \"") != std::string::npos);  // the option, not the library field
  CHECK(result.err.find("no-such-ca.pem") != std::string::npos);
  CHECK(rig.pending() == 1);
  CHECK(rig.server.request_log().empty());
}

TEST_CASE("a --ca-file that is a directory is refused before the run, and no run is left unfinished") {
  CliRig rig;
  rig.create("item-1");
  const auto result = rig.sync({"--ca-file", rig.dir.path().string()});
  INFO(result.describe());
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("--ca-file") != std::string::npos);
  CHECK(rig.ok({"status", "--json"})["lastRuns"].empty());
  CHECK(rig.server.request_log().empty());
}

TEST_CASE("a run that fails on its first request is recorded with its exit code and error, not left unfinished") {
  CliRig rig;
  rig.create("item-1");
  const auto not_pem = (rig.dir / "not-a-certificate.pem").string();
  std::ofstream(not_pem) << "this is not a certificate\n";
  const auto result = rig.sync({"--ca-file", not_pem});
  INFO(result.describe());
  CHECK(result.exit_code == 2);
  const auto runs = rig.ok({"status", "--json"})["lastRuns"];
  REQUIRE(runs.size() == 1);
  CHECK(runs[0]["outcome"] == "failed");
  CHECK(runs[0]["exitCode"] == 2);
  CHECK(runs[0]["error"].get<std::string>().find("connection settings") != std::string::npos);
  CHECK(rig.pending() == 1);
}
