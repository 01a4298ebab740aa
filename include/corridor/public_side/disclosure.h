// What the public sees of a project (docs/public.md, "Disclosure"): every
// disclosable field is published, withheld (absent, with its public reason)
// or coarsened (location to district, dates to month). Every public output
// (portal, JSON API, OC4IDS, IATI) is made from PublicView only. Pure.
#pragma once

#include <string>
#include <vector>

#include "corridor/model/project.h"

namespace corridor::public_side {

// A field the public does not see in full, and why.
struct Notice {
  std::string field;   // "location", "dates", "financing", "parties"
  std::string state;   // "withheld" or "coarsened"
  std::string reason;  // the public reason
};

struct PublicProject {
  model::Project project;       // withheld fields emptied; coarsened fields coarsened
  bool has_point = false;       // lat/lon and footprint are published
  bool has_district = false;    // district and province are published
  bool dates_to_month = false;  // dates are "YYYY-MM"
  std::vector<Notice> notices;  // in kDisclosableFields order
};

// Applies `p.disclosure`:
//   location withheld  -> no footprint, point, district or province
//   location coarsened -> no footprint or point; district and province kept
//   dates withheld     -> no dates;  dates coarsened -> "YYYY-MM"
//   financing withheld -> no financing records (amounts, instruments, financiers)
//   parties withheld   -> no parties
PublicProject PublicView(const model::Project& p);

}  // namespace corridor::public_side
