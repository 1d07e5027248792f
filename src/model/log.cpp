#include "scoringjobs/log.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "scoringjobs/error.hpp"
#include "scoringjobs/version.hpp"

namespace scoringjobs {
namespace {

// SCORINGJOBS_LOG, read once (the first time the level is needed): the
// documented names in any case; anything else keeps the default and says so
// on stderr, since a typo would otherwise silently hide the logs asked for.
LogLevel level_from_environment() {
  const char* value = std::getenv("SCORINGJOBS_LOG");
  if (!value || !*value) return LogLevel::Warn;
  std::string name(value);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (name == "error") return LogLevel::Error;
  if (name == "warn" || name == "warning") return LogLevel::Warn;
  if (name == "info") return LogLevel::Info;
  if (name == "debug") return LogLevel::Debug;
  std::fprintf(stderr,
               "scoringjobs: warning: SCORINGJOBS_LOG=\"%s\" is not a log level (error, warn, info or debug); "
               "using warn\n",
               excerpt(value, 40).c_str());
  return LogLevel::Warn;
}

std::atomic<int>& current_level() {
  static std::atomic<int> level{static_cast<int>(level_from_environment())};
  return level;
}

std::mutex sink_mutex;
std::function<void(LogLevel, std::string_view)>& sink() {
  static std::function<void(LogLevel, std::string_view)> installed;
  return installed;
}

std::string_view level_name(LogLevel level) {
  switch (level) {
    case LogLevel::Error: return "error";
    case LogLevel::Warn: return "warning";
    case LogLevel::Info: return "info";
    case LogLevel::Debug: return "debug";
  }
  return "info";
}

}  // namespace

void set_log_level(LogLevel level) noexcept { current_level().store(static_cast<int>(level)); }
LogLevel log_level() noexcept { return static_cast<LogLevel>(current_level().load()); }
bool log_enabled(LogLevel level) noexcept { return static_cast<int>(level) <= current_level().load(); }

void set_log_sink(std::function<void(LogLevel, std::string_view)> new_sink) {
  std::lock_guard lock(sink_mutex);
  sink() = std::move(new_sink);
}

void log(LogLevel level, std::string_view message) {
  if (!log_enabled(level)) return;
  std::lock_guard lock(sink_mutex);
  if (sink()) {
    sink()(level, message);
    return;
  }
  const auto name = level_name(level);
  std::fprintf(stderr, "scoringjobs: %.*s: %.*s\n", static_cast<int>(name.size()), name.data(),
               static_cast<int>(message.size()), message.data());
}

std::string_view version() noexcept { return SCORINGJOBS_VERSION; }

}  // namespace scoringjobs
