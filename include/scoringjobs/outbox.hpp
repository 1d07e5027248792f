#pragma once
// The transactional outbox: every local create, update and link queues an entry
// in the same transaction as the row it describes. The sync engine drains it.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "scoringjobs/model.hpp"
#include "scoringjobs/timestamp.hpp"

namespace scoringjobs {

class Store;

enum class Operation { Create, Update };
std::string_view to_string(Operation op) noexcept;

struct OutboxEntry {
  std::int64_t seq = 0;  // enqueue order
  Model model = Model::ScoringJob;
  std::string recordId;
  Operation operation = Operation::Create;
  /// Create: the whole record in wire shape. Update: the changed fields (null for a
  /// cleared one) and the new updatedAt, in wire shape.
  nlohmann::json fields;
  Timestamp enqueuedAt = Timestamp::from_unix_millis(0);
  int attempts = 0;
  std::optional<Timestamp> nextAttemptAt;
  std::optional<std::string> lastError;
};

namespace outbox {

std::int64_t pending_count(Store& store);
/// Age of the oldest queued entry; nullopt when the outbox is empty.
std::optional<std::chrono::milliseconds> oldest_age(Store& store);
/// Entries in enqueue order, starting after `after_seq`.
std::vector<OutboxEntry> list(Store& store, std::size_t limit = 1000, std::int64_t after_seq = 0);

}  // namespace outbox
}  // namespace scoringjobs
