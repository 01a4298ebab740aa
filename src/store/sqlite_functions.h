// The SQL functions the security store's queries use, registered on each of
// its connections. Private to src/store.
#pragma once

#include "corridor/common/result.h"
#include "store/sqlite_db.h"

namespace corridor::store::sqlite {

// corridor_geodesic_m(lat1, lon1, lat2, lon2) → metres on WGS84 (NULL if any
// argument is NULL).
Result<void> RegisterStoreFunctions(Connection& conn);

}  // namespace corridor::store::sqlite
