#pragma once
// The transactional outbox: every local create, update and link queues an entry
// in the same transaction as the row it describes. The sync engine drains it.

#include <chrono>
#include <cstdint>
#include <map>
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
  std::string record_id;
  Operation operation = Operation::Create;
  /// Create: the whole record in wire shape. Update: the changed fields (null for a
  /// cleared one) and the new updatedAt, in wire shape.
  nlohmann::json fields;
  Timestamp enqueued_at = Timestamp::from_unix_millis(0);
  int attempts = 0;
  std::optional<Timestamp> next_attempt_at;
  std::optional<std::string> last_error;
};

/// {seq, model, recordId, operation, fields, enqueuedAt, attempts, nextAttemptAt, lastError};
/// AWSJSON fields (metadata, errorDetails) as the JSON values they hold, as records print.
void to_json(nlohmann::json& out, const OutboxEntry& entry);

namespace outbox {

std::int64_t pending_count(Store& store);
/// Queued entries per model and operation (every model and operation present, 0 when none).
std::map<Model, std::map<Operation, std::int64_t>> count_by_kind(Store& store);
/// The earliest next attempt of an entry in backoff; nullopt when none is.
std::optional<Timestamp> next_retry_time(Store& store);
/// Age of the oldest queued entry; nullopt when the outbox is empty.
std::optional<std::chrono::milliseconds> oldest_age(Store& store);
/// Entries in enqueue order, starting after `after_seq`.
std::vector<OutboxEntry> list(Store& store, std::size_t limit = 1000, std::int64_t after_seq = 0);

}  // namespace outbox
}  // namespace scoringjobs
