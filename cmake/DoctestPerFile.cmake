# doctest_discover_tests() for one test program built from many test files,
# reached through a link per file (tests/support/test_main.cpp runs only the
# cases of the file a link is named after).
include(doctest)

# Makes `link` a link to `target`'s program and each test case it runs a ctest
# entry "<link name>: <case>" whose command is the link, with `PROPERTIES`.
# Like doctest_discover_tests, the cases are listed once the program is built.
function(scoringjobs_doctest_link target link)
  cmake_parse_arguments(arg "" "" "PROPERTIES" ${ARGN})
  get_filename_component(name "${link}" NAME)
  set(tests_file "${CMAKE_CURRENT_BINARY_DIR}/${name}_tests.cmake")
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${name}_include.cmake")
  add_custom_command(
    TARGET ${target} POST_BUILD
    BYPRODUCTS "${tests_file}"
    COMMAND "${CMAKE_COMMAND}" -E create_symlink "$<TARGET_FILE_NAME:${target}>" "${link}"
    # doctest's own discovery script, as doctest_discover_tests() runs it.
    COMMAND "${CMAKE_COMMAND}"
            -D "TEST_TARGET=${name}"
            -D "TEST_EXECUTABLE=${link}"
            -D "TEST_EXECUTOR="
            -D "TEST_WORKING_DIR=${CMAKE_CURRENT_BINARY_DIR}"
            -D "TEST_SPEC="
            -D "TEST_EXTRA_ARGS="
            -D "TEST_PROPERTIES=${arg_PROPERTIES}"
            -D "TEST_ADD_LABELS="
            -D "TEST_PREFIX=${name}: "
            -D "TEST_SUFFIX="
            -D "TEST_LIST=${name}_TESTS"
            -D "TEST_JUNIT_OUTPUT_DIR="
            -D "CTEST_FILE=${tests_file}"
            -P "${_DOCTEST_DISCOVER_TESTS_SCRIPT}"
    VERBATIM)
  file(WRITE "${include_file}"
       "if(EXISTS \"${tests_file}\")\n"
       "  include(\"${tests_file}\")\n"
       "else()\n"
       "  add_test(${name}_NOT_BUILT ${name}_NOT_BUILT)\n"
       "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()
