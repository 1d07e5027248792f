#pragma once
// One HTTP POST to the API over a reused libcurl handle, with every transfer
// failure turned into the right Errc. HTTP statuses are not judged here:
// any complete response is returned (response.hpp classifies it).

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "remote/curl_handle.hpp"
#include "remote/endpoint.hpp"
#include "scoringjobs/remote.hpp"

namespace scoringjobs::remote {

/// Whether a request may change remote state: decides OutcomeUnknown vs Transient.
enum class Effect { Read, Write };

struct HttpResponse {
  long status = 0;
  std::string body;        // decoded (gzip undone)
  std::string request_id;  // x-amzn-RequestId
  std::optional<std::chrono::seconds> retry_after;
};

/// Parses a Retry-After value: delay-seconds or an HTTP date (relative to now).
/// nullopt when it is neither; clamped to [0, 1 day].
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) noexcept;

/// Owns the easy handle and the header list. Not thread-safe, not movable (libcurl
/// keeps pointers to members); RemoteClient holds it behind a unique_ptr.
class HttpTransport {
 public:
  /// The checks the constructor makes, without loading libcurl: Error{InvalidArgument}
  /// naming the field for a key with line breaks, an unreadable ca_file, a zero
  /// max_response_bytes, or a timeout or low-speed limit that is not positive.
  static void check_config(const RemoteConfig& config);

  /// Sets every per-connection option once. Throws Error{InvalidArgument} for a
  /// key with line breaks or an unreadable ca_file, Error{Internal} if libcurl refuses an option.
  HttpTransport(const RemoteConfig& config, Endpoint endpoint);
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  /// Sends `body` and returns the complete response, whatever its status.
  /// Throws Error: Offline when the request never left, Transient (Read) or
  /// OutcomeUnknown (Write) when it may have left and no complete response came
  /// back (including one over max_response_bytes), InvalidArgument/Internal for
  /// local misconfiguration. `operation` only names the request in messages;
  /// `timeout` (positive) bounds the whole request, connect included.
  HttpResponse post(const std::string& body, Effect effect, std::string_view operation,
                    std::chrono::milliseconds timeout);

  const Endpoint& endpoint() const noexcept { return endpoint_; }

 private:
  struct Receiver;  // per-request state the callbacks write into
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* receiver) noexcept;
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* receiver) noexcept;
  [[noreturn]] void throw_transfer_failure(int code, const Receiver& receiver, Effect effect,
                                           std::string_view operation) const;

  Endpoint endpoint_;
  std::size_t max_response_bytes_;
  CurlEasy easy_;
  CurlHeaders headers_;
  std::string user_agent_;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace scoringjobs::remote
