#include "store/sqlite_functions.h"

#include <string>
#include <string_view>

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

// corridor_search_key(text): common/search_key.h's SearchKey, so that SQL can
// compare a stored name with the keys a curated table holds (an armed
// organisation's names, docs/organisations.md). NULL for NULL.
void SearchKeyFunction(sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const int bytes = sqlite3_value_bytes(argv[0]);
  const std::string key =
      SearchKey(std::string_view(text == nullptr ? "" : text, static_cast<std::size_t>(bytes)));
  sqlite3_result_text(ctx, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
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
  const int key_rc =
      sqlite3_create_function_v2(conn.handle(), "corridor_search_key", 1,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                 &SearchKeyFunction, nullptr, nullptr, nullptr);
  if (key_rc != SQLITE_OK) return Fail(conn.LastError(key_rc, "register corridor_search_key"));
  return {};
}

}  // namespace corridor::store::sqlite
