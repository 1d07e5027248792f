#include "support/temp_dir.hpp"

#include <stdlib.h>

#include <stdexcept>
#include <system_error>

#include "support/canary.hpp"

namespace scoringjobs::test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "scoringjobs-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  try {
    for (const auto& file : files_with_canary(path_)) fail_canary_leak(file.string());
  } catch (...) {  // std::bad_alloc or a filesystem error: the scan is best effort, the removal is not
  }
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace scoringjobs::test
