#include "sync/windowed_reads.hpp"

#include <algorithm>
#include <deque>
#include <map>

namespace scoringjobs::detail {
namespace {

// Waits for every request still in flight on the way out, however the loop
// ends: a worker may still be writing into what the caller owns.
class Drain {
 public:
  explicit Drain(RequestPool& pool) : pool_(pool) {}
  ~Drain() {
    try {
      while (pool_.in_flight() > 0) pool_.wait();  // each bounded by its timeout and the deadline
    } catch (...) {                                // a destructor: the answers are dropped either way
    }
  }
  Drain(const Drain&) = delete;
  Drain& operator=(const Drain&) = delete;

 private:
  RequestPool& pool_;
};

// The loop's state: what is in flight, what goes again, and why it stops.
class Reads {
 public:
  Reads(RunContext& run, const std::function<std::optional<WindowedRead>()>& next)
      : run_(run), pool_(run.pool()), window_(run.window), next_(next) {}

  void run() {
    const Drain drain(pool_);
    for (;;) {
      send();
      if (pool_.in_flight() > 0) {
        take(pool_.wait());
        continue;
      }
      if (stopping() || !waiting_) break;
      try {
        run_.sleep_until(window_.paused_until());  // paused, nothing in flight
      } catch (const RunEnded& end) {
        ended_ = end;
      }
    }
    if (failure_) run_.end_run(failed_as_, *failure_);
    if (ended_) throw *ended_;
  }

 private:
  struct Sent {
    WindowedRead read;
    std::uint64_t epoch;  // the window's when it was sent
  };

  bool stopping() const { return failure_ || ended_; }

  // Sends while the window has room; waiting_ holds a read that has none.
  void send() {
    while (!stopping()) {
      if (!waiting_) {
        if (!again_.empty()) {
          waiting_ = std::move(again_.front());
          again_.pop_front();
        } else {
          waiting_ = next_();
        }
      }
      if (!waiting_ || pool_.in_flight() >= window_.size() || window_.paused(RequestWindow::Clock::now())) return;
      try {
        run_.remote();  // no request after the deadline or a stop; the run's history row before the first
      } catch (const RunEnded& end) {
        ended_ = end;
        return;
      }
      const auto id = next_id_++;
      pool_.submit(id, waiting_->exchange);
      sent_.emplace(id, Sent{std::move(*waiting_), window_.epoch()});
      waiting_.reset();
      run_.report.peak_in_flight = std::max(run_.report.peak_in_flight, static_cast<std::int64_t>(pool_.in_flight()));
    }
  }

  void take(RequestPool::Done done) {
    auto sent = std::move(sent_.extract(done.id).mapped());
    if (!done.error) {
      window_.succeeded(done.round_trip);
      sent.read.answered();
      return;
    }
    const auto& error = *done.error;
    if (error.code() == Errc::Throttled) ++run_.report.throttled;
    const auto disposition = run_.dispose(error, Scope::ReadRequest);
    if (disposition.action == Action::SlowDown) {
      if (window_.not_now(RequestWindow::why(error), sent.epoch, capped_retry_after(run_, error), backoff_for(run_),
                          run_.deadline)) {
        again_.push_back(std::move(sent.read));
        return;
      }
    } else if (sent.read.failed && sent.read.failed(error, disposition)) {
      return;
    }
    if (!stopping()) {
      failure_ = error;
      failed_as_ = disposition;
    }
  }

  RunContext& run_;
  RequestPool& pool_;
  RequestWindow& window_;
  const std::function<std::optional<WindowedRead>()>& next_;
  std::map<std::uint64_t, Sent> sent_;
  std::uint64_t next_id_ = 0;
  std::deque<WindowedRead> again_;       // answered "not now": sent again before anything new
  std::optional<WindowedRead> waiting_;  // the next to send, when the window has room
  std::optional<Error> failure_;         // the first failure that ends the run
  Disposition failed_as_{Action::Fail};
  std::optional<RunEnded> ended_;  // a stop or the deadline, seen before any failure
};

}  // namespace

void read_in_window(RunContext& run, const std::function<std::optional<WindowedRead>()>& next) {
  Reads(run, next).run();
}

}  // namespace scoringjobs::detail
