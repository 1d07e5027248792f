#pragma once
// Requests that read, several at a time on the run's pool within the run's
// window (request_window.hpp), the one loop behind every step that reads
// concurrently: the refresh of unfinished records, the quarantine's rechecks,
// the account pulls and the recount of batches.
//
// Only the exchange runs on a worker; each answer is taken on the sync thread
// (SQLite stays there), in the order answers arrive. An answer "not now"
// (throttled, a 5xx) slows the window down and its request goes again, before
// anything new; when the window says to give up, or a request fails otherwise,
// nothing new is sent, the requests in flight are answered and taken (a run
// cut short keeps what it read), and the run ends as the error policy says.

#include <functional>
#include <optional>

#include "sync/request_pool.hpp"
#include "sync/run_context.hpp"

namespace scoringjobs::detail {

/// One read request of a step.
struct WindowedRead {
  /// Runs on a worker with its client and keeps what it read where `answered`
  /// finds it. What it throws is the request's failure.
  RequestPool::Exchange exchange;
  /// On the sync thread, once the exchange succeeded.
  std::function<void()> answered;
  /// On the sync thread, when the request failed with an error the window does
  /// not slow down for (`disposition` is the policy's for a read request):
  /// true when the step recovered (asked for less, started a pass again) and
  /// the run goes on. Empty, or false: the run ends as `disposition` says.
  std::function<bool(const Error& error, const Disposition& disposition)> failed;
};

/// Sends the reads `next` gives, as many in flight as the run's window allows,
/// until `next` gives none (nullopt: nothing to send now) and none is in
/// flight. `next` may give a read that depends on an earlier answer (the next
/// page of a pass) once that answer was taken. The pool must have nothing else
/// in flight. Counts into the report's peak_in_flight and throttled. Throws
/// RunEnded (a stop, the deadline, a failure that ends the run) or a local
/// Error, always after every request it sent was answered: the closures may
/// refer to what the caller owns.
void read_in_window(RunContext& run, const std::function<std::optional<WindowedRead>()>& next);

}  // namespace scoringjobs::detail
