// The store's reader of its JSON columns gives what nlohmann::json::parse gives,
// type for type, for any text: the same value, or discarded for both.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "store/stored_json.hpp"
#include "support/json_identical.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto expected = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  const auto read = scoringjobs::detail::parse_stored_json(text);
  if (expected.is_discarded() != read.is_discarded()) std::abort();
  if (!expected.is_discarded() && !scoringjobs::test::json_identical(expected, read)) std::abort();
  return 0;
}
