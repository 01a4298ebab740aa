#include "corridor/public_side/disclosure.h"

namespace corridor::public_side {

PublicProject PublicView(const model::Project& p) {
  PublicProject out;
  out.project = p;
  model::Project& v = out.project;
  v.disclosure.clear();
  out.has_point = true;
  out.has_district = !p.district_pcode.empty();
  for (std::string_view field : model::kDisclosableFields) {
    const model::FieldDisclosure d = p.DisclosureOf(field);
    if (d.state == model::Disclosure::kPublished) continue;
    out.notices.push_back({d.field, std::string(model::DisclosureName(d.state)), d.reason});
    const bool withheld = d.state == model::Disclosure::kWithheld;
    if (field == "location") {
      v.footprint.clear();
      v.lat = v.lon = 0;
      out.has_point = false;
      if (withheld) {
        v.district_pcode.clear();
        v.district_name.clear();
        v.province_name.clear();
        out.has_district = false;
      }
    } else if (field == "dates") {
      for (std::string* date :
           {&v.planned_start, &v.actual_start, &v.planned_completion, &v.actual_completion}) {
        if (withheld) {
          date->clear();
        } else if (date->size() > 7) {
          date->resize(7);
        }
      }
      out.dates_to_month = !withheld;
    } else if (field == "financing") {
      v.financing.clear();
    } else if (field == "parties") {
      v.parties.clear();
    }
  }
  return out;
}

}  // namespace corridor::public_side
