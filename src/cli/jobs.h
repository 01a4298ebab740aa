// Multi-step jobs the CLI runs over the library: load boundaries and
// re-assign incidents, import sites. (Candidates to move into a library when
// the API gains write routes for them.)
#pragma once

#include <cstdint>
#include <string>

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
  std::int64_t sites = 0;
  std::int64_t inserted = 0, updated = 0, unchanged = 0;
};

// Reads sites from `path`, assigns their representative point to a province
// and district, and upserts them.
Result<SitesImportSummary> ImportSites(store::Store& store, const std::string& path);

}  // namespace corridor::cli
