#pragma once
// Forking test children that run a body and report through their exit code.

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>

namespace scoringjobs::test {

/// Runs `body` in a forked child; the child's exit code is 0 only if body returned.
/// The parent must hold no open Store while forking (SQLite connections and
/// their POSIX locks do not survive a fork).
template <class Body>
pid_t spawn(Body&& body) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int code = 0;
    try {
      body();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "child %d: %s\n", ::getpid(), e.what());
      code = 1;
    }
    std::_Exit(code);
  }
  return pid;
}

}  // namespace scoringjobs::test
