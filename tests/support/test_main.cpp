// doctest's main for the one test program, scoringjobs_tests. Each test file
// also has a link to it named after the file (tests/store_test → scoringjobs_tests):
// called by such a name, the program runs only that file's test cases, so
// `tests/store_test -tc='…'` and the ctest entries "store_test: …" behave as
// when every file was its own program.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

int main(int argc, char** argv) {
  doctest::Context context;
  const std::string name = argc > 0 ? std::filesystem::path(argv[0]).filename().string() : std::string();
  if (name.ends_with("_test")) context.addFilter("source-file", ("*/" + name + ".cpp").c_str());
  context.applyCommandLine(argc, argv);
  return context.run();
}
