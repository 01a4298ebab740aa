#include "store/sqlite_functions.h"

#include "corridor/geo/geodesic.h"

namespace corridor::store::sqlite {
namespace {

void GeodesicFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  for (int i = 0; i < argc; ++i) {
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
      sqlite3_result_null(ctx);
      return;
    }
  }
  sqlite3_result_double(
      ctx, geo::GeodesicDistanceM(sqlite3_value_double(argv[0]), sqlite3_value_double(argv[1]),
                                  sqlite3_value_double(argv[2]), sqlite3_value_double(argv[3])));
}

}  // namespace

Result<void> RegisterStoreFunctions(Connection& conn) {
  const int rc = sqlite3_create_function_v2(
      conn.handle(), "corridor_geodesic_m", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
      nullptr, &GeodesicFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Fail(conn.LastError(rc, "register corridor_geodesic_m"));
  return {};
}

}  // namespace corridor::store::sqlite
