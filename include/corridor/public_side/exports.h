// Project exports in the two transparency standards (docs/public.md,
// "Exports"), made from PublicView only, so a withheld field is absent (never
// blank): an OC4IDS 0.9 project package (JSON) and IATI 2.03 activities (XML).
// Both are deterministic for a given publication time. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "corridor/model/project.h"

namespace corridor::public_side {

// Who publishes, under which identifiers. A deployment sets its registered
// OC4IDS prefix and IATI organisation identifier (docs/public.md).
struct Publication {
  std::string publisher_name = "Corridor public side (demonstration instance)";
  std::string oc4ids_prefix = "oc4ids-crdr00-";  // "oc4ids-" + 6 characters + "-"
  std::string iati_org_ref = "XI-CORRIDOR-DEMO";
  std::string iati_org_type = "15";                // IATI OrganisationType: other public sector
  std::string base_uri = "http://127.0.0.1:8090";  // where the portal is served
  std::string published;  // RFC 3339 UTC; the package's publishedDate and IATI generated-datetime
  std::string today;      // YYYY-MM-DD: actual dates after it are not exported
};

// The OC4IDS project package over `projects` (at least one; kInvalidArgument otherwise
// is the caller's business: an empty list gives a package the schema rejects).
nlohmann::json ExportOc4ids(const std::vector<model::Project>& projects, const Publication& pub);

struct IatiExport {
  std::string xml;
  // Projects left out, with why: IATI requires an activity date and a
  // participating organisation, which a withholding can remove.
  std::vector<std::pair<std::string, std::string>> skipped;
};
IatiExport ExportIati(const std::vector<model::Project>& projects, const Publication& pub);

// The OC4IDS projectSector code and the OECD DAC 3-digit (IATI vocabulary 2)
// code of an AidData sector name ("Energy" -> "energy", "230"); "" when none.
std::string Oc4idsSector(const std::string& sector);
std::string DacSector(const std::string& sector);

}  // namespace corridor::public_side
