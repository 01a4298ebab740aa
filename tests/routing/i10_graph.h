// The car graph of sector I-10 (../shared/data/osm-islamabad/i10.osm.pbf), built once per test
// process.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "corridor/routing/graph.h"
#include "testing/testing.h"

namespace corridor::routing::testing_graph {

inline std::string OsmFile(const std::string& name) {
  return (corridor::testing::SharedDir() / "data" / "osm-islamabad" / name).string();
}

inline const Graph& I10() {
  static const Graph kGraph = [] {
    auto ways = ReadOsmPbf(OsmFile("i10.osm.pbf"));
    EXPECT_TRUE(ways.has_value()) << ways.error().message;
    return Graph::Build(ways ? *ways : std::vector<Way>{});
  }();
  return kGraph;
}

}  // namespace corridor::routing::testing_graph
