#pragma once
// Checks the API URL before any network I/O: the scheme, and that plain http
// only ever goes to this machine (the key would otherwise cross the network
// in clear text).

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

/// Parses and checks `url`: http or https only, a host, and http only to a
/// loopback host unless `allow_insecure_http`. Throws Error{InvalidArgument}
/// (field "api_url") otherwise; the message names the host, never the URL.
Endpoint check_endpoint(const std::string& url, bool allow_insecure_http);

}  // namespace scoringjobs::remote
