// The outline of an administrative area as the public portal draws it
// (issue 13 §2: "chosen by list or map"): simplified and rounded from the
// OCHA COD-AB boundaries, a few hundred points per district at most.
#pragma once

#include <array>
#include <string>
#include <vector>

namespace corridor::model {

struct AreaOutline {
  std::string pcode;   // ADM1_PCODE or ADM2_PCODE, e.g. "PK205"
  std::string name;    // ADM1_EN or ADM2_EN
  std::string parent;  // a district's ADM1_PCODE; "" for a province
  int level = 2;       // 1 province, 2 district
  // Polygons, each a list of rings (outer first), each a list of [lon, lat].
  using Ring = std::vector<std::array<double, 2>>;
  std::vector<std::vector<Ring>> polygons;
  friend bool operator==(const AreaOutline&, const AreaOutline&) = default;
};

}  // namespace corridor::model
