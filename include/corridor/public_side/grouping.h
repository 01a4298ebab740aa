// Projects from AidData rows, and an editor's corrections of the grouping
// (issue 13 §2: "groups AidData rows into projects by footprint overlap and
// linked AidData ids, with a review report of every merge; a
// disclosure-editor can split or merge"). docs/public.md, "Split and merge".
//
// A project's id stays the UUIDv5 of its AidData ids (projects/identity.h)
// after a split or merge: the security side, which groups by the rule alone,
// finds the project of one of its sites by the AidData ids they share.
//
// Every write is one transaction of the public store with one audit entry.
// A grouping computed from what was read is written only when the decisions
// and sources are still the ones it was computed from (compare-and-set);
// otherwise kConflict and nothing is written.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/store/database.h"
#include "corridor/store/grouping_store.h"

namespace corridor::public_side {

class PublicAuditLog;

struct ImportSummary {
  std::size_t rows = 0, projects = 0, created = 0, updated = 0, removed = 0;
  std::size_t merged_projects = 0, districts_assigned = 0;
  // New projects that took a withheld or coarsened field from the projects
  // their rows came from (a regrouping never publishes what was withheld).
  std::size_t disclosure_carried = 0;
  std::size_t decisions_applied = 0, decisions_not_applied = 0;
  std::vector<std::string> created_ids, removed_ids;
  // Pending disclosure requests removed with their project (an import only).
  std::vector<std::string> dropped_requests;
  nlohmann::json review;  // projects::ReviewReport, with the decisions
};

// Groups the AidData GeoJSON text into projects (projects/identity.h) by the
// rule and then every recorded decision, assigns districts from an ADM2
// GeoJSON when `districts` is not empty, and writes them with one audit entry
// ("projects-import"): new projects added, existing ones updated (disclosure
// kept), projects no longer produced removed. A new project takes, field by
// field, the strictest disclosure of the projects its rows were in. Keeps
// both texts so that a later split or merge regroups at once.
Result<ImportSummary> ImportProjects(store::Database& db, PublicAuditLog& audit,
                                     const std::string& actor, std::string_view aiddata_geojson,
                                     std::string_view districts_geojson);

// Merges two or more projects into one. `editor` must hold
// disclosure-editor (checked inside the transaction). kInvalidArgument for
// fewer than two or more than 100 distinct projects or a reason that is
// empty, over 500 bytes or holds control characters; kNotFound for an
// unknown project; kConflict when the store holds no source yet (import
// first), it changed meanwhile, or a project the regrouping would remove has
// a pending disclosure request (decide it first: a regrouping must not drop a
// colleague's pending withholding). Audited as "projects-merge".
//
// A new project whose financing is withheld for a row that came from a
// project of another name keeps that project's (already public) name: the
// rule would name it from a withheld record's title.
Result<ImportSummary> MergeProjects(store::Database& db, PublicAuditLog& audit,
                                    const std::string& editor,
                                    const std::vector<std::string>& project_ids,
                                    const std::string& reason);

// Takes `aiddata_ids` out of project `project_id` as a project of their own.
// kInvalidArgument when an id is not one of the project's rows or the ids are
// all of them; otherwise as MergeProjects. Audited as "projects-split".
Result<ImportSummary> SplitProject(store::Database& db, PublicAuditLog& audit,
                                   const std::string& editor, const std::string& project_id,
                                   std::vector<std::int64_t> aiddata_ids,
                                   const std::string& reason);

// Every recorded decision, oldest first (for `projects decisions`).
Result<std::vector<store::GroupingDecision>> GroupingDecisions(const store::Database& db);

// What a split or merge did, as the CLI (--json) and the API answer it:
// projects, created_ids, removed_ids, disclosure_carried, decisions_applied,
// decisions_not_applied.
nlohmann::json RegroupJson(const ImportSummary& s);

}  // namespace corridor::public_side
