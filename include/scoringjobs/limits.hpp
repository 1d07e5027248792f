#pragma once
// Input limits, checked before anything is written. They match what the remote
// can hold: any record the API holds legally reads here, and a local write whose
// record DynamoDB would refuse is refused at once, naming the record and size.

#include <cstddef>

namespace scoringjobs::limits {

/// ids (record ids, accountId, scorecardId, itemId, ...), status and other short keys.
inline constexpr std::size_t kMaxIdBytes = 256;
/// DynamoDB's item size limit (attribute names and values), which every record
/// the API stores is within: a write whose record would be larger is refused.
inline constexpr std::size_t kMaxItemBytes = 400 * 1024;
/// Free text such as errorMessage: as much as an item can hold.
inline constexpr std::size_t kMaxTextBytes = kMaxItemBytes;
/// An AWSJSON field (metadata, errorDetails), measured as compact JSON text.
inline constexpr std::size_t kMaxJsonBytes = kMaxItemBytes;
/// Deepest nesting of arrays and objects in JSON input (AWSJSON values, CLI
/// options, fixture files). Far deeper than any real metadata, and shallow
/// enough that every recursive walk of a value (dump, compare, copy) stays well
/// inside the stack, whatever the input.
inline constexpr std::size_t kMaxJsonDepth = 128;
/// Largest batch that batch_scoring_job accepts as max_batch_size.
inline constexpr int kMaxBatchSize = 10'000;

}  // namespace scoringjobs::limits
