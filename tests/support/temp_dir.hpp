#pragma once
// A fresh directory under the system temp dir, removed with everything in it
// when the owner goes out of scope. Before removing it, every file in it is
// searched for the canary API key (support/canary.hpp): a key that leaked into
// a database, a log or any other file fails the running test.

#include <filesystem>
#include <string>

namespace scoringjobs::test {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace scoringjobs::test
