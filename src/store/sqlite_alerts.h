// Alert matching inside the incident upsert's transaction (private to store/).
#pragma once

#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/geo/footprint.h"
#include "corridor/model/incident.h"
#include "store/sqlite_db.h"

namespace corridor::store::sqlite {

// The subscriptions of enabled users, read once per upsert; Match() collects
// the alerts of each inserted incident and Write() records them in the same
// transaction. Empty (and free) when nobody subscribes.
class AlertMatcher {
 public:
  static Result<AlertMatcher> Load(Connection& conn);
  bool empty() const { return subs_.empty(); }
  // REQUIRES: `incident` was inserted by this transaction; `id` is its id text.
  void Match(const model::Incident& incident, const std::string& id);
  Result<void> Write(Connection& conn, const std::string& now);

 private:
  struct Sub {
    std::string username, site;
    double radius_m = 0;
    std::size_t footprint = 0;  // index into footprints_
    geo::LatLonBox reach;
  };
  struct Hit {
    std::size_t sub;
    std::string incident;
    double distance_m;
  };
  std::vector<geo::Footprint> footprints_;
  std::vector<Sub> subs_;
  std::vector<Hit> hits_;
};

}  // namespace corridor::store::sqlite
