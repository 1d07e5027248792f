#include "stop_signals.hpp"

namespace scoringjobs::cli {
namespace {

// Written from a signal handler: a lock-free atomic is async-signal-safe.
std::atomic<bool> stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void request_stop(int /*signal*/) { stop_requested.store(true, std::memory_order_relaxed); }

}  // namespace

StopOnSignals::StopOnSignals() {
  stop_requested.store(false, std::memory_order_relaxed);
  struct sigaction action {};
  action.sa_handler = &request_stop;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;  // a second signal is not caught: it ends the process
  sigaction(SIGTERM, &action, &previous_term_);
  sigaction(SIGINT, &action, &previous_int_);
}

StopOnSignals::~StopOnSignals() {
  sigaction(SIGTERM, &previous_term_, nullptr);
  sigaction(SIGINT, &previous_int_, nullptr);
}

const std::atomic<bool>& StopOnSignals::flag() const noexcept { return stop_requested; }

}  // namespace scoringjobs::cli
