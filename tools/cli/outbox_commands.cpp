// `outbox`: what is waiting to be synced.

#include <array>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>

#include "app.hpp"
#include "durations.hpp"
#include "scoringjobs/model.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/status.hpp"

namespace scoringjobs::cli {
namespace {

void print_text(const nlohmann::json& report) {
  std::cout << "pending: " << report["pending"].get<std::int64_t>();
  if (!report["oldestAgeMs"].is_null())
    std::cout << " (oldest " << age_text(std::chrono::milliseconds(report["oldestAgeMs"].get<std::int64_t>()))
              << " ago)";
  std::cout << '\n';
  for (const auto& [model, n] : report["byKind"].items()) {
    std::cout << "  " << std::left << std::setw(20) << model << " create " << std::setw(8)
              << n["create"].get<std::int64_t>() << " update " << n["update"].get<std::int64_t>() << '\n';
  }
  for (const auto& e : report["entries"]) {
    std::cout << e["seq"].get<std::int64_t>() << '\t' << e["model"].get<std::string>() << '\t'
              << e["operation"].get<std::string>() << '\t' << e["recordId"].get<std::string>() << '\t'
              << e["enqueuedAt"].get<std::string>() << "\tattempts=" << e["attempts"].get<int>();
    if (!e["lastError"].is_null()) std::cout << "\tlastError=" << e["lastError"].get<std::string>();
    std::cout << '\n';
  }
  std::cout << std::flush;
  if (!std::cout) throw std::runtime_error("cannot write to stdout");
}

struct OutboxArgs {
  std::size_t limit = 20;
  bool json = false;
};

}  // namespace

void add_outbox_commands(CLI::App& app, Context& context) {
  auto args = std::make_shared<OutboxArgs>();
  auto* cmd = add_command(app, context, "outbox", "Show the changes waiting to be synced", [&context, args] {
    auto& store = context.existing_store();
    const nlohmann::json status = store_status(store, 0);
    nlohmann::json report = {{"pending", status["queued"]},
                             {"oldestAgeMs", status["oldestQueuedAgeMs"]},
                             {"byKind", status["byKind"]},
                             {"entries", nlohmann::json::array()}};
    if (args->limit > 0) {
      for (const auto& entry : outbox::list(store, args->limit)) report["entries"].push_back(entry);
    }
    if (args->json) {
      print_json(report);
    } else {
      print_text(report);
    }
  });
  cmd->add_option("--limit", args->limit, "Entries to list, oldest first (counts cover all)")->capture_default_str();
  cmd->add_flag("--json", args->json,
                "Print one JSON object: {pending, oldestAgeMs, byKind, entries: [{seq, model, recordId, operation, "
                "fields, enqueuedAt, attempts, nextAttemptAt, lastError}]}");
}

}  // namespace scoringjobs::cli
