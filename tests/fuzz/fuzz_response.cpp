// The GraphQL response reader and error classifier: any status, Retry-After
// header and body gives a response or one Error classified into the remote
// taxonomy, never a crash, another exception or a local code.
//
// Input layout: byte 0 picks the HTTP status, byte 1 the effect (bit 0) and the
// length of the Retry-After value (bits 1-7) that follows; the rest is the body.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "remote/http_transport.hpp"
#include "remote/response.hpp"

namespace {

using scoringjobs::Errc;

bool is_remote_class(Errc code) {
  switch (code) {
    case Errc::Offline:
    case Errc::Transient:
    case Errc::Throttled:
    case Errc::Auth:
    case Errc::RemoteConflict:
    case Errc::Rejected:
    case Errc::OutcomeUnknown:
    case Errc::Contract:      // the whole document refused: the schema and the client disagree
    case Errc::TooLarge:      // an answer over the response limit
    case Errc::InvalidToken:  // a refused nextToken
    case Errc::Unreadable: return true;
    default: return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  scoringjobs::remote::HttpResponse http;
  static const long statuses[] = {200, 400, 401, 403, 413, 429, 500, 502, 503, 504, 302, 0};
  http.status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
  const auto effect = (data[1] & 1) ? scoringjobs::remote::Effect::Write : scoringjobs::remote::Effect::Read;
  const std::size_t header_size = std::min<std::size_t>(data[1] >> 1, size - 2);
  const std::string_view header(reinterpret_cast<const char*>(data + 2), header_size);
  http.retry_after = scoringjobs::remote::parse_retry_after(header);
  if (http.retry_after && (*http.retry_after < std::chrono::seconds(0) || *http.retry_after > std::chrono::hours(24))) {
    std::abort();  // documented clamp: [0, 1 day]
  }
  http.body.assign(reinterpret_cast<const char*>(data + 2 + header_size), size - 2 - header_size);
  http.request_id = "fuzz-request";
  const scoringjobs::remote::RequestContext request{"FuzzOperation", "127.0.0.1", effect};
  try {
    const auto response = scoringjobs::remote::read_response(http, request);
    for (const auto& error : response.errors) {
      if (!is_remote_class(error.code)) std::abort();
      const auto classified = scoringjobs::remote::field_error(error, request, response);
      if (classified.code() != error.code) std::abort();
    }
  } catch (const scoringjobs::Error& e) {
    // Classified: what the sync engine expects, and nothing else.
    if (!is_remote_class(e.code())) std::abort();
    if (e.code() == Errc::Throttled && e.retry_after() != http.retry_after && http.status == 429) std::abort();
  }
  return 0;
}
