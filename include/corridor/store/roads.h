// The road network for risk-weighted routing (issue 17 item 6): the drivable
// ways of the OpenStreetMap extracts an administrator loaded, each way as the
// car profile read it (routing/graph.h CarRule), kept per extract so a reload
// replaces that extract only. An aggregate store of the redesign
// (corridor/store/database.h): every method runs in the caller's transaction.
// No geometry type of another subsystem here: the service converts.
//
// Thread safety: as the Transaction's (one thread per transaction).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/store/database.h"

namespace corridor::store {

// One loaded extract.
struct RoadExtract {
  std::string name;    // the file's base name, "islamabad.osm.pbf"
  std::string sha256;  // of the file as loaded
  std::string loaded;  // RFC 3339
  std::int64_t ways = 0;
  std::int64_t vertices = 0;
  friend bool operator==(const RoadExtract&, const RoadExtract&) = default;
};

// One drivable way: OSM node ids with their positions (WGS84 degrees), and
// the profile's speed and allowed directions.
struct RoadWay {
  std::int64_t id = 0;
  double speed_kmh = 0;
  bool forward = true;
  bool backward = true;
  std::vector<std::int64_t> nodes;
  std::vector<double> lat;
  std::vector<double> lon;
  friend bool operator==(const RoadWay&, const RoadWay&) = default;
};

class RoadStore {
 public:
  virtual ~RoadStore() = default;
  // Replaces the extract `extract.name` and its ways (other extracts stay).
  // kInvalidArgument for an empty name, a way with fewer than two nodes,
  // node/position counts that differ, a non-finite or out-of-range position or
  // a speed outside (0, 200] km/h, naming the way.
  virtual Result<void> ReplaceExtract(Transaction& tx, const RoadExtract& extract,
                                      const std::vector<RoadWay>& ways) = 0;
  // Every loaded extract, by name.
  virtual Result<std::vector<RoadExtract>> Extracts(Transaction& tx) = 0;
  // Every way of every extract, by way id; a way in two overlapping extracts
  // comes once (the copy of the extract loaded last).
  virtual Result<std::vector<RoadWay>> Ways(Transaction& tx) = 0;
};

// The SQL implementation (every backend).
std::unique_ptr<RoadStore> NewRoadStore();
// Its tables (the "roads" module).
const Module& RoadsModule();

}  // namespace corridor::store
