#include "appsync_process.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <stdexcept>

#include "process.hpp"

namespace scoringjobs::bench {
namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("AppSync server: " + what); }

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

struct CurlDeleter {
  void operator()(CURL* h) const noexcept { curl_easy_cleanup(h); }
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

}  // namespace

AppSyncProcess::AppSyncProcess(const std::filesystem::path& source_dir, std::string api_key)
    : api_key_(std::move(api_key)) {
  const auto server = source_dir / "tests" / "appsync" / "server.js";
  if (!std::filesystem::exists(source_dir / "tests" / "appsync" / "node_modules")) {
    fail("tests/appsync/node_modules is missing: run tools/setup-deps (npm ci --prefix tests/appsync)");
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) fail("pipe2 failed");
  pid_ = spawn_tied({"node", server.string(), "--port", "0", "--api-key", api_key_}, fds[1]);
  ::close(fds[1]);
  stdout_fd_ = fds[0];

  std::string out;
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  std::size_t end = std::string::npos;
  while ((end = out.find('\n')) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    pollfd ready{stdout_fd_, POLLIN, 0};
    const int polled = left > 0 ? ::poll(&ready, 1, static_cast<int>(left)) : 0;
    if (polled < 0 && errno == EINTR) continue;
    char buffer[512];
    const ssize_t got = polled > 0 ? ::read(stdout_fd_, buffer, sizeof buffer) : -1;
    if (got > 0) {
      out.append(buffer, static_cast<std::size_t>(got));
      continue;
    }
    terminate();
    fail(polled == 0 ? "no READY line within 20 s" : "exited before READY (got '" + out + "')");
  }
  const std::string line = out.substr(0, end);
  const auto colon = line.rfind(':');
  if (!line.starts_with("READY http://") || colon == std::string::npos) {
    terminate();
    fail("unexpected first line '" + line + "'");
  }
  port_ = std::stoi(line.substr(colon + 1));
  drain_ = std::thread([fd = stdout_fd_] {
    char buffer[4096];
    for (;;) {
      const ssize_t got = ::read(fd, buffer, sizeof buffer);
      if (got == 0 || (got < 0 && errno != EINTR)) return;
    }
  });
}

AppSyncProcess::~AppSyncProcess() { terminate(); }

void AppSyncProcess::terminate() noexcept {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    if (!wait_exit(pid_, std::chrono::seconds(5))) {
      ::kill(pid_, SIGKILL);
      wait_exit(pid_, std::chrono::seconds(5));
    }
    pid_ = -1;
  }
  if (drain_.joinable()) drain_.join();
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  stdout_fd_ = -1;
}

std::string AppSyncProcess::url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/graphql"; }

void AppSyncProcess::reset() { admin("POST", "/admin/reset"); }

void AppSyncProcess::set_latency(std::chrono::milliseconds delay) {
  admin("DELETE", "/admin/faults");
  if (delay.count() > 0) admin("POST", "/admin/faults", {{"mode", "delay"}, {"delayMs", delay.count()}});
}

std::size_t AppSyncProcess::requests_logged() { return admin("GET", "/admin/log").at("requests").size(); }

void AppSyncProcess::load(const nlohmann::json& records) { admin("POST", "/admin/load", records); }

nlohmann::json AppSyncProcess::admin(std::string_view method, std::string_view path, const nlohmann::json& body) {
  std::unique_ptr<CURL, CurlDeleter> easy(curl_easy_init());
  if (!easy) fail("curl_easy_init failed");
  std::unique_ptr<curl_slist, CurlDeleter> headers(curl_slist_append(nullptr, "Content-Type: application/json"));
  const std::string url = "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  const std::string method_text(method);
  const std::string payload = body.is_null() ? std::string() : body.dump();
  std::string answer;
  CURL* h = easy.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method_text.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30'000L);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &append_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
  if (!body.is_null()) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  }
  const CURLcode code = curl_easy_perform(h);
  if (code != CURLE_OK) fail(method_text + " " + std::string(path) + ": " + curl_easy_strerror(code));
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) fail(method_text + " " + std::string(path) + ": HTTP " + std::to_string(status));
  return answer.empty() ? nlohmann::json() : nlohmann::json::parse(answer);
}

}  // namespace scoringjobs::bench
