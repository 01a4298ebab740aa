// The backends every aggregate conformance suite runs against (issue 16 §1):
// SQLite and PostgreSQL. A suite is parameterised over DatabaseBackend and
// opens a fresh database per test (a new file; a new PostgreSQL database on
// the cluster that the ctest fixture "postgresql" starts, see
// tools/postgresql_cluster.sh and testing::PostgresqlCluster):
//
//   class JobStoreConformance : public DatabaseTest {};
//   TEST_P(JobStoreConformance, ...) { auto db = Open({JobsModule()}); ... }
//   INSTANTIATE_TEST_SUITE_P(Backends, JobStoreConformance,
//                            ::testing::ValuesIn(DatabaseBackends()), BackendName);
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "corridor/store/database.h"
#include "testing/testing.h"

namespace corridor::store::conformance {

struct DatabaseBackend {
  std::string name;
  // Opens a new, empty database of `kind` named `name` under `dir`.
  std::function<Result<std::unique_ptr<Database>>(const std::string& dir, const std::string& name,
                                                  StoreKind kind, const std::vector<Module>&)>
      open;
};

inline void PrintTo(const DatabaseBackend& b, std::ostream* os) { *os << b.name; }
inline std::string BackendName(const ::testing::TestParamInfo<DatabaseBackend>& info) {
  return info.param.name;
}

// The URI of the test cluster's database for `name` in the test whose
// temporary directory is `dir` (so a test reopens its own databases and never
// sees another test's): "postgresql:///c_<hash of dir>_<name>?host=...".
inline std::string PostgresqlLocation(const std::string& dir, const std::string& name) {
  std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : dir) hash = (hash ^ c) * 1099511628211ULL;
  char tag[17];
  std::snprintf(tag, sizeof tag, "%016llx", static_cast<unsigned long long>(hash));
  const std::string uri = testing::PostgresqlCluster();
  const std::size_t query = uri.find('?');
  return "postgresql:///c_" + std::string(tag) + "_" + name +
         (query == std::string::npos ? "" : uri.substr(query));
}

inline std::vector<DatabaseBackend> DatabaseBackends() {
  return {{"sqlite",
           [](const std::string& dir, const std::string& name, StoreKind kind,
              const std::vector<Module>& modules) {
             return OpenDatabase(dir + "/" + name + ".db", kind, modules);
           }},
          {"postgresql", [](const std::string& dir, const std::string& name, StoreKind kind,
                            const std::vector<Module>& modules) {
             return OpenDatabase(PostgresqlLocation(dir, name), kind, modules);
           }}};
}

// A fixture with a temporary directory and the parameter's backend.
class DatabaseTest : public ::testing::TestWithParam<DatabaseBackend> {
 protected:
  std::unique_ptr<Database> Open(const std::vector<Module>& modules,
                                 StoreKind kind = StoreKind::kSecurity,
                                 const std::string& name = "store") {
    auto db = GetParam().open(dir_.path().string(), name, kind, modules);
    EXPECT_TRUE(db.has_value()) << (db ? "" : db.error().message);
    return db ? std::move(*db) : nullptr;
  }
  // A transaction on db_ (the store a fixture's SetUp opened).
  template <typename F>
  auto Write(F&& fn) {
    return InWriteTransaction(*db_, std::forward<F>(fn));
  }
  template <typename F>
  auto Read(F&& fn) {
    return InReadTransaction(*db_, std::forward<F>(fn));
  }
  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

}  // namespace corridor::store::conformance
