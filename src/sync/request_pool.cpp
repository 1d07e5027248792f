#include "sync/request_pool.hpp"

#include <algorithm>

namespace scoringjobs::detail {

RequestPool::RequestPool(RemoteConfig config, std::chrono::steady_clock::time_point deadline, std::size_t max_workers,
                         std::atomic<std::int64_t>& requests)
    : config_(std::move(config)),
      deadline_(deadline),
      max_workers_(std::max<std::size_t>(max_workers, 1)),
      requests_(requests) {}

RequestPool::~RequestPool() {
  {
    const std::lock_guard lock(mutex_);
    closing_ = true;
    jobs_.clear();
  }
  job_ready_.notify_all();
  for (auto& worker : workers_) worker.join();
}

void RequestPool::start_worker_if_needed() {
  if (in_flight_ < workers_.size() || workers_.size() >= max_workers_) return;
  auto client = std::make_unique<RemoteClient>(config_);
  client->set_deadline(deadline_);
  clients_.push_back(std::move(client));
  workers_.emplace_back([this, &client = *clients_.back()] { work(client); });
}

void RequestPool::submit(std::uint64_t id, MutationBatch batch) {
  start_worker_if_needed();
  {
    const std::lock_guard lock(mutex_);
    jobs_.push_back({id, std::move(batch), nullptr});
  }
  ++in_flight_;
  job_ready_.notify_one();
}

void RequestPool::submit(std::uint64_t id, Exchange exchange) {
  start_worker_if_needed();
  {
    const std::lock_guard lock(mutex_);
    jobs_.push_back({id, {}, std::move(exchange)});
  }
  ++in_flight_;
  job_ready_.notify_one();
}

RequestPool::Done RequestPool::wait() {
  std::unique_lock lock(mutex_);
  done_ready_.wait(lock, [this] { return !done_.empty(); });
  Done done = std::move(done_.front());
  done_.pop_front();
  --in_flight_;
  return done;
}

void RequestPool::work(RemoteClient& client) {
  for (;;) {
    Done done;
    Exchange exchange;
    {
      std::unique_lock lock(mutex_);
      job_ready_.wait(lock, [this] { return closing_ || !jobs_.empty(); });
      if (closing_) return;
      done.id = jobs_.front().id;
      done.batch = std::move(jobs_.front().batch);
      exchange = std::move(jobs_.front().exchange);
      jobs_.pop_front();
    }
    const auto before = client.requests_made();
    const auto started = std::chrono::steady_clock::now();
    try {
      if (exchange) {
        exchange(client);
      } else {
        done.results = client.run(done.batch);
      }
    } catch (const Error& error) {
      done.error = error;
    } catch (const std::exception& error) {
      done.error = Error(Errc::Internal, error.what());
    }
    const auto made = client.requests_made() - before;
    requests_ += static_cast<std::int64_t>(made);
    done.round_trip =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started) /
        std::max<decltype(made)>(made, 1);
    {
      const std::lock_guard lock(mutex_);
      done_.push_back(std::move(done));
    }
    done_ready_.notify_one();
  }
}

}  // namespace scoringjobs::detail
