#include "store/sqlite_functions.h"

#include "corridor/common/search_key.h"
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

// The FTS5 tokenizer "corridor": common/search_key.h's SearchTokens, for the
// text and the query alike. It keeps no state, so every instance is the same
// static object.
struct TokenizerState {
  char unused = 0;
};
TokenizerState tokenizer_state;

int CreateTokenizer(void*, const char**, int, Fts5Tokenizer** out) {
  *out = reinterpret_cast<Fts5Tokenizer*>(&tokenizer_state);
  return SQLITE_OK;
}

void DeleteTokenizer(Fts5Tokenizer*) {}

int Tokenize(Fts5Tokenizer*, void* ctx, int, const char* text, int length,
             int (*token)(void*, int, const char*, int, int, int)) {
  if (text == nullptr || length <= 0) return SQLITE_OK;
  try {
    for (const SearchToken& t : SearchTokens(std::string_view(text, length))) {
      const int rc = token(ctx, 0, t.key.data(), static_cast<int>(t.key.size()),
                           static_cast<int>(t.begin), static_cast<int>(t.end));
      if (rc != SQLITE_OK) return rc;
    }
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

Result<void> RegisterTokenizer(Connection& conn) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(conn.handle(), "SELECT fts5(?1)", -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return Fail(conn.LastError(rc, "find the FTS5 API"));
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (api == nullptr || api->iVersion < 2) {
    return Fail(ErrorCode::kUnavailable, "this SQLite has no FTS5 API version 2");
  }
  static fts5_tokenizer tokenizer = {&CreateTokenizer, &DeleteTokenizer, &Tokenize};
  rc = api->xCreateTokenizer(api, "corridor", nullptr, &tokenizer, nullptr);
  if (rc != SQLITE_OK) return Fail(conn.LastError(rc, "register the corridor tokenizer"));
  return {};
}

}  // namespace

Result<void> RegisterStoreFunctions(Connection& conn) {
  if (auto r = RegisterTokenizer(conn); !r) return r;
  const int rc = sqlite3_create_function_v2(conn.handle(), "corridor_geodesic_m", 4,
                                            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                            nullptr, &GeodesicFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Fail(conn.LastError(rc, "register corridor_geodesic_m"));
  return {};
}

}  // namespace corridor::store::sqlite
