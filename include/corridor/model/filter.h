// The incident filter shared by `corridor query`, `corridor stats` and the
// HTTP API. Parsed once from text (CLI flags or query parameters) by
// ParseFilterField, then handed to the store, which applies it inside its query.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corridor/common/date.h"
#include "corridor/common/result.h"
#include "corridor/model/incident.h"

namespace corridor::model {

// GeoJSON order: west, south, east, north (degrees). west <= east (no antimeridian wrap).
struct BoundingBox {
  double min_lon = 0, min_lat = 0, max_lon = 0, max_lat = 0;
  friend bool operator==(const BoundingBox&, const BoundingBox&) = default;
};

// A geodesic circle: latitude first.
struct NearFilter {
  double lat = 0, lon = 0, km = 0;
  friend bool operator==(const NearFilter&, const NearFilter&) = default;
};

struct IncidentFilter {
  std::optional<Date> from;         // an incident matches when [date_start, date_end]
  std::optional<Date> to;           // overlaps [from, to] (both inclusive)
  std::optional<std::string> area;  // a province or district P-code
  std::optional<BoundingBox> bbox;
  std::optional<NearFilter> near;
  std::vector<Category> categories;  // any of them; empty = all
  std::optional<std::string> text;   // full-text words (all must match)
  std::optional<std::string> dataset;
  // An armed organisation's id (config/armed_organisations.tsv, docs/
  // organisations.md): incidents one of whose sides or perpetrators the
  // organisation's names classify to. The names are resolved by the service
  // (service/incidents.h ResolveOrganisation) into `organisation_names`, as
  // (dataset or "*", SearchKey of the name); a store refuses an organisation
  // without them. Never a source's raw side name: parties are provenance.
  std::optional<std::string> organisation;
  std::vector<std::pair<std::string, std::string>> organisation_names;
  bool include_revoked = false;
  // Also the records counted in another source's record of the same event
  // (docs/links.md); without a dataset they are left out.
  bool include_duplicates = false;
  friend bool operator==(const IncidentFilter&, const IncidentFilter&) = default;
};

// Sets one field of `filter` from its text form. `name` is one of
//   from, to       YYYY-MM-DD
//   area           a P-code (letters, digits)
//   bbox           MINLON,MINLAT,MAXLON,MAXLAT
//   near           LAT,LON,KM (KM > 0)
//   category       a category name, or several separated by commas
//   text           words
//   dataset        ucdp-ged | gtd | acled | manual | stix
//   organisation   an armed organisation's id (lower-case letters, digits, '-')
// Returns kInvalidArgument naming the field and the problem; kNotFound for an
// unknown field name.
Result<void> ParseFilterField(IncidentFilter& filter, std::string_view name,
                              std::string_view value);

// Checks cross-field rules (from <= to) and the search text. kInvalidArgument
// naming the fields.
Result<void> ValidateFilter(const IncidentFilter& filter);

// A search text may not hold a personal identifier (common/personal_data.h):
// nothing on the security side carries one, and every search is audited with
// its text, so a search for one would only put it into the permanent log.
// kInvalidArgument "text: ..." naming the kind.
Result<void> CheckSearchText(std::string_view text);

// The names ParseFilterField accepts, in documentation order.
const std::vector<std::string_view>& FilterFieldNames();

}  // namespace corridor::model
