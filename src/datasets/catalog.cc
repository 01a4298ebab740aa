#include "corridor/datasets/catalog.h"

#include <array>

namespace corridor::datasets {

model::Licence LicenceOf(std::string_view dataset) {
  struct Entry { std::string_view name; model::Licence licence; };
  static const std::array<Entry, 10> kLicences{{
      {"ucdp-ged",
       {"CC-BY-4.0", true,
        "UCDP Georeferenced Event Dataset (GED) Global version 20.1, Uppsala Conflict Data "
        "Program; Sundberg & Melander (2013), Journal of Peace Research 50(4); Hogbladh (2020). "
        "CC BY 4.0."}},
      {"gtd",
       {"GTD-terms", false,
        "Global Terrorism Database, National Consortium for the Study of Terrorism and Responses "
        "to Terrorism (START), University of Maryland. Not for redistribution."}},
      {"acled",
       {"ACLED-terms", false,
        "Armed Conflict Location & Event Data Project (ACLED), acleddata.com. Not for "
        "redistribution."}},
      {"manual", {"corridor-manual", true, ""}},
      {"ocha-cod-ab-pak-2022",
       {"CC-BY-IGO", true,
        "Administrative boundaries: OCHA Common Operational Dataset COD-AB Pakistan (WFP/OCHA, "
        "2022-09-09), CC BY-IGO. Boundaries in Jammu and Kashmir are disputed and shown without "
        "endorsement."}},
      {"geoboundaries-pak",
       {"CC-BY-4.0", true,
        "geoBoundaries (William & Mary geoLab), Runfola et al. 2020, PLoS ONE 15(4): e0231866."}},
      {"aiddata-gcdf",
       {"ODC-By-1.0+ODbL-1.0", true,
        "Project attributes: AidData Global Chinese Development Finance Dataset 2.0 (Custer et al. "
        "2021), ODC-By 1.0. Site geometry: (c) OpenStreetMap contributors, ODbL 1.0."}},
      {"data4pakistan",
       {"CC-BY-4.0", true, "World Bank Data4Pakistan district indicators, CC BY 4.0."}},
      {"owid-gtd",
       {"GTD-aggregates", true,
        "Aggregates of the Global Terrorism Database (START, University of Maryland), compiled by "
        "Our World in Data."}},
      {"osm", {"ODbL-1.0", true, "(c) OpenStreetMap contributors, ODbL 1.0."}},
  }};
  for (const auto& e : kLicences) {
    if (e.name == dataset) return e.licence;
  }
  return {"unknown", false, ""};
}

}  // namespace corridor::datasets
