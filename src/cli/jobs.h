// Multi-step jobs the CLI runs over the library: load boundaries and
// re-assign incidents, import sites. (Candidates to move into a library when
// the API gains write routes for them.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/geo/area_index.h"
#include "corridor/store/store.h"

namespace corridor::cli {

// The area index over the store's provinces and districts.
Result<geo::AreaIndex> LoadAreaIndex(const store::Store& store);

struct AreasLoadSummary {
  int level = 0;
  std::int64_t areas = 0;
  std::int64_t incidents_checked = 0;
  std::int64_t incidents_reassigned = 0;
  std::int64_t sites_reassigned = 0;
};

// Reads the areas of `level` from `path`, replaces that level in the store,
// and re-assigns every existing incident and site to the new boundaries.
Result<AreasLoadSummary> LoadAreas(store::Store& store, const std::string& path, int level);

struct SitesImportSummary {
  std::int64_t records = 0;  // features read
  std::int64_t sites = 0;    // sites written (the projects, for AidData)
  std::int64_t inserted = 0, updated = 0, unchanged = 0;
  // AidData: the financing-record sites of earlier imports retired, those a
  // project took over, and the subscriptions that moved with them.
  std::int64_t retired = 0, superseded = 0, subscriptions_moved = 0;
  struct Project {
    std::string id, name;
    std::vector<std::int64_t> aiddata_ids;
  };
  std::vector<Project> projects;  // AidData only
};

// Reads sites from `path`, assigns their representative point to a province
// and district, and stores them. An AidData file's rows are grouped into the
// physical projects they financed (projects::GroupProjects), one site each,
// which become the dataset's current sites (Store::ReplaceSites); another
// file's features are upserted one site each.
Result<SitesImportSummary> ImportSites(store::Store& store, const std::string& path);

}  // namespace corridor::cli
