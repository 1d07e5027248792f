#include "support/canary.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <system_error>

namespace scoringjobs::test {
namespace {

// Reads in chunks, keeping the last few bytes of each so a key cut by a chunk
// boundary is still found; database files can be large.
bool file_holds_canary(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string window;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    window.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (holds_canary(window)) return true;
    window.erase(0, window.size() - std::min(window.size(), kCanaryPrefix.size() - 1));
  }
  return false;
}

}  // namespace

std::string canary_key(std::string_view tag) { return std::string(kCanaryPrefix) + std::string(tag); }

bool holds_canary(std::string_view text) noexcept { return text.find(kCanaryPrefix) != std::string_view::npos; }

std::vector<std::filesystem::path> files_with_canary(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> found;
  std::error_code error;
  for (std::filesystem::recursive_directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    if (!it->is_regular_file(error)) continue;
    if (it->path().filename().string().ends_with(kPlantedKeySuffix)) continue;
    if (file_holds_canary(it->path())) found.push_back(it->path());
  }
  return found;
}

void fail_canary_leak(std::string_view where) {
  // Names where the key was, never the text itself: the test report must not
  // become one more place the key shows up in.
  FAIL_CHECK("the canary API key leaked into " << std::string(where));
}

void check_no_canary(std::string_view what, std::string_view text) {
  if (holds_canary(text)) fail_canary_leak(what);
}

}  // namespace scoringjobs::test
