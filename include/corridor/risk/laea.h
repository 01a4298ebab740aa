// Lambert azimuthal equal-area (LAEA) projection on the WGS84 ellipsoid,
// centred on a study area, in kilometres. The hotspot analyses (KDE, Gi* on
// grids, Knox) measure areas and distances in this plane.
//
//            north (y, km)
//              ^
//              |      . event (x, y)
//              |
//   -----------+-----------> east (x, km)
//        (lat0, lon0) = (0, 0)
//
// Equal-area everywhere, so a cell of a × a km in the plane is a × a km² on
// the ellipsoid and a density in events per km² needs no correction. Distances
// are exact at the centre; away from it the radial scale shrinks and the
// tangential one grows (k_r·k_t = 1), by less than 0.4 % at 1,000 km from the
// centre (docs/methods.md).
//
// The projection itself is PROJ's, through GDAL/OSR (a dependency already):
// "+proj=laea +lat_0=.. +lon_0=.. +ellps=WGS84 +units=km". Not thread-safe:
// one object per thread (copies share state; make a new one per thread).
#pragma once

#include <memory>
#include <span>
#include <string>

#include "corridor/common/result.h"

namespace corridor::risk {

// A box in the projected plane, km.
struct PlaneBox {
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};

class LaeaProjection {
 public:
  // kInvalidArgument for a centre outside [-90, 90] × [-180, 180];
  // kInternal when PROJ cannot build the transformation.
  static Result<LaeaProjection> Create(double lat0_deg, double lon0_deg);

  LaeaProjection(LaeaProjection&&) noexcept;
  LaeaProjection& operator=(LaeaProjection&&) noexcept;
  ~LaeaProjection();

  double lat0() const { return lat0_; }
  double lon0() const { return lon0_; }
  // The PROJ string of the plane ("+proj=laea ... +units=km").
  const std::string& proj() const { return proj_; }

  // Projects degrees to km, element-wise: x[i], y[i] from lat[i], lon[i].
  // Spans have equal sizes; non-finite input gives NaN. Does not allocate.
  void Forward(std::span<const double> lat, std::span<const double> lon, std::span<double> x,
               std::span<double> y) const;
  // The inverse: lat[i], lon[i] (degrees) from x[i], y[i] (km).
  void Inverse(std::span<const double> x, std::span<const double> y, std::span<double> lat,
               std::span<double> lon) const;

  // The planar centroid (km) of a GeoJSON Polygon/MultiPolygon (WGS84) after
  // projection, i.e. the area-weighted centroid on the ellipsoid's equal-area
  // image. kInvalidArgument when the geometry cannot be read or is empty.
  Result<std::pair<double, double>> ProjectedCentroid(const std::string& geojson) const;
  // The bounding box (km) of a GeoJSON geometry's projected vertices, edges
  // densified to at most 0.1° so that curved images of long edges are covered.
  Result<PlaneBox> ProjectedBox(const std::string& geojson) const;

 private:
  struct Impl;
  LaeaProjection(double lat0, double lon0, std::string proj, std::unique_ptr<Impl> impl);
  double lat0_ = 0, lon0_ = 0;
  std::string proj_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corridor::risk
