// Reads drivable ways from an .osm.pbf with libosmium (Debian's libosmium2-dev, header-only).
#include <exception>
#include <filesystem>
#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/pbf_input.hpp>
#include <osmium/visitor.hpp>

#include "corridor/routing/graph.h"

namespace corridor::routing {
namespace {

class WayCollector : public osmium::handler::Handler {
 public:
  explicit WayCollector(std::vector<Way>* out) : out_(out) {}

  void way(const osmium::Way& way) {
    const osmium::TagList& tags = way.tags();
    auto rule = CarRule([&tags](const char* key) { return tags.get_value_by_key(key); });
    if (!rule) return;
    Way w;
    w.id = way.id();
    w.rule = *rule;
    for (const osmium::NodeRef& ref : way.nodes()) {
      if (!ref.location().valid()) continue;  // node outside the extract
      w.nodes.push_back(ref.ref());
      w.points.push_back({ref.location().lat(), ref.location().lon()});
    }
    if (w.nodes.size() >= 2) out_->push_back(std::move(w));
  }

 private:
  std::vector<Way>* out_;
};

}  // namespace

Result<std::vector<Way>> ReadOsmPbf(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Fail(ErrorCode::kInvalidArgument, path + ": no such file");
  }
  std::vector<Way> ways;
  try {
    using Index = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;
    Index index;
    osmium::handler::NodeLocationsForWays<Index> locations(index);
    locations.ignore_errors();
    WayCollector collector(&ways);
    osmium::io::Reader reader(osmium::io::File(path, "pbf"),
                              osmium::osm_entity_bits::node | osmium::osm_entity_bits::way);
    osmium::apply(reader, locations, collector);
    reader.close();
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInvalidArgument,
                path + ": not a readable OSM PBF file (" + e.what() + ")");
  }
  return ways;
}

}  // namespace corridor::routing
