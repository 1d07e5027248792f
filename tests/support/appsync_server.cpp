#include "support/appsync_server.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>
#include <vector>

namespace scoringjobs::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kReadyTimeout = std::chrono::seconds(20);
constexpr auto kExitTimeout = std::chrono::seconds(5);
constexpr auto kNpmTimeout = std::chrono::minutes(5);
constexpr long kAdminTimeoutMs = 10'000;

/// Another AppSync stand-in to run the tests against, named by SCORINGJOBS_TEST_SERVER
/// (it must take the same flags and print the same READY line), or null for ours.
const char* other_server() {
  const char* path = std::getenv("SCORINGJOBS_TEST_SERVER");
  return path != nullptr && *path != '\0' ? path : nullptr;
}

/// The command that starts the server: a `.js`/`.mjs` file runs under node, anything else is executed.
std::vector<std::string> server_command() {
  if (other_server() == nullptr) return {"node", (appsync_dir() / "server.js").string()};
  const std::filesystem::path program(other_server());
  if (program.extension() == ".js" || program.extension() == ".mjs") return {"node", program.string()};
  return {program.string()};
}

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("AppSyncServer: " + what); }

/// Closes a file descriptor on scope exit.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) noexcept : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const noexcept { return fd_; }
  int release() noexcept { return std::exchange(fd_, -1); }
  void reset() noexcept {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

/// Copies `text` to this process's stdout (where ctest's log, which is searched
/// for the canary key, sees it). False once stdout is unusable.
bool forward_to_stdout(std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(STDOUT_FILENO, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

/// Forks and execs argv[0] (searched in PATH). `child_stdout` becomes the child's
/// stdout when >= 0; its stderr is always this process's. The child gets
/// SIGTERM if this process dies, so a crashed test never leaves a server behind.
pid_t spawn(const std::vector<std::string>& args, int child_stdout) {
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) fail("fork failed: " + std::string(std::strerror(errno)));
  if (pid == 0) {  // child: async-signal-safe calls only until exec
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(126);  // the parent died before prctl took effect
    if (child_stdout >= 0 && ::dup2(child_stdout, STDOUT_FILENO) < 0) ::_exit(126);
    ::close_range(3, ~0U, 0);  // not the test's sockets or databases (failure is harmless: best effort)
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

/// Reaps `pid` if it exits within `bound`; returns its wait status, or nullopt if still running.
std::optional<int> wait_exit(pid_t pid, std::chrono::milliseconds bound) {
  const auto deadline = Clock::now() + bound;
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0 && errno != EINTR) return 0;  // not our child any more: nothing left to wait for
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // bounded wait for a process exit
  }
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

}  // namespace

std::filesystem::path appsync_dir() { return std::filesystem::path(SCORINGJOBS_SOURCE_DIR) / "tests" / "appsync"; }

void ensure_node_modules() {
  static std::mutex mutex;
  std::lock_guard guard(mutex);
  const auto dir = appsync_dir();
  if (std::filesystem::exists(dir / "node_modules")) return;
  const auto lock_path = std::filesystem::temp_directory_path() / "scoringjobs-appsync-npm-ci.lock";
  UniqueFd lock(::open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0666));
  if (lock.get() < 0 || ::flock(lock.get(), LOCK_EX) != 0) fail("cannot lock " + lock_path.string());
  if (std::filesystem::exists(dir / "node_modules")) return;  // another process installed them meanwhile
  const pid_t pid = spawn({"npm", "ci", "--prefix", dir.string(), "--no-audit", "--no-fund"}, -1);
  const auto status = wait_exit(pid, kNpmTimeout);
  if (!status) {
    ::kill(pid, SIGKILL);
    wait_exit(pid, kExitTimeout);
    fail("npm ci did not finish in time");
  }
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) fail("npm ci failed: " + describe_status(*status));
}

namespace {

// --- a tiny libcurl client for the admin API ---

struct CurlCleanup {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

struct AdminAnswer {
  long status = 0;
  std::string body;
};

// `ca`: the CA to verify an HTTPS server with (empty: the system's); verification is never off.
AdminAnswer http_call(std::string_view method, const std::string& url, const nlohmann::json& body,
                      const std::filesystem::path& ca) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  std::unique_ptr<CURL, CurlCleanup> easy(curl_easy_init());
  if (!easy) fail("curl_easy_init failed");
  std::unique_ptr<curl_slist, CurlCleanup> headers(curl_slist_append(nullptr, "Content-Type: application/json"));
  const std::string method_text(method);
  const std::string payload = body.is_null() ? std::string() : body.dump();
  AdminAnswer answer;
  CURL* h = easy.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method_text.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, kAdminTimeoutMs);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  if (!ca.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, ca.c_str());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer.body);
  if (!body.is_null()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  }
  const CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) fail(method_text + " " + url + ": " + curl_easy_strerror(code));
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

}  // namespace

AppSyncServer::AppSyncServer(std::string api_key, const std::optional<std::filesystem::path>& data_file)
    : api_key_(std::move(api_key)) {
  if (other_server() == nullptr) ensure_node_modules();  // another server's dependencies are its own business
  launch(0, data_file);
}

AppSyncServer::AppSyncServer(std::string api_key, TlsFiles tls) : api_key_(std::move(api_key)), tls_(std::move(tls)) {
  if (other_server() == nullptr) ensure_node_modules();
  launch(0, std::nullopt);
}

AppSyncServer::~AppSyncServer() { terminate(); }

std::string AppSyncServer::base_url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}
std::string AppSyncServer::url() const { return base_url() + "/graphql"; }

RemoteConfig AppSyncServer::remote_config(std::chrono::milliseconds total_timeout) const {
  RemoteConfig config;
  config.api_url = url();
  config.api_key = api_key_;
  config.connect_timeout = std::chrono::seconds(2);
  config.total_timeout = total_timeout;
  return config;
}

void AppSyncServer::launch(int port, const std::optional<std::filesystem::path>& data_file) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) fail("pipe2 failed");
  UniqueFd read_end(fds[0]);
  UniqueFd write_end(fds[1]);
  std::vector<std::string> args = server_command();
  for (const auto& arg : {std::string("--port"), std::to_string(port), std::string("--api-key"), api_key_}) {
    args.push_back(arg);
  }
  if (data_file) {
    args.push_back("--data");
    args.push_back(data_file->string());
  }
  args.push_back("--save-on-exit");
  args.push_back(saved_records().string());
  if (tls_) {
    for (const auto& arg :
         {std::string("--tls-cert"), tls_->cert.string(), std::string("--tls-key"), tls_->key.string()}) {
      args.push_back(arg);
    }
  }
  const pid_t pid = spawn(args, write_end.get());
  write_end.reset();  // only the child writes: EOF then means it exited

  // Wait for "READY http(s)://HOST:PORT/graphql\n", bounded; poll, never sleep.
  std::string out;
  const auto deadline = Clock::now() + kReadyTimeout;
  std::size_t line_end = std::string::npos;
  while ((line_end = out.find('\n')) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd ready{read_end.get(), POLLIN, 0};
    const int polled = left > 0 ? ::poll(&ready, 1, static_cast<int>(left)) : 0;
    if (polled < 0 && errno == EINTR) continue;
    char buffer[512];
    const ssize_t got = polled > 0 ? ::read(read_end.get(), buffer, sizeof buffer) : -1;
    if (got > 0) {
      out.append(buffer, static_cast<std::size_t>(got));
      continue;
    }
    if (got < 0 && polled > 0 && errno == EINTR) continue;
    ::kill(pid, SIGKILL);
    const auto status = wait_exit(pid, kExitTimeout);
    if (polled == 0) fail("no READY line within 20 s (got '" + out + "')");
    fail("server exited before READY (" + (status ? describe_status(*status) : std::string("?")) + ", got '" + out +
         "')");
  }
  const std::string line = out.substr(0, line_end);
  const auto colon = line.rfind(':');
  const auto slash = line.find('/', colon == std::string::npos ? 0 : colon);
  const std::string expected = std::string("READY ") + (tls_ ? "https" : "http") + "://";
  if (!line.starts_with(expected) || colon == std::string::npos || slash == std::string::npos) {
    ::kill(pid, SIGKILL);
    wait_exit(pid, kExitTimeout);
    fail("unexpected first line '" + line + "'");
  }
  port_ = std::stoi(line.substr(colon + 1, slash - colon - 1));
  pid_ = pid;
  stdout_fd_ = read_end.release();
  // Whatever the server prints after READY goes to the test's stdout; the pipe
  // is read to its end even when that fails, so the server never blocks on it.
  bool forwarding = forward_to_stdout(std::string_view(out).substr(line_end + 1));
  drain_ = std::thread([fd = stdout_fd_, forwarding]() mutable {
    char buffer[4096];
    for (;;) {
      const ssize_t got = ::read(fd, buffer, sizeof buffer);
      if (got == 0 || (got < 0 && errno != EINTR)) return;
      if (got > 0 && forwarding)
        forwarding = forward_to_stdout(std::string_view(buffer, static_cast<std::size_t>(got)));
    }
  });
}

void AppSyncServer::terminate() noexcept {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    if (!wait_exit(pid_, kExitTimeout)) {
      ::kill(pid_, SIGKILL);
      wait_exit(pid_, kExitTimeout);
    }
    pid_ = -1;
  }
  if (drain_.joinable()) drain_.join();  // the pipe hits EOF once the server is gone
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  stdout_fd_ = -1;
}

std::filesystem::path AppSyncServer::saved_records() const { return scratch_ / "saved.json"; }

void AppSyncServer::stop() {
  if (!running()) return;
  std::filesystem::remove(saved_records());
  terminate();
  if (!std::filesystem::exists(saved_records())) fail("the server did not save its records as it stopped");
}

void AppSyncServer::start() {
  if (running()) return;
  launch(port_, std::filesystem::exists(saved_records()) ? std::optional(saved_records()) : std::nullopt);
}

nlohmann::json AppSyncServer::admin(std::string_view method, std::string_view path, const nlohmann::json& body) {
  if (!running()) fail("admin call while the server is stopped");
  const auto answer =
      http_call(method, base_url() + std::string(path), body, tls_ ? tls_->ca : std::filesystem::path());
  if (answer.status < 200 || answer.status >= 300) {
    fail(std::string(method) + " " + std::string(path) + ": HTTP " + std::to_string(answer.status) + " " + answer.body);
  }
  return answer.body.empty() ? nlohmann::json() : nlohmann::json::parse(answer.body);
}

nlohmann::json AppSyncServer::add_fault(const nlohmann::json& rule) {
  return admin("POST", "/admin/faults", rule).at("fault");
}
void AppSyncServer::clear_faults() { admin("DELETE", "/admin/faults"); }
nlohmann::json AppSyncServer::dump() { return admin("GET", "/admin/dump"); }
nlohmann::json AppSyncServer::load(const nlohmann::json& records) { return admin("POST", "/admin/load", records); }
void AppSyncServer::reset() { admin("POST", "/admin/reset"); }
nlohmann::json AppSyncServer::request_log() { return admin("GET", "/admin/log").at("requests"); }
void AppSyncServer::clear_log() { admin("DELETE", "/admin/log"); }

}  // namespace scoringjobs::test
