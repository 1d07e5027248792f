#include "scoringjobs/exit_code.hpp"

#include "scoringjobs/error.hpp"

namespace scoringjobs {

ExitCode exit_code_for(Errc code) noexcept {
  switch (code) {
    case Errc::InvalidArgument: return ExitCode::Usage;
    case Errc::NotFound: return ExitCode::NotFound;
    case Errc::Offline:
    case Errc::Untrusted:
    case Errc::Transient:
    case Errc::Throttled:
    case Errc::OutcomeUnknown:
    case Errc::TooLarge:
    case Errc::InvalidToken: return ExitCode::TryLater;
    case Errc::Auth: return ExitCode::AuthFailed;
    // The API refused what this client sent or holds what it cannot read: retrying
    // unchanged cannot help, and nothing is lost meanwhile.
    case Errc::Contract:
    case Errc::Rejected:
    case Errc::Unreadable: return ExitCode::NeedsAttention;
    case Errc::Conflict:
    case Errc::SchemaTooNew:
    case Errc::Storage:
    case Errc::Busy:
    case Errc::RemoteConflict:
    case Errc::Internal: return ExitCode::Failure;
  }
  return ExitCode::Failure;
}

ExitCode exit_code_for(const Error& error) noexcept { return exit_code_for(error.code()); }

std::string_view exit_code_help() noexcept {
  return "Exit status: 0 ok; 1 unexpected failure (also a conflict, a database newer than this\n"
         "tool, storage errors); 2 invalid usage or input; 3 record not found; 65 a person should\n"
         "look (a change was dead-lettered, a remote record quarantined, or the API's schema and\n"
         "this client disagree; nothing is lost); 75 try later (offline, TLS not trusted, throttled,\n"
         "deadline, backoff, another sync running, interrupted); 77 the API refused the key.\n"
         "Database: --db, else $SCORINGJOBS_DB, else ./scoringjobs.db.";
}

}  // namespace scoringjobs
