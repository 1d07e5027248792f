#pragma once
// Exponential backoff with full jitter: a random wait between zero and
// base * 2^attempts, capped; the server's Retry-After is a floor.

#include <chrono>
#include <optional>
#include <random>

namespace scoringjobs::detail {

std::chrono::milliseconds backoff_delay(int attempts, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                        std::optional<std::chrono::seconds> retry_after, std::mt19937_64& random);

}  // namespace scoringjobs::detail
