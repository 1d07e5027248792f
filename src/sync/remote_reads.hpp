#pragma once
// Reading records back from the remote, in as few requests as the response
// limit allows, as wire-shape JSON. Each request is sized by the bytes its
// records are expected to take (AppSync answers at most about 1 MB); an answer
// that is still too large halves the request and goes on.

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "scoringjobs/model.hpp"
#include "scoringjobs/remote.hpp"
#include "sync/run_context.hpp"

namespace scoringjobs::detail {

/// What one read found for one record.
struct RemoteRead {
  enum class Kind { Found, Absent, Unreadable };
  Kind kind = Kind::Absent;
  nlohmann::json wire;          // Found: the record in wire shape
  UnreadableRecord unreadable;  // Unreadable: why, and what the API returned
};

/// The remote's answer for each id, in order. `expected_bytes[i]` is how large
/// record i is expected to be (0: unknown, a typical record is assumed). A
/// failed request goes through the run's error policy: it ends the run
/// (RunEnded; throttled or failing API, offline, deadline…) or throws a local
/// Error. A record too large to read even alone comes back Unreadable.
std::vector<RemoteRead> read_records(RunContext& run, Model model, std::span<const std::string> ids,
                                     std::span<const std::size_t> expected_bytes);

/// Reads like read_records, several requests in flight at once on the run's
/// pool within its window (windowed_reads.hpp): `take(first, reads)` gets the
/// answers for ids[first, first + reads.size()) on the sync thread, a request's
/// worth per call, as they arrive; requests go out in the order of `ids`. A
/// request answered "not now" slows the window and goes again. Ends the run
/// like read_records, once every request in flight was answered and taken.
/// Only while nothing else is in flight on the pool.
void read_records_in_window(RunContext& run, Model model, std::span<const std::string> ids,
                            std::span<const std::size_t> expected_bytes,
                            const std::function<void(std::size_t first, std::vector<RemoteRead> reads)>& take);

/// The response budget one read request is sized to (under AppSync's 1 MB limit).
inline constexpr std::size_t kReadResponseBudget = 900 * 1024;
/// Aliased gets per request at most, whatever their size.
inline constexpr std::size_t kMaxGetsPerRequest = 50;

}  // namespace scoringjobs::detail
