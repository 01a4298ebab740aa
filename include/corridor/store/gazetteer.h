// The gazetteer's places (issue 17 item 1, corridor/gazetteer/gazetteer.h):
// the GeoNames places an administrator loaded, with their chosen names and
// OCHA P-codes, replaced as a whole by each load. An aggregate store of the
// redesign (corridor/store/database.h): every method runs in the caller's
// transaction. (Named "gazetteer", not "places": WAVE2 keeps "places" for the
// areas and sites of issue 16's interface list.)
//
// Thread safety: as the Transaction's (one thread per transaction).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/gazetteer/gazetteer.h"
#include "corridor/store/database.h"

namespace corridor::store {

// Where the stored places come from.
struct GazetteerSource {
  std::string file;            // base name, "cities1000.txt"
  std::string sha256;          // of the file as loaded
  std::string curated_sha256;  // of config/places.tsv as loaded
  std::string loaded;          // RFC 3339
  std::string countries;       // "PK"
  std::int64_t places = 0;
  friend bool operator==(const GazetteerSource&, const GazetteerSource&) = default;
};

class GazetteerStore {
 public:
  virtual ~GazetteerStore() = default;
  // Replaces every place and the source. kInvalidArgument naming the place
  // for an id that is not positive or appears twice, an empty name or a
  // position that is not WGS84.
  virtual Result<void> Replace(Transaction& tx, const GazetteerSource& source,
                               const std::vector<gazetteer::Place>& places) = 0;
  // The source of the stored places, or nullopt when none are loaded.
  virtual Result<std::optional<GazetteerSource>> Source(Transaction& tx) = 0;
  // Every place, by GeoNames id.
  virtual Result<std::vector<gazetteer::Place>> Places(Transaction& tx) = 0;
};

// The SQL implementation (every backend).
std::unique_ptr<GazetteerStore> NewGazetteerStore();
// Its tables (the "gazetteer" module).
const Module& GazetteerModule();

}  // namespace corridor::store
