// Whose read this is: the visibility filter every incident read applies
// (a plain value; header only, so layers that carry it link no store).
#pragma once

#include <string>
#include <vector>

#include "corridor/model/security.h"

namespace corridor::store {

// Whose read this is. Every read of incidents is filtered by the viewer
// inside the store query (docs/security.md, "Markings"), so no list, count,
// statistic, page boundary or text search can reveal an object the viewer
// may not see; an invisible object is kNotFound, exactly like a missing one.
// Build one from a signed-in principal with auth::ViewerFor(); the default
// Viewer sees TLP:CLEAR only. SystemViewer() sees everything and is for the
// store's own callers that are not answering a user: ingest de-duplication,
// district re-assignment, backups, analytics over public datasets.
struct Viewer {
  bool system = false;
  std::string username;
  std::string org;
  std::vector<std::string> trust_groups;
  // The most restrictive marking this viewer may read at all (its roles and
  // session decide: e.g. RED only with a second factor, admin only CLEAR).
  model::Tlp max_tlp = model::Tlp::kClear;
};
inline Viewer SystemViewer() {
  Viewer v;
  v.system = true;
  v.max_tlp = model::Tlp::kRed;
  return v;
}

}  // namespace corridor::store
