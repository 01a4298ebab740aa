#include "cli/jobs.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "corridor/geo/vector_io.h"
#include "corridor/projects/identity.h"

namespace corridor::cli {

Result<geo::AreaIndex> LoadAreaIndex(const store::Store& store) {
  auto areas = store.ListAreas(std::nullopt, /*with_geometry=*/true);
  if (!areas) return Fail(areas.error());
  return geo::AreaIndex::Build(*areas);
}

namespace {

void AssignSite(const geo::AreaIndex& index, model::Site& site) {
  site.admin1 = index.Locate(1, site.latitude, site.longitude).pcode;
  site.admin2 = index.Locate(2, site.latitude, site.longitude).pcode;
}

}  // namespace

Result<AreasLoadSummary> LoadAreas(store::Store& store, const std::string& path, int level) {
  if (level < 0 || level > 2) {
    return Fail(ErrorCode::kInvalidArgument, "--level: expected 0, 1 or 2");
  }
  auto areas = geo::ReadAreas(path, level);
  if (!areas) return Fail(areas.error());
  if (areas->empty()) return Fail(ErrorCode::kInvalidArgument, path + ": no features");
  // Check the geometry before replacing anything.
  if (auto probe = geo::AreaIndex::Build(*areas); !probe) return Fail(probe.error());
  if (auto ok = store.ReplaceAreas(level, *areas); !ok) return Fail(ok.error());

  AreasLoadSummary summary;
  summary.level = level;
  summary.areas = static_cast<std::int64_t>(areas->size());
  auto index = LoadAreaIndex(store);
  if (!index) return Fail(index.error());

  std::vector<store::Assignment> changes;
  model::IncidentFilter all;
  all.include_revoked = true;
  auto walked =
      store.ForEachIncident(store::SystemViewer(), all, [&](const model::Incident& incident) {
        ++summary.incidents_checked;
        model::Incident copy = incident;
        index->Assign(copy);
        if (copy.admin1 != incident.admin1 || copy.admin2 != incident.admin2 ||
            copy.admin_method != incident.admin_method) {
          changes.push_back({copy.id, copy.admin1, copy.admin2, copy.admin_method});
        }
        return true;
      });
  if (!walked) return Fail(walked.error());
  auto changed = store.UpdateAssignments(changes);
  if (!changed) return Fail(changed.error());
  summary.incidents_reassigned = *changed;

  auto sites = store.ListSites();
  if (!sites) return Fail(sites.error());
  std::vector<model::Site> moved;
  for (auto site : *sites) {
    const std::string before1 = site.admin1, before2 = site.admin2;
    AssignSite(*index, site);
    if (site.admin1 != before1 || site.admin2 != before2) moved.push_back(std::move(site));
  }
  if (!moved.empty()) {
    auto up = store.UpsertSites(moved);
    if (!up) return Fail(up.error());
  }
  summary.sites_reassigned = static_cast<std::int64_t>(moved.size());
  return summary;
}

Result<SitesImportSummary> ImportSites(store::Store& store, const std::string& path) {
  auto sites = geo::ReadSites(path);  // recognises the layout and checks every feature
  if (!sites) return Fail(sites.error());
  SitesImportSummary summary;
  summary.records = static_cast<std::int64_t>(sites->size());
  const bool aiddata = !sites->empty() && sites->front().provenance.dataset == "aiddata-gcdf";
  if (aiddata) {
    // AidData's rows are financing records; a site is the physical project
    // they paid for, grouped by the one function both sides call
    // (projects/identity.h), so its id is the public side's project id.
    std::ifstream in{path, std::ios::binary};
    std::ostringstream text;
    text << in.rdbuf();
    auto rows = projects::ParseAidData(text.str());
    if (!rows) return Fail(rows.error().code, path + ": " + rows.error().message);
    const model::Provenance provenance = sites->front().provenance;
    const model::Licence licence = sites->front().licence;
    std::vector<model::Site> project_sites;
    for (const auto& p : projects::GroupProjects(std::move(*rows)).projects) {
      summary.projects.push_back({p.id, p.name, p.aiddata_ids});
      project_sites.push_back(projects::ProjectSite(p, provenance, licence));
    }
    *sites = std::move(project_sites);
  }
  auto index = LoadAreaIndex(store);
  if (!index) return Fail(index.error());
  for (auto& site : *sites) AssignSite(*index, site);
  summary.sites = static_cast<std::int64_t>(sites->size());
  if (aiddata) {
    auto replaced = store.ReplaceSites("aiddata-gcdf", *sites);
    if (!replaced) return Fail(replaced.error());
    summary.inserted = replaced->upserted.inserted;
    summary.updated = replaced->upserted.updated;
    summary.unchanged = replaced->upserted.unchanged;
    summary.retired = replaced->retired;
    summary.superseded = replaced->superseded;
    summary.subscriptions_moved = replaced->subscriptions_moved;
    return summary;
  }
  auto up = store.UpsertSites(*sites);
  if (!up) return Fail(up.error());
  summary.inserted = up->inserted;
  summary.updated = up->updated;
  summary.unchanged = up->unchanged;
  return summary;
}

}  // namespace corridor::cli
