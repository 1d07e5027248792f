#pragma once
// The one error type of the library: a typed code the caller (and the sync
// engine) decides on, the field at fault when there is one, and the native
// code (SQLite extended result code, CURLcode or HTTP status) for diagnosis.

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace scoringjobs {

enum class Errc {
  // Local.
  InvalidArgument,  // bad input; nothing was written
  NotFound,         // the record does not exist
  Conflict,         // a local invariant would be broken (e.g. duplicate id)
  SchemaTooNew,     // the database was written by a newer version
  Storage,          // SQLite failed (disk full, I/O error, corrupt file)
  Busy,             // the database stayed locked past the busy timeout
  // Remote: the taxonomy the sync engine decides everything from (remote.hpp
  // says which answer gives which; src/sync/error_policy.hpp what sync does).
  Offline,         // DNS failure, connection refused, no route: nothing was sent
  Untrusted,       // the server's TLS certificate did not verify: nothing was sent
  Transient,       // timeout, reset, 5xx, an answer that is not AppSync's
  Throttled,       // 429 / ThrottlingException; see retry_after()
  Auth,            // 401 / 403 with UnauthorizedException
  Contract,        // the API refused the whole document (its schema and this client disagree)
  RemoteConflict,  // ConditionalCheckFailedException for one mutation
  Rejected,        // AppSync refused one mutation for good (its own errorType said so)
  OutcomeUnknown,  // a mutation went out and no usable answer came back
  Unreadable,      // the API holds a record the models refuse (e.g. a required field null)
  TooLarge,        // the answer would exceed the response size limit: ask for less
  InvalidToken,    // the API refused a pagination token: start the listing again
  // Anything else.
  Internal,
};

/// Stable lower-case name of a code, e.g. "invalid_argument"; used in CLI and JSON output.
std::string_view to_string(Errc code) noexcept;

class Error : public std::runtime_error {
 public:
  Error(Errc code, const std::string& message, std::string field = {}, long native_code = 0);

  Errc code() const noexcept { return code_; }
  /// The wire name of the field at fault, empty when the error is not about one field.
  const std::string& field() const noexcept { return field_; }
  /// SQLite extended result code, CURLcode or HTTP status; 0 when there is none.
  long native_code() const noexcept { return native_code_; }

  /// For Throttled: how long the server asked us to wait, when it said.
  std::optional<std::chrono::seconds> retry_after() const noexcept { return retry_after_; }
  Error& with_retry_after(std::chrono::seconds wait) noexcept {
    retry_after_ = wait;
    return *this;
  }

 private:
  Errc code_;
  std::string field_;
  long native_code_;
  std::optional<std::chrono::seconds> retry_after_;
};

/// Throws InvalidArgument naming the field and (a bounded excerpt of) the value.
[[noreturn]] void throw_invalid(std::string_view field, std::string_view value, std::string_view why);

/// A bounded, printable excerpt of a value for error messages: long values are cut,
/// control and non-UTF-8 bytes are escaped so a message never carries raw binary.
std::string excerpt(std::string_view value, std::size_t max_chars = 80);

}  // namespace scoringjobs
