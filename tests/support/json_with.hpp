#pragma once
// A record with some fields set: the way tests derive one record from another.

#include <nlohmann/json.hpp>

namespace scoringjobs::test {

/// `record` with each member of `patch` set (null included, unlike a merge patch).
inline nlohmann::json with(nlohmann::json record, const nlohmann::json& patch) {
  for (const auto& [key, value] : patch.items()) record[key] = value;
  return record;
}

}  // namespace scoringjobs::test
