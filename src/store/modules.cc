#include "store/modules.h"

#include "corridor/store/committee.h"
#include "corridor/store/gazetteer.h"
#include "corridor/store/incident_links.h"
#include "corridor/store/jobs.h"
#include "corridor/store/judicial.h"
#include "corridor/store/releases.h"
#include "corridor/store/roads.h"

namespace corridor::store {

const std::vector<Module>& SecurityModules() {
  static const std::vector<Module> kModules = {
      JobsModule(),  PublicReleasesModule(), CommitteeModule(),    JudicialModule(),
      RoadsModule(), GazetteerModule(),      IncidentLinksModule()};
  return kModules;
}

}  // namespace corridor::store
