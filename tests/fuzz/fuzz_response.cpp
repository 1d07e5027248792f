// The GraphQL response reader and error classifier: any status and body gives a
// response or one classified scoringjobs::Error, never a crash or another exception.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "remote/response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  scoringjobs::remote::HttpResponse http;
  static const long statuses[] = {200, 400, 401, 403, 413, 429, 500, 502, 503, 504, 302, 0};
  http.status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
  const auto effect = (data[1] & 1) ? scoringjobs::remote::Effect::Write : scoringjobs::remote::Effect::Read;
  http.body.assign(reinterpret_cast<const char*>(data + 2), size - 2);
  const scoringjobs::remote::RequestContext request{"FuzzOperation", "127.0.0.1", effect};
  try {
    const auto response = scoringjobs::remote::read_response(http, request);
    for (const auto& error : response.errors) {
      (void)scoringjobs::remote::field_error(error, request, response.request_id);
    }
  } catch (const scoringjobs::Error&) {
    // Classified: what the sync engine expects.
  }
  return 0;
}
