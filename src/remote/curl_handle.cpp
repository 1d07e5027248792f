#include "remote/curl_handle.hpp"

#include <mutex>

#include "scoringjobs/error.hpp"

namespace scoringjobs::remote {

void ensure_curl_global_init() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  // Never paired with curl_global_cleanup: other threads may still hold handles
  // at exit, and the OS reclaims everything anyway.
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (result != CURLE_OK) {
    throw Error(Errc::Internal, std::string("libcurl failed to initialise: ") + curl_easy_strerror(result), {},
                static_cast<long>(result));
  }
}

CurlEasy::CurlEasy() {
  ensure_curl_global_init();
  handle_.reset(curl_easy_init());
  if (!handle_) throw Error(Errc::Internal, "curl_easy_init failed");
}

void CurlHeaders::append(const std::string& line) {
  curl_slist* grown = curl_slist_append(list_.get(), line.c_str());
  if (!grown) throw Error(Errc::Internal, "curl_slist_append failed");
  // On success curl_slist_append returns the head, which is the old head once the list exists.
  (void)list_.release();
  list_.reset(grown);
}

CurlUrl::CurlUrl() {
  ensure_curl_global_init();
  handle_.reset(curl_url());
  if (!handle_) throw Error(Errc::Internal, "curl_url failed");
}

}  // namespace scoringjobs::remote
