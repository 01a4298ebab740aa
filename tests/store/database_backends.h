// The backends every aggregate conformance suite runs against (issue 16 §1):
// SQLite always; PostgreSQL when the build has it. A suite is parameterised
// over DatabaseBackend and opens a fresh database per test:
//
//   class JobStoreConformance : public DatabaseTest {};
//   TEST_P(JobStoreConformance, ...) { auto db = Open({JobsModule()}); ... }
//   INSTANTIATE_TEST_SUITE_P(Backends, JobStoreConformance,
//                            ::testing::ValuesIn(DatabaseBackends()), BackendName);
#pragma once

#include <gtest/gtest.h>

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

inline std::vector<DatabaseBackend> DatabaseBackends() {
  return {{"sqlite", [](const std::string& dir, const std::string& name, StoreKind kind,
                        const std::vector<Module>& modules) {
             return OpenDatabase(dir + "/" + name + ".db", kind, modules);
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
  testing::TempDir dir_;
};

}  // namespace corridor::store::conformance
