# corridor_library(NAME SOURCES ... DEPS ...): one static library per subsystem.
function(corridor_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR}/include PRIVATE ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# corridor_add_test(NAME SOURCES ... DEPS ... [ONE_PROCESS] [TIMEOUT s] [PREFIX p]): a
# GoogleTest binary. By default ctest discovers and runs each test on its own; PREFIX
# goes before each discovered name ("auth." lets `ctest -R auth` pick the suite); POSTGRESQL
# gives the tests the PostgreSQL cluster of the fixture "postgresql"; ONE_PROCESS runs
# the binary once, for suites whose fixtures load the real data (loading once per
# process instead of once per test). Tests find the source tree (fixtures, golden
# files, ../shared) and the build tree (the corridor binary) through the environment,
# else through the paths compiled into corridor_testing.
function(corridor_add_test name)
  cmake_parse_arguments(ARG "ONE_PROCESS;POSTGRESQL" "TIMEOUT;PREFIX" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/src ${CMAKE_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} corridor_testing GTest::gtest GTest::gtest_main)
  set(env "CORRIDOR_SOURCE_DIR=${CMAKE_SOURCE_DIR};CORRIDOR_BUILD_DIR=${CMAKE_BINARY_DIR}")
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  set(fixtures "")
  if(ARG_POSTGRESQL)  # needs the test cluster (tests/CMakeLists.txt, fixture "postgresql")
    set(fixtures postgresql)
  endif()
  if(ARG_ONE_PROCESS)
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}" TIMEOUT ${ARG_TIMEOUT}
      FIXTURES_REQUIRED "${fixtures}")
  else()
    # CMake 3.25's gtest_discover_tests splits a list-valued property into
    # separate arguments, which misaligns every property after it: pass one
    # environment variable, last (the tests fall back to the values compiled
    # into corridor_testing, tests/testing/testing.cc).
    set(props TIMEOUT ${ARG_TIMEOUT})
    if(fixtures)
      list(APPEND props FIXTURES_REQUIRED ${fixtures})
    endif()
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 TEST_PREFIX "${ARG_PREFIX}"
      PROPERTIES ${props} ENVIRONMENT "CORRIDOR_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
  endif()
endfunction()
