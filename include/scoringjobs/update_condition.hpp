#pragma once
// A compare-and-set test for local updates, as AppSync's update mutations take
// a `condition`: it is checked against the record as stored, inside the
// update's write transaction, so no other writer can change the record between
// the check and the write.

#include <functional>
#include <nlohmann/json.hpp>

namespace scoringjobs {

/// Receives the stored record's wire shape (to_dict(): AWSJSON as strings,
/// timestamps as their stored text, null where unset); true lets the update go
/// ahead. It runs while the store's write lock is held: keep it short, and do
/// not touch the same store from it.
using UpdateCondition = std::function<bool(const nlohmann::json& stored)>;

}  // namespace scoringjobs
