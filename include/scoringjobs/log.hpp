#pragma once
// Minimal leveled logging to stderr (or a sink the application installs).
// Nothing logged ever includes the API key: callers log URLs, ids and error
// classes, never headers.

#include <functional>
#include <string_view>

namespace scoringjobs {

enum class LogLevel { Error = 0, Warn = 1, Info = 2, Debug = 3 };

/// Messages above this level are dropped. Default: Warn, or SCORINGJOBS_LOG
/// (error|warn|info|debug, in any case) when the process environment sets it.
/// The variable is read the first time the level is needed; an unknown value
/// keeps Warn and prints one warning straight to stderr (not to the sink).
void set_log_level(LogLevel level) noexcept;
LogLevel log_level() noexcept;
bool log_enabled(LogLevel level) noexcept;

/// Replaces the sink (default: "scoringjobs: <level>: <message>" lines on stderr).
/// Pass an empty function to restore the default.
void set_log_sink(std::function<void(LogLevel, std::string_view)> sink);

void log(LogLevel level, std::string_view message);

}  // namespace scoringjobs
