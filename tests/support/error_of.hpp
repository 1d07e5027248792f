#pragma once
// The scoringjobs::Error a call throws, so tests can assert on its code and field.

#include <doctest/doctest.h>

#include "scoringjobs/error.hpp"

namespace scoringjobs::test {

template <class F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("no scoringjobs::Error thrown");
  return Error(Errc::Internal, "unreachable");
}

}  // namespace scoringjobs::test
