#pragma once
// Owners for libcurl's C handles. Private to the remote layer: no public header
// names a curl type.

#include <memory>
#include <string>

#include "remote/curl_api.hpp"

namespace scoringjobs::remote {

/// Owns one CURL easy handle. Reusing it across requests keeps the connection
/// (and its TLS session) alive, which is what makes batched sync cheap.
class CurlEasy {
 public:
  /// Throws Error{Internal} when curl_easy_init fails (out of memory).
  CurlEasy();
  CURL* get() const noexcept { return handle_.get(); }

 private:
  struct Cleanup {
    void operator()(CURL* handle) const noexcept { curl().easy_cleanup(handle); }
  };
  std::unique_ptr<CURL, Cleanup> handle_;
};

/// Owns a curl_slist (the request headers). The list must outlive every
/// transfer that uses it, so the transport keeps it beside the easy handle.
class CurlHeaders {
 public:
  CurlHeaders() = default;
  /// Throws Error{Internal} when curl_slist_append fails.
  void append(const std::string& line);
  curl_slist* get() const noexcept { return list_.get(); }

 private:
  struct Cleanup {
    void operator()(curl_slist* list) const noexcept { curl().slist_free_all(list); }
  };
  std::unique_ptr<curl_slist, Cleanup> list_;
};

/// Owns a CURLU (a parsed URL).
class CurlUrl {
 public:
  CurlUrl();
  CURLU* get() const noexcept { return handle_.get(); }

 private:
  struct Cleanup {
    void operator()(CURLU* handle) const noexcept { curl().url_cleanup(handle); }
  };
  std::unique_ptr<CURLU, Cleanup> handle_;
};

/// Owns a string libcurl allocated (curl_url_get results).
struct CurlFree {
  void operator()(char* text) const noexcept { curl().free(text); }
};
using CurlString = std::unique_ptr<char, CurlFree>;

}  // namespace scoringjobs::remote
