#include "sync/error_policy.hpp"

namespace scoringjobs::detail {
namespace {

constexpr Disposition end_run(SyncOutcome outcome, bool defer_entries = false) {
  return {Action::EndRun, outcome, defer_entries};
}

// A whole request failed: every mutation or read in it shares the fate.
Disposition of_request(Errc code, bool mutations, bool past_deadline) {
  switch (code) {
    case Errc::Offline: return end_run(SyncOutcome::Offline);
    case Errc::Untrusted: return end_run(SyncOutcome::Untrusted);
    case Errc::Auth: return end_run(SyncOutcome::AuthFailed);
    case Errc::Contract: return end_run(SyncOutcome::Contract);
    case Errc::Throttled: return end_run(SyncOutcome::Throttled, /*defer_entries=*/true);
    case Errc::Transient:
      // Past the deadline a transient failure is a request cut short (or not
      // sent) for want of time: the run ran out, nothing is put off for it.
      return past_deadline ? end_run(SyncOutcome::Deadline) : end_run(SyncOutcome::Transient, true);
    case Errc::OutcomeUnknown: return mutations ? Disposition{Action::Settle} : end_run(SyncOutcome::Transient, true);
    case Errc::TooLarge: return {Action::Shrink};
    // AppSync refused the request as such (HTTP 400/413 in its own shape): a
    // batch is halved until the mutation at fault stands alone (see push.cpp);
    // a read it refuses is a document this client built wrong.
    case Errc::Rejected: return mutations ? Disposition{Action::Shrink} : end_run(SyncOutcome::Contract);
    default: return {Action::Fail};
  }
}

// One mutation of a batch failed; the others have their own results.
Disposition of_mutation(Errc code, bool past_deadline) {
  switch (code) {
    case Errc::RemoteConflict:
    case Errc::OutcomeUnknown:
    case Errc::Unreadable: return {Action::Settle};
    case Errc::Throttled:
    case Errc::Transient: return {Action::Retry};
    case Errc::Rejected: return {Action::DeadLetter};
    default: return of_request(code, /*mutations=*/true, past_deadline);
  }
}

// The read of one record failed; the other records of the request were read.
Disposition of_read(Errc code, bool past_deadline) {
  switch (code) {
    // AppSync failing one record's read for good is as good as unreadable.
    case Errc::Unreadable:
    case Errc::Rejected: return {Action::Quarantine};
    case Errc::Throttled:
    case Errc::Transient:
    case Errc::OutcomeUnknown: return {Action::Retry};
    default: return of_request(code, /*mutations=*/false, past_deadline);
  }
}

}  // namespace

Disposition dispose(const Error& error, Scope scope, bool past_deadline) noexcept {
  switch (scope) {
    case Scope::MutationRequest: return of_request(error.code(), /*mutations=*/true, past_deadline);
    case Scope::ReadRequest: return of_request(error.code(), /*mutations=*/false, past_deadline);
    case Scope::Mutation: return of_mutation(error.code(), past_deadline);
    case Scope::Read: return of_read(error.code(), past_deadline);
  }
  return {Action::Fail};
}

}  // namespace scoringjobs::detail
