// The datasets Corridor knows: their licences (kept beside every record), and
// the pinned public origins of the files in ../shared/data (for `corridor data
// fetch`, which downloads exactly those bytes and checks them by sha256).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/model/incident.h"

namespace corridor::datasets {

// The licence of a dataset by its Corridor name: "ucdp-ged", "gtd", "acled",
// "manual", "ocha-cod-ab-pak-2022", "geoboundaries-pak", "aiddata-gcdf",
// "data4pakistan", "owid-gtd", "osm". Unknown names get an "unknown" licence
// that forbids redistribution.
model::Licence LicenceOf(std::string_view dataset);

// One file of ../shared/data and where its exact bytes come from.
struct SourceFile {
  std::string folder;   // e.g. "ucdp-ged-pakistan"
  std::string name;     // e.g. "pakistan.csv"
  std::string repo;     // "owner/name" on GitHub
  std::string commit;   // 40 hex digits
  std::string path;     // path inside the repository
  std::string sha256;   // of the exact bytes
  std::int64_t size = 0;
  std::string dataset;  // Corridor dataset name (for LicenceOf)
};

// Every fetchable file (derived files are not fetchable: they are made locally).
const std::vector<SourceFile>& Manifest();

}  // namespace corridor::datasets
