// The aggregate modules of the security store (corridor/store/database.h):
// each aggregate of the redesign brings its tables as a Module with its own
// migration sequence; SqliteStore::Open (and every other backend) applies
// them after the core schema. Private to src/store.
#pragma once

#include <vector>

#include "corridor/store/database.h"

namespace corridor::store {

const std::vector<Module>& SecurityModules();

}  // namespace corridor::store
