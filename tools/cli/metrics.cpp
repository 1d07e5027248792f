#include "metrics.hpp"

#include <array>
#include <cstdio>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "scoringjobs/model.hpp"

namespace scoringjobs::cli {
namespace {

using nlohmann::json;
using Labels = std::vector<std::pair<std::string_view, std::string>>;

// A label value as the exposition format wants it: backslash, quote and newline escaped.
std::string escape_label(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string number(std::int64_t value) { return std::to_string(value); }

// Seconds with millisecond precision, as Prometheus timestamps and durations are given.
// (A double holds every millisecond count up to 2^53 exactly.)
std::string seconds(std::int64_t millis) {
  char text[40];
  std::snprintf(text, sizeof text, "%.3f", static_cast<double>(millis) / 1000.0);
  return text;
}

// Builds the text one metric family at a time: HELP, TYPE, then its samples.
class Exposition {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    text_ += "# HELP ";
    text_ += name;
    text_ += ' ';
    text_ += help;
    text_ += "\n# TYPE ";
    text_ += name;
    text_ += ' ';
    text_ += type;
    text_ += '\n';
    name_ = name;
  }
  void sample(const Labels& labels, const std::string& value) {
    text_ += name_;
    if (!labels.empty()) {
      text_ += '{';
      for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i > 0) text_ += ',';
        text_ += labels[i].first;
        text_ += "=\"" + escape_label(labels[i].second) + '"';
      }
      text_ += '}';
    }
    text_ += ' ' + value + '\n';
  }
  // A family of one unlabelled sample.
  void gauge(std::string_view name, std::string_view help, const std::string& value) {
    family(name, "gauge", help);
    sample({}, value);
  }
  std::string take() { return std::move(text_); }

 private:
  std::string text_;
  std::string_view name_;
};

std::optional<std::int64_t> integer(const json& run, const char* key) {
  const auto it = run.find(key);
  if (it == run.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

std::string time_or_zero(const std::optional<Timestamp>& t) { return t ? seconds(t->unix_millis()) : "0"; }

void add_last_run(Exposition& out, const json& run) {
  if (const auto started = Timestamp::try_parse(run.value("startedAt", ""))) {
    out.gauge("scoringjobs_last_run_timestamp_seconds", "When the last sync run started (Unix time).",
              seconds(started->unix_millis()));
  }
  if (const auto code = integer(run, "exitCode")) {
    out.gauge("scoringjobs_last_run_exit_code", "Exit status of the last sync run (0 done, 75 try later, ...).",
              number(*code));
  }
  if (const auto it = run.find("outcome"); it != run.end() && it->is_string()) {
    out.family("scoringjobs_last_run_outcome", "gauge",
               "The last sync run's outcome, as the label of the one sample (value 1).");
    out.sample({{"outcome", it->get<std::string>()}}, "1");
  }
  if (const auto ms = integer(run, "durationMs")) {
    out.gauge("scoringjobs_last_run_duration_seconds", "How long the last sync run took.", seconds(*ms));
  }
  // The counts of the run's report: name, report key, help.
  constexpr std::array<std::array<const char*, 3>, 3> kCounts{{
      {"scoringjobs_last_run_requests", "requests", "HTTP requests the last sync run made."},
      {"scoringjobs_last_run_pushed", "pushed", "Mutations the API confirmed in the last sync run."},
      {"scoringjobs_last_run_pulled", "pulled", "Records the last sync run refreshed or fetched from the API."},
  }};
  for (const auto& [name, key, help] : kCounts) {
    if (const auto n = integer(run, key)) out.gauge(name, help, number(*n));
  }
}

}  // namespace

std::string prometheus_text(const StoreStatus& status, const json& last_run) {
  Exposition out;
  out.family("scoringjobs_queued", "gauge", "Outbox entries waiting to be synced, by model and operation.");
  for (const auto& [model, by_operation] : status.by_kind) {
    for (const auto& [operation, n] : by_operation) {
      out.sample({{"model", std::string(model_name(model))}, {"operation", std::string(to_string(operation))}},
                 number(n));
    }
  }
  out.gauge("scoringjobs_oldest_queued_age_seconds", "Age of the oldest queued outbox entry; 0 when none is queued.",
            seconds(status.oldest_queued_age ? status.oldest_queued_age->count() : 0));
  out.gauge("scoringjobs_dead_letters", "Changes the API rejected for good, waiting for a person (dead-letters list).",
            number(status.dead_letters));
  out.gauge("scoringjobs_quarantined",
            "Remote records this client cannot read, kept aside by sync while the rest syncs on (quarantine list).",
            number(status.quarantined));
  out.family("scoringjobs_conflicts_total", "counter", "Merge decisions recorded (conflicts list).");
  out.sample({}, number(status.conflicts));
  out.gauge("scoringjobs_last_reached_api_timestamp_seconds",
            "When the last sync run that got an HTTP response from the API ended (Unix time); 0 if none has.",
            time_or_zero(status.last_reached_api_at));
  out.gauge("scoringjobs_last_done_timestamp_seconds",
            "When the last sync run whose outcome was done ended (Unix time); 0 if none has.",
            time_or_zero(status.last_done_at));
  if (last_run.is_object()) add_last_run(out, last_run);
  return out.take();
}

}  // namespace scoringjobs::cli
