#include "testing/real_store.h"

#include "cli/jobs.h"
#include "corridor/ingest/ingest.h"
#include "testing/testing.h"

namespace corridor::testing {

Result<std::unique_ptr<store::Store>> LoadRealStore(const std::string& path,
                                                    const RealStoreOptions& options) {
  auto store = store::OpenStore(path);
  if (!store) return Fail(store.error());
  const auto ocha = SharedPath("data/ocha-cod-ab-pakistan-2022");
  for (int level = 0; level <= 2; ++level) {
    const auto file = ocha / ("pak_admbnda_adm" + std::to_string(level) + "_wfp_20220909.shp");
    auto loaded = cli::LoadAreas(**store, file.string(), level);
    if (!loaded) return Fail(loaded.error());
  }
  auto index = cli::LoadAreaIndex(**store);
  if (!index) return Fail(index.error());
  ingest::IngestOptions ingest;
  ingest.format = ingest::Format::kUcdpGed;
  ingest.rejects_path = path + ".rejects.csv";
  auto ingested = ingest::IngestFile(
      **store, *index, SharedPath("data/ucdp-ged-pakistan/pakistan.csv").string(), ingest);
  if (!ingested) return Fail(ingested.error());
  if (ingested->inserted != 5834) {
    return Fail(ErrorCode::kInternal,
                "UCDP import inserted " + std::to_string(ingested->inserted) + ", not 5834");
  }
  if (options.sites) {
    auto sites = cli::ImportSites(
        **store,
        SharedPath("data/aiddata-gcdf-pakistan/pakistan_development_combined.geojson").string());
    if (!sites) return Fail(sites.error());
  }
  return store;
}

}  // namespace corridor::testing
