// Point-in-polygon assignment of incidents to provinces and districts.
//
// Rules (issue 2):
//   * a point covered by a polygon (boundary included) belongs to it; when
//     several cover it, the lowest P-code wins;
//   * a point outside every polygon but within 10 km (geodesic distance to
//     the nearest edge) of one is snapped to the nearest and marked snapped;
//   * farther away it stays unassigned;
//   * precision: exact/near/district get province and district; province gets
//     a province only; country and none get neither.
//
//        +-----------+
//        |  PK604    |   . p1 inside -> PK604 (kInside)
//        |     .p1   |
//        +-----------+   . p2 4 km outside -> nearest polygon (kSnapped)
//                  . p2
//                                 . p3 30 km out -> unassigned (kNone)
//
// Geometry model: polygons are taken as planar in (longitude, latitude)
// degrees, edges being straight lines in that plane, exactly as GDAL/GEOS and
// Boost.Geometry's cartesian covered_by treat GeoJSON. Snap distances are
// geodesic (WGS84, GeographicLib) from the point to the nearest point of the
// nearest edge, the edge taken as the geodesic between its vertices; at the
// scale of boundary edges (< a few km) the two edge models differ by far less
// than a metre.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/geo/geodesic.h"
#include "corridor/model/area.h"
#include "corridor/model/incident.h"

namespace corridor::geo {

inline constexpr double kSnapDistanceM = 10'000.0;

struct AreaHit {
  std::string pcode;  // "" when unassigned (P-codes fit the small-string buffer)
  model::AssignMethod method = model::AssignMethod::kNone;
  double distance_m = 0;  // 0 when inside; geodesic distance to the edge when snapped
};

class AreaIndex {
 public:
  AreaIndex();  // empty: every lookup is unassigned
  ~AreaIndex();
  AreaIndex(AreaIndex&&) noexcept;
  AreaIndex& operator=(AreaIndex&&) noexcept;

  // Builds the index from areas of levels 1 and 2 (others are ignored).
  // kInvalidArgument naming the P-code of an area whose geometry is not a
  // GeoJSON Polygon/MultiPolygon, or a P-code that appears twice in a level.
  static Result<AreaIndex> Build(std::span<const model::Area> areas);

  // The area of `level` (1 or 2) for the point (degrees), by the rules above.
  // Unassigned for other levels and non-finite coordinates. Does not allocate
  // (P-codes up to 15 bytes). Thread-safe (const).
  AreaHit Locate(int level, double lat, double lon) const;

  // Sets admin1/admin2/admin_method of `incident` from its coordinates and
  // location precision. method = kInside only if every assigned level was
  // inside; kSnapped if any was snapped; kNone if nothing was assigned (then
  // admin1 = admin2 = ""). Thread-safe (const).
  void Assign(model::Incident& incident) const;

  bool empty() const;
  std::size_t area_count(int level) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Geodesic distance (WGS84) in metres from point p to the geodesic segment
// a-b (all in degrees), i.e. to its nearest point. Accurate to about 1 mm for
// segments and distances up to a few hundred kilometres. Thread-safe.
double GeodesicDistanceToSegmentM(double lat, double lon, double lat_a, double lon_a, double lat_b,
                                  double lon_b);

}  // namespace corridor::geo
