#include "remote/http_transport.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "scoringjobs/error.hpp"
#include "scoringjobs/version.hpp"

namespace scoringjobs::remote {
namespace {

constexpr std::chrono::seconds kMaxRetryAfter{24 * 60 * 60};

template <class T>
void setopt(CURL* handle, CURLoption option, T value) {
  const CURLcode code = curl().easy_setopt(handle, option, value);
  if (code != CURLE_OK) {
    throw Error(Errc::Internal, std::string("libcurl refused an option: ") + curl().easy_strerror(code), {},
                static_cast<long>(code));
  }
}

// libcurl reads 0 as "no limit" and refuses negatives only when the request is
// made; a limit that cannot be meant is refused with the config instead.
void require_positive(long long value, const char* field, std::string_view unit) {
  if (value > 0) return;
  throw Error(Errc::InvalidArgument,
              std::string(field) + " must be positive (got " + std::to_string(value) + " " + std::string(unit) + ")",
              field);
}

bool has_control_characters(std::string_view text) {
  return std::ranges::any_of(text, [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// Codes that mean the server's certificate (chain or host name) was not trusted.
bool certificate_refused(CURLcode code) {
  return code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_ISSUER_ERROR ||
         code == CURLE_SSL_PINNEDPUBKEYNOTMATCH || code == CURLE_SSL_INVALIDCERTSTATUS;
}

// Codes that mean no connection to the API was made, so no request went out.
bool never_connected(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS: return true;
    default: return false;
  }
}

}  // namespace

// The body of a write, handed to libcurl piece by piece (see post()).
struct Upload {
  std::string_view body;
  std::size_t sent = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* upload) noexcept {
  auto& out = *static_cast<Upload*>(upload);
  const std::size_t bytes = std::min(size * count, out.body.size() - out.sent);
  std::copy_n(out.body.data() + out.sent, bytes, buffer);
  out.sent += bytes;
  return bytes;
}

struct HttpTransport::Receiver {
  std::string body;
  std::size_t max_bytes = 0;
  bool oversized = false;
  std::string request_id;
  std::optional<std::chrono::seconds> retry_after;
};

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) noexcept {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  long long seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error == std::errc() && end == value.data() + value.size()) {
    return std::clamp(std::chrono::seconds(std::max(seconds, 0LL)), std::chrono::seconds(0), kMaxRetryAfter);
  }
  if (error == std::errc::result_out_of_range) return kMaxRetryAfter;
  // An HTTP date: curl_getdate wants a NUL-terminated copy.
  char date[64] = {};
  if (value.size() >= sizeof date) return std::nullopt;
  std::copy(value.begin(), value.end(), date);
  time_t when = -1;
  try {
    when = curl().getdate(date, nullptr);
  } catch (const Error&) {  // libcurl cannot be loaded: not a date we can read
    return std::nullopt;
  }
  if (when == -1) return std::nullopt;
  const auto wait = std::chrono::seconds(std::max<long long>(0, static_cast<long long>(when - std::time(nullptr))));
  return std::min(wait, kMaxRetryAfter);
}

void HttpTransport::check_config(const RemoteConfig& config) {
  // The message never quotes the key: it is a secret even when malformed.
  if (has_control_characters(config.api_key)) {
    throw Error(Errc::InvalidArgument, "api_key contains control characters", "api_key");
  }
  if (!config.ca_file.empty()) {
    std::error_code ignored;
    // A directory opens as a stream on Linux; libcurl would refuse it only at the first request.
    if (!std::filesystem::is_regular_file(config.ca_file, ignored) || !std::ifstream(config.ca_file).good()) {
      throw Error(Errc::InvalidArgument, "ca_file is not a readable file: \"" + excerpt(config.ca_file) + "\"",
                  "ca_file");
    }
  }
  if (config.max_response_bytes == 0)
    throw Error(Errc::InvalidArgument, "max_response_bytes is 0", "max_response_bytes");
  require_positive(config.connect_timeout.count(), "connect_timeout", "ms");
  require_positive(config.total_timeout.count(), "total_timeout", "ms");
  require_positive(config.low_speed_time.count(), "low_speed_time", "s");
  require_positive(config.low_speed_bytes_per_second, "low_speed_bytes_per_second", "bytes/s");
}

HttpTransport::HttpTransport(const RemoteConfig& config, Endpoint endpoint)
    : endpoint_(std::move(endpoint)),
      max_response_bytes_(config.max_response_bytes),
      user_agent_("scoringjobs/" + std::string(version())) {
  check_config(config);

  if (!config.api_key.empty()) headers_.append("x-api-key: " + config.api_key);
  headers_.append("Content-Type: application/json");
  headers_.append("Accept: application/json");
  headers_.append("Expect:");  // no 100-continue round trip for large batches

  CURL* h = easy_.get();
  setopt(h, CURLOPT_ERRORBUFFER, error_buffer_);
  setopt(h, CURLOPT_URL, endpoint_.url.c_str());
  setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect would resend the key somewhere else
  setopt(h, CURLOPT_POST, 1L);
  setopt(h, CURLOPT_HTTPHEADER, headers_.get());
  setopt(h, CURLOPT_USERAGENT, user_agent_.c_str());
  setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl can decode, gzip included
  setopt(h, CURLOPT_NOSIGNAL, 1L);         // timeouts without SIGALRM: we may run on any thread
  setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config.connect_timeout.count()));
  setopt(h, CURLOPT_LOW_SPEED_LIMIT, config.low_speed_bytes_per_second);
  setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(config.low_speed_time.count()));
  setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  // AppSync's front end closes idle connections after 60 s; not reusing older
  // ones avoids racing its close with a write we then could not vouch for.
  setopt(h, CURLOPT_MAXAGE_CONN, 30L);
  // A proxy from http_proxy/https_proxy/all_proxy cannot reach this machine's
  // loopback (and would see the key of a local test rig); other hosts keep
  // honouring it, since users behind corporate proxies need it.
  if (is_loopback_host(endpoint_.host)) setopt(h, CURLOPT_NOPROXY, "*");
  setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!config.ca_file.empty()) setopt(h, CURLOPT_CAINFO, config.ca_file.c_str());
  // Refuses early when Content-Length announces too much; on_body enforces the cap otherwise.
  setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(config.max_response_bytes));
  setopt(h, CURLOPT_WRITEFUNCTION, &HttpTransport::on_body);
  setopt(h, CURLOPT_HEADERFUNCTION, &HttpTransport::on_header);
}

std::size_t HttpTransport::on_body(char* data, std::size_t size, std::size_t count, void* receiver) noexcept {
  auto& in = *static_cast<Receiver*>(receiver);
  const std::size_t bytes = size * count;
  if (in.body.size() + bytes > in.max_bytes) {
    in.oversized = true;
    return 0;  // makes libcurl abort the transfer with CURLE_WRITE_ERROR
  }
  try {
    in.body.append(data, bytes);
  } catch (...) {  // std::bad_alloc: abort the transfer rather than throw through C code
    in.oversized = true;
    return 0;
  }
  return bytes;
}

std::size_t HttpTransport::on_header(char* data, std::size_t size, std::size_t count, void* receiver) noexcept {
  auto& in = *static_cast<Receiver*>(receiver);
  const std::string_view line(data, size * count);
  try {
    if (line.starts_with("HTTP/")) {  // a new response (e.g. after a 1xx): forget the previous one's headers
      in.request_id.clear();
      in.retry_after.reset();
    } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
      const auto name = trim(line.substr(0, colon));
      const auto value = trim(line.substr(colon + 1));
      if (iequals(name, "x-amzn-RequestId")) in.request_id = excerpt(value, 64);
      if (iequals(name, "Retry-After")) in.retry_after = parse_retry_after(value);
    }
  } catch (...) {  // std::bad_alloc: the headers we keep are optional
  }
  return line.size();
}

HttpResponse HttpTransport::post(const std::string& body, Effect effect, std::string_view operation,
                                 std::chrono::milliseconds timeout) {
  CURL* h = easy_.get();
  Receiver receiver;
  receiver.max_bytes = max_response_bytes_;
  error_buffer_[0] = '\0';
  // When a reused connection dies before any answer, libcurl silently sends the
  // request again on a new one. Fine for a read; for a write it could apply the
  // mutations twice and hide the first attempt. A write's body therefore comes
  // from a read callback without a seek callback: libcurl cannot rewind it, so
  // it fails (CURLE_SEND_FAIL_REWIND → OutcomeUnknown) instead of resending.
  Upload upload{body};
  if (effect == Effect::Write) {
    setopt(h, CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));
    setopt(h, CURLOPT_READFUNCTION, &read_upload);
    setopt(h, CURLOPT_READDATA, static_cast<void*>(&upload));
  } else {
    setopt(h, CURLOPT_POSTFIELDS, body.c_str());
  }
  setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  setopt(h, CURLOPT_WRITEDATA, static_cast<void*>(&receiver));
  setopt(h, CURLOPT_HEADERDATA, static_cast<void*>(&receiver));

  const auto& api = curl();
  const CURLcode code = api.easy_perform(h);
  // Leave nothing in the handle pointing into this stack frame.
  api.easy_setopt(h, CURLOPT_WRITEDATA, nullptr);
  api.easy_setopt(h, CURLOPT_HEADERDATA, nullptr);
  api.easy_setopt(h, CURLOPT_READDATA, nullptr);
  if (code != CURLE_OK) throw_transfer_failure(code, receiver, effect, operation);

  HttpResponse response;
  api.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(receiver.body);
  response.request_id = std::move(receiver.request_id);
  response.retry_after = receiver.retry_after;
  return response;
}

void HttpTransport::throw_transfer_failure(int raw_code, const Receiver& receiver, Effect effect,
                                           std::string_view operation) const {
  const auto code = static_cast<CURLcode>(raw_code);
  CURL* h = easy_.get();
  const auto& api = curl();
  std::string detail = api.easy_strerror(code);
  if (error_buffer_[0] != '\0') detail += ": " + excerpt(error_buffer_, 200);
  const std::string where = std::string(operation) + " to " + endpoint_.host + ": ";

  if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_SSL_CACERT_BADFILE) {
    throw Error(Errc::InvalidArgument, where + "the connection settings are unusable (" + detail + ")", {}, code);
  }
  if (code == CURLE_OUT_OF_MEMORY || code == CURLE_BAD_FUNCTION_ARGUMENT || code == CURLE_FAILED_INIT) {
    throw Error(Errc::Internal, where + "libcurl failed (" + detail + ")", {}, code);
  }

  if (certificate_refused(code)) {
    // Nothing went out, the key included. Not Offline: the network works, and
    // until someone trusts the right CA (or leaves the captive portal) nothing
    // will get through. The hint comes before libcurl's detail so a bounded
    // excerpt keeps it.
    throw Error(Errc::Untrusted,
                where +
                    "TLS certificate verification failed (the server's certificate is not trusted; if a private "
                    "CA signed it, give that CA's PEM file as ca_file, CLI --ca-file): " +
                    detail,
                {}, code);
  }

  // Did any byte of the request go out? libcurl counts request bytes sent;
  // pretransfer time is only set once the connection was ready to send.
  long request_size = 0;
  curl_off_t pretransfer = 0;
  api.easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_size);
  api.easy_getinfo(h, CURLINFO_PRETRANSFER_TIME_T, &pretransfer);
  // A rewind is only needed after the request went out on a kept-alive
  // connection that then died; libcurl's counters are those of its new attempt.
  const bool maybe_sent =
      code == CURLE_SEND_FAIL_REWIND || (!never_connected(code) && (request_size > 0 || pretransfer > 0));
  if (code == CURLE_COULDNT_RESOLVE_HOST) {
    throw Error(Errc::Offline,
                where + "the host name " + endpoint_.host +
                    " could not be resolved (check the API URL; a machine without network sees this too)",
                {}, code);
  }
  if (!maybe_sent) {
    throw Error(Errc::Offline, where + "the API could not be reached (" + detail + ")", {}, code);
  }

  const bool oversized = receiver.oversized || code == CURLE_FILESIZE_EXCEEDED;
  std::string what = "no complete response (" + detail + ")";
  if (oversized) {
    what = "the response exceeded max_response_bytes (" + std::to_string(max_response_bytes_) + ")";
  } else if (code == CURLE_SEND_FAIL_REWIND) {
    // Our refusal to let libcurl resend a write (see post()), not a local fault.
    what = "the connection closed before any answer (not resent)";
  }
  if (effect == Effect::Write) {
    throw Error(Errc::OutcomeUnknown, where + what + "; the mutation may or may not have been applied", {}, code);
  }
  throw Error(oversized ? Errc::TooLarge : Errc::Transient, where + what, {}, code);
}

}  // namespace scoringjobs::remote
