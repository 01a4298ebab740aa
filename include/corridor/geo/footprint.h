// A site's footprint (GeoJSON Point, MultiPoint, LineString, MultiLineString,
// Polygon, MultiPolygon or a GeometryCollection of them) and the geodesic
// distance from a point to its nearest point.
//
//        +--------------+
//        |   polygon    |   . p1 inside (boundary included)  -> 0
//        |      . p1    |
//        +--------------+   . p2 -> geodesic distance to the nearest edge
//
//        o-------o------o line   . p3 -> geodesic distance to the nearest segment
//
// Geometry model, the same as geo::AreaIndex: "inside a polygon" is decided
// in the (longitude, latitude) plane, as GDAL/GEOS treat GeoJSON; distances are
// geodesic on WGS84 (GeographicLib) to the nearest point of the nearest edge,
// the edge taken as the geodesic between its vertices. Footprints must not
// cross the antimeridian or contain a pole (true of every corridor site).
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "corridor/common/result.h"

namespace corridor::geo {

struct LatLonBox {
  double min_lat = 0, min_lon = 0, max_lat = 0, max_lon = 0;
  bool Contains(double lat, double lon) const {
    return lat >= min_lat && lat <= max_lat && lon >= min_lon && lon <= max_lon;
  }
  bool Intersects(const LatLonBox& o) const {
    return min_lat <= o.max_lat && o.min_lat <= max_lat && min_lon <= o.max_lon &&
           o.min_lon <= max_lon;
  }
};

// Bounds on a geodesic distance in metres: lower <= true distance <= upper,
// and an estimate between them (all three equal when measured exactly).
struct DistanceBounds {
  double lower_m = 0, estimate_m = 0, upper_m = 0;
};

class Footprint {
 public:
  Footprint();
  ~Footprint();
  Footprint(Footprint&&) noexcept;
  Footprint& operator=(Footprint&&) noexcept;

  // Parses a GeoJSON geometry object. kInvalidArgument naming what is wrong
  // (not JSON, unknown type, a coordinate out of range, an empty geometry).
  static Result<Footprint> FromGeoJson(std::string_view geometry);
  // A footprint of one point.
  static Footprint FromPoint(double lat, double lon);

  // Geodesic distance in metres from (lat, lon) to the footprint: 0 inside or
  // on a polygon. Thread-safe (const).
  double DistanceM(double lat, double lon) const;
  // The same distance when it is <= max_m, else nullopt; much cheaper than
  // DistanceM for points that are clearly farther (a local planar bound
  // decides those without a geodesic computation). Thread-safe (const).
  std::optional<double> DistanceWithinM(double lat, double lon, double max_m) const;
  // Whether (lat, lon) is within max_m, and bounds on its distance: nullopt
  // exactly when DistanceWithinM is. Computes a geodesic only when the bounds
  // of a frame centred on the point straddle max_m, so deciding "within R"
  // for many points costs little; the estimate errs by under 0.3 % within
  // 100 km (docs/methods.md "Site exposure"). Thread-safe (const).
  std::optional<DistanceBounds> BoundsWithinM(double lat, double lon, double max_m) const;

  // The footprint's bounding box in degrees.
  const LatLonBox& box() const;
  // A box (degrees) that holds every point within `radius_m` of the footprint.
  LatLonBox SearchBox(double radius_m) const;
  bool empty() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corridor::geo
