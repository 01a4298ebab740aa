// Test support shared by every suite: the real data in ../shared, temporary
// directories, golden files.
#pragma once

#include <filesystem>
#include <string>

namespace corridor::testing {

// The shared data and standards folder: $CORRIDOR_SHARED, else
// <source dir>/../shared. Tests that need it FAIL (never skip) when it is
// missing: this throws, and GoogleTest reports the test as failed.
std::filesystem::path SharedDir();
// SharedDir() / relative, checked to exist (throws naming the path otherwise).
std::filesystem::path SharedPath(const std::string& relative);
// <source dir>/tests/<relative> (fixtures, golden files).
std::filesystem::path TestPath(const std::string& relative);
// <source dir>/<relative> (config/ files).
std::filesystem::path SourcePath(const std::string& relative);
// GeoNames' cities1000.txt as scripts/geonames.sh fetches it: under
// $CORRIDOR_GEONAMES_DIR, else <source dir>/build/geonames. Throws (the test
// fails, never skips) when it is missing.
std::filesystem::path GeoNamesPath();
// The build directory (for the corridor binary: BuildDir() / "corridor").
std::filesystem::path BuildDir();
// The URI of the PostgreSQL test cluster's "postgres" database: the
// cluster ctest's fixture "postgresql" starts for this build tree
// (tests/CMakeLists.txt), or $CORRIDOR_TEST_POSTGRESQL.
std::string PostgresqlCluster();

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string ReadFile(const std::filesystem::path& path);
void WriteFile(const std::filesystem::path& path, const std::string& content);

// Compares `got` with tests/golden/<name>; CORRIDOR_UPDATE_GOLDEN=1 rewrites it.
void ExpectGolden(const std::string& name, const std::string& got);

// Runs a shell command, returning its exit status and captured stdout
// (stderr goes to `stderr_out` when given).
struct CommandResult {
  int status = -1;
  std::string out;
  std::string err;
};
CommandResult RunCommand(const std::string& command);

}  // namespace corridor::testing
