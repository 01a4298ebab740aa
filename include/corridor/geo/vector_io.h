// Reading vector files (GeoJSON, Shapefile, GeoPackage) through GDAL/OGR.
//
// Every function here registers GDAL's drivers once (thread-safe) and opens
// the file read-only; each call opens its own dataset, so concurrent calls are
// safe. Errors name the file, and the feature (0-based index in the layer)
// when one feature is at fault:
//   kNotFound        the file does not exist;
//   kUnavailable     GDAL cannot open it as a vector file, or it has no layer;
//   kInvalidArgument a required attribute is missing, a geometry is unusable,
//                    or the coordinate system cannot be transformed to WGS84.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/area.h"

namespace corridor::geo {

// One feature: its attributes as strings (null -> absent) and geometry as a
// GeoJSON geometry object in WGS84, longitude first (reprojected when the
// layer is in another coordinate system).
struct Feature {
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string geometry;  // GeoJSON text, "" when the feature has none
  long fid = 0;
  const std::string* Get(std::string_view name) const;  // nullptr when absent
};

// Reads every feature of the first layer of `path`.
Result<std::vector<Feature>> ReadFeatures(const std::string& path);

// Reads administrative areas of `level` (0, 1 or 2): the P-code and names come
// from OCHA COD-AB attribute names (ADM<level>_PCODE, ADM<level>_EN,
// ADM<level>ALT1EN, ADM<level>ALT2EN, ADM<level-1>_PCODE) or, failing that,
// geoBoundaries' (shapeISO, else shapeID; shapeName; parent ""). `source` is
// "ocha-cod-ab-pak-2022" or "geoboundaries-pak" (detected from the layer's
// attributes), licence datasets::LicenceOf(source). kInvalidArgument naming
// the file when the layer has neither layout, and naming the feature when its
// P-code is empty or its geometry is not a Polygon/MultiPolygon.
Result<std::vector<model::Area>> ReadAreas(const std::string& path, int level);

// Reads corridor sites. The AidData GCDF layout is recognised by its
// "AidData TUFF Project ID" attribute: id RecordId("aiddata-gcdf", <project
// id>), name = Title, sector title-cased ("TRANSPORT AND STORAGE" ->
// "Transport and Storage"), amount "Amount (Constant USD2017)" (null ->
// nullopt), years, '|'-separated agencies (trimmed), provenance dataset
// "aiddata-gcdf" version "2.0", licence LicenceOf("aiddata-gcdf").
// A generic file needs "name" (optionally "id", "sector", "status"; the id
// defaults to the feature's FID) and gets dataset = the file's stem, licence
// LicenceOf("manual"). Either way latitude/longitude is a point on the
// footprint's surface (OGR PointOnSurface) and every feature needs a geometry.
// kInvalidArgument naming the file, the feature index and the missing
// attribute otherwise.
Result<std::vector<model::Site>> ReadSites(const std::string& path);

// "ENERGY" -> "Energy", "INDUSTRY, MINING, CONSTRUCTION" -> "Industry, Mining,
// Construction": words capitalised, "and"/"of"/"the"/... lower case except first.
std::string TitleCase(std::string_view upper);

}  // namespace corridor::geo
