#pragma once
// Input limits, checked before anything is written. They keep every record well
// inside DynamoDB's 400 KB item limit and AppSync's 1 MB response limit.

#include <cstddef>

namespace scoringjobs::limits {

/// ids (record ids, accountId, scorecardId, itemId, ...), status and other short keys.
inline constexpr std::size_t kMaxIdBytes = 256;
/// Free text such as errorMessage.
inline constexpr std::size_t kMaxTextBytes = 64 * 1024;
/// An AWSJSON field (metadata, errorDetails), measured as compact JSON text.
inline constexpr std::size_t kMaxJsonBytes = 256 * 1024;
/// Deepest nesting of arrays and objects in JSON input (AWSJSON values, CLI
/// options, fixture files). Far deeper than any real metadata, and shallow
/// enough that every recursive walk of a value (dump, compare, copy) stays well
/// inside the stack, whatever the input.
inline constexpr std::size_t kMaxJsonDepth = 128;
/// Largest batch that batch_scoring_job accepts as max_batch_size.
inline constexpr int kMaxBatchSize = 10'000;

}  // namespace scoringjobs::limits
