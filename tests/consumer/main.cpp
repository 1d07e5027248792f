#include <cstdio>
#include <filesystem>
#include <scoringjobs/scoringjobs.hpp>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  auto store = scoringjobs::Store::open(std::filesystem::path(argv[1]));
  const auto job = scoringjobs::ScoringJob::create(store, "acct", "card", "item");
  const auto back = scoringjobs::ScoringJob::get_by_id(job.id, store);
  std::printf("%s %s\n", back.id.c_str(), std::string(scoringjobs::version()).c_str());
  return back == job && scoringjobs::outbox::pending_count(store) == 1 ? 0 : 1;
}
