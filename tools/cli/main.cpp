// scoringjobs: the command-line tool. Everything lives in app.cpp and the
// command-group files; main only hands over the arguments.

#include "app.hpp"

int main(int argc, char** argv) { return scoringjobs::cli::run(argc, argv); }
