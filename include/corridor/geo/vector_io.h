// Reading vector files (GeoJSON, Shapefile, GeoPackage) through GDAL/OGR.
#pragma once

#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/area.h"

namespace corridor::geo {

// One feature: its attributes as strings (null -> absent) and geometry as a
// GeoJSON geometry object in WGS84 (reprojected when the layer is not).
struct Feature {
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string geometry;  // GeoJSON text, "" when the feature has none
  long fid = 0;
  const std::string* Get(std::string_view name) const;  // nullptr when absent
};

// Reads every feature of the first layer of `path`. kUnavailable when the file
// cannot be opened, naming it.
Result<std::vector<Feature>> ReadFeatures(const std::string& path);

// Reads administrative areas of `level` (0, 1 or 2): the P-code and names come
// from OCHA COD-AB attribute names (ADM<level>_PCODE, ADM<level>_EN,
// ADM<level>ALT1EN, ADM<level>ALT2EN, ADM<level-1>_PCODE) or, failing that,
// geoBoundaries' (shapeISO/shapeID, shapeName). kInvalidArgument naming the
// file and feature when a required attribute is missing.
Result<std::vector<model::Area>> ReadAreas(const std::string& path, int level);

// Reads corridor sites. The AidData GCDF layout is recognised by its
// "AidData TUFF Project ID" attribute; a generic file needs "name" (and
// optionally sector, status, id). kInvalidArgument naming the feature otherwise.
Result<std::vector<model::Site>> ReadSites(const std::string& path);

}  // namespace corridor::geo
