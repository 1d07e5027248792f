#include "remote/endpoint.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>

#include "remote/curl_handle.hpp"
#include "scoringjobs/error.hpp"

namespace scoringjobs::remote {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::ranges::transform(out, out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string url_part(const CurlUrl& url, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(url.get(), part, &raw, 0) != CURLUE_OK) return {};
  const CurlString owned(raw);
  return owned ? std::string(owned.get()) : std::string();
}

}  // namespace

bool is_loopback_host(std::string_view host) noexcept {
  try {
    std::string name = lower(host);
    if (!name.empty() && name.back() == '.') name.pop_back();  // "localhost." is the same name
    if (name == "localhost") return true;
    if (name.size() > 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
    in_addr v4{};
    if (inet_pton(AF_INET, name.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (inet_pton(AF_INET6, name.c_str(), &v6) == 1) {
      if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
      return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
    }
    return false;
  } catch (...) {  // std::bad_alloc: treat as "not loopback", the safe answer
    return false;
  }
}

Endpoint check_endpoint(const std::string& url, bool allow_insecure_http) {
  if (url.empty()) throw Error(Errc::InvalidArgument, "api_url is empty", "api_url");
  CurlUrl parsed;
  // Only explicit schemes: "example.com/graphql" must not quietly become http.
  if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    throw Error(Errc::InvalidArgument, "api_url is not a valid absolute URL", "api_url");
  }
  Endpoint endpoint;
  endpoint.url = url;
  endpoint.host = url_part(parsed, CURLUPART_HOST);
  const std::string scheme = lower(url_part(parsed, CURLUPART_SCHEME));
  if (endpoint.host.empty()) throw Error(Errc::InvalidArgument, "api_url has no host", "api_url");
  if (scheme == "https") {
    endpoint.https = true;
  } else if (scheme != "http") {
    throw Error(Errc::InvalidArgument, "api_url must use https (scheme '" + excerpt(scheme, 16) + "' refused)",
                "api_url");
  } else if (!allow_insecure_http && !is_loopback_host(endpoint.host)) {
    throw Error(Errc::InvalidArgument,
                "api_url uses plain http to non-loopback host " + excerpt(endpoint.host, 64) +
                    "; use https (or set allow_insecure_http explicitly)",
                "api_url");
  }
  return endpoint;
}

}  // namespace scoringjobs::remote
