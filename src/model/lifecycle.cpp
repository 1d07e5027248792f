#include "model/lifecycle.hpp"

namespace scoringjobs::detail {

int status_rank(Model model, std::string_view status) {
  if (model == Model::ScoringJob) {
    if (status == "PENDING") return 0;
    if (status == "RUNNING") return 1;
    if (status == "COMPLETED" || status == "FAILED" || status == "ERROR") return 2;
  } else if (model == Model::BatchJob) {
    if (status == "OPEN") return 0;
    if (status == "CLOSED") return 1;
    if (status == "PROCESSING") return 2;
    if (status == "PROCESSED") return 3;
    if (status == "COMPLETED" || status == "ERROR") return 4;
  }
  return -1;
}

bool is_terminal_status(Model model, std::string_view status) {
  const int rank = status_rank(model, status);
  return (model == Model::ScoringJob && rank == 2) || (model == Model::BatchJob && rank == 4);
}

}  // namespace scoringjobs::detail
