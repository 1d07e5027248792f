#pragma once
// How many requests may be in flight at once: additive increase,
// multiplicative decrease (AIMD), as TCP finds a link's capacity, here the
// API's request quota and the link's round trips.
//
// The window counts requests per round trip. It starts at 2 and grows by one
// per request that succeeds (doubling each round trip) until the first
// slow-down; after that by one per kProbeRounds windows' worth of successes,
// so it probes gently near the limit the API showed. A slow-down (the API
// answered "throttled" or a 5xx "not now") halves it once per round trip: the
// requests already in flight when it halved answer the same way for the same
// reason, and do not halve it again.
//
// Below one request per round trip (kSlowest at least) one request is in
// flight and the next waits: a window of 1/4 sends one request every four
// round trips. That is what makes edges that share one quota share it fairly:
// each slows down by the same rule and speeds up by the same rule, so none
// keeps a larger share by luck, and a throttled edge neither gives up nor
// floods the API with requests it will refuse. A Retry-After pauses the whole
// endpoint: no request starts until it passes.
//
// When to give up on a run differs by why the API said "not now". A failing
// API (5xx) is given kGiveUpAfter tries in a row, with backoff: the next run
// will find out whether it is back. A throttling API is healthy but over a
// quota that others share: a throttled run goes on at its window's pace and
// gives up only when nothing has succeeded for kLongestThrottled.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

#include "scoringjobs/error.hpp"

namespace scoringjobs::detail {

class RequestWindow {
 public:
  using Clock = std::chrono::steady_clock;

  /// `max_in_flight` of at least 1 (a 0 counts as 1).
  explicit RequestWindow(std::size_t max_in_flight);

  /// Requests allowed in flight now (1 while paced below one per round trip).
  std::size_t size() const noexcept;
  std::size_t max() const noexcept { return max_; }
  /// Requests per round trip, below 1 when paced.
  double rate() const noexcept { return window_; }
  /// Increments at every counted slow-down: a request remembers the epoch it
  /// was sent in, so an answer to a request sent before the last halving does
  /// not halve the window again.
  std::uint64_t epoch() const noexcept { return epoch_; }

  /// A request succeeded after `round_trip`: grow, and the run of slow-downs is over.
  void succeeded(std::chrono::microseconds round_trip, Clock::time_point now = Clock::now()) noexcept;
  /// A request sent in `sent_epoch` was answered "slow down". Returns whether it
  /// counted (halved the window): false for a request sent before the last halving.
  bool slowed_down(std::uint64_t sent_epoch, Clock::time_point now = Clock::now()) noexcept;
  /// Counted slow-downs since the last success.
  int slow_downs_in_a_row() const noexcept { return in_a_row_; }

  enum class NotNow {
    Throttled,  // the API is over its request quota
    Failing,    // a 5xx: the API or something in front of it is failing
  };
  /// Why `error`, a "not now" answer, said so.
  static NotNow why(const Error& error) noexcept {
    return error.code() == Errc::Throttled ? NotNow::Throttled : NotNow::Failing;
  }
  /// A request sent in `sent_epoch` was answered "not now": slows down and
  /// returns until when no request starts: the pace, the server's Retry-After,
  /// and for a failing API from the second in a row `backoff(n)` for the n-th
  /// (1, 2, ...) beyond the first, at most kLongestPause. nullopt when this run
  /// should give up instead (the caller ends it, the work put off): a
  /// Retry-After over kLongestPause, a pause reaching past `deadline`, for a
  /// failing API the kGiveUpAfter-th in a row, for a throttling one no success
  /// for kLongestThrottled.
  std::optional<Clock::time_point> not_now(NotNow why, std::uint64_t sent_epoch,
                                           std::optional<std::chrono::milliseconds> retry_after,
                                           const std::function<std::chrono::milliseconds(int)>& backoff,
                                           Clock::time_point deadline, Clock::time_point now = Clock::now());
  static constexpr int kGiveUpAfter = 5;
  static constexpr std::chrono::seconds kLongestThrottled{60};
  /// After the first slow-down the window grows by one per this many windows'
  /// worth of successes: each probe above the API's limit costs throttled
  /// requests, so probes are kept rare once the limit has shown itself.
  static constexpr double kProbeRounds = 8;
  /// Below one request per round trip it grows by one per this many round
  /// trips: an edge slowed by a quota it shares with others gets back to its
  /// share sooner (a probe there costs one throttled request, not a window's).
  static constexpr double kPacedProbeRounds = 2;
  /// The slowest pace: one request per 16 round trips.
  static constexpr double kSlowest = 1.0 / 16;
  static constexpr std::chrono::seconds kLongestPause{5};
  /// The round trip assumed until one is measured.
  static constexpr std::chrono::milliseconds kFirstRoundTrip{200};

  /// No request starts before `until` (a later pause already set stays).
  void pause_until(Clock::time_point until) noexcept;
  Clock::time_point paused_until() const noexcept { return paused_until_; }
  bool paused(Clock::time_point now) const noexcept { return now < paused_until_; }
  /// The smoothed round trip (as TCP's SRTT: 7/8 the old, 1/8 the new).
  std::chrono::microseconds round_trip() const noexcept { return round_trip_; }

 private:
  /// Below one request per round trip, the next waits out the rest of its share.
  void pace(Clock::time_point now) noexcept;

  std::size_t max_;
  double window_;
  bool slow_start_ = true;  // until the first slow-down
  std::uint64_t epoch_ = 0;
  int in_a_row_ = 0;
  std::chrono::microseconds round_trip_{kFirstRoundTrip};
  Clock::time_point last_success_;  // or when the window was made
  Clock::time_point paused_until_{};
};

}  // namespace scoringjobs::detail
