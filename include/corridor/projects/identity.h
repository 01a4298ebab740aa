// Project identity (WAVE2 "Across the wall"): ONE deterministic function
// groups AidData financing rows into physical projects, and a project's id is
// a UUIDv5 over its sorted AidData ids. The security side's `assets import`
// and the public side's `public projects import` both call it, so the two
// sides agree on project ids without anything flowing between them.
//
// Grouping rule (docs/public.md, "Project identity"), over rows sorted by id:
//   1. linked ids: a row whose title says "Linked to #N" (or "Project ID#N")
//      joins row N when N is in the file (either direction is enough);
//   2. footprint overlap: two rows join when their footprints share at least
//      half of the smaller one's area AND they have the same AidData sector.
//      Overlaps across sectors (a free zone inside a port) are kept apart and
//      listed in the review.
// Groups are the connected components; the result does not depend on the
// order of the input rows. Thread-safe (pure).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/area.h"
#include "corridor/model/project.h"

namespace corridor::projects {

// One AidData row as read from the GeoJSON (the AidData GCDF 2.0 properties).
struct AidDataRow {
  model::FinancingRecord record;
  std::string sector;                    // verbatim, upper case: "TRANSPORT AND STORAGE"
  std::string map_label;                 // "" for most rows
  std::string footprint;                 // the feature's GeoJSON geometry, compact text
  std::vector<std::int64_t> linked_ids;  // ids named in the title ("Linked to #N"), ascending
  std::vector<std::string> receiving, implementing;  // agencies, split on '|'
  std::string planned_start, actual_start, planned_completion, actual_completion;  // YYYY-MM-DD
};

// Reads the AidData GCDF GeoJSON (a FeatureCollection). kInvalidArgument
// naming the feature index and property for a missing id, a duplicate id, a
// malformed date or a feature without a polygonal geometry.
Result<std::vector<AidDataRow>> ParseAidData(std::string_view geojson);

// UUIDv5(Corridor namespace, "aiddata-project:<ids ascending, comma-separated>").
// REQUIRES: ids not empty.
std::string ProjectId(std::span<const std::int64_t> aiddata_ids);

enum class MergeReason { kLinkedIds, kFootprintOverlap };
std::string_view MergeReasonName(MergeReason r);  // "linked-ids", "footprint-overlap"

// One piece of evidence joining two rows (a < b).
struct MergeEvidence {
  std::int64_t a = 0, b = 0;
  MergeReason reason = MergeReason::kLinkedIds;
  double overlap = 0;  // shared area / smaller footprint's area (footprint evidence; else 0)
};

// Footprints that overlap but were not merged (different sectors, or under half).
struct KeptApart {
  std::int64_t a = 0, b = 0;
  double overlap = 0;
  std::string why;
};

// An editor's correction of the rule (docs/public.md, "Split and merge"),
// applied in the order given, after the rule:
//   merge — the projects holding these rows become one;
//   split — these rows leave their project and become a project of their own.
struct GroupingDecision {
  enum class Kind { kMerge, kSplit };
  Kind kind = Kind::kMerge;
  std::vector<std::int64_t> aiddata_ids;
  std::int64_t seq = 0;  // names the decision in the outcome and the review
};

// What became of one decision on this grouping: a decision that no longer
// fits the file (a row gone, rows already together or now apart) is skipped
// with the reason, never guessed around.
struct DecisionOutcome {
  std::int64_t seq = 0;
  GroupingDecision::Kind kind = GroupingDecision::Kind::kMerge;
  std::vector<std::int64_t> aiddata_ids;
  bool applied = false;
  std::string why;  // when not applied
};

struct Grouping {
  std::vector<model::Project> projects;    // by id (the UUID text)
  std::vector<DecisionOutcome> decisions;  // one per decision, in order
  std::vector<MergeEvidence> merges;       // every join, by (a, b, reason)
  std::vector<KeptApart> kept_apart;       // by (a, b)
  std::vector<std::pair<std::int64_t, std::int64_t>> links_outside;  // (row, linked id not in file)
  std::size_t rows = 0;
};

// Groups the rows into projects (the rule above, then `decisions` in order)
// and fills each project's name, sector, status, footprint, representative
// point, dates, parties and financing. Districts are left empty
// (AssignDistricts).
Grouping GroupProjects(std::vector<AidDataRow> rows,
                       std::span<const GroupingDecision> decisions = {});

// Sets district and province of each project whose representative point lies
// in one of the ADM2 polygons of an OCHA COD-AB GeoJSON (ADM2_PCODE, ADM2_EN,
// ADM1_EN). Returns how many were assigned. kInvalidArgument for bad GeoJSON.
Result<std::size_t> AssignDistricts(std::vector<model::Project>& projects,
                                    std::string_view adm2_geojson);

// The security side's site for a project (issue 17 item 3: a site is the
// physical project, not a financing record). Id, name, sector, footprint and
// point are the project's; status its ProjectStatusName title-cased
// ("Implementation"); amount the sum AidData gives (nullopt when no record
// has one); commitment year the earliest; start and completion years from the
// milestone dates (actual before planned); agencies from the parties' roles
// (funder, publicAuthority, administrativeEntity). Provenance is `provenance`
// with source_id the AidData ids ascending, comma-separated, which is how
// Store::ReplaceSites knows which financing-record sites it takes over.
// admin1/admin2 are left empty for the caller's district assignment.
model::Site ProjectSite(const model::Project& project, const model::Provenance& provenance,
                        const model::Licence& licence);

// The review report of every merge: one entry per project of more than one
// row, with the rows, their titles and the evidence (an editor's decision is
// evidence too: "editor-merge" / "editor-split" with its seq); then the
// overlaps kept apart, the links to rows outside the file and each decision's
// outcome. JSON, stable order.
nlohmann::json ReviewReport(const Grouping& g);

}  // namespace corridor::projects
