#include "store/modules.h"

#include "corridor/store/jobs.h"

namespace corridor::store {

const std::vector<Module>& SecurityModules() {
  static const std::vector<Module> kModules = {JobsModule()};
  return kModules;
}

}  // namespace corridor::store
