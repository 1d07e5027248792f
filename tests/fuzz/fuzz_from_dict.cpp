// from_dict of each model either refuses the input with Error{InvalidArgument}
// or accepts it, and then to_dict / from_dict round-trips exactly.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "scoringjobs/batch_job.hpp"
#include "scoringjobs/batch_job_scoring_job.hpp"
#include "scoringjobs/error.hpp"
#include "scoringjobs/scoring_job.hpp"

namespace {

template <class Record>
void round_trip(const nlohmann::json& input) {
  try {
    const auto record = Record::from_dict(input);
    if (Record::from_dict(record.to_dict()) != record) std::abort();
  } catch (const scoringjobs::Error& e) {
    if (e.code() != scoringjobs::Errc::InvalidArgument) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded()) return 0;
  round_trip<scoringjobs::ScoringJob>(input);
  round_trip<scoringjobs::BatchJob>(input);
  round_trip<scoringjobs::BatchJobScoringJob>(input);
  return 0;
}
