// Geodesic distances on the WGS84 ellipsoid (GeographicLib).
#pragma once

namespace corridor::geo {

// Distance in metres between two points (degrees). Thread-safe.
double GeodesicDistanceM(double lat1, double lon1, double lat2, double lon2);

}  // namespace corridor::geo
