#include "scoringjobs/timestamp.hpp"

#include <chrono>
#include <cstdio>

#include "scoringjobs/error.hpp"

namespace scoringjobs {
namespace {

using namespace std::chrono;

bool read_digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

struct Parsed {
  std::int64_t seconds;
  std::int32_t nanos = 0;
};

// The fixed-width part, YYYY-MM-DDTHH:MM:SS: the reason it is not one, or nullptr.
const char* parse_date_time(std::string_view s, year_month_day& ymd, int& hour, int& minute, int& second) {
  int year, month, day;
  if (s.size() < 20) return "too short for YYYY-MM-DDTHH:MM:SSZ";
  if (!read_digits(s, 0, 4, year) || s[4] != '-' || !read_digits(s, 5, 2, month) || s[7] != '-' ||
      !read_digits(s, 8, 2, day))
    return "the date must be YYYY-MM-DD";
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return "date and time must be separated by T";
  if (!read_digits(s, 11, 2, hour) || s[13] != ':' || !read_digits(s, 14, 2, minute) || s[16] != ':' ||
      !read_digits(s, 17, 2, second))
    return "the time must be HH:MM:SS";
  ymd = year_month_day{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                       std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return "no such date";
  // RFC 3339 allows a leap second (:60); it is kept as written and counts as the next second.
  if (hour > 23 || minute > 59 || second > 60) return "no such time of day";
  return nullptr;
}

// Optional fractional seconds at `pos` (".d" up to 9 digits), moving `pos` past them.
const char* parse_fraction(std::string_view s, std::size_t& pos, std::int32_t& nanos) {
  nanos = 0;
  if (pos >= s.size() || s[pos] != '.') return nullptr;
  ++pos;
  std::size_t digits = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (++digits > 9) return "more than 9 fractional digits";
    nanos = nanos * 10 + (s[pos] - '0');
    ++pos;
  }
  if (digits == 0) return "a '.' must be followed by digits";
  for (std::size_t i = digits; i < 9; ++i) nanos *= 10;
  return nullptr;
}

// The time zone at `pos` (Z or +HH:MM / -HH:MM), moving `pos` past it.
const char* parse_offset(std::string_view s, std::size_t& pos, int& offset_minutes) {
  offset_minutes = 0;
  if (pos == s.size()) return "missing time zone (Z or +HH:MM)";
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
    return nullptr;
  }
  if (s[pos] != '+' && s[pos] != '-') return "missing time zone (Z or +HH:MM)";
  int off_h, off_m;
  if (!read_digits(s, pos + 1, 2, off_h) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
      !read_digits(s, pos + 4, 2, off_m))
    return "the offset must be +HH:MM or -HH:MM";
  if (off_h > 23 || off_m > 59) return "no such offset";
  offset_minutes = (off_h * 60 + off_m) * (s[pos] == '-' ? -1 : 1);
  pos += 6;
  return nullptr;
}

// Returns the reason the text is not RFC 3339, or nullptr on success.
const char* parse_rfc3339(std::string_view s, Parsed& out) {
  year_month_day ymd;
  int hour = 0, minute = 0, second = 0;
  if (const char* why = parse_date_time(s, ymd, hour, minute, second)) return why;
  std::size_t pos = 19;
  std::int32_t nanos = 0;
  if (const char* why = parse_fraction(s, pos, nanos)) return why;
  int offset_minutes = 0;
  if (const char* why = parse_offset(s, pos, offset_minutes)) return why;
  if (pos != s.size()) return "unexpected characters after the time zone";

  const auto days = sys_days{ymd}.time_since_epoch().count();
  out.seconds = static_cast<std::int64_t>(days) * 86400 + hour * 3600 + minute * 60 + second -
                static_cast<std::int64_t>(offset_minutes) * 60;
  out.nanos = nanos;
  // The canonical form writes the UTC instant with a 4-digit year: an offset (or
  // a leap second) must not carry it out of the years 0000-9999.
  static const std::int64_t first = sys_days{std::chrono::year{0} / 1 / 1}.time_since_epoch().count() * 86400LL;
  static const std::int64_t past_last = sys_days{std::chrono::year{10000} / 1 / 1}.time_since_epoch().count() * 86400LL;
  if (out.seconds < first || out.seconds >= past_last) return "outside the years 0000-9999 once in UTC";
  return nullptr;
}

// Writes `value` as exactly `width` decimal digits (zero-padded) at `out`.
void put_digits(char* out, unsigned value, int width) noexcept {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// YYYY-MM-DDTHH:MM:SS.mmmZ, written digit by digit: this runs for every record
// read or written, where snprintf's format parsing was a measurable share.
std::string format_millis(std::int64_t seconds, std::int32_t nanos) {
  const auto day_count = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  const std::int64_t in_day = seconds - day_count * 86400;
  const year_month_day ymd{sys_days{days{day_count}}};
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    // Outside what four digits hold: the general (and rare) path.
    char buffer[48];
    const int n = std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", year,
                                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                                static_cast<int>(in_day / 3600), static_cast<int>(in_day / 60 % 60),
                                static_cast<int>(in_day % 60), static_cast<int>(nanos / 1'000'000));
    return std::string(buffer, static_cast<std::size_t>(n));
  }
  std::string text(24, '\0');
  char* p = text.data();
  put_digits(p, static_cast<unsigned>(year), 4);
  p[4] = '-';
  put_digits(p + 5, static_cast<unsigned>(ymd.month()), 2);
  p[7] = '-';
  put_digits(p + 8, static_cast<unsigned>(ymd.day()), 2);
  p[10] = 'T';
  put_digits(p + 11, static_cast<unsigned>(in_day / 3600), 2);
  p[13] = ':';
  put_digits(p + 14, static_cast<unsigned>(in_day / 60 % 60), 2);
  p[16] = ':';
  put_digits(p + 17, static_cast<unsigned>(in_day % 60), 2);
  p[19] = '.';
  put_digits(p + 20, static_cast<unsigned>(nanos / 1'000'000), 3);
  p[23] = 'Z';
  return text;
}

}  // namespace

Timestamp Timestamp::parse(std::string_view text, std::string_view field) {
  Parsed parsed{};
  if (const char* why = parse_rfc3339(text, parsed)) {
    throw_invalid(field, text, std::string("not an RFC 3339 date-time: ") + why);
  }
  return Timestamp(parsed.seconds, parsed.nanos, std::string(text));
}

std::optional<Timestamp> Timestamp::try_parse(std::string_view text) noexcept {
  Parsed parsed{};
  if (parse_rfc3339(text, parsed)) return std::nullopt;
  try {
    return Timestamp(parsed.seconds, parsed.nanos, std::string(text));
  } catch (...) {  // allocation failure only
    return std::nullopt;
  }
}

Timestamp Timestamp::now() {
  const auto millis = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  return from_unix_millis(millis);
}

Timestamp Timestamp::from_unix_millis(std::int64_t millis) {
  std::int64_t seconds = millis / 1000;
  std::int64_t rest = millis % 1000;
  if (rest < 0) {
    rest += 1000;
    seconds -= 1;
  }
  const auto nanos = static_cast<std::int32_t>(rest * 1'000'000);
  return Timestamp(seconds, nanos, format_millis(seconds, nanos));
}

std::string Timestamp::format() const { return format_millis(seconds_, nanos_); }

std::strong_ordering operator<=>(const Timestamp& a, const Timestamp& b) noexcept {
  if (auto c = a.seconds_ <=> b.seconds_; c != 0) return c;
  if (auto c = a.nanos_ <=> b.nanos_; c != 0) return c;
  return a.text_ <=> b.text_;
}

}  // namespace scoringjobs
