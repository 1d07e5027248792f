#pragma once
// Appends an entry to the outbox. Only local_changes.cpp calls this: the entry
// must be written in the same transaction as the row it describes.

#include <nlohmann/json.hpp>
#include <string_view>

#include "scoringjobs/model.hpp"
#include "scoringjobs/outbox.hpp"

namespace scoringjobs::detail {

class WriteTransaction;

void enqueue(WriteTransaction& tx, Model model, std::string_view recordId, Operation operation,
             const nlohmann::json& fields);

}  // namespace scoringjobs::detail
