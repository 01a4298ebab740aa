#include "corridor/store/gazetteer.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "store/sql/sql.h"

namespace corridor::store {
namespace {

using nlohmann::json;

Result<void> CheckPlace(const gazetteer::Place& p) {
  const std::string where = "place " + std::to_string(p.geonameid) + ": ";
  if (p.geonameid <= 0) return Fail(ErrorCode::kInvalidArgument, where + "id must be positive");
  if (p.name.empty()) return Fail(ErrorCode::kInvalidArgument, where + "a name is required");
  if (!std::isfinite(p.lat) || !std::isfinite(p.lon) || std::fabs(p.lat) > 90 ||
      std::fabs(p.lon) > 180) {
    return Fail(ErrorCode::kInvalidArgument, where + "not a WGS84 position");
  }
  return {};
}

gazetteer::Place ReadPlace(const sql::Row& r) {
  gazetteer::Place p;
  p.geonameid = r.Int(0);
  p.name = r.Text(1);
  p.name_ur = r.Text(2);
  p.name_zh = r.Text(3);
  p.names_source = r.Text(4);
  // Written by Replace as a JSON array of strings; anything else reads as none.
  const json alternates = json::parse(r.Text(5), nullptr, false);
  if (alternates.is_array()) {
    for (const auto& a : alternates) {
      if (a.is_string()) p.alternates.push_back(a.get<std::string>());
    }
  }
  p.lat = r.Double(6);
  p.lon = r.Double(7);
  p.population = r.Int(8);
  p.feature_code = r.Text(9);
  p.country = r.Text(10);
  p.admin1 = r.Text(11);
  p.admin2 = r.Text(12);
  return p;
}

class SqlGazetteerStore final : public GazetteerStore {
 public:
  Result<void> Replace(Transaction& t, const GazetteerSource& source,
                       const std::vector<gazetteer::Place>& places) override {
    std::set<std::int64_t> ids;
    for (const auto& p : places) {
      if (auto ok = CheckPlace(p); !ok) return ok;
      if (!ids.insert(p.geonameid).second) {
        return Fail(ErrorCode::kInvalidArgument,
                    "place " + std::to_string(p.geonameid) + " appears twice");
      }
    }
    auto& tx = sql::Of(t);
    for (const char* q : {"DELETE FROM gazetteer_places", "DELETE FROM gazetteer_source"}) {
      if (auto r = tx.Exec(q); !r) return Fail(r.error());
    }
    if (auto r = tx.Exec(
            "INSERT INTO gazetteer_source (id, file, sha256, curated_sha256, loaded, countries, "
            "places) VALUES (1, ?, ?, ?, ?, ?, ?)",
            source.file, source.sha256, source.curated_sha256, source.loaded, source.countries,
            source.places);
        !r) {
      return Fail(r.error());
    }
    for (const auto& p : places) {
      auto r = tx.Exec(
          "INSERT INTO gazetteer_places (geonameid, name, name_ur, name_zh, names_source, "
          "alternates, lat, lon, population, feature_code, country, admin1, admin2) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          p.geonameid, p.name, p.name_ur, p.name_zh, p.names_source, json(p.alternates).dump(),
          p.lat, p.lon, p.population, p.feature_code, p.country, p.admin1, p.admin2);
      if (!r) return Fail(r.error());
    }
    return {};
  }

  Result<std::optional<GazetteerSource>> Source(Transaction& t) override {
    return sql::Of(t).QueryOne(
        "SELECT file, sha256, curated_sha256, loaded, countries, places FROM gazetteer_source",
        [](const sql::Row& r) {
          return GazetteerSource{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)};
        });
  }

  Result<std::vector<gazetteer::Place>> Places(Transaction& t) override {
    return sql::Of(t).QueryAll(
        "SELECT geonameid, name, name_ur, name_zh, names_source, alternates, lat, lon, "
        "population, feature_code, country, admin1, admin2 FROM gazetteer_places "
        "ORDER BY geonameid",
        ReadPlace);
  }
};

}  // namespace

std::unique_ptr<GazetteerStore> NewGazetteerStore() {
  return std::make_unique<SqlGazetteerStore>();
}

const Module& GazetteerModule() {
  static const Module kModule = {"gazetteer",
                                 {{1, R"sql(
CREATE TABLE gazetteer_source (
  id             INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
  file           TEXT NOT NULL,
  sha256         TEXT NOT NULL,
  curated_sha256 TEXT NOT NULL,
  loaded         TEXT NOT NULL,
  countries      TEXT NOT NULL,
  places         BIGINT NOT NULL
);
CREATE TABLE gazetteer_places (
  geonameid    BIGINT PRIMARY KEY NOT NULL,
  name         TEXT NOT NULL,
  name_ur      TEXT NOT NULL,
  name_zh      TEXT NOT NULL,
  names_source TEXT NOT NULL,
  alternates   TEXT NOT NULL,
  lat          DOUBLE PRECISION NOT NULL,
  lon          DOUBLE PRECISION NOT NULL,
  population   BIGINT NOT NULL,
  feature_code TEXT NOT NULL,
  country      TEXT NOT NULL,
  admin1       TEXT NOT NULL,
  admin2       TEXT NOT NULL
);
)sql",
                                   ""}}};
  return kModule;
}

}  // namespace corridor::store
