#include "sync/backoff.hpp"

#include <algorithm>

namespace scoringjobs::detail {

std::chrono::milliseconds backoff_delay(int attempts, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                        std::optional<std::chrono::seconds> retry_after, std::mt19937_64& random) {
  const int doublings = std::clamp(attempts, 0, 30);
  const auto ceiling = std::min<std::int64_t>(cap.count(), base.count() << doublings);
  std::uniform_int_distribution<std::int64_t> jitter(0, std::max<std::int64_t>(ceiling, 0));
  auto delay = std::chrono::milliseconds(jitter(random));
  if (retry_after) delay = std::max<std::chrono::milliseconds>(delay, *retry_after);
  return delay;
}

}  // namespace scoringjobs::detail
