#include "store/stored_json.hpp"

#include <doctest/doctest.h>

#include <string>

#include "support/json_identical.hpp"

using scoringjobs::detail::parse_stored_json;
using scoringjobs::test::json_identical;

namespace {

// What the store read before: nlohmann's own parser.
nlohmann::json parsed_by_nlohmann(std::string_view text) { return nlohmann::json::parse(text, nullptr, false); }

}  // namespace

TEST_CASE("stored JSON reads back exactly as nlohmann parses it, type for type") {
  const std::string deep = std::string(3000, '[') + std::string(3000, ']');  // deeper than simdjson goes
  const std::string texts[] = {
      R"({"parameters":{"modelName":"gpt-4o-mini","modelProvider":"openai"}})",
      R"({"b":[1,-1,2.5,true,false,null,"x",{}],"a":{"c":[]}})",
      " {\"spaced\" :\t[ 1 ,\n2 ] } ",
      R"({"a":1,"a":"last one wins"})",
      "0",
      "-0",
      "[-0,0,\"-0\",-0.5,{\"a\":-0}]",
      "5",
      "-5",
      "9223372036854775807",
      "9223372036854775808",
      "18446744073709551615",
      "18446744073709551616",
      "-9223372036854775808",
      "-9223372036854775809",
      "1.0",
      "-0.0",
      "1e2",
      "1E-2",
      "0.1",
      "2.2250738585072011e-308",
      "4.9e-324",
      "1.7976931348623157e308",
      R"("a\u0000b")",
      R"("\ud83d\ude00 \u00e9 é \"quoted\" \\ \/ \b\f\n\r\t")",
      R"("")",
      "true",
      "false",
      "null",
      "[]",
      "{}",
      "[[[[]]]]",
      deep,
  };
  for (const auto& text : texts) {
    CAPTURE(text.substr(0, 80));
    const auto expected = parsed_by_nlohmann(text);
    REQUIRE_FALSE(expected.is_discarded());
    CHECK(json_identical(parse_stored_json(text), expected));
  }
  // The types nlohmann gives, which a caller may test.
  CHECK(parse_stored_json("5").is_number_unsigned());
  CHECK(parse_stored_json("-5").is_number_integer());
  CHECK(parse_stored_json("5.0").is_number_float());
  CHECK(std::signbit(parse_stored_json("-0.0").get<double>()));
}

TEST_CASE("stored JSON that is not JSON reads as a discarded value") {
  for (const char* text : {"", " ", "{", "[1,]", "01", "NaN", "{\"a\":1} x", "\"\xff\"", "'single'", "[1e400]"}) {
    CAPTURE(text);
    CHECK(parsed_by_nlohmann(text).is_discarded() == parse_stored_json(text).is_discarded());
    CHECK(parse_stored_json(text).is_discarded());
  }
}

TEST_CASE("stored JSON is read only to the end of its text, which needs no terminator or padding") {
  // SQLite hands out a column's text as a pointer and a length.
  const std::string buffer = R"([1,{"a":"b"}]]]]garbage)";
  const std::string_view text(buffer.data(), 13);
  CHECK(json_identical(parse_stored_json(text), nlohmann::json::parse(R"([1,{"a":"b"}])")));
  const std::string exact = R"({"k":"v"})";  // no spare capacity beyond the text
  CHECK(parse_stored_json(std::string_view(exact.data(), exact.size())) == nlohmann::json{{"k", "v"}});
}
