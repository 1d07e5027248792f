#include "sync/request_window.hpp"

#include <algorithm>
#include <cmath>

namespace scoringjobs::detail {

RequestWindow::RequestWindow(std::size_t max_in_flight)
    : max_(std::max<std::size_t>(max_in_flight, 1)),
      window_(static_cast<double>(std::min<std::size_t>(2, max_))),
      last_success_(Clock::now()) {}

std::size_t RequestWindow::size() const noexcept {
  return std::clamp<std::size_t>(static_cast<std::size_t>(std::floor(window_)), 1, max_);
}

void RequestWindow::succeeded(std::chrono::microseconds round_trip, Clock::time_point now) noexcept {
  in_a_row_ = 0;
  last_success_ = std::max(last_success_, now);
  if (round_trip.count() > 0) round_trip_ = (round_trip_ * 7 + round_trip) / 8;
  // Once probing: one more per `rounds` round trips, a round trip being `window_` successes.
  const double rounds = window_ < 1 ? kPacedProbeRounds : kProbeRounds;
  const double growth = slow_start_ ? 1.0 : 1.0 / (rounds * window_);
  window_ = std::min(static_cast<double>(max_), window_ + growth);
  pace(now);
}

bool RequestWindow::slowed_down(std::uint64_t sent_epoch, Clock::time_point now) noexcept {
  if (sent_epoch != epoch_) return false;
  ++epoch_;
  ++in_a_row_;
  slow_start_ = false;
  window_ = std::max(window_ / 2, kSlowest);
  pace(now);
  return true;
}

void RequestWindow::pace(Clock::time_point now) noexcept {
  if (window_ >= 1) return;
  const auto wait = std::chrono::duration_cast<std::chrono::microseconds>(round_trip_ * (1 / window_ - 1));
  pause_until(now + wait);
}

std::optional<RequestWindow::Clock::time_point> RequestWindow::not_now(
    NotNow why, std::uint64_t sent_epoch, std::optional<std::chrono::milliseconds> retry_after,
    const std::function<std::chrono::milliseconds(int)>& backoff, Clock::time_point deadline, Clock::time_point now) {
  const bool counted = slowed_down(sent_epoch, now);
  if (retry_after && *retry_after > kLongestPause) return std::nullopt;
  const bool give_up = why == NotNow::Failing ? in_a_row_ >= kGiveUpAfter : now - last_success_ >= kLongestThrottled;
  if (give_up) return std::nullopt;
  auto pause = retry_after.value_or(std::chrono::milliseconds(0));
  if (why == NotNow::Failing && !retry_after && counted && in_a_row_ > 1) {
    pause = std::min<std::chrono::milliseconds>(backoff(in_a_row_ - 1), kLongestPause);
  }
  pause_until(now + pause);
  if (paused_until_ >= deadline) return std::nullopt;
  return paused_until_;
}

void RequestWindow::pause_until(Clock::time_point until) noexcept { paused_until_ = std::max(paused_until_, until); }

}  // namespace scoringjobs::detail
