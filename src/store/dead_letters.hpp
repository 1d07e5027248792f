#pragma once
// The dead-letter table: mutations the API refused for good, with what was sent
// and why. The outbox entries they stood for leave the outbox when they arrive
// here and go back (at their old place) when a person retries them.

#include <cstdint>
#include <optional>
#include <vector>

#include "scoringjobs/sync.hpp"

namespace scoringjobs::detail {

struct StoreImpl;
class WriteTransaction;

std::vector<DeadLetter> read_dead_letters(StoreImpl& store);
std::optional<DeadLetter> find_dead_letter(StoreImpl& store, std::int64_t id);
std::int64_t count_dead_letter_rows(StoreImpl& store);
/// Puts the letter back in the outbox at its old place (the first seq it stood
/// for) and removes it. False when there is no such letter.
bool requeue_dead_letter(WriteTransaction& tx, std::int64_t id);
/// Removes the letter; false when there is none.
bool delete_dead_letter(WriteTransaction& tx, std::int64_t id);

}  // namespace scoringjobs::detail
