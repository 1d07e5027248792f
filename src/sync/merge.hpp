#pragma once
// The three-way merge of a record: the last state the remote confirmed (base),
// the local record and the remote record now. A pure function.
//
// status never moves backwards in the lifecycle (PENDING < RUNNING < terminal),
// whichever side changed it: the later stage wins; between two terminal
// statuses the side with the later updatedAt wins; unknown statuses: local wins.
// A one-sided move forwards is taken without recording a conflict.
// Other fields: changed only locally → local; changed only remotely → remote;
// changed on both sides to different values →
//   startedAt     the earliest
//   completedAt   goes with the side whose status was chosen (also when only
//                 one side changed it, if the status itself was contested)
//   metadata,     merged key by key the same way (local wins a key changed on
//   errorDetails  both sides); if either side is not a JSON object: local wins
//   anything else local wins
// id and createdAt never change; updatedAt of the result is the remote's (the
// caller stamps a new one when it sends the merge).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/statuses.hpp"
#include "scoringjobs/model.hpp"

namespace scoringjobs::detail {

struct FieldDecision {
  std::string field;  // e.g. "status" or "metadata.source" for a key of an AWSJSON field
  nlohmann::json base, local, remote, result;
  std::string chosen;  // "local", "remote" or "merged"
  std::string rule;    // which rule decided, e.g. "status lifecycle"
};

struct MergeOutcome {
  nlohmann::json merged;                 // the whole record, wire shape
  std::vector<FieldDecision> conflicts;  // one per field changed on both sides
};

/// `record[key]`, or null when the record lacks the key or is not an object: a
/// missing field and a null one compare alike.
const nlohmann::json& field_or_null(const nlohmann::json& record, const std::string& key);

/// `base` is null when no remote state was ever confirmed (every differing field
/// then counts as changed on both sides). All three are wire-shape objects.
MergeOutcome three_way_merge(Model model, const nlohmann::json& base, const nlohmann::json& local,
                             const nlohmann::json& remote);

}  // namespace scoringjobs::detail
