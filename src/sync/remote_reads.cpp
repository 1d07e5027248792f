#include "sync/remote_reads.hpp"

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>

#include "scoringjobs/log.hpp"
#include "sync/windowed_reads.hpp"

namespace scoringjobs::detail {
namespace {

// A record's wire JSON travels inside the response as JSON again (AWSJSON
// fields are strings holding JSON, so their quotes are escaped): allow for it.
std::size_t budget_of(std::size_t expected_bytes) {
  constexpr std::size_t kTypicalRecord = 2 * 1024;
  constexpr std::size_t kPerAlias = 256;
  const std::size_t bytes = expected_bytes == 0 ? kTypicalRecord : expected_bytes;
  return bytes + bytes / 2 + kPerAlias;
}

template <class Record>
std::vector<RemoteRead> read_chunk(RemoteClient& client, std::span<const std::string> ids) {
  std::vector<RemoteRead> out;
  out.reserve(ids.size());
  for (auto& fetched : client.read_many<Record>(ids)) {
    RemoteRead read;
    if (fetched.record) {
      read.kind = RemoteRead::Kind::Found;
      read.wire = fetched.record->to_dict();
    } else if (fetched.unreadable) {
      read.kind = RemoteRead::Kind::Unreadable;
      read.unreadable = std::move(*fetched.unreadable);
    }
    out.push_back(std::move(read));
  }
  return out;
}

std::vector<RemoteRead> read_chunk(RemoteClient& client, Model model, std::span<const std::string> ids) {
  switch (model) {
    case Model::ScoringJob: return read_chunk<ScoringJob>(client, ids);
    case Model::BatchJob: return read_chunk<BatchJob>(client, ids);
    case Model::BatchJobScoringJob: return read_chunk<BatchJobScoringJob>(client, ids);
  }
  return {};
}

// How many of the records from `first` on fit one request.
std::size_t fitting(std::span<const std::size_t> expected_bytes, std::size_t first, std::size_t count) {
  std::size_t bytes = 0;
  std::size_t n = 0;
  while (first + n < count && n < kMaxGetsPerRequest) {
    const auto size = budget_of(first + n < expected_bytes.size() ? expected_bytes[first + n] : 0);
    if (n > 0 && bytes + size > kReadResponseBudget) break;
    bytes += size;
    ++n;
  }
  return n;
}

// The requests that read `count` records, in order: each sized by the records'
// expected bytes, and at most `limit_` records, lowered for the rest of the
// reads by an answer too large.
class ReadPlan {
 public:
  struct Range {
    std::size_t first;
    std::size_t n;
  };

  ReadPlan(std::span<const std::size_t> expected_bytes, std::size_t count)
      : expected_bytes_(expected_bytes), count_(count) {}

  /// The next request's records, or nullopt when every record has had one.
  std::optional<Range> next() {
    if (!again_.empty()) {
      const auto range = again_.front();
      again_.pop_front();
      const auto n = std::min(range.n, limit_);
      if (n < range.n) again_.push_front({range.first + n, range.n - n});
      return Range{range.first, n};
    }
    if (next_ >= count_) return std::nullopt;
    const Range range{next_, std::min(limit_, fitting(expected_bytes_, next_, count_))};
    next_ += range.n;
    return range;
  }

  /// `range` was answered too large: true when it goes again in smaller
  /// requests (next() gives them first), false for a record alone, which is
  /// too large to read at all.
  bool too_large(Range range) {
    if (range.n == 1) return false;
    limit_ = std::max<std::size_t>(1, std::min(limit_, range.n / 2));
    log(LogLevel::Info, "an answer was too large; reading " + std::to_string(limit_) + " records a request");
    again_.push_front(range);
    return true;
  }

 private:
  std::span<const std::size_t> expected_bytes_;
  std::size_t count_;
  std::size_t next_ = 0;                    // the first record no request has asked for
  std::size_t limit_ = kMaxGetsPerRequest;  // lowered by an answer too large
  std::deque<Range> again_;                 // answered too large: asked for again, smaller
};

RemoteRead too_large_alone(const std::string& id, const Error& error) {
  RemoteRead read;
  read.kind = RemoteRead::Kind::Unreadable;
  read.unreadable = {id, std::string("too large to read even alone: ") + error.what(), ""};
  return read;
}

}  // namespace

std::vector<RemoteRead> read_records(RunContext& run, Model model, std::span<const std::string> ids,
                                     std::span<const std::size_t> expected_bytes) {
  std::vector<RemoteRead> reads(ids.size());
  ReadPlan plan(expected_bytes, ids.size());
  while (const auto range = plan.next()) {
    try {
      auto chunk = read_chunk(run.remote(), model, ids.subspan(range->first, range->n));
      std::ranges::move(chunk, reads.begin() + static_cast<std::ptrdiff_t>(range->first));
    } catch (const Error& error) {
      const auto disposition = run.dispose(error, Scope::ReadRequest);
      if (disposition.action != Action::Shrink) run.end_run(disposition, error);
      if (!plan.too_large(*range)) reads[range->first] = too_large_alone(ids[range->first], error);
    }
  }
  return reads;
}

void read_records_in_window(RunContext& run, Model model, std::span<const std::string> ids,
                            std::span<const std::size_t> expected_bytes,
                            const std::function<void(std::size_t first, std::vector<RemoteRead> reads)>& take) {
  ReadPlan plan(expected_bytes, ids.size());
  read_in_window(run, [&]() -> std::optional<WindowedRead> {
    const auto range = plan.next();
    if (!range) return std::nullopt;
    auto answer = std::make_shared<std::vector<RemoteRead>>();
    const auto asked = ids.subspan(range->first, range->n);
    return WindowedRead{[answer, model, asked](RemoteClient& client) { *answer = read_chunk(client, model, asked); },
                        [answer, &take, first = range->first] { take(first, std::move(*answer)); },
                        [&plan, &take, &ids, range = *range](const Error& error, const Disposition& disposition) {
                          if (disposition.action != Action::Shrink) return false;
                          if (!plan.too_large(range)) take(range.first, {too_large_alone(ids[range.first], error)});
                          return true;
                        }};
  });
}

}  // namespace scoringjobs::detail
