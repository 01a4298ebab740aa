// A store loaded with the real data of ../shared/data the way the demo loads
// it: OCHA boundaries (levels 0-2), the UCDP GED Pakistan events, and
// optionally the AidData sites. For suites that test over the real picture.
#pragma once

#include <memory>
#include <string>

#include "corridor/common/result.h"
#include "corridor/store/store.h"

namespace corridor::testing {

struct RealStoreOptions {
  bool sites = false;  // also import the AidData sites
};

// Creates the store at `path` and loads it. Fails naming the step that failed;
// UCDP must import all 5,834 rows.
Result<std::unique_ptr<store::Store>> LoadRealStore(const std::string& path,
                                                    const RealStoreOptions& options = {});

}  // namespace corridor::testing
