#include "sync/coalesce.hpp"

#include <map>
#include <utility>

#include "scoringjobs/error.hpp"

namespace scoringjobs::detail {

std::vector<PendingOp> coalesce(std::span<const OutboxEntry> entries) {
  std::vector<PendingOp> ops;
  std::map<std::pair<Model, std::string>, std::size_t> op_of_record;
  for (const auto& entry : entries) {
    const auto key = std::make_pair(entry.model, entry.record_id);
    const auto found = op_of_record.find(key);
    if (found == op_of_record.end()) {
      op_of_record.emplace(key, ops.size());
      ops.push_back(PendingOp{entry.model, entry.record_id, entry.operation, entry.fields, {entry.seq}});
      continue;
    }
    auto& op = ops[found->second];
    if (entry.operation == Operation::Create) {
      throw Error(Errc::Internal, "outbox entry " + std::to_string(entry.seq) + " creates " +
                                      std::string(model_name(entry.model)) + " " + entry.record_id +
                                      " after an earlier entry of the same record");
    }
    for (const auto& [field, value] : entry.fields.items()) op.fields[field] = value;
    op.seqs.push_back(entry.seq);
  }
  return ops;
}

}  // namespace scoringjobs::detail
