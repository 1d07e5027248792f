#pragma once
// A directory whose disk can be filled up and freed again on demand, to test
// what happens when a write finds no space.
//
// When this process may mount (root, or CAP_SYS_ADMIN), it is a small tmpfs in
// a private mount namespace of this process (so the mount never outlives it),
// and fill() writes a filler file until the tmpfs has no byte left. Otherwise
// it is a plain directory, and fill() lowers this process's RLIMIT_FSIZE to 0
// with SIGXFSZ ignored, so every write to a regular file fails (EFBIG), also
// in the children it starts. That needs no child process of its own: the soft
// limit can be raised back to the hard one without privilege, which free() and
// the destructor do.
//
// $SCORINGJOBS_TEST_DISK=rlimit forces the second way (to test it as root).

#include <signal.h>
#include <sys/resource.h>

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "support/temp_dir.hpp"

namespace scoringjobs::test {

class FillableDisk {
 public:
  enum class Kind { Tmpfs, FileSizeLimit };

  /// A tmpfs of `bytes` (rounded to pages) on a fresh directory, or the fallback.
  explicit FillableDisk(std::uintmax_t bytes);
  /// Frees the disk and unmounts. Never throws.
  ~FillableDisk();
  FillableDisk(const FillableDisk&) = delete;
  FillableDisk& operator=(const FillableDisk&) = delete;

  /// Where files go; the disk that fill() fills.
  const std::filesystem::path& path() const noexcept { return path_; }
  Kind kind() const noexcept { return kind_; }
  /// "tmpfs of N bytes" or "RLIMIT_FSIZE", for the test's MESSAGE.
  std::string describe() const;

  /// No byte can be written any more. Throws std::runtime_error if that could not be arranged.
  void fill();
  /// Space again: the filler is removed, or the file size limit restored.
  void free();
  bool full() const noexcept { return full_; }

 private:
  TempDir dir_;
  std::filesystem::path path_;
  std::uintmax_t bytes_ = 0;
  Kind kind_ = Kind::FileSizeLimit;
  bool mounted_ = false;
  bool full_ = false;
  rlimit saved_limit_{};
  struct sigaction saved_sigxfsz_ {};
};

}  // namespace scoringjobs::test
