#include "remote_options.hpp"

#include <fcntl.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <vector>

#include "app.hpp"

namespace scoringjobs::cli {
namespace {

// A key file is a few dozen bytes; anything far larger is not one.
constexpr off_t kMaxKeyFileBytes = 64 * 1024;

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// Closes the descriptor it owns.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) noexcept : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

[[noreturn]] void refuse_key_file(const std::string& path, const std::string& why) {
  throw CliError(ExitCode::Usage, "API key file " + excerpt(path, 200) + ": " + why);
}

std::string read_key_file(const std::string& path) {
  // Permissions are checked on the descriptor we read from, not on the path,
  // so the file cannot be swapped between the check and the read.
  const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) refuse_key_file(path, std::strerror(errno));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) refuse_key_file(path, std::strerror(errno));
  if (!S_ISREG(info.st_mode)) refuse_key_file(path, "not a regular file");
  if ((info.st_mode & 077) != 0) {
    std::ostringstream mode;
    mode << std::oct << (info.st_mode & 0777);
    refuse_key_file(path, "readable or writable by group or others (mode 0" + mode.str() +
                              "); refusing to use it. Run: chmod 600 " + excerpt(path, 200));
  }
  if (info.st_size > kMaxKeyFileBytes) refuse_key_file(path, "too large to be an API key file");
  std::string key;
  std::vector<char> buffer(4096);
  for (;;) {
    const auto n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      refuse_key_file(path, std::strerror(errno));
    }
    if (n == 0) break;
    key.append(buffer.data(), static_cast<std::size_t>(n));
    if (key.size() > static_cast<std::size_t>(kMaxKeyFileBytes))
      refuse_key_file(path, "too large to be an API key file");
  }
  // Editors and `echo KEY > file` add one newline; only that one is not part of the key.
  if (!key.empty() && key.back() == '\n') {
    key.pop_back();
    if (!key.empty() && key.back() == '\r') key.pop_back();
  }
  if (key.empty()) refuse_key_file(path, "empty");
  if (key.find_first_of("\r\n") != std::string::npos) refuse_key_file(path, "holds more than one line");
  return key;
}

}  // namespace

void add_remote_options(CLI::App& command, RemoteArgs& args) {
  command.add_option("--api-url", args.api_url, "GraphQL endpoint (default: $PLEXUS_API_URL)");
  command.add_option("--api-key-file", args.api_key_file,
                     "File holding the API key, mode 0600 or stricter (default: the key in $PLEXUS_API_KEY)");
  command
      .add_option("--ca-file", args.ca_file,
                  "PEM file of the CA(s) to verify the API's certificate with, instead of the system's "
                  "(e.g. a private CA); verification itself is always on")
      ->type_name("FILE");
  command.add_flag("--insecure-http", args.insecure_http,
                   "Allow plain http to a non-loopback host (test rigs only: the key travels in clear)");
}

RemoteConfig remote_config(const RemoteArgs& args) {
  RemoteConfig config;
  config.api_url = args.api_url.empty() ? env("PLEXUS_API_URL") : args.api_url;
  const bool key_given = !args.api_key_file.empty() || !env("PLEXUS_API_KEY").empty();
  std::vector<std::string> missing;
  if (config.api_url.empty()) missing.emplace_back("the API URL (--api-url or $PLEXUS_API_URL)");
  if (!key_given) missing.emplace_back("the API key (--api-key-file or $PLEXUS_API_KEY)");
  if (!missing.empty()) {
    throw CliError(ExitCode::Usage, "missing " + missing.front() + (missing.size() > 1 ? " and " + missing[1] : ""));
  }
  config.api_key = args.api_key_file.empty() ? env("PLEXUS_API_KEY") : read_key_file(args.api_key_file);
  config.ca_file = args.ca_file;
  config.allow_insecure_http = args.insecure_http;
  return config;
}

RemoteClient remote_client(const RemoteArgs& args) {
  const auto config = remote_config(args);
  try {
    return RemoteClient(config);
  } catch (const Error& e) {
    if (e.code() != Errc::InvalidArgument) throw;
    if (e.field() == "ca_file") {
      const FileDescriptor fd(::open(args.ca_file.c_str(), O_RDONLY | O_CLOEXEC));
      const std::string why = fd.get() < 0 ? std::strerror(errno) : "not a readable file";
      throw CliError(ExitCode::Usage, "--ca-file \"" + excerpt(args.ca_file, 200) + "\" cannot be read: " + why);
    }
    if (e.field() != "api_url") throw;
    const std::string url =
        (args.api_url.empty() ? "$PLEXUS_API_URL \"" : "--api-url \"") + excerpt(config.api_url, 200) + "\"";
    const bool plain_http = config.api_url.size() > 7 && ::strncasecmp(config.api_url.c_str(), "http://", 7) == 0;
    if (plain_http && !config.allow_insecure_http) {
      throw CliError(ExitCode::Usage, url +
                                          " is plain http to a host that is not loopback, so the API key would travel "
                                          "in clear: use https, or pass --insecure-http (test rigs only)");
    }
    // The library's reason without its own name for the URL: "api_url has no host" -> "has no host".
    std::string_view reason = e.what();
    if (reason.rfind("api_url ", 0) == 0) reason.remove_prefix(8);
    throw CliError(ExitCode::Usage, url + " " + std::string(reason));
  }
}

}  // namespace scoringjobs::cli
