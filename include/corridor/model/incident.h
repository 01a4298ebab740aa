// The one incident model every source is normalised to (docs/formats.md has
// each source's mapping). Events, places and organisations only: `parties`
// are kept as the source names them, as provenance, and are never a filter,
// a ranking or a model input (DESIGN.md, first line).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/date.h"
#include "corridor/common/uuid.h"
#include "corridor/model/security.h"

namespace corridor::model {

// The closed list of incident categories. JSON/CLI spelling: CategoryName().
enum class Category {
  kArmedAssault,
  kBombing,
  kSuicideBombing,
  kAssassination,
  kKidnappingHostage,
  kFacilityAttack,
  kUnarmedAssault,
  kHijacking,
  kRemoteViolence,  // air and drone strikes, shelling
  kArmedClash,
  kViolenceAgainstCivilians,
  kUnknown,
};
inline constexpr int kCategoryCount = 12;
std::string_view CategoryName(Category c);  // "armed-assault", ...
std::optional<Category> ParseCategory(std::string_view name);

enum class DatePrecision { kDay, kDays, kWeek, kMonth, kYear, kUnknown };
std::string_view DatePrecisionName(DatePrecision p);  // "day","days","week","month","year","unknown"
std::optional<DatePrecision> ParseDatePrecision(std::string_view name);

enum class LocationPrecision { kExact, kNear, kDistrict, kProvince, kCountry, kNone };
std::string_view LocationPrecisionName(LocationPrecision p);  // "exact","near",...,"none"
std::optional<LocationPrecision> ParseLocationPrecision(std::string_view name);

// How admin1/admin2 were assigned.
enum class AssignMethod { kInside, kSnapped, kSourceNames, kNone };
std::string_view AssignMethodName(AssignMethod m);  // "inside","snapped","source-names","none"
std::optional<AssignMethod> ParseAssignMethod(std::string_view name);

// A dataset's licence, kept beside every record it produced.
struct Licence {
  std::string id;                 // SPDX-like: "CC-BY-4.0", "GTD-terms", "ACLED-terms", ...
  bool redistribution = false;    // may this record leave the instance at all?
  std::string attribution;        // text shown wherever the record is shown
  friend bool operator==(const Licence&, const Licence&) = default;
};

// Where a record came from, down to the source row.
struct Provenance {
  std::string dataset;          // "ucdp-ged", "gtd", "acled", "manual"
  std::string dataset_version;  // "20.1", "0522dist", ... ("" when unknown)
  std::string source_id;        // the source's own record id ("" for manual reports)
  std::string file;             // file name the row was read from
  std::int64_t line = 0;        // the record's first physical line (1-based; 0 if none)
  friend bool operator==(const Provenance&, const Provenance&) = default;
};

struct Incident {
  Uuid id;
  Provenance provenance;

  Date date_start;
  Date date_end;
  DatePrecision date_precision = DatePrecision::kUnknown;

  std::optional<double> latitude;   // WGS84 degrees
  std::optional<double> longitude;
  LocationPrecision location_precision = LocationPrecision::kNone;
  std::string location;             // the source's place description

  std::string country;  // ISO 3166-1 alpha-3 ("PAK")
  std::string admin1;   // P-code of the province ("PK6") or ""
  std::string admin2;   // P-code of the district ("PK604") or ""
  AssignMethod admin_method = AssignMethod::kNone;
  std::string source_admin1;  // the source's own names, kept as given
  std::string source_admin2;

  Category category = Category::kUnknown;
  std::string source_type;      // the source's own type, e.g. "ucdp:type_of_violence=3"
  int violence_type = 0;        // UCDP type_of_violence 1-3; 0 for other sources

  std::vector<std::string> target_types;
  std::vector<std::string> target_nationalities;  // ISO 3166-1 alpha-3
  std::vector<std::string> parties;       // provenance only, never a filter
  std::vector<std::string> perpetrators;  // organisations the source attributes the act to

  std::optional<int> killed;       // best estimate
  std::optional<int> killed_low;
  std::optional<int> killed_high;
  std::optional<int> wounded;
  std::optional<int> hostages;
  std::optional<int> property_damage;  // band 0 (none) .. 3 (catastrophic)

  std::string headline;     // source headline, searchable
  std::string description;  // searchable

  Licence licence;
  // Who may see it (docs/security.md). Imports of public datasets set
  // TLP:CLEAR; a manual report defaults to TLP:AMBER (Marking's default).
  // Not part of ContentDigest: a re-import never changes a marking.
  Marking marking;

  std::string created;   // RFC 3339 UTC timestamps, set by the store
  std::string modified;
  bool revoked = false;
  int version = 0;       // 1 on first insert, +1 on each change

  friend bool operator==(const Incident&, const Incident&) = default;
};

// A digest of everything the source said (all fields except id-independent
// bookkeeping: created, modified, version, provenance.file and .line). Equal
// digests mean a re-import changes nothing.
std::string ContentDigest(const Incident& incident);

}  // namespace corridor::model
