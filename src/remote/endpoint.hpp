#pragma once
// Checks the API URL before any network I/O: the scheme, and that plain http
// only ever goes to this machine (the key would otherwise cross the network
// in clear text).

#include <optional>
#include <string>
#include <string_view>

namespace scoringjobs::remote {

struct Endpoint {
  std::string url;   // as configured; never put into messages (it may carry credentials)
  std::string host;  // for messages and logs
  bool https = false;
};

/// True for 127.0.0.0/8, ::1 (also IPv4-mapped), and "localhost".
bool is_loopback_host(std::string_view host) noexcept;

struct UrlParts {
  std::string scheme;  // lower case
  std::string host;
};

/// The scheme and host of a plain http(s) URL, read without libcurl (so that
/// making a client does not load it): scheme://host[:port][/path?query#fragment]
/// with a DNS name whose labels start with a letter, or a dotted-quad IPv4
/// address. nullopt for anything else (user info, escapes, IPv6, numeric
/// shorthands, ...), which check_endpoint hands to libcurl's parser; where both
/// answer they agree (tests/remote_document_test.cpp compares them).
std::optional<UrlParts> parse_plain_url(std::string_view url);

/// Parses and checks `url`: http or https only, a host, and http only to a
/// loopback host unless `allow_insecure_http`. Throws Error{InvalidArgument}
/// (field "api_url") otherwise; the message names the host, never the URL.
Endpoint check_endpoint(const std::string& url, bool allow_insecure_http);

}  // namespace scoringjobs::remote
