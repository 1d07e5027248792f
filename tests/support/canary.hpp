#pragma once
// The canary API key. Every key the tests use starts with kCanaryPrefix, so one
// search finds a key that leaked into stdout, stderr, logs, database files or
// error texts. Files a test writes a key into on purpose are named
// `*<kPlantedKeySuffix>` and are the only ones not searched.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace scoringjobs::test {

inline constexpr std::string_view kCanaryPrefix = "CANARY-KEY-";
inline constexpr std::string_view kPlantedKeySuffix = ".planted-key";

/// A test API key: kCanaryPrefix + tag.
std::string canary_key(std::string_view tag);

/// True when `text` holds the canary prefix anywhere.
bool holds_canary(std::string_view text) noexcept;

/// Regular files under `dir` (recursively; not *.planted-key) whose bytes hold the canary.
std::vector<std::filesystem::path> files_with_canary(const std::filesystem::path& dir);

/// Fails the current doctest test without throwing (usable in destructors):
/// the key leaked into `where`. The message never quotes the leaking text.
void fail_canary_leak(std::string_view where);

/// fail_canary_leak(what) when `text` holds the canary.
void check_no_canary(std::string_view what, std::string_view text);

}  // namespace scoringjobs::test
