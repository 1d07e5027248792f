#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <random>

#include "model/wire.hpp"

namespace scoringjobs::detail {
namespace {

std::mt19937_64 seeded_generator() {
  std::random_device device;
  std::seed_seq seed{device(), device(), device(), device(), device(), device(), device(), device()};
  return std::mt19937_64(seed);
}

}  // namespace

std::string new_uuid_v4() {
  // One generator per thread, seeded from the OS, and seeded again in a forked
  // child: a child must never repeat its parent's ids.
  thread_local pid_t owner = ::getpid();
  thread_local std::mt19937_64 generator = seeded_generator();
  if (const pid_t pid = ::getpid(); pid != owner) {
    owner = pid;
    generator = seeded_generator();
  }
  std::uint64_t high = generator();
  std::uint64_t low = generator();
  high = (high & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull;  // version 4
  low = (low & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull;    // RFC 4122 variant
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xFFFF), static_cast<unsigned>(high & 0xFFFF),
                static_cast<unsigned>(low >> 48), static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFull));
  return text;
}

}  // namespace scoringjobs::detail
