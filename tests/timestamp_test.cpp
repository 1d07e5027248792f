#include "scoringjobs/timestamp.hpp"

#include <doctest/doctest.h>

#include <random>

#include "scoringjobs/error.hpp"

using scoringjobs::Errc;
using scoringjobs::Error;
using scoringjobs::Timestamp;

TEST_CASE("parses every RFC 3339 form AppSync and the Python client produce") {
  struct Case {
    const char* text;
    std::int64_t seconds;
    std::int32_t nanos;
  };
  const Case cases[] = {
      {"2026-11-28T18:54:57Z", 1795892097, 0},
      {"2026-11-28T18:54:57.6Z", 1795892097, 600'000'000},
      {"2026-11-28T18:54:57.663Z", 1795892097, 663'000'000},
      {"2026-11-28T18:54:57.663123Z", 1795892097, 663'123'000},
      {"2026-11-28T18:54:57.663123456Z", 1795892097, 663'123'456},
      {"2026-11-28T18:54:57.663123+00:00", 1795892097, 663'123'000},
      {"2026-11-28T20:54:57.663+02:00", 1795892097, 663'000'000},
      {"2026-11-28T13:24:57-05:30", 1795892097, 0},
      {"2026-11-28t18:54:57z", 1795892097, 0},
      {"2026-11-28 18:54:57Z", 1795892097, 0},
      {"1970-01-01T00:00:00Z", 0, 0},
      {"1969-12-31T23:59:59.999Z", -1, 999'000'000},
      {"2024-02-29T00:00:00Z", 1709164800, 0},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    const auto t = Timestamp::parse(c.text);
    CHECK(t.unix_seconds() == c.seconds);
    CHECK(t.nanos() == c.nanos);
    CHECK(t.wire() == c.text);  // never loses what it read
  }
}

TEST_CASE("refuses what is not RFC 3339, naming the field and the value") {
  const char* bad[] = {"",
                       "2026-11-28",
                       "2026-11-28T18:54:57",              // no zone
                       "2026-11-28T18:54:57.Z",            // empty fraction
                       "2026-11-28T18:54:57.1234567890Z",  // 10 digits
                       "2026-13-01T00:00:00Z",
                       "2026-02-30T00:00:00Z",
                       "2025-02-29T00:00:00Z",
                       "2026-11-28T24:00:00Z",
                       "2026-11-28T18:60:00Z",
                       "2026-11-28T18:54:57+0200",
                       "2026-11-28T18:54:57+24:00",
                       "2026-11-28T18:54:57Zjunk",
                       "2026-11-28X18:54:57Z",
                       "２026-11-28T18:54:57Z",
                       "9999-12-31T23:59:60-23:59",   // year 10000 once in UTC
                       "0000-01-01T00:00:00+00:01"};  // year -1 once in UTC
  for (const char* text : bad) {
    CAPTURE(text);
    try {
      Timestamp::parse(text, "startedAt");
      FAIL("accepted an invalid timestamp");
    } catch (const Error& e) {
      CHECK(e.code() == Errc::InvalidArgument);
      CHECK(e.field() == "startedAt");
      CHECK(std::string(e.what()).find("startedAt") != std::string::npos);
    }
    CHECK_FALSE(Timestamp::try_parse(text).has_value());
  }
}

TEST_CASE("format is YYYY-MM-DDTHH:MM:SS.sssZ and round-trips over many generated values") {
  std::mt19937_64 random(20261128);
  // Years 0001..9999.
  std::uniform_int_distribution<std::int64_t> millis(-62135596800000LL, 253402300799999LL);
  for (int i = 0; i < 200'000; ++i) {
    const auto ms = millis(random);
    const auto t = Timestamp::from_unix_millis(ms);
    const auto text = t.format();
    REQUIRE(text.size() == 24);
    REQUIRE(text[10] == 'T');
    REQUIRE(text.back() == 'Z');
    const auto back = Timestamp::parse(text);
    REQUIRE(back.unix_millis() == ms);
    REQUIRE(back == t);
    REQUIRE(back.wire() == text);
  }
}

TEST_CASE("offsets and precision survive a round trip through the parsed instant") {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> offset_minutes(-23 * 60 - 59, 23 * 60 + 59);
  std::uniform_int_distribution<int> digits(0, 9);
  for (int i = 0; i < 20'000; ++i) {
    const auto base = Timestamp::from_unix_millis(1'700'000'000'000LL + i * 7919LL);
    const int off = offset_minutes(random);
    const int n = digits(random);
    // Write the same instant at a random offset with n fractional digits.
    const auto shifted = Timestamp::from_unix_millis(base.unix_millis() + off * 60'000LL).format();
    std::string text = shifted.substr(0, 19);
    std::string frac = shifted.substr(20, 3) + "000000";
    if (n > 0) text += "." + frac.substr(0, static_cast<std::size_t>(n));
    char zone[16];
    std::snprintf(zone, sizeof zone, "%c%02d:%02d", off < 0 ? '-' : '+', std::abs(off) / 60 % 100, std::abs(off) % 60);
    text += zone;
    CAPTURE(text);
    const auto parsed = Timestamp::parse(text);
    CHECK(parsed.wire() == text);
    // The instant is the base one, with the fraction cut to the n digits written.
    const auto kept = std::stoi((frac.substr(0, static_cast<std::size_t>(n)) + "000000000").substr(0, 9));
    CHECK(parsed.unix_seconds() == base.unix_seconds());
    CHECK(parsed.nanos() == kept);
  }
}

TEST_CASE("ordering is by instant, equality is by exact text") {
  const auto a = Timestamp::parse("2026-11-28T18:54:57.663Z");
  const auto b = Timestamp::parse("2026-11-28T20:54:57.663+02:00");
  const auto c = Timestamp::parse("2026-11-28T18:54:57.664Z");
  CHECK(a.same_instant(b));
  CHECK(a != b);
  CHECK(a < c);
  CHECK(b < c);
  CHECK(a.format() == b.format());
}

TEST_CASE("now() has millisecond precision in canonical form") {
  const auto now = Timestamp::now();
  CHECK(now.nanos() % 1'000'000 == 0);
  CHECK(now.wire() == now.format());
  CHECK(now.wire().size() == 24);
}
