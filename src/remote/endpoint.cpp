#include "remote/endpoint.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include "remote/curl_api.hpp"
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
  if (curl().url_get(url.get(), part, &raw, 0) != CURLUE_OK) return {};
  const CurlString owned(raw);
  return owned ? std::string(owned.get()) : std::string();
}

bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// A dotted quad as libcurl prints it back: four decimal parts, 0-255, no leading zeros.
bool is_canonical_ipv4(std::string_view host) noexcept {
  int parts = 0;
  std::size_t i = 0;
  while (i <= host.size()) {
    const std::size_t end = std::min(host.find('.', i), host.size());
    const auto part = host.substr(i, end - i);
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return false;
    int value = 0;
    for (const char c : part) {
      if (!is_digit(c)) return false;
      value = value * 10 + (c - '0');
    }
    if (value > 255 || ++parts > 4) return false;
    i = end + 1;
  }
  return parts == 4;
}

// A DNS name whose labels all start with a letter: no form libcurl would rewrite
// (numeric and hex IPv4 shorthands, IDNs, percent-escapes, a trailing dot).
bool is_plain_hostname(std::string_view host) noexcept {
  std::size_t i = 0;
  while (i <= host.size()) {
    const std::size_t end = std::min(host.find('.', i), host.size());
    const auto label = host.substr(i, end - i);
    if (label.empty() || label.size() > 63 || !is_alpha(label[0]) || label.back() == '-') return false;
    for (const char c : label) {
      if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
    }
    i = end + 1;
  }
  return true;
}

}  // namespace

std::optional<UrlParts> parse_plain_url(std::string_view url) {
  // scheme "://"
  std::size_t i = 0;
  if (url.empty() || !is_alpha(url[0])) return std::nullopt;
  while (i < url.size() && (is_alpha(url[i]) || is_digit(url[i]) || url[i] == '+' || url[i] == '-' || url[i] == '.'))
    ++i;
  if (url.substr(i, 3) != "://") return std::nullopt;
  UrlParts parts;
  parts.scheme = lower(url.substr(0, i));
  if (parts.scheme != "http" && parts.scheme != "https") return std::nullopt;
  i += 3;
  // host [":" port], up to the path, query or fragment
  const std::size_t authority_end = std::min(url.find_first_of("/?#", i), url.size());
  auto authority = url.substr(i, authority_end - i);
  if (const auto colon = authority.find(':'); colon != std::string_view::npos) {
    const auto port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5) return std::nullopt;
    long value = 0;
    for (const char c : port) {
      if (!is_digit(c)) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    if (value > 65535) return std::nullopt;
    authority = authority.substr(0, colon);
  }
  if (!is_plain_hostname(authority) && !is_canonical_ipv4(authority)) return std::nullopt;
  parts.host = std::string(authority);
  // The rest: only characters RFC 3986 allows unescaped (or a %-escape), so
  // libcurl takes it as it is.
  for (const char c : url.substr(authority_end)) {
    if (!is_alpha(c) && !is_digit(c) && std::string_view("-._~!$&'()*+,;=:@/?#%").find(c) == std::string_view::npos) {
      return std::nullopt;
    }
  }
  return parts;
}

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
  Endpoint endpoint;
  endpoint.url = url;
  std::string scheme;
  if (auto plain = parse_plain_url(url)) {
    // The common case, read without loading libcurl (see curl_api.hpp).
    scheme = std::move(plain->scheme);
    endpoint.host = std::move(plain->host);
  } else {
    CurlUrl parsed;
    // Only explicit schemes: "example.com/graphql" must not quietly become http.
    if (curl().url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
      throw Error(Errc::InvalidArgument, "api_url is not a valid absolute URL", "api_url");
    }
    endpoint.host = url_part(parsed, CURLUPART_HOST);
    scheme = lower(url_part(parsed, CURLUPART_SCHEME));
  }
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
