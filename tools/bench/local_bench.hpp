#pragma once
// Figures 1, 2, 3 and 7: the store's local operations against the raw sqlite3
// baseline, lookups at scale, bulk writes and the cost of synchronous=FULL.

#include <vector>

#include "figure.hpp"
#include "options.hpp"

namespace scoringjobs::bench {

std::vector<Figure> run_local_figures(const Options& options);

/// For profilers (valgrind --tool=callgrind, perf): runs `count` calls of one
/// operation on the library, then the same on the raw baseline, untimed, on
/// the 10k lookup store (or a fresh store for create). `op` is get_by_id,
/// find_by_item_id, get_batch_job, create, or import (`count` jobs in one
/// fixture document, imported once). The functions to select with
/// callgrind's --toggle-collect are profile_ours and profile_raw.
void run_profile(const Options& options, const std::string& op, std::size_t count);

}  // namespace scoringjobs::bench
