#pragma once
// Durations on the command line (--alert-after 24h, --max-oldest-age 6h) and
// ages printed for people: one unit system for every command.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace scoringjobs::cli {

/// "90", "90s", "15m" (or "15min"), "24h", "2d": a non-negative whole number of
/// seconds, minutes, hours or days (no unit: seconds). Throws CliError{Usage}
/// naming `option` and the text for anything else, or a value over ten years.
std::chrono::seconds parse_duration(std::string_view option, std::string_view text);

/// A limit as people write it, exactly: "90 s", "15 min", "6 h", "2 d" (the largest unit that divides it).
std::string duration_text(std::chrono::seconds duration);

/// "42 s", "3 min", "5 h", "2 d": an age for people (always rounded down).
std::string age_text(std::chrono::milliseconds age);

}  // namespace scoringjobs::cli
