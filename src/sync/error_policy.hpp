#pragma once
// What an error means for a sync run, decided in one place. Push, pull and the
// engine ask dispose() and act on its answer; nothing else looks at Errc to
// choose between retrying, stopping and giving up.
//
// Only AppSync's own error shape, for one mutation, can make that mutation's
// fate permanent (Rejected → dead letter). An answer that is not AppSync's (a
// proxy's HTML, an empty body, a missing field) is never proof of anything:
// the remote layer reports it as Transient, or OutcomeUnknown for a mutation,
// and the record is read back or retried.

#include "scoringjobs/error.hpp"
#include "scoringjobs/sync.hpp"

namespace scoringjobs::detail {

/// What failed: a whole request of mutations or of reads, one mutation of a
/// batch, or the read of one record.
enum class Scope { MutationRequest, ReadRequest, Mutation, Read };

enum class Action {
  Settle,      // the mutation may have been applied: read the record back and decide from what it holds
  Retry,       // put the entry (or the record's read) off with backoff; the run goes on
  Shrink,      // the request asked for too much: send or read half as much and go on
  Quarantine,  // keep the record aside with the reason; every other record goes on
  DeadLetter,  // the API refused this mutation for good: move it to the dead letters
  EndRun,      // stop the run with `outcome`; what is queued stays queued
  Fail,        // a local failure (storage, a bug): record the run as failed and throw
};

struct Disposition {
  Action action;
  SyncOutcome outcome = SyncOutcome::Done;  // for EndRun
  /// For EndRun: the entries of the failed request are put off (backoff, with
  /// the server's Retry-After), since the API answered and said "not now".
  bool defer_entries = false;
};

/// `past_deadline`: the run's deadline has passed, so a request cut short or
/// not sent for want of time ends the run as Deadline, without backoff.
Disposition dispose(const Error& error, Scope scope, bool past_deadline) noexcept;

}  // namespace scoringjobs::detail
