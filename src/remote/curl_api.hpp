#pragma once
// libcurl, loaded on first use. The library does not link libcurl: loading it
// with its ~30 dependencies (TLS, HTTP/2, Kerberos, LDAP, ...) costs ~10 ms of
// CPU at process start, mostly relocations, which every CLI command paid,
// including the cron no-op sync that sends no request. The remote layer calls
// libcurl only through this table (the model of git, which keeps libcurl out
// of the main binary for the same reason).

#include <curl/curl.h>

namespace scoringjobs::remote {

struct CurlApi {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  decltype(&::curl_easy_perform) easy_perform;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
  decltype(&::curl_url) url;
  decltype(&::curl_url_cleanup) url_cleanup;
  decltype(&::curl_url_set) url_set;
  decltype(&::curl_url_get) url_get;
  decltype(&::curl_free) free;
  decltype(&::curl_getdate) getdate;
};

/// libcurl's functions, loaded (dlopen of the libcurl the library was built
/// against) and globally initialised exactly once per process, from whichever
/// thread gets here first. Throws Error{Internal} when libcurl cannot be loaded
/// or initialised; every later call throws the same.
const CurlApi& curl();

}  // namespace scoringjobs::remote
