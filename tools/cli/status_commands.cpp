// What sync left behind, for the person on call: `status`, `dead-letters`
// (list, retry, discard), `quarantine`, `schedule` and `conflicts list`.

#include <array>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "app.hpp"
#include "check.hpp"
#include "durations.hpp"
#include "metrics.hpp"
#include "scoringjobs/model.hpp"
#include "scoringjobs/outbox.hpp"
#include "scoringjobs/status.hpp"
#include "scoringjobs/sync.hpp"

namespace scoringjobs::cli {
namespace {

using nlohmann::json;

void flush_stdout() {
  std::cout << std::flush;
  if (!std::cout) throw std::runtime_error("cannot write to stdout");
}

std::string count_or_dash(const json& value) {
  return value.is_number_integer() ? std::to_string(value.get<std::int64_t>()) : "-";
}

void print_status_text(const json& s) {
  std::cout << "queued: " << s["queued"].get<std::int64_t>();
  if (!s["oldestQueuedAgeMs"].is_null()) {
    std::cout << " (oldest " << age_text(std::chrono::milliseconds(s["oldestQueuedAgeMs"].get<std::int64_t>()))
              << " ago)";
  }
  if (!s["nextRetryAt"].is_null()) std::cout << ", next retry at " << s["nextRetryAt"].get<std::string>();
  std::cout << '\n';
  for (const auto& [model, n] : s["byKind"].items()) {
    std::cout << "  " << std::left << std::setw(20) << model << " create " << std::setw(8)
              << n["create"].get<std::int64_t>() << " update " << n["update"].get<std::int64_t>() << '\n';
  }
  std::cout << "dead letters: " << s["deadLetters"].get<std::int64_t>() << '\n'
            << "quarantined: " << s["quarantined"].get<std::int64_t>() << '\n'
            << "conflicts: " << s["conflicts"].get<std::int64_t>() << '\n';
  const auto& refresh = s["refresh"];
  std::cout << "read back from the API: " << refresh["watched"].get<std::int64_t>() << " unfinished, "
            << refresh["due"].get<std::int64_t>() << " due at the next run";
  if (!refresh["nextCheckAt"].is_null()) std::cout << ", next check at " << refresh["nextCheckAt"].get<std::string>();
  std::cout << " (scoringjobs schedule lists them)\n"
            << "last runs:" << (s["lastRuns"].empty() ? " none" : "") << '\n';
  for (const auto& run : s["lastRuns"]) {
    std::cout << "  " << run["startedAt"].get<std::string>() << "  " << std::setw(11)
              << (run["outcome"].is_string() ? run["outcome"].get<std::string>() : "-") << " exit " << std::setw(3)
              << count_or_dash(run["exitCode"]) << "  pushed " << count_or_dash(run["pushed"]) << ", pulled "
              << count_or_dash(run["pulled"]) << ", " << count_or_dash(run["deadLettered"]) << " dead-lettered, "
              << count_or_dash(run["stillQueued"]) << " queued, " << count_or_dash(run["requests"])
              << (run["requests"] == 1 ? " request, " : " requests, ") << count_or_dash(run["durationMs"]) << " ms\n";
  }
  flush_stdout();
}

struct StatusArgs {
  bool json = false, prometheus = false, check = false;
  std::size_t runs = 5;
  std::string max_oldest_age, max_dead_letters, max_quarantined, max_since_success;
};

CheckLimits check_limits(const StatusArgs& args) {
  CheckLimits limits;
  if (!args.max_oldest_age.empty())
    limits.oldest_age = parse_duration_threshold("--max-oldest-age", args.max_oldest_age);
  if (!args.max_dead_letters.empty())
    limits.dead_letters = parse_count_threshold("--max-dead-letters", args.max_dead_letters);
  if (!args.max_quarantined.empty())
    limits.quarantined = parse_count_threshold("--max-quarantined", args.max_quarantined);
  if (!args.max_since_success.empty())
    limits.since_success = parse_duration_threshold("--max-since-success", args.max_since_success);
  return limits;
}

// status --check: whatever goes wrong, the answer is one plugin line on stdout
// and an exit status a monitoring system understands (3 UNKNOWN).
void run_check(Context& context, const StatusArgs& args) {
  CheckResult result;
  try {
    const auto limits = check_limits(args);
    result = check_status(store_status(context.existing_store(), 1), limits, Timestamp::now());
  } catch (const std::exception& e) {
    result = unknown_result(e.what());
  }
  std::cout << result.line << '\n';
  flush_stdout();
  context.set_exit_code(static_cast<ExitCode>(result.exit_code));
}

void add_status(CLI::App& app, Context& context) {
  auto args = std::make_shared<StatusArgs>();
  auto* cmd =
      add_command(app, context, "status", "Show what waits to be synced and how the last syncs went", [&context, args] {
        if (args->check) {
          run_check(context, *args);
          return;
        }
        const auto status = store_status(context.existing_store(), args->prometheus ? 1 : args->runs);
        if (args->prometheus) {
          std::cout << prometheus_text(
              status, status.last_runs.empty() ? nlohmann::json() : nlohmann::json(status.last_runs.front()));
          flush_stdout();
        } else if (args->json) {
          print_json(status);
        } else {
          print_status_text(status);
        }
      });
  cmd->add_option("--runs", args->runs, "Sync runs to show, newest first")->capture_default_str();
  auto* json_flag =
      cmd->add_flag("--json", args->json,
                    "Print one JSON object: {queued, byKind, oldestQueuedAgeMs, nextRetryAt, deadLetters, quarantined, "
                    "conflicts, refresh: {watched, due, nextCheckAt}, lastReachedApiAt, lastDoneAt, lastRuns: [{id, "
                    "startedAt, exitCode, outcome, error, pushed, pulled, ...}]}");
  auto* prometheus = cmd->add_flag("--prometheus", args->prometheus,
                                   "Print the scoringjobs_* metrics in Prometheus' text format (what sync "
                                   "--metrics-file writes; the last run is the newest recorded one)");
  auto* check = cmd->add_flag("--check", args->check,
                              "Answer as a monitoring plugin: one line \"SCORINGJOBS OK - ... | perfdata\", exit 0 OK, "
                              "1 WARNING, 2 CRITICAL, 3 UNKNOWN");
  json_flag->excludes(prometheus)->excludes(check);
  prometheus->excludes(check);
  struct ThresholdOption {
    const char* name;
    std::string* value;
    const char* type;
    const char* help;
  };
  for (const auto& t : {
           ThresholdOption{"--max-oldest-age", &args->max_oldest_age, "DURATION[,DURATION]",
                           "With --check: the oldest queued entry may be this old (e.g. 6h, or 1h,6h for "
                           "WARNING,CRITICAL)"},
           ThresholdOption{"--max-dead-letters", &args->max_dead_letters, "N[,N]",
                           "With --check: this many dead letters are tolerated (e.g. 0, or 0,10 for WARNING,CRITICAL)"},
           ThresholdOption{"--max-quarantined", &args->max_quarantined, "N[,N]",
                           "With --check: this many quarantined remote records are tolerated (e.g. 0)"},
           ThresholdOption{"--max-since-success", &args->max_since_success, "DURATION[,DURATION]",
                           "With --check: the store may be out of sync this long (see below; e.g. 24h)"},
       }) {
    cmd->add_option(t.name, *t.value, t.help)->type_name(t.type)->needs(check);
  }
  cmd->footer(
      "Durations: a whole number with s, m, h or d (90s, 15m, 24h, 2d). A single limit is CRITICAL when\n"
      "exceeded; WARN,CRIT gives both. Out of sync: 0 when nothing is queued and the newest recorded\n"
      "run ended done, else the time since the last run that ended done.");
}

// ---- dead-letters ----

void add_dead_letters(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand("dead-letters", "Changes the API rejected for good: list, retry or discard them");
  group->require_subcommand(1);

  auto json_flag = std::make_shared<bool>(false);
  auto* list = add_command(*group, context, "list", "List dead letters, oldest first", [&context, json_flag] {
    const auto letters = list_dead_letters(context.existing_store());
    if (*json_flag) {
      print_json({{"deadLetters", letters}});
      return;
    }
    for (const auto& d : letters) {
      std::cout << d.id << '\t' << model_name(d.model) << '\t' << d.operation << '\t' << d.record_id << '\t'
                << d.dead_at.wire() << "\tattempts=" << d.attempts << '\t' << d.error_class << ": "
                << excerpt(d.error_message, 300) << '\n';
    }
    flush_stdout();
  });
  list->add_flag("--json", *json_flag,
                 "Print {deadLetters: [{id, model, recordId, operation, fields, errorClass, errorMessage, deadAt, "
                 "attempts}]}");

  auto retry_id = std::make_shared<std::int64_t>(0);
  auto* retry = add_command(*group, context, "retry",
                            "Put a dead letter back in the outbox at its old place (exit 3 when "
                            "absent)",
                            [&context, retry_id] {
                              retry_dead_letter(context.existing_store(), *retry_id);
                              print_json({{"id", *retry_id}, {"retried", true}});
                            });
  retry->add_option("ID", *retry_id, "Dead letter id (see dead-letters list)")->required();

  auto discard_id = std::make_shared<std::int64_t>(0);
  auto* discard = add_command(
      *group, context, "discard",
      "Drop a dead letter for good and leave the local store as the API has it: a discarded update sets the "
      "record back to what the API last confirmed (later queued changes still go); a discarded create removes "
      "the record, which never reached the API, with the join rows naming it (exit 3 when absent)",
      [&context, discard_id] {
        const json report = discard_dead_letter(context.existing_store(), *discard_id);
        print_json({{"id", *discard_id},
                    {"discarded", true},
                    {"reverted", report["reverted"]},
                    {"removed", report["removed"]},
                    {"removedRecords", report["removedRecords"]},
                    {"entriesDropped", report["entriesDropped"]}});
      });
  discard->add_option("ID", *discard_id, "Dead letter id (see dead-letters list)")->required();
}

// ---- quarantine ----

void add_quarantine(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand("quarantine", "Remote records this client cannot read, kept aside by sync");
  group->require_subcommand(1);
  auto json_flag = std::make_shared<bool>(false);
  auto* list = add_command(*group, context, "list", "List quarantined records, oldest first", [&context, json_flag] {
    const auto records = list_quarantined(context.existing_store());
    if (*json_flag) {
      print_json({{"quarantined", records}});
      return;
    }
    for (const auto& q : records) {
      std::cout << q.id << '\t' << model_name(q.model) << '\t' << (q.record_id.empty() ? "-" : q.record_id) << '\t'
                << "seen " << q.times_seen << (q.times_seen == 1 ? " time" : " times") << ", last "
                << q.last_seen_at.wire() << '\t' << excerpt(q.reason, 300) << '\n';
    }
    flush_stdout();
  });
  list->add_flag("--json", *json_flag,
                 "Print {quarantined: [{id, model, recordId, reason, excerpt, firstSeenAt, lastSeenAt, timesSeen}]}");

  auto dismiss_id = std::make_shared<std::int64_t>(0);
  auto* dismiss =
      add_command(*group, context, "dismiss",
                  "Forget a quarantined record (it comes back if a sync reads it unreadable again; exit 3 when absent)",
                  [&context, dismiss_id] {
                    dismiss_quarantined(context.existing_store(), *dismiss_id);
                    print_json({{"id", *dismiss_id}, {"dismissed", true}});
                  });
  dismiss->add_option("ID", *dismiss_id, "Quarantine id (see quarantine list)")->required();
  group->footer(
      "A record leaves the quarantine by itself once a sync reads it fine (someone fixed it remotely)\n"
      "or finds it gone. Each sync re-reads quarantined records at most once per hour.");
}

// ---- schedule ----

void add_schedule(CLI::App& app, Context& context) {
  struct Args {
    bool json = false;
    std::size_t limit = 100;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = add_command(app, context, "schedule",
                          "List the unfinished records sync reads back from the API, and when, soonest first",
                          [&context, args] {
                            const auto schedule = refresh_schedule(context.existing_store(), args->limit);
                            if (args->json) {
                              for (const auto& check : schedule) std::cout << json(check).dump() << '\n';
                            } else {
                              for (const auto& c : schedule) {
                                std::cout << model_name(c.model) << '\t' << c.id << '\t' << c.status << "\tnext "
                                          << (c.next_check_at ? c.next_check_at->wire() : "at the next run")
                                          << "\tlast " << (c.checked_at ? c.checked_at->wire() : "never") << '\n';
                              }
                            }
                            flush_stdout();
                          });
  cmd->add_option("--limit", args->limit, "Records to list")->capture_default_str();
  cmd->add_flag("--json", args->json, "Print one object per line: {model, id, status, checkedAt, nextCheckAt}");
  cmd->footer(
      "A record is read back until its status is final: soon after it changed, then less and less often,\n"
      "and at least once an hour; a run reads at most 2,000 of them (README, \"Pull\").");
}

// ---- conflicts ----

// A value as compact JSON, as it would be written in a file ("COMPLETED" with its
// quotes, no escaping on top), pure ASCII, cut after `max_chars`.
std::string compact_json(const json& value, std::size_t max_chars = 60) {
  auto text = value.dump(-1, ' ', true, json::error_handler_t::replace);
  if (text.size() > max_chars) text = text.substr(0, max_chars) + "...(" + std::to_string(text.size()) + " bytes)";
  return text;
}

void add_conflicts(CLI::App& app, Context& context) {
  auto* group = app.add_subcommand("conflicts", "Field decisions made by merges of concurrent changes");
  group->require_subcommand(1);
  struct Args {
    bool json = false;
    std::size_t limit = 100;
  };
  auto args = std::make_shared<Args>();
  auto* list = add_command(*group, context, "list", "List merge decisions, newest first", [&context, args] {
    const auto decisions = list_conflicts(context.existing_store(), args->limit);
    if (args->json) {
      print_json({{"conflicts", decisions}});
      return;
    }
    for (const auto& c : decisions) {
      std::cout << c.id << '\t' << c.decided_at.wire() << '\t' << model_name(c.model) << '\t' << c.record_id << '\t'
                << c.field << "\tchose " << c.chosen << " (" << c.rule << ")\tlocal=" << compact_json(c.local)
                << " remote=" << compact_json(c.remote) << " result=" << compact_json(c.result) << '\n';
    }
    flush_stdout();
  });
  list->add_option("--limit", args->limit, "Decisions to list")->capture_default_str();
  list->add_flag("--json", args->json,
                 "Print {conflicts: [{id, model, recordId, field, base, local, remote, result, chosen, rule, "
                 "decidedAt}]}");
}

}  // namespace

void add_status_commands(CLI::App& app, Context& context) {
  add_status(app, context);
  add_dead_letters(app, context);
  add_quarantine(app, context);
  add_schedule(app, context);
  add_conflicts(app, context);
}

}  // namespace scoringjobs::cli
