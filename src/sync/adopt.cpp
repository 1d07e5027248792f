#include "sync/adopt.hpp"

#include <algorithm>

#include "scoringjobs/log.hpp"
#include "store/quarantine.hpp"
#include "store/record_io.hpp"
#include "store/store_impl.hpp"
#include "store/write_transaction.hpp"
#include "sync/merge.hpp"

namespace scoringjobs::detail {
namespace {

using nlohmann::json;

bool is_awsjson_field(std::string_view field) { return field == "metadata" || field == "errorDetails"; }

std::optional<Timestamp> updated_at(const json& record) {
  const auto& value = field_or_null(record, "updatedAt");
  return value.is_string() ? Timestamp::try_parse(value.get_ref<const std::string&>()) : std::nullopt;
}

std::int64_t millis(std::chrono::milliseconds duration) { return duration.count(); }

}  // namespace

bool same_value(std::string_view field, const json& a, const json& b) {
  if (a == b) return true;
  if (!is_awsjson_field(field) || !a.is_string() || !b.is_string()) return false;
  const auto left = json::parse(a.get_ref<const std::string&>(), nullptr, false);
  const auto right = json::parse(b.get_ref<const std::string&>(), nullptr, false);
  return !left.is_discarded() && !right.is_discarded() && left == right;
}

bool holds(const json& remote, const json& sent) {
  for (const auto& [field, value] : sent.items()) {
    if (field == "id") continue;
    if (!same_value(field, field_or_null(remote, field), value)) return false;
  }
  return true;
}

bool same_record(const json& a, const json& b) {
  if (!a.is_object() || !b.is_object()) return a == b;
  return holds(a, b) && holds(b, a);
}

bool is_newer(const json& remote, const RemoteState& state, const Timestamp& now) {
  const auto ours = updated_at(state.fields);
  if (!ours || state.deleted_remotely) return true;  // nothing to order by
  const auto theirs = updated_at(remote);
  if (!theirs) return false;  // cannot be shown newer; a later read will tell
  // Stamped by a clock running ahead: later versions from right clocks sort
  // before it, so its order says nothing.
  if (ours->unix_millis() > now.unix_millis() + millis(kClockSkew)) return true;
  const auto order = *theirs <=> *ours;
  if (order != 0) return order > 0;
  return !same_record(remote, state.fields);
}

Taken take_found(RunContext& run, WriteTransaction& tx, Model model, const json& remote) {
  const auto id = remote.at("id").get<std::string>();
  release_quarantine(tx, model, id);
  // Push settles records with local changes, through the compare-and-set; a
  // dead-lettered change waits for a person and is never written over.
  if (has_pending_entries(run.impl, model, id) || has_dead_letter(run.impl, model, id)) return Taken::Kept;
  const auto state = find_remote_state(run.impl, model, id);
  if (state && !state->deleted_remotely && state->fields.is_object()) {
    if (same_record(state->fields, remote)) {
      if (state->absent_since) put_remote_state(tx, model, remote);  // found again: the absence is over
      return Taken::Unchanged;
    }
    if (!is_newer(remote, *state, Timestamp::now())) return Taken::Older;
  }
  // With no local change waiting, the local record equals the last confirmed
  // remote state: every difference is a remote change to take.
  write_local(tx, model, remote);
  put_remote_state(tx, model, remote);
  ++run.report.pulled;
  if (state && state->deleted_remotely) {
    log(LogLevel::Warn, std::string(model_name(model)) + " " + id + " is back remotely; no longer flagged deleted");
  }
  return Taken::Adopted;
}

bool take_absent(RunContext& run, WriteTransaction& tx, Model model, const std::string& id) {
  release_quarantine(tx, model, id);  // gone: nothing left to fix
  const auto now = Timestamp::now();
  const auto since = note_absent(tx, model, id, now);
  if (now.unix_millis() - since.unix_millis() < millis(run.options.absence_confirmation)) return false;
  const auto state = find_remote_state(run.impl, model, id);
  if (state && !state->deleted_remotely) {
    // Flag it rather than drop it: someone may need what we hold.
    flag_deleted_remotely(tx, model, id);
    ++run.report.deleted_remotely;
    log(LogLevel::Warn, std::string(model_name(model)) + " " + id + " was deleted remotely (absent since " +
                            since.wire() + "); kept locally, flagged");
  }
  return true;
}

void take_unreadable(RunContext& run, WriteTransaction& tx, Model model, const UnreadableRecord& record) {
  if (!quarantine(tx, model, record.id, record.reason, record.excerpt)) return;
  ++run.report.quarantined;
  log(LogLevel::Warn, "quarantined " + std::string(model_name(model)) + " " +
                          (record.id.empty() ? std::string("(id unreadable)") : excerpt(record.id)) +
                          ", which this client cannot read: " + excerpt(record.reason, 300));
}

Timestamp next_check(RunContext& run, const std::optional<Timestamp>& changed_at, const Timestamp& now) {
  const auto longest = millis(std::chrono::duration_cast<std::chrono::milliseconds>(run.options.longest_staleness));
  const auto age = changed_at ? std::max<std::int64_t>(0, now.unix_millis() - changed_at->unix_millis()) : longest;
  const auto interval = std::min(age / 2, longest);
  // Spread records read together over the last tenth of their interval (six
  // minutes of an hour: more than a 5-minute timer's period), so they do not
  // all fall due in the same run again, while each is read almost as seldom as
  // its interval allows.
  std::uniform_int_distribution<std::int64_t> jitter(interval - interval / 10, std::max<std::int64_t>(interval, 0));
  return Timestamp::from_unix_millis(now.unix_millis() + jitter(run.random));
}

}  // namespace scoringjobs::detail
