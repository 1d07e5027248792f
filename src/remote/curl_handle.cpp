#include "remote/curl_handle.hpp"

#include "scoringjobs/error.hpp"

namespace scoringjobs::remote {

CurlEasy::CurlEasy() {
  handle_.reset(curl().easy_init());
  if (!handle_) throw Error(Errc::Internal, "curl_easy_init failed");
}

void CurlHeaders::append(const std::string& line) {
  curl_slist* grown = curl().slist_append(list_.get(), line.c_str());
  if (!grown) throw Error(Errc::Internal, "curl_slist_append failed");
  // On success curl_slist_append returns the head, which is the old head once the list exists.
  (void)list_.release();
  list_.reset(grown);
}

CurlUrl::CurlUrl() {
  handle_.reset(curl().url());
  if (!handle_) throw Error(Errc::Internal, "curl_url failed");
}

}  // namespace scoringjobs::remote
