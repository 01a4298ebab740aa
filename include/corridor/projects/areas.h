// Area outlines for the public portal's map (issue 13 §2), read from an OCHA
// COD-AB boundary file: each outline simplified (Douglas-Peucker) and rounded
// so that the map of Pakistan's 160 districts is a few tens of kilobytes on a
// phone. Pure; links neither store.
#pragma once

#include <string_view>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/area_outline.h"

namespace corridor::projects {

// The features of `geojson` at `level` (1: ADM1_PCODE/ADM1_EN; 2: ADM2_PCODE,
// ADM2_EN and ADM1_PCODE as the parent), simplified with `tolerance` degrees
// and rounded to 1e-3 degrees. A ring that collapses is dropped; an area keeps
// at least its largest polygon. kInvalidArgument naming the feature by JSON
// pointer for a missing P-code, a bad geometry or a level other than 1 or 2.
Result<std::vector<model::AreaOutline>> ReadAreaOutlines(std::string_view geojson, int level,
                                                         double tolerance = 0.01);

}  // namespace corridor::projects
