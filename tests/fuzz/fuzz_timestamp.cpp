// Timestamp::parse never crashes, and what it accepts round-trips: the exact text
// is kept, and the canonical form denotes the same instant to the millisecond.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "scoringjobs/timestamp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = scoringjobs::Timestamp::try_parse(text);
  if (!parsed) return 0;
  if (parsed->wire() != text) std::abort();
  const auto canonical = scoringjobs::Timestamp::try_parse(parsed->format());
  if (!canonical || canonical->unix_millis() != parsed->unix_millis()) std::abort();
  return 0;
}
