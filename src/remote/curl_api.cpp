#include "remote/curl_api.hpp"

#include <dlfcn.h>

#include <mutex>
#include <string>

#include "scoringjobs/error.hpp"

#ifndef SCORINGJOBS_LIBCURL_SONAME
#define SCORINGJOBS_LIBCURL_SONAME "libcurl.so.4"
#endif

namespace scoringjobs::remote {
namespace {

struct Loaded {
  CurlApi api{};
  std::string error;  // empty when loaded and initialised
};

template <class Function>
void bind(void* library, const char* name, Function& slot, std::string& error) {
  if (!error.empty()) return;
  if (void* symbol = ::dlsym(library, name)) {
    slot = reinterpret_cast<Function>(symbol);
  } else {
    error = std::string("libcurl has no ") + name;
  }
}

Loaded load() {
  Loaded out;
  // Never closed: handles and global state live until the process exits.
  void* library = ::dlopen(SCORINGJOBS_LIBCURL_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char* why = ::dlerror();
    out.error = std::string("cannot load " SCORINGJOBS_LIBCURL_SONAME ": ") + (why ? why : "unknown error");
    return out;
  }
  auto& a = out.api;
  bind(library, "curl_global_init", a.global_init, out.error);
  bind(library, "curl_easy_init", a.easy_init, out.error);
  bind(library, "curl_easy_cleanup", a.easy_cleanup, out.error);
  bind(library, "curl_easy_setopt", a.easy_setopt, out.error);
  bind(library, "curl_easy_perform", a.easy_perform, out.error);
  bind(library, "curl_easy_getinfo", a.easy_getinfo, out.error);
  bind(library, "curl_easy_strerror", a.easy_strerror, out.error);
  bind(library, "curl_slist_append", a.slist_append, out.error);
  bind(library, "curl_slist_free_all", a.slist_free_all, out.error);
  bind(library, "curl_url", a.url, out.error);
  bind(library, "curl_url_cleanup", a.url_cleanup, out.error);
  bind(library, "curl_url_set", a.url_set, out.error);
  bind(library, "curl_url_get", a.url_get, out.error);
  bind(library, "curl_free", a.free, out.error);
  bind(library, "curl_getdate", a.getdate, out.error);
  if (!out.error.empty()) return out;
  // Never paired with curl_global_cleanup: other threads may still hold handles
  // at exit, and the OS reclaims everything anyway.
  if (const CURLcode code = a.global_init(CURL_GLOBAL_DEFAULT); code != CURLE_OK) {
    out.error = std::string("libcurl failed to initialise: ") + a.easy_strerror(code);
  }
  return out;
}

}  // namespace

const CurlApi& curl() {
  // A function-local static is initialised once, thread-safely (curl_global_init
  // itself is not thread-safe on every libcurl we may be built against).
  static const Loaded loaded = load();
  if (!loaded.error.empty()) throw Error(Errc::Internal, loaded.error);
  return loaded.api;
}

}  // namespace scoringjobs::remote
