#pragma once
// An AWSDateTime value: an instant in UTC plus the exact text it was read from.
//
// Remote values must be reproducible byte for byte (DynamoDB conditions compare
// stored strings), so a parsed Timestamp remembers its text and wire() returns
// it unchanged. Timestamps made here (now(), from_unix_millis()) have millisecond
// precision and the canonical text YYYY-MM-DDTHH:MM:SS.sssZ.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace scoringjobs {

class Timestamp {
 public:
  /// Parses RFC 3339: `YYYY-MM-DD(T|t| )HH:MM:SS[.f{1,9}](Z|z|±HH:MM)`.
  /// Throws Error{InvalidArgument} naming `field` and the text when it is not one,
  /// or when its UTC instant falls outside the years 0000-9999.
  static Timestamp parse(std::string_view text, std::string_view field = "timestamp");
  /// As parse(), but returns nullopt instead of throwing.
  static std::optional<Timestamp> try_parse(std::string_view text) noexcept;

  /// The current UTC time, truncated to milliseconds.
  static Timestamp now();
  static Timestamp from_unix_millis(std::int64_t millis);

  /// The instant as seconds and nanoseconds since the Unix epoch (UTC).
  std::int64_t unix_seconds() const noexcept { return seconds_; }
  std::int32_t nanos() const noexcept { return nanos_; }
  std::int64_t unix_millis() const noexcept { return seconds_ * 1000 + nanos_ / 1'000'000; }

  /// Canonical form: UTC, milliseconds, `Z` (sub-millisecond digits are cut).
  std::string format() const;
  /// The exact text this value was read from, or format() for values made here.
  const std::string& wire() const noexcept { return text_; }

  /// Orders by instant; equal instants written differently order by text, so that
  /// == means "the same wire text" and exact round trips can be checked with it.
  friend std::strong_ordering operator<=>(const Timestamp& a, const Timestamp& b) noexcept;
  friend bool operator==(const Timestamp& a, const Timestamp& b) noexcept { return a.text_ == b.text_; }

  /// True when both denote the same instant, however they are written.
  bool same_instant(const Timestamp& other) const noexcept {
    return seconds_ == other.seconds_ && nanos_ == other.nanos_;
  }

 private:
  Timestamp(std::int64_t seconds, std::int32_t nanos, std::string text)
      : seconds_(seconds), nanos_(nanos), text_(std::move(text)) {}

  std::int64_t seconds_;
  std::int32_t nanos_;
  std::string text_;
};

}  // namespace scoringjobs
