#pragma once
// How many push requests may be in flight at once: additive increase,
// multiplicative decrease (AIMD), as TCP finds a link's capacity, here the
// API's request quota and the link's round trips.
//
// It starts at 2 and grows by one per request that succeeds (doubling each
// round trip) until the first slow-down; after that by one per kProbeRounds
// windows' worth of successes, so it probes gently near the limit the API showed. A
// slow-down (the API answered "throttled" or a 5xx "not now") halves it, at
// least to 1, once per round trip: the requests already in flight when it
// halved answer the same way for the same reason, and do not halve it again.
// A Retry-After pauses the whole endpoint: no request starts until it passes.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

namespace scoringjobs::detail {

class RequestWindow {
 public:
  using Clock = std::chrono::steady_clock;

  /// `max_in_flight` of at least 1 (a 0 counts as 1).
  explicit RequestWindow(std::size_t max_in_flight);

  /// Requests allowed in flight now.
  std::size_t size() const noexcept { return size_; }
  std::size_t max() const noexcept { return max_; }
  /// Increments at every counted slow-down: a request remembers the epoch it
  /// was sent in, so an answer to a request sent before the last halving does
  /// not halve the window again.
  std::uint64_t epoch() const noexcept { return epoch_; }

  /// A request succeeded: grow, and the run of slow-downs is over.
  void succeeded() noexcept;
  /// A request sent in `sent_epoch` was answered "slow down". Returns whether it
  /// counted (halved the window): false for a request sent before the last halving.
  bool slowed_down(std::uint64_t sent_epoch) noexcept;
  /// Counted slow-downs since the last success.
  int slow_downs_in_a_row() const noexcept { return in_a_row_; }

  /// A request sent in `sent_epoch` was answered "not now" (throttled, a 5xx):
  /// halves the window (once per round trip) and returns until when no request
  /// starts: the server's Retry-After, or from the second "not now" in a row
  /// `backoff(n)` for the n-th (1, 2, ...) beyond the first. nullopt when this
  /// run should give up instead (the caller ends it, the work put off): the
  /// kGiveUpAfter-th in a row, a Retry-After over kLongestPause, or a pause
  /// reaching past `deadline`.
  std::optional<Clock::time_point> not_now(std::uint64_t sent_epoch,
                                           std::optional<std::chrono::milliseconds> retry_after,
                                           const std::function<std::chrono::milliseconds(int)>& backoff,
                                           Clock::time_point deadline);
  static constexpr int kGiveUpAfter = 5;
  /// After the first slow-down the window grows by one per this many windows'
  /// worth of successes: each probe above the API's limit costs throttled
  /// requests, so probes are kept rare once the limit has shown itself.
  static constexpr std::size_t kProbeRounds = 8;
  static constexpr std::chrono::seconds kLongestPause{5};

  /// No request starts before `until` (a later pause already set stays).
  void pause_until(Clock::time_point until) noexcept;
  Clock::time_point paused_until() const noexcept { return paused_until_; }
  bool paused(Clock::time_point now) const noexcept { return now < paused_until_; }

 private:
  std::size_t max_;
  std::size_t size_;
  std::size_t credit_ = 0;  // successes toward the next +1 once probing gently
  bool slow_start_ = true;  // until the first slow-down
  std::uint64_t epoch_ = 0;
  int in_a_row_ = 0;
  Clock::time_point paused_until_{};
};

}  // namespace scoringjobs::detail
