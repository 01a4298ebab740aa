// Administrative areas (level 0 country, 1 province, 2 district) and sites.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "corridor/common/uuid.h"
#include "corridor/model/incident.h"

namespace corridor::model {

struct Area {
  int level = 0;             // 0 country, 1 province, 2 district
  std::string pcode;         // "PK", "PK6", "PK604"
  std::string name;          // English name
  std::vector<std::string> alt_names;
  std::string parent_pcode;  // "" for level 0
  std::string geometry;      // GeoJSON geometry object (Polygon or MultiPolygon), WGS84
  std::string source;        // dataset the boundary came from, e.g. "ocha-cod-ab-pak-2022"
  Licence licence;
  friend bool operator==(const Area&, const Area&) = default;
};

// A corridor site: a project footprint, plant, port, road (points, lines, polygons).
struct Site {
  Uuid id;                   // UUIDv5 over "<dataset>:<source_id>"
  std::string name;
  std::string sector;        // e.g. "Energy", "Transport & Storage"
  std::string status;        // e.g. "Completion", "Implementation", "Pipeline: Pledge"
  std::optional<double> amount_usd;  // constant USD of the source's base year
  std::optional<int> commitment_year;
  std::optional<int> start_year;
  std::optional<int> completion_year;
  std::vector<std::string> funding_agencies;
  std::vector<std::string> receiving_agencies;
  std::vector<std::string> implementing_agencies;
  std::string geometry;      // GeoJSON geometry object, WGS84
  double latitude = 0;       // a representative point inside/on the footprint
  double longitude = 0;
  std::string admin1;        // P-codes of the representative point
  std::string admin2;
  Provenance provenance;
  Licence licence;
  friend bool operator==(const Site&, const Site&) = default;
};

}  // namespace corridor::model
