// The SQL functions the security store's queries use, registered on each of
// its connections. Private to src/store.
#pragma once

#include "corridor/common/result.h"
#include "store/sqlite_db.h"

namespace corridor::store::sqlite {

// corridor_geodesic_m(lat1, lon1, lat2, lon2) → metres on WGS84 (NULL if any
// argument is NULL), and the FTS5 tokenizer "corridor" (SearchTokens of
// common/search_key.h: Urdu letter variants, traditional and simplified
// Chinese as bigrams, diacritics and case folded) of incidents_fts.
Result<void> RegisterStoreFunctions(Connection& conn);

}  // namespace corridor::store::sqlite
