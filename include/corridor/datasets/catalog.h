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
  std::string folder;  // e.g. "ucdp-ged-pakistan"
  std::string name;    // e.g. "pakistan.csv"
  std::string repo;    // "owner/name" on GitHub
  std::string commit;  // 40 hex digits
  std::string path;    // path inside the repository
  std::string sha256;  // of the exact bytes
  std::int64_t size = 0;
  std::string dataset;  // Corridor dataset name (for LicenceOf)
};

// Every fetchable file (derived files are not fetchable: they are made locally): each original
// file of ../shared/data with its pinned origin, size and sha256, in folder then name order.
const std::vector<SourceFile>& Manifest();

// The download URL of `file`: <base_url>/<repo>/<commit>/<path> with the path percent-encoded
// (spaces become %20). base_url has no trailing slash ("https://raw.githubusercontent.com").
inline constexpr std::string_view kDefaultBaseUrl = "https://raw.githubusercontent.com";
std::string DownloadUrl(const SourceFile& file, std::string_view base_url = kDefaultBaseUrl);

// A file of ../shared/data that is NOT in any origin repository: a local conversion of an
// original (same folder). `corridor data fetch` does not download these; readers fall back to
// the original when the derived file is absent (see PreferredPath).
struct DerivedFile {
  std::string folder;        // e.g. "ocha-cod-ab-pakistan-2022"
  std::string name;          // e.g. "pak_admbnda_adm1_wfp_20220909.derived.geojson"
  std::string derived_from;  // name of the original in the same folder
  std::string how;           // "GeoJSON converted with pyshp, coordinates rounded to 6 decimals"
};
const std::vector<DerivedFile>& DerivedFiles();

// The manifest entry for folder/name, or nullptr.
const SourceFile* FindSourceFile(std::string_view folder, std::string_view name);

// `dir/folder/name` when it exists; else, when `name` is a derived file whose original exists,
// the original's path (e.g. the .shp for a missing .derived.geojson); else `dir/folder/name`
// (so the caller's "file not found" names the path it wanted).
std::string PreferredPath(const std::string& dir, std::string_view folder, std::string_view name);

}  // namespace corridor::datasets
