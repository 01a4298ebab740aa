// Armed organisations (issue 17 item 12, docs/organisations.md): the ranking
// and one organisation's page, computed from one public dataset's incidents
// (TLP:CLEAR, so the figures do not depend on who asks) through the curated
// tables of risk/organisations.h. Shared by GET /api/v1/armed-organisations[/{id}]
// (declared as analyses, service/analyses.h) and `corridor armed-organisations`.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "corridor/risk/budget.h"
#include "corridor/service/schema.h"
#include "corridor/service/service.h"

namespace corridor::service {

struct OrganisationParams {
  std::string dataset = "ucdp-ged";
  std::optional<Date> from, to;  // by date_start, both inclusive
  std::string q;                 // the list: a name in any language ("" = all)
  std::string organisation;      // the page: an id of config/armed_organisations.tsv
  // `one`: the page's schema (organisation is a path parameter, no q).
  static const ParamSchema<OrganisationParams>& Schema(bool one);
};

// {"dataset","from","to","q","incidents": counted, "items": [{"id","name","names":
//  {"en","ur","zh"},"parent","incidents","as_perpetrator","as_party","deaths",
//  "first","last"}], "organisations_listed", "sides": {kind: incidents},
//  "unclassified_names": [...], "method", "attribution"}
// Items: organisations with an incident in the window, most incidents first.
Result<nlohmann::json> ListArmedOrganisations(const Context& ctx, const Caller& caller,
                                              const OrganisationParams& p,
                                              const risk::Budget* budget);

// One organisation's page: its names and factions, totals, incidents and
// deaths per year, provinces and districts (with names), categories, target
// types, location precision, the other organisations and the kinds of other
// sides in its incidents, its ten latest incidents, and the assessments the
// caller may see that cite its incidents (marked ones audited as read).
// kNotFound for an id the table does not list.
Result<nlohmann::json> ArmedOrganisationPage(const Context& ctx, const Caller& caller,
                                             const OrganisationParams& p,
                                             const risk::Budget* budget);

}  // namespace corridor::service
