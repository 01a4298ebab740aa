#include "corridor/store/roads.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "store/sql/sql.h"

namespace corridor::store {
namespace {

using nlohmann::json;

Result<void> CheckWay(const RoadWay& w) {
  const std::string where = "way " + std::to_string(w.id) + ": ";
  if (w.nodes.size() < 2) return Fail(ErrorCode::kInvalidArgument, where + "fewer than two nodes");
  if (w.lat.size() != w.nodes.size() || w.lon.size() != w.nodes.size()) {
    return Fail(ErrorCode::kInvalidArgument, where + "a position for every node is required");
  }
  for (std::size_t i = 0; i < w.nodes.size(); ++i) {
    if (!std::isfinite(w.lat[i]) || !std::isfinite(w.lon[i]) || std::fabs(w.lat[i]) > 90 ||
        std::fabs(w.lon[i]) > 180) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + "node " + std::to_string(w.nodes[i]) + " is not a WGS84 position");
    }
  }
  if (!(w.speed_kmh > 0 && w.speed_kmh <= 200)) {
    return Fail(ErrorCode::kInvalidArgument, where + "speed must be in (0, 200] km/h");
  }
  return {};
}

RoadWay ReadWay(const sql::Row& r) {
  RoadWay w;
  w.id = r.Int(0);
  w.speed_kmh = r.Double(1);
  w.forward = r.Int(2) != 0;
  w.backward = r.Int(3) != 0;
  // Written by ReplaceExtract from checked ways; a damaged row reads as a way
  // without nodes, which the graph skips.
  const json nodes = json::parse(r.Text(4), nullptr, false);
  const json points = json::parse(r.Text(5), nullptr, false);
  if (!nodes.is_array() || !points.is_array() || points.size() != 2 * nodes.size()) return w;
  w.nodes.reserve(nodes.size());
  w.lat.reserve(nodes.size());
  w.lon.reserve(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].is_number_integer() || !points[2 * i].is_number() ||
        !points[2 * i + 1].is_number()) {
      return RoadWay{w.id, w.speed_kmh, w.forward, w.backward, {}, {}, {}};
    }
    w.nodes.push_back(nodes[i].get<std::int64_t>());
    w.lat.push_back(points[2 * i].get<double>());
    w.lon.push_back(points[2 * i + 1].get<double>());
  }
  return w;
}

class SqlRoadStore final : public RoadStore {
 public:
  Result<void> ReplaceExtract(Transaction& t, const RoadExtract& e,
                              const std::vector<RoadWay>& ways) override {
    if (e.name.empty() || e.name.size() > 200) {
      return Fail(ErrorCode::kInvalidArgument, "road extract: a name of 1 to 200 bytes");
    }
    for (const RoadWay& w : ways) {
      if (auto ok = CheckWay(w); !ok) return ok;
    }
    auto& tx = sql::Of(t);
    if (auto r = tx.Exec("DELETE FROM road_ways WHERE extract = ?", e.name); !r) {
      return Fail(r.error());
    }
    if (auto r = tx.Exec("DELETE FROM road_extracts WHERE name = ?", e.name); !r) {
      return Fail(r.error());
    }
    if (auto r = tx.Exec("INSERT INTO road_extracts (name, sha256, loaded, ways, vertices) VALUES "
                         "(?, ?, ?, ?, ?)",
                         e.name, e.sha256, e.loaded, e.ways, e.vertices);
        !r) {
      return Fail(r.error());
    }
    for (const RoadWay& w : ways) {
      json points = json::array();
      for (std::size_t i = 0; i < w.nodes.size(); ++i) {
        points.push_back(w.lat[i]);
        points.push_back(w.lon[i]);
      }
      auto r = tx.Exec(
          "INSERT INTO road_ways (extract, id, speed_kmh, forward, backward, nodes, points) "
          "VALUES (?, ?, ?, ?, ?, ?, ?)",
          e.name, w.id, w.speed_kmh, std::int64_t{w.forward ? 1 : 0},
          std::int64_t{w.backward ? 1 : 0}, json(w.nodes).dump(), points.dump());
      if (!r) {
        Error err = r.error();
        if (err.code == ErrorCode::kConflict) {
          err.message = "way " + std::to_string(w.id) + " appears twice in " + e.name;
        }
        return Fail(std::move(err));
      }
    }
    return {};
  }

  Result<std::vector<RoadExtract>> Extracts(Transaction& t) override {
    return sql::Of(t).QueryAll(
        "SELECT name, sha256, loaded, ways, vertices FROM road_extracts ORDER BY name",
        [](const sql::Row& r) {
          return RoadExtract{r.Text(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4)};
        });
  }

  Result<std::vector<RoadWay>> Ways(Transaction& t) override {
    // One copy per way id: the one of the extract loaded last.
    auto rows = sql::Of(t).QueryAll(
        "SELECT w.id, w.speed_kmh, w.forward, w.backward, w.nodes, w.points "
        "FROM road_ways w JOIN road_extracts e ON e.name = w.extract "
        "ORDER BY w.id, e.loaded DESC, e.name DESC",
        ReadWay);
    if (!rows) return Fail(rows.error());
    std::vector<RoadWay> out;
    out.reserve(rows->size());
    for (auto& w : *rows) {
      if (!out.empty() && out.back().id == w.id) continue;
      out.push_back(std::move(w));
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<RoadStore> NewRoadStore() { return std::make_unique<SqlRoadStore>(); }

const Module& RoadsModule() {
  static const Module kModule = {"roads",
                                 {{1, R"sql(
CREATE TABLE road_extracts (
  name     TEXT PRIMARY KEY NOT NULL,
  sha256   TEXT NOT NULL,
  loaded   TEXT NOT NULL,
  ways     BIGINT NOT NULL,
  vertices BIGINT NOT NULL
);
CREATE TABLE road_ways (
  extract   TEXT NOT NULL REFERENCES road_extracts (name),
  id        BIGINT NOT NULL,
  speed_kmh DOUBLE PRECISION NOT NULL,
  forward   INTEGER NOT NULL,
  backward  INTEGER NOT NULL,
  nodes     TEXT NOT NULL,
  points    TEXT NOT NULL,
  PRIMARY KEY (extract, id)
);
CREATE INDEX road_ways_id ON road_ways (id);
)sql",
                                   ""}}};
  return kModule;
}

}  // namespace corridor::store
