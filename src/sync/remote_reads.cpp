#include "sync/remote_reads.hpp"

#include <algorithm>

#include "scoringjobs/log.hpp"

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

}  // namespace

std::vector<RemoteRead> read_records(RunContext& run, Model model, std::span<const std::string> ids,
                                     std::span<const std::size_t> expected_bytes) {
  std::vector<RemoteRead> reads;
  reads.reserve(ids.size());
  std::size_t limit = kMaxGetsPerRequest;  // lowered for the rest of the call by an answer too large
  for (std::size_t next = 0; next < ids.size();) {
    const std::size_t n = std::min(limit, fitting(expected_bytes, next, ids.size()));
    try {
      auto chunk = read_chunk(run.remote(), model, ids.subspan(next, n));
      std::ranges::move(chunk, std::back_inserter(reads));
      next += n;
    } catch (const Error& error) {
      const auto disposition = run.dispose(error, Scope::ReadRequest);
      if (disposition.action != Action::Shrink) run.end_run(disposition, error);
      if (n > 1) {
        limit = std::max<std::size_t>(1, n / 2);
        log(LogLevel::Info, "an answer was too large; reading " + std::to_string(limit) + " records a request");
        continue;
      }
      RemoteRead too_large;
      too_large.kind = RemoteRead::Kind::Unreadable;
      too_large.unreadable = {ids[next], std::string("too large to read even alone: ") + error.what(), ""};
      reads.push_back(std::move(too_large));
      ++next;
    }
  }
  return reads;
}

}  // namespace scoringjobs::detail
