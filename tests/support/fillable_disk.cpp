#include "support/fillable_disk.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/canary.hpp"

namespace scoringjobs::test {
namespace {

constexpr const char* kFillerName = "filler";

[[noreturn]] void fail_setup(const std::string& what) {
  throw std::runtime_error("FillableDisk: " + what + ": " + std::strerror(errno));
}

bool forced_file_size_limit() {
  const char* choice = std::getenv("SCORINGJOBS_TEST_DISK");
  return choice && std::string_view(choice) == "rlimit";
}

// A tmpfs on `where`, visible to this process and its children only. False
// when this process may not mount (not root, or a container without the capability).
bool mount_private_tmpfs(const std::filesystem::path& where, std::uintmax_t bytes) {
  if (::unshare(CLONE_NEWNS) != 0) return false;
  // Private propagation first, or the mount would show in the parent namespace too.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return false;
  const std::string options = "size=" + std::to_string(bytes) + ",mode=0700";
  return ::mount("tmpfs", where.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) == 0;
}

// Writes until the file system says it is full: big chunks first, then single
// bytes, so not even a partial page is left.
void write_until_full(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) fail_setup("cannot create " + file.string());
  std::vector<char> chunk(64 * 1024, 'x');
  for (std::size_t size : {chunk.size(), std::size_t{4096}, std::size_t{1}}) {
    for (;;) {
      const ssize_t wrote = ::write(fd, chunk.data(), size);
      if (wrote > 0) continue;
      if (wrote < 0 && errno == EINTR) continue;
      if (wrote < 0 && errno == ENOSPC) break;
      const int saved = errno;
      ::close(fd);
      errno = saved;
      fail_setup("writing the filler stopped for another reason than a full disk");
    }
  }
  ::close(fd);
}

}  // namespace

FillableDisk::FillableDisk(std::uintmax_t bytes) : path_(dir_ / "disk"), bytes_(bytes) {
  std::filesystem::create_directory(path_);
  if (!forced_file_size_limit() && mount_private_tmpfs(path_, bytes)) {
    kind_ = Kind::Tmpfs;
    mounted_ = true;
  }
}

FillableDisk::~FillableDisk() {
  try {
    free();
  } catch (...) {  // a destructor must not throw; the mount goes away with the process anyway
  }
  if (mounted_) {
    // TempDir searches its files for the API key on removal; these vanish with the mount first.
    try {
      for (const auto& file : files_with_canary(path_)) fail_canary_leak(file.string());
    } catch (...) {  // best effort, like TempDir's own search
    }
    ::umount2(path_.c_str(), MNT_DETACH);
  }
}

std::string FillableDisk::describe() const {
  if (kind_ == Kind::Tmpfs) return "a tmpfs of " + std::to_string(bytes_) + " bytes, filled with a filler file";
  return "RLIMIT_FSIZE lowered to 0 (this process may not mount a tmpfs)";
}

void FillableDisk::fill() {
  if (full_) return;
  if (kind_ == Kind::Tmpfs) {
    write_until_full(path_ / kFillerName);
  } else {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    if (::sigaction(SIGXFSZ, &ignore, &saved_sigxfsz_) != 0) fail_setup("sigaction(SIGXFSZ)");
    if (::getrlimit(RLIMIT_FSIZE, &saved_limit_) != 0) fail_setup("getrlimit");
    rlimit none = saved_limit_;
    none.rlim_cur = 0;
    if (::setrlimit(RLIMIT_FSIZE, &none) != 0) fail_setup("setrlimit");
  }
  full_ = true;
}

void FillableDisk::free() {
  if (!full_) return;
  full_ = false;
  if (kind_ == Kind::Tmpfs) {
    std::filesystem::remove(path_ / kFillerName);
  } else {
    if (::setrlimit(RLIMIT_FSIZE, &saved_limit_) != 0) fail_setup("setrlimit");
    ::sigaction(SIGXFSZ, &saved_sigxfsz_, nullptr);
  }
}

}  // namespace scoringjobs::test
