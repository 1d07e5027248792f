#include "sync/request_window.hpp"

#include <algorithm>

namespace scoringjobs::detail {

RequestWindow::RequestWindow(std::size_t max_in_flight)
    : max_(std::max<std::size_t>(max_in_flight, 1)), size_(std::min<std::size_t>(2, max_)) {}

void RequestWindow::succeeded() noexcept {
  in_a_row_ = 0;
  if (size_ >= max_) return;
  if (slow_start_ || ++credit_ >= kProbeRounds * size_) {
    credit_ = 0;
    ++size_;
  }
}

bool RequestWindow::slowed_down(std::uint64_t sent_epoch) noexcept {
  if (sent_epoch != epoch_) return false;
  ++epoch_;
  ++in_a_row_;
  slow_start_ = false;
  credit_ = 0;
  size_ = std::max<std::size_t>(size_ / 2, 1);
  return true;
}

std::optional<RequestWindow::Clock::time_point> RequestWindow::not_now(
    std::uint64_t sent_epoch, std::optional<std::chrono::milliseconds> retry_after,
    const std::function<std::chrono::milliseconds(int)>& backoff, Clock::time_point deadline) {
  const bool counted = slowed_down(sent_epoch);
  auto pause = retry_after;
  if (!pause && counted && in_a_row_ > 1) pause = backoff(in_a_row_ - 1);
  if (in_a_row_ >= kGiveUpAfter || (retry_after && *retry_after > kLongestPause)) return std::nullopt;
  const auto until = Clock::now() + pause.value_or(std::chrono::milliseconds(0));
  if (until >= deadline) return std::nullopt;
  pause_until(until);
  return until;
}

void RequestWindow::pause_until(Clock::time_point until) noexcept { paused_until_ = std::max(paused_until_, until); }

}  // namespace scoringjobs::detail
