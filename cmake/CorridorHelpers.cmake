# corridor_library(NAME SOURCES ... DEPS ...): one static library per subsystem.
function(corridor_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR}/include PRIVATE ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# corridor_add_test(NAME SOURCES ... DEPS ...): a GoogleTest binary whose tests
# ctest discovers. Tests run from the source tree's tests/ directory and find
# the shared data through CORRIDOR_SHARED (default: <repo>/../shared).
function(corridor_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/src ${CMAKE_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} corridor_testing GTest::gtest GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "CORRIDOR_SOURCE_DIR=${CMAKE_SOURCE_DIR};CORRIDOR_BUILD_DIR=${CMAKE_BINARY_DIR}")
endfunction()
