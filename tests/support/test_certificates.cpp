#include "support/test_certificates.hpp"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/cli_runner.hpp"

namespace scoringjobs::test {
namespace {

namespace fs = std::filesystem;

fs::path find_openssl() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    auto candidate = fs::path(dir.empty() ? "." : dir) / "openssl";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  throw std::runtime_error("the TLS tests need the openssl command (tools/setup-deps installs it)");
}

void openssl(const std::vector<std::string>& args) {
  static const fs::path program = find_openssl();
  RunOptions options;
  options.timeout = std::chrono::seconds(30);
  const auto result = run_program(program, args, options);
  if (result.exit_code != 0) throw std::runtime_error("openssl " + args.front() + " failed: " + result.describe());
}

// P-256 keys: made in milliseconds, unlike RSA.
const std::vector<std::string> kNewKey = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};

fs::path make_ca(const fs::path& dir, const std::string& name) {
  std::vector<std::string> args = {"req", "-x509"};
  args.insert(args.end(), kNewKey.begin(), kNewKey.end());
  auto cert = dir / (name + ".pem");
  for (const auto& arg : {std::string("-keyout"), (dir / (name + ".key")).string(), std::string("-out"), cert.string(),
                          std::string("-days"), std::string("2"), std::string("-subj"), "/CN=scoringjobs test " + name,
                          std::string("-addext"), std::string("basicConstraints=critical,CA:TRUE"),
                          std::string("-addext"), std::string("keyUsage=critical,keyCertSign,cRLSign")}) {
    args.push_back(arg);
  }
  openssl(args);
  return cert;
}

// A server certificate for `alt_names` (an X.509 subjectAltName value), signed by the CA `ca_name`.
TlsFiles make_server(const fs::path& dir, const std::string& ca_name, const std::string& name,
                     const std::string& alt_names) {
  TlsFiles files{dir / (name + ".pem"), dir / (name + ".key"), dir / (ca_name + ".pem")};
  const auto request = dir / (name + ".csr");
  const auto extensions = dir / (name + ".ext");
  std::ofstream(extensions) << "basicConstraints=critical,CA:FALSE\n"
                               "keyUsage=critical,digitalSignature,keyEncipherment\n"
                               "extendedKeyUsage=serverAuth\n"
                               "subjectAltName="
                            << alt_names << "\n";
  std::vector<std::string> args = {"req", "-new"};
  args.insert(args.end(), kNewKey.begin(), kNewKey.end());
  for (const auto& arg : {std::string("-keyout"), files.key.string(), std::string("-out"), request.string(),
                          std::string("-subj"), "/CN=" + name}) {
    args.push_back(arg);
  }
  openssl(args);
  openssl({"x509", "-req", "-in", request.string(), "-CA", files.ca.string(), "-CAkey",
           (dir / (ca_name + ".key")).string(), "-CAcreateserial", "-out", files.cert.string(), "-days", "2",
           "-extfile", extensions.string()});
  return files;
}

}  // namespace

TestCertificates make_test_certificates(const fs::path& dir) {
  TestCertificates out;
  out.ca = make_ca(dir, "ca");
  out.other_ca = make_ca(dir, "other-ca");
  out.server = make_server(dir, "ca", "server", "IP:127.0.0.1,DNS:localhost");
  out.wrong_name = make_server(dir, "ca", "elsewhere", "DNS:elsewhere.example");
  return out;
}

}  // namespace scoringjobs::test
