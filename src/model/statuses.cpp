#include "model/statuses.hpp"

#include <array>

namespace scoringjobs {
namespace {

struct Status {
  std::string_view name;
  int rank;  // -1: known, but outside the lifecycle the merge orders
};

constexpr std::array kScoringJob{Status{"PENDING", 0}, Status{"RUNNING", 1}, Status{"COMPLETED", 2},
                                 Status{"FAILED", 2}, Status{"ERROR", 2}};
constexpr std::array kBatchJob{Status{"PENDING", -1},   Status{"OPEN", 0},      Status{"CLOSED", 1},
                               Status{"PROCESSING", 2}, Status{"PROCESSED", 3}, Status{"COMPLETED", 4},
                               Status{"ERROR", 4}};

std::span<const Status> table(Model model) noexcept {
  switch (model) {
    case Model::ScoringJob: return kScoringJob;
    case Model::BatchJob: return kBatchJob;
    case Model::BatchJobScoringJob: return {};
  }
  return {};
}

template <std::size_t N>
constexpr std::array<std::string_view, N> names_of(const std::array<Status, N>& statuses) {
  std::array<std::string_view, N> names{};
  for (std::size_t i = 0; i < N; ++i) names[i] = statuses[i].name;
  return names;
}
constexpr auto kScoringJobNames = names_of(kScoringJob);
constexpr auto kBatchJobNames = names_of(kBatchJob);

}  // namespace

std::span<const std::string_view> known_statuses(Model model) noexcept {
  switch (model) {
    case Model::ScoringJob: return kScoringJobNames;
    case Model::BatchJob: return kBatchJobNames;
    case Model::BatchJobScoringJob: return {};
  }
  return {};
}

bool is_known_status(Model model, std::string_view status) noexcept {
  for (const auto& known : table(model)) {
    if (known.name == status) return true;
  }
  return false;
}

namespace detail {

int status_rank(Model model, std::string_view status) {
  for (const auto& known : table(model)) {
    if (known.name == status) return known.rank;
  }
  return -1;
}

bool is_terminal_status(Model model, std::string_view status) {
  const int rank = status_rank(model, status);
  return (model == Model::ScoringJob && rank == 2) || (model == Model::BatchJob && rank == 4);
}

}  // namespace detail
}  // namespace scoringjobs
