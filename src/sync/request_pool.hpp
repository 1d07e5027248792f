#pragma once
// The HTTP exchanges of push, several at a time.
//
// Why worker threads, each owning its own RemoteClient (one libcurl easy
// handle, its connection kept alive across the run), and not libcurl's multi
// interface: the remote layer's one blocking request path (deadline, key
// scrubbing, classification of every failure into one Errc) is used as it is,
// so a concurrent request fails exactly like a lone one; the multi interface
// would need a second, callback-driven copy of it. What the multi interface
// would add is HTTP/2 multiplexing over one TLS connection; with at most
// `max_in_flight` (8 by default) connections per edge, separate connections
// cost a few TLS handshakes per run, which is small beside the round trips
// the window saves.
//
// Only the exchange runs on a worker: the sync thread fills each request,
// and applies and settles its answer; SQLite stays on that thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "scoringjobs/remote.hpp"

namespace scoringjobs::detail {

class RequestPool {
 public:
  /// What came back for a submitted batch: its results, or the request's error.
  struct Done {
    std::uint64_t id = 0;
    MutationBatch batch;
    std::vector<MutationResult> results;
    std::optional<Error> error;
    /// The exchange's time over the requests it made: one round trip, for the window.
    std::chrono::microseconds round_trip{0};
  };

  /// Workers (at most `max_workers`) are started as requests need them, each
  /// with a client made from `config` and bounded by `deadline`: a pool that
  /// sends nothing starts no thread and loads nothing. `requests` counts the
  /// HTTP requests the workers make.
  RequestPool(RemoteConfig config, std::chrono::steady_clock::time_point deadline, std::size_t max_workers,
              std::atomic<std::int64_t>& requests);
  /// Waits for the requests in flight (each bounded by its timeout and the
  /// deadline); batches not yet taken by a worker are never sent.
  ~RequestPool();
  RequestPool(const RequestPool&) = delete;
  RequestPool& operator=(const RequestPool&) = delete;

  /// Sends `batch` on a free worker; its Done carries `id`.
  void submit(std::uint64_t id, MutationBatch batch);
  /// Runs `exchange` (requests that read, say) on a free worker with its
  /// client; what it throws is the Done's error.
  using Exchange = std::function<void(RemoteClient&)>;
  void submit(std::uint64_t id, Exchange exchange);
  /// Blocks until a submitted request is answered. Only with in_flight() > 0.
  Done wait();
  /// Submitted and not yet returned by wait().
  std::size_t in_flight() const noexcept { return in_flight_; }

 private:
  struct Job {
    std::uint64_t id;
    MutationBatch batch;
    Exchange exchange;  // when set, run instead of the batch
  };
  void start_worker_if_needed();
  void work(RemoteClient& client);

  RemoteConfig config_;
  std::chrono::steady_clock::time_point deadline_;
  std::size_t max_workers_;
  std::atomic<std::int64_t>& requests_;
  std::size_t in_flight_ = 0;  // sync thread only

  std::mutex mutex_;
  std::condition_variable job_ready_;
  std::condition_variable done_ready_;
  std::deque<Job> jobs_;
  std::deque<Done> done_;
  bool closing_ = false;

  std::vector<std::unique_ptr<RemoteClient>> clients_;
  std::vector<std::thread> workers_;  // last: joined before the rest goes
};

}  // namespace scoringjobs::detail
