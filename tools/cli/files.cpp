#include "files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "app.hpp"

namespace scoringjobs::cli {
namespace {

[[noreturn]] void refuse(const std::filesystem::path& path, const std::string& why) {
  throw CliError(ExitCode::Failure, "cannot write " + excerpt(path.string(), 200) + ": " + why);
}

// Owns the temporary file until it is renamed: closes and removes it otherwise.
class TempFile {
 public:
  explicit TempFile(std::filesystem::path path) : path_(std::move(path)) {
    // O_EXCL: never write through a file (or symlink) someone else put there.
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  }
  ~TempFile() {
    close();
    if (!renamed_) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  bool opened() const noexcept { return fd_ >= 0; }
  int fd() const noexcept { return fd_; }
  bool close() noexcept {
    if (fd_ < 0) return true;
    const bool ok = ::close(fd_) == 0;
    fd_ = -1;
    return ok;
  }
  void renamed() noexcept { renamed_ = true; }
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool renamed_ = false;
};

}  // namespace

void write_file_atomically(const std::filesystem::path& path, const std::string& text,
                           std::optional<std::filesystem::perms> mode) {
  auto temp_path = path;
  // A name the textfile collector ignores (it reads *.prom only) and no other writer picks.
  temp_path += ".tmp-" + std::to_string(::getpid());
  TempFile temp(temp_path);
  if (!temp.opened()) refuse(path, std::strerror(errno));
  // The mode given to open() is cut by the umask; an explicit one is set as it is.
  if (mode && ::fchmod(temp.fd(), static_cast<mode_t>(*mode)) != 0) refuse(path, std::strerror(errno));
  std::size_t written = 0;
  while (written < text.size()) {
    const auto n = ::write(temp.fd(), text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      refuse(path, std::strerror(errno));
    }
    written += static_cast<std::size_t>(n);
  }
  if (!temp.close()) refuse(path, std::strerror(errno));
  if (::rename(temp.path().c_str(), path.c_str()) != 0) refuse(path, std::strerror(errno));
  temp.renamed();
}

}  // namespace scoringjobs::cli
