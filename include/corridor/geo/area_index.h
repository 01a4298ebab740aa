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
  std::string pcode;
  model::AssignMethod method = model::AssignMethod::kNone;
  double distance_m = 0;  // 0 when inside
};

class AreaIndex {
 public:
  AreaIndex();  // empty: every lookup is unassigned
  ~AreaIndex();
  AreaIndex(AreaIndex&&) noexcept;
  AreaIndex& operator=(AreaIndex&&) noexcept;

  // Builds the index from areas of levels 1 and 2 (others are ignored).
  // kInvalidArgument naming the P-code of an area whose geometry is not a
  // GeoJSON Polygon/MultiPolygon.
  static Result<AreaIndex> Build(std::span<const model::Area> areas);

  // The area of `level` (1 or 2) for the point, by the rules above.
  AreaHit Locate(int level, double lat, double lon) const;

  // Sets admin1/admin2/admin_method of `incident` from its coordinates and
  // location precision. method = kInside only if every assigned level was
  // inside; kSnapped if any was snapped; kNone if nothing was assigned.
  // Thread-safe (const).
  void Assign(model::Incident& incident) const;

  bool empty() const;
  std::size_t area_count(int level) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corridor::geo
