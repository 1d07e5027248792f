#pragma once
// The quarantine table: remote records this client cannot read, kept aside
// with why and a bounded excerpt of what the API returned, so that every other
// record keeps syncing and a person can see what to fix.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scoringjobs/model.hpp"
#include "scoringjobs/timestamp.hpp"

namespace scoringjobs::detail {

struct StoreImpl;
class WriteTransaction;

struct QuarantineRow {
  std::int64_t id = 0;
  Model model = Model::ScoringJob;
  std::string record_id;  // empty when not even the id could be read
  std::string reason;
  std::string excerpt;
  Timestamp first_seen_at = Timestamp::from_unix_millis(0);
  Timestamp last_seen_at = Timestamp::from_unix_millis(0);
  std::int64_t times_seen = 0;
};

/// Records that a read found this record unreadable (again). Returns true when
/// it was not quarantined before. `record_id` may be empty: the excerpt then
/// tells such records apart.
bool quarantine(WriteTransaction& tx, Model model, std::string_view record_id, std::string_view reason,
                std::string_view excerpt);
/// The record read fine (or is gone): it leaves the quarantine. Returns whether it was there.
bool release_quarantine(WriteTransaction& tx, Model model, std::string_view record_id);
/// Removes one row by its id; false when there is none.
bool dismiss_quarantine(WriteTransaction& tx, std::int64_t id);
bool is_quarantined(StoreImpl& store, Model model, std::string_view record_id);
std::vector<QuarantineRow> quarantine_rows(StoreImpl& store);
std::int64_t count_quarantine(StoreImpl& store);
/// Quarantined records with a known id last seen before `before`, oldest first:
/// the ones to read again, to see whether someone fixed them.
std::vector<std::pair<Model, std::string>> quarantine_due(StoreImpl& store, const Timestamp& before, std::size_t limit);

}  // namespace scoringjobs::detail
