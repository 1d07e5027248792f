#pragma once
// Coalescing the outbox: several pending entries of one record become one
// mutation, without moving that record behind later entries of other records.
// A pure function: no I/O, no clock.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "scoringjobs/model.hpp"
#include "scoringjobs/outbox.hpp"

namespace scoringjobs::detail {

/// One mutation to send, standing for one or more outbox entries of a record.
struct PendingOp {
  Model model = Model::ScoringJob;
  std::string record_id;
  Operation operation = Operation::Create;
  /// Wire shape. Create: the whole record with every later update applied.
  /// Update: the union of the changed fields, the latest value of each (null
  /// clears a field), and the latest updatedAt.
  nlohmann::json fields;
  std::vector<std::int64_t> seqs;  // the entries it stands for, ascending

  std::int64_t first_seq() const { return seqs.front(); }
};

/// `entries` must be in enqueue (seq) order. The result holds one op per record,
/// ordered by the seq of the record's first entry, so relative order between
/// records is the order of their first entries:
///   create, update…  → one create with the final values
///   update, update…  → one update with the merged fields
/// Throws Error{Internal} for a create that follows another entry of the same
/// record (the store never writes that).
std::vector<PendingOp> coalesce(std::span<const OutboxEntry> entries);

}  // namespace scoringjobs::detail
