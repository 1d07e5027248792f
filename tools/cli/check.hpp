#pragma once
// `status --check`: the store's health as a monitoring plugin reports it (the
// Nagios / Icinga convention): one line "SCORINGJOBS <STATE> - <summary> | <perfdata>"
// and the exit status 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "scoringjobs/status.hpp"

namespace scoringjobs::cli {

/// Past `warning`: WARNING; past `critical`: CRITICAL. Either may be absent.
struct Threshold {
  std::optional<std::int64_t> warning;
  std::optional<std::int64_t> critical;
};

/// "LIMIT" (CRITICAL past it) or "WARN,CRIT", each a duration (parse_duration)
/// for duration options; thrown CliError{Usage} names the option.
Threshold parse_duration_threshold(std::string_view option, std::string_view text);
/// The same with whole numbers, e.g. --max-dead-letters 0 or 5,20.
Threshold parse_count_threshold(std::string_view option, std::string_view text);

struct CheckLimits {
  Threshold oldest_age;     // seconds: the oldest queued entry's age
  Threshold dead_letters;   // count
  Threshold quarantined;    // count
  Threshold since_success;  // seconds: see since_success()
};

/// How long the store has been out of sync: 0 when nothing is queued and the
/// newest recorded run ended done (runs with nothing to do are not recorded,
/// so a quiet store would otherwise look ever staler); else the time since the
/// last run that ended done; if none ever did, since the first recorded run; if
/// none ran, the oldest queued entry's age. `status` needs the newest run (runs >= 1).
std::chrono::milliseconds since_success(const StoreStatus& status, const Timestamp& now);

struct CheckResult {
  int exit_code = 3;  // 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
  std::string line;   // without a trailing newline
};

CheckResult check_status(const StoreStatus& status, const CheckLimits& limits, const Timestamp& now);

/// The line for a check that could not look at the store (exit status 3).
CheckResult unknown_result(std::string_view why);

}  // namespace scoringjobs::cli
