#include "check.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

#include "app.hpp"
#include "durations.hpp"

namespace scoringjobs::cli {
namespace {

constexpr std::array<std::string_view, 4> kStates{"OK", "WARNING", "CRITICAL", "UNKNOWN"};

template <class Parse>
Threshold parse_threshold(std::string_view text, Parse parse) {
  const auto comma = text.find(',');
  if (comma == std::string_view::npos) return {std::nullopt, parse(text)};
  return {parse(text.substr(0, comma)), parse(text.substr(comma + 1))};
}

// One thing the check looks at: its perfdata label, its value, and how people read it.
struct Measure {
  std::string_view label;
  std::int64_t value;
  bool is_seconds;
  Threshold limit;
  std::string shown;  // e.g. "3 dead letters", "oldest queued 7 h"

  int state() const {
    if (limit.critical && value > *limit.critical) return 2;
    if (limit.warning && value > *limit.warning) return 1;
    return 0;
  }
  std::string limit_text(std::int64_t n) const {
    return is_seconds ? duration_text(std::chrono::seconds(n)) : std::to_string(n);
  }
  // 'label'=value[UOM];[warn];[crit];[min];[max]
  std::string perfdata() const {
    const auto bound = [](const std::optional<std::int64_t>& b) { return b ? std::to_string(*b) : std::string(); };
    return std::string(label) + '=' + std::to_string(value) + (is_seconds ? "s" : "") + ';' + bound(limit.warning) +
           ';' + bound(limit.critical) + ";0;";
  }
};

std::int64_t whole_seconds(std::chrono::milliseconds ms) { return std::max<std::int64_t>(0, ms.count() / 1000); }

}  // namespace

Threshold parse_duration_threshold(std::string_view option, std::string_view text) {
  return parse_threshold(text, [&](std::string_view part) { return parse_duration(option, part).count(); });
}

Threshold parse_count_threshold(std::string_view option, std::string_view text) {
  return parse_threshold(text, [&](std::string_view part) {
    std::int64_t n = 0;
    const auto [rest, error] = std::from_chars(part.data(), part.data() + part.size(), n);
    if (error != std::errc() || rest != part.data() + part.size() || part.empty() || n < 0) {
      throw CliError(ExitCode::Usage, std::string(option) + " \"" + excerpt(text, 40) +
                                          "\" is not a count (a whole number, or WARN,CRIT e.g. 0,5)");
    }
    return n;
  });
}

std::chrono::milliseconds since_success(const StoreStatus& status, const Timestamp& now) {
  const auto since = [&](const Timestamp& t) { return std::chrono::milliseconds(now.unix_millis() - t.unix_millis()); };
  const auto& runs = status.last_runs;
  const bool newest_done = runs.empty() || (runs.front().report.is_object() &&
                                            runs.front().report.value("outcome", std::string()) == "done");
  if (status.queued == 0 && newest_done) return std::chrono::milliseconds(0);
  if (status.last_done_at) return since(*status.last_done_at);
  if (status.first_run_at) return since(*status.first_run_at);
  return status.oldest_queued_age.value_or(std::chrono::milliseconds(0));
}

CheckResult check_status(const StoreStatus& status, const CheckLimits& limits, const Timestamp& now) {
  const auto oldest = whole_seconds(status.oldest_queued_age.value_or(std::chrono::milliseconds(0)));
  const auto since = since_success(status, now);
  std::vector<Measure> measures{
      {"queued", status.queued, false, {}, std::to_string(status.queued) + " queued"},
      {"oldest_queued_age", oldest, true, limits.oldest_age,
       status.oldest_queued_age ? "oldest queued " + age_text(*status.oldest_queued_age) : ""},
      {"dead_letters", status.dead_letters, false, limits.dead_letters,
       std::to_string(status.dead_letters) + (status.dead_letters == 1 ? " dead letter" : " dead letters")},
      {"quarantined", status.quarantined, false, limits.quarantined,
       std::to_string(status.quarantined) + " quarantined"},
      {"since_success", whole_seconds(since), true, limits.since_success,
       since.count() == 0    ? "in sync"
       : status.last_done_at ? "last sync done " + age_text(since) + " ago"
                             : "no sync done for " + age_text(since)},
  };
  int state = 0;
  std::vector<std::string> problems, rest;
  for (const auto& m : measures) {
    const int s = m.state();
    state = std::max(state, s);
    if (s == 0) {
      if (!m.shown.empty()) rest.push_back(m.shown);
    } else {
      const auto& bound = s == 2 ? *m.limit.critical : *m.limit.warning;
      problems.push_back(m.shown + " (over " + m.limit_text(bound) + ")");
    }
  }
  std::string line = "SCORINGJOBS " + std::string(kStates[static_cast<std::size_t>(state)]) + " - ";
  bool first = true;
  for (const auto* list : {&problems, &rest}) {
    for (const auto& text : *list) {
      line += (first ? "" : ", ") + text;
      first = false;
    }
  }
  line += " |";
  for (const auto& m : measures) line += ' ' + m.perfdata();
  return {state, line};
}

CheckResult unknown_result(std::string_view why) {
  // One line, and no '|', which would start the performance data. (Our own
  // messages already quote values through excerpt(), so nothing else needs escaping.)
  std::string text(why.substr(0, 400));
  std::replace_if(
      text.begin(), text.end(), [](char c) { return c == '|' || c == '\n' || c == '\r'; }, ' ');
  return {3, "SCORINGJOBS UNKNOWN - " + text};
}

}  // namespace scoringjobs::cli
