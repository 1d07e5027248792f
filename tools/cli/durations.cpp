#include "durations.hpp"

#include <array>
#include <charconv>

#include "app.hpp"

namespace scoringjobs::cli {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t seconds;
};
constexpr std::array kUnits{Unit{"", 1},     Unit{"s", 1},    Unit{"m", 60},
                            Unit{"min", 60}, Unit{"h", 3600}, Unit{"d", 86400}};
// Longer than any sensible threshold, and far from overflowing milliseconds.
constexpr std::int64_t kMaxSeconds = 10LL * 366 * 86400;

}  // namespace

std::chrono::seconds parse_duration(std::string_view option, std::string_view text) {
  const auto refuse = [&] {
    return CliError(ExitCode::Usage, std::string(option) + " \"" + excerpt(text, 40) +
                                         "\" is not a duration (a whole number with s, m, h or d, e.g. 90s, 15m, "
                                         "24h, 2d)");
  };
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [rest, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || rest == text.data() || value < 0) throw refuse();
  const std::string_view suffix(rest, static_cast<std::size_t>(end - rest));
  for (const auto& unit : kUnits) {
    if (suffix != unit.suffix) continue;
    if (value > kMaxSeconds / unit.seconds) {
      throw CliError(ExitCode::Usage, std::string(option) + " \"" + excerpt(text, 40) + "\" is longer than ten years");
    }
    return std::chrono::seconds(value * unit.seconds);
  }
  throw refuse();
}

std::string duration_text(std::chrono::seconds duration) {
  const auto s = duration.count();
  if (s != 0 && s % 86400 == 0) return std::to_string(s / 86400) + " d";
  if (s != 0 && s % 3600 == 0) return std::to_string(s / 3600) + " h";
  if (s != 0 && s % 60 == 0) return std::to_string(s / 60) + " min";
  return std::to_string(s) + " s";
}

std::string age_text(std::chrono::milliseconds age) {
  const auto s = std::max<std::int64_t>(0, age.count() / 1000);
  if (s < 120) return std::to_string(s) + " s";
  if (s < 2 * 3600) return std::to_string(s / 60) + " min";
  if (s < 2 * 86400) return std::to_string(s / 3600) + " h";
  return std::to_string(s / 86400) + " d";
}

}  // namespace scoringjobs::cli
