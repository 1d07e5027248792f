#pragma once
// Throwaway X.509 material for the TLS tests, made at test time with the
// `openssl` command (nothing secret or expiring is checked in).

#include <filesystem>

#include "support/appsync_server.hpp"

namespace scoringjobs::test {

struct TestCertificates {
  std::filesystem::path ca;        // a private CA's certificate: what ca_file / --ca-file names
  TlsFiles server;                 // a server certificate for 127.0.0.1 and localhost, signed by `ca`
  TlsFiles wrong_name;             // signed by `ca` too, but for another host name only
  std::filesystem::path other_ca;  // a second CA that signed nothing the servers use
};

/// Makes a CA, the server certificates it signs and an unrelated CA in `dir`
/// (valid for two days). Throws std::runtime_error naming the failed openssl step.
TestCertificates make_test_certificates(const std::filesystem::path& dir);

}  // namespace scoringjobs::test
