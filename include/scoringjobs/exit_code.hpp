#pragma once
// The exit statuses of the scoringjobs tool, in one place for the library
// (SyncReport::exit_code) and the CLI. The sync statuses are sysexits(3)'s, so
// a cron wrapper can tell "try later" (75) from "a person should look" (65).

#include <string_view>

namespace scoringjobs {

class Error;
enum class Errc;

enum class ExitCode : int {
  Ok = 0,
  Failure = 1,          // unexpected: storage errors, a database newer than this tool, a local conflict
  Usage = 2,            // bad command line or input; the message names the option or field
  NotFound = 3,         // the record asked for does not exist
  NeedsAttention = 65,  // EX_DATAERR: a change dead-lettered, a record quarantined, or the API's
                        // schema and this client disagree; nothing is lost, a person should look
  TryLater = 75,        // EX_TEMPFAIL: offline, TLS not trusted, throttled, the API failing, the
                        // deadline, entries in backoff, another sync running, interrupted
  AuthFailed = 77,      // EX_NOPERM: the API refused the key
};

/// The exit status for a failure thrown by a command (a sync's own outcome is
/// SyncReport::exit_code()).
ExitCode exit_code_for(const Error& error) noexcept;
ExitCode exit_code_for(Errc code) noexcept;

/// The exit-code table for --help and man pages.
std::string_view exit_code_help() noexcept;

}  // namespace scoringjobs
