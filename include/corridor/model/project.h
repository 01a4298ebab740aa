// Corridor projects on the public side (issue 13 §3): the physical thing a
// resident sees being built (a port, a plant, a road), with the financing
// records that paid for it. AidData's rows are financing commitments; several
// rows can describe one project (five for Gwadar Port), so a Project holds
// FinancingRecords, and its id is derived from them (projects/identity.h).
//
// Disclosure: every publishable field of a project is published, withheld
// (with a reason shown to the public) or coarsened (docs/public.md,
// "Disclosure"). Withheld fields are absent from every export.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"

namespace corridor::model {

// One AidData financing commitment (a loan, grant, credit, pledge).
struct FinancingRecord {
  std::int64_t aiddata_id = 0;          // "AidData TUFF Project ID"
  std::string title;                    // AidData's title of the commitment
  std::vector<std::string> financiers;  // "Funding Agencies", split on '|'
  std::string instrument;               // "Flow Type": Loan, Grant, Export Buyer's Credit, ...
  std::string flow_class;               // ODA-like, OOF-like, Vague (Official Finance)
  std::optional<double> amount;         // nullopt when AidData gives none
  std::string currency = "USD";         // AidData's amounts are constant 2017 US dollars
  int commitment_year = 0;
  std::string status;  // AidData's status of this commitment, verbatim
  friend bool operator==(const FinancingRecord&, const FinancingRecord&) = default;
};

enum class ProjectStatus { kPipeline, kImplementation, kCompletion, kCancelled };
std::string_view ProjectStatusName(ProjectStatus s);  // "pipeline", ...
std::optional<ProjectStatus> ParseProjectStatus(std::string_view name);

// What a party does in a project (OC4IDS partyRole codes).
struct Party {
  std::string id;  // "org-" + a stable slug of the name
  std::string name;
  std::vector<std::string> roles;  // "funder", "buyer", "administrativeEntity" (sorted)
  friend bool operator==(const Party&, const Party&) = default;
};

// Disclosure of one field of a project (docs/public.md, "Disclosure").
enum class Disclosure { kPublished, kWithheld, kCoarsened };
std::string_view DisclosureName(Disclosure d);  // "published", "withheld", "coarsened"
std::optional<Disclosure> ParseDisclosure(std::string_view name);

// The fields whose disclosure an editor sets. Others (id, name, sector,
// status) are always published.
inline constexpr std::string_view kDisclosableFields[] = {"location", "dates", "financing",
                                                          "parties"};

struct FieldDisclosure {
  std::string field;  // one of kDisclosableFields
  Disclosure state = Disclosure::kPublished;
  std::string reason;  // shown publicly; required unless published
  friend bool operator==(const FieldDisclosure&, const FieldDisclosure&) = default;
};

// kInvalidArgument for a field not in kDisclosableFields, a withheld or
// coarsened state without a reason, or coarsening a field that has no coarser
// form (only location -> district and dates -> month do).
Result<void> CheckDisclosure(const FieldDisclosure& d);

struct Project {
  std::string id;  // UUIDv5 over the sorted AidData ids (projects/identity.h)
  std::string name;
  std::string sector;  // AidData sector, title case: "Transport and Storage"
  ProjectStatus status = ProjectStatus::kPipeline;
  std::vector<std::int64_t> aiddata_ids;  // ascending
  // Location: the footprint (GeoJSON geometry text, OSM-derived), a
  // representative point inside it, and the district it lies in.
  std::string footprint;
  double lat = 0, lon = 0;
  std::string district_pcode, district_name, province_name;  // OCHA 2022; "" when unassigned
  // Milestone dates, YYYY-MM-DD or "" (earliest start, latest completion of the records).
  std::string planned_start, actual_start, planned_completion, actual_completion;
  std::vector<Party> parties;
  std::vector<FinancingRecord> financing;   // by AidData id
  std::vector<FieldDisclosure> disclosure;  // fields not listed are published
  friend bool operator==(const Project&, const Project&) = default;

  // The disclosure of `field` (published when not listed).
  FieldDisclosure DisclosureOf(std::string_view field) const;
  // Sum of the financing amounts that AidData gives (USD), 0 when none.
  double TotalAmount() const;
  // The distinct financiers of its records, sorted.
  std::vector<std::string> Financiers() const;
};

}  // namespace corridor::model
