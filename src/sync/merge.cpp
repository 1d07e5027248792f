#include "sync/merge.hpp"

#include <optional>
#include <set>

#include "scoringjobs/timestamp.hpp"

namespace scoringjobs::detail {
namespace {

using nlohmann::json;

enum class Side { Local, Remote };

std::optional<Timestamp> as_timestamp(const json& value) {
  if (!value.is_string()) return std::nullopt;
  return Timestamp::try_parse(value.get_ref<const std::string&>());
}

// An AWSJSON wire value (a string holding JSON) as the object it holds.
std::optional<json> as_object(const json& wire) {
  if (!wire.is_string()) return std::nullopt;
  auto parsed = json::parse(wire.get_ref<const std::string&>(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

class Merger {
 public:
  Merger(Model model, const json& base, const json& local, const json& remote)
      : model_(model), base_(base), local_(local), remote_(remote), base_known_(base.is_object()) {}

  MergeOutcome run() {
    MergeOutcome out;
    out.merged = remote_;
    std::set<std::string> keys;
    for (const auto& item : local_.items()) keys.insert(item.key());
    for (const auto& item : remote_.items()) keys.insert(item.key());
    keys.erase("id");
    keys.erase("createdAt");
    keys.erase("updatedAt");
    // status first: completedAt follows whichever side its decision favoured.
    if (keys.count("status")) merge_field("status", out);
    for (const auto& key : keys) {
      if (key != "status") merge_field(key, out);
    }
    return out;
  }

 private:
  void merge_field(const std::string& key, MergeOutcome& out) {
    const json& b = field_or_null(base_, key);
    const json& l = field_or_null(local_, key);
    const json& r = field_or_null(remote_, key);
    if (l == r) {
      out.merged[key] = l;
      return;
    }
    if (key == "status") {
      merge_status(b, l, r, out);
      return;
    }
    if (key == "completedAt" && status_contested_) {
      // Whichever side set it: a completedAt without its status would describe a
      // completion that did not happen.
      decide(key, b, l, r, *status_side_, "completedAt goes with the winning status", out);
      return;
    }
    if (base_known_ && l == b) {
      out.merged[key] = r;
      return;
    }
    if (base_known_ && r == b) {
      out.merged[key] = l;
      return;
    }
    if (key == "metadata" || key == "errorDetails") {
      merge_json_object(key, b, l, r, out);
      return;
    }
    if (key == "startedAt") {
      decide(key, b, l, r, earliest(l, r), "startedAt keeps the earliest", out);
    } else if (key == "completedAt") {
      decide(key, b, l, r, status_side_.value_or(Side::Local), "completedAt goes with the winning status", out);
    } else {
      decide(key, b, l, r, Side::Local, "changed on both sides: local wins", out);
    }
  }

  static void decide(const std::string& key, const json& b, const json& l, const json& r, Side side, std::string rule,
                     MergeOutcome& out) {
    const json& result = side == Side::Local ? l : r;
    out.merged[key] = result;
    out.conflicts.push_back({key, b, l, r, result, side == Side::Local ? "local" : "remote", std::move(rule)});
  }

  // Status never moves backwards in the lifecycle, whichever side changed it; a
  // one-sided change forwards is simply taken. completedAt follows the side chosen.
  void merge_status(const json& b, const json& l, const json& r, MergeOutcome& out) {
    const bool known = l.is_string() && r.is_string() && status_rank(model_, l.get_ref<const std::string&>()) >= 0 &&
                       status_rank(model_, r.get_ref<const std::string&>()) >= 0;
    if (!known && base_known_ && (l == b || r == b)) {
      // A status outside the lifecycle changes like any other field.
      out.merged["status"] = l == b ? r : l;
      status_side_ = l == b ? Side::Remote : Side::Local;
      return;
    }
    std::string rule;
    const Side side = decide_status(l, r, rule);
    status_side_ = side;
    const json& chosen = side == Side::Local ? l : r;
    out.merged["status"] = chosen;
    const bool one_sided = base_known_ && (l == b || r == b);
    const bool took_the_change = one_sided && chosen != b;
    if (took_the_change) return;  // an ordinary one-sided change: no conflict to record
    status_contested_ = true;
    out.conflicts.push_back({"status", b, l, r, chosen, side == Side::Local ? "local" : "remote", rule});
  }

  Side decide_status(const json& l, const json& r, std::string& rule) const {
    const int rank_l = l.is_string() ? status_rank(model_, l.get_ref<const std::string&>()) : -1;
    const int rank_r = r.is_string() ? status_rank(model_, r.get_ref<const std::string&>()) : -1;
    if (rank_l < 0 || rank_r < 0) {
      rule = "unknown status: local wins";
      return Side::Local;
    }
    if (rank_l != rank_r) {
      rule = "status never moves backwards";
      return rank_l > rank_r ? Side::Local : Side::Remote;
    }
    rule = "between terminal statuses the later updatedAt wins";
    const auto updated_l = as_timestamp(field_or_null(local_, "updatedAt"));
    const auto updated_r = as_timestamp(field_or_null(remote_, "updatedAt"));
    if (updated_l && updated_r && *updated_r > *updated_l) return Side::Remote;
    return Side::Local;
  }

  static Side earliest(const json& l, const json& r) {
    const auto tl = as_timestamp(l);
    const auto tr = as_timestamp(r);
    if (!tl) return tr ? Side::Remote : Side::Local;
    if (!tr) return Side::Local;
    return *tr < *tl ? Side::Remote : Side::Local;
  }

  // One key of an AWSJSON object on one side: absent, or present with a value.
  struct Slot {
    bool present = false;
    json value;
  };

  static Slot slot_of(const std::optional<json>& object, const std::string& key) {
    if (!object || !object->contains(key)) return {};
    return {true, (*object)[key]};
  }

  static bool same(const Slot& a, const Slot& b) { return a.present == b.present && a.value == b.value; }

  // AWSJSON objects merge key by key, with the same rules and local winning a key
  // changed on both sides.
  void merge_json_object(const std::string& key, const json& b, const json& l, const json& r, MergeOutcome& out) {
    const auto lo = as_object(l);
    const auto ro = as_object(r);
    if (!lo || !ro) {
      out.merged[key] = l;
      out.conflicts.push_back({key, b, l, r, l, "local", "not JSON objects on both sides: local wins"});
      return;
    }
    // A known base without the field merges against an empty object.
    auto bo = as_object(b);
    if (!bo && base_known_ && b.is_null()) bo = json::object();
    json merged = *ro;
    std::set<std::string> inner;
    for (const auto& item : lo->items()) inner.insert(item.key());
    for (const auto& item : ro->items()) inner.insert(item.key());
    for (const auto& k : inner) {
      const Slot sb = slot_of(bo, k);
      const Slot sl = slot_of(lo, k);
      const Slot sr = slot_of(ro, k);
      // The side that changed the key from the base wins; local when both did.
      const bool agree = same(sl, sr);
      const bool only_remote_changed = !agree && bo && same(sl, sb);
      const bool conflict = !agree && !only_remote_changed && !(bo && same(sr, sb));
      const Slot& kept = only_remote_changed ? sr : sl;
      if (kept.present) {
        merged[k] = kept.value;
      } else {
        merged.erase(k);
      }
      if (conflict) {
        out.conflicts.push_back({std::string(key).append(".").append(k), sb.value, sl.value, sr.value, sl.value,
                                 "local", "key changed on both sides: local wins"});
      }
    }
    out.merged[key] = merged.dump();
  }

  Model model_;
  const json& base_;
  const json& local_;
  const json& remote_;
  bool base_known_;
  std::optional<Side> status_side_;
  bool status_contested_ = false;  // the status decision was recorded as a conflict
};

}  // namespace

const json& field_or_null(const json& record, const std::string& key) {
  static const json null_value;
  if (!record.is_object()) return null_value;
  const auto it = record.find(key);
  return it == record.end() ? null_value : *it;
}

MergeOutcome three_way_merge(Model model, const json& base, const json& local, const json& remote) {
  return Merger(model, base, local, remote).run();
}

}  // namespace scoringjobs::detail
