#include "sync/request_window.hpp"

#include <algorithm>

namespace scoringjobs::detail {

RequestWindow::RequestWindow(std::size_t max_in_flight)
    : max_(std::max<std::size_t>(max_in_flight, 1)), size_(std::min<std::size_t>(2, max_)) {}

void RequestWindow::succeeded() noexcept {
  in_a_row_ = 0;
  if (size_ >= max_) return;
  if (slow_start_ || ++credit_ >= size_) {
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

void RequestWindow::pause_until(Clock::time_point until) noexcept { paused_until_ = std::max(paused_until_, until); }

}  // namespace scoringjobs::detail
