// Use cases over incidents: list, count, export, one by id, counts by group.
// Shared by GET /api/v1/incidents[.geojson], /api/v1/incidents/{id},
// /api/v1/stats and `corridor query`, `corridor stats`.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "corridor/model/filter.h"
#include "corridor/service/schema.h"
#include "corridor/service/service.h"
#include "corridor/store/store.h"

namespace corridor::service {

// The shared incident filter's parameters (from, to, area, bbox, near,
// category, text, dataset), parsed by model::ParseFilterField and checked by
// model::ValidateFilter. `with_near` false leaves `near` out (the map's
// aggregates).
const ParamSchema<model::IncidentFilter>& FilterSchema(bool with_near = true);

struct ListIncidentsParams {
  model::IncidentFilter filter;
  int limit = 100;  // 1..10,000
  std::string cursor;
  std::string sort = "date_desc";  // a store::IncidentOrder name
  static const ParamSchema<ListIncidentsParams>& Schema();
  Result<void> Validate() const;
};

// The page the caller may read, newest first. A text filter needs `search`;
// audits the search and the marked incidents shown before returning.
Result<store::IncidentPage> ListIncidents(const Context& ctx, const Caller& caller,
                                          const ListIncidentsParams& p);

struct ExportIncidentsParams {
  model::IncidentFilter filter;
  int limit = 10'000;  // 1..100,000
  std::string cursor;
  std::string sort = "date_desc";  // a store::IncidentOrder name
  std::string format = "geojson";  // recorded in the audit entry
  static const ParamSchema<ExportIncidentsParams>& Schema();
  Result<void> Validate() const;
};

// One page of an export (needs `export`): audited as an export, plus the
// search and the marked incidents, before returning.
Result<store::IncidentPage> ExportIncidentPage(const Context& ctx, const Caller& caller,
                                               const ExportIncidentsParams& p);

// Every matching incident, up to `limit` (0 = all), in `order`, streamed to
// `write` after the export, the search and the marked incidents are audited
// (needs `export`). Two reads, each walking the same order page by page: the
// first counts and audits, the second writes only what the first audited (an
// incident written meanwhile, or marked since, is left out). Returns how many
// were written.
Result<std::int64_t> ExportIncidents(const Context& ctx, const Caller& caller,
                                     const model::IncidentFilter& filter, std::int64_t limit,
                                     store::IncidentOrder order, const std::string& format,
                                     const std::function<void(const model::Incident&)>& write);

// How many match (a count shows what a list would: needs `read`, and
// `search` for a text filter).
Result<std::int64_t> CountIncidents(const Context& ctx, const Caller& caller,
                                    const model::IncidentFilter& filter);

struct GetIncidentParams {
  Uuid id;
  static const ParamSchema<GetIncidentParams>& Schema();
  Result<void> Validate() const { return {}; }
};

// kNotFound when it does not exist or the caller may not see it (alike).
// Audits the read when it is marked.
Result<model::Incident> GetIncident(const Context& ctx, const Caller& caller,
                                    const GetIncidentParams& p);

struct StatsParams {
  std::string by;  // admin1, admin2, year, month, category, dataset
  model::IncidentFilter filter;
  static const ParamSchema<StatsParams>& Schema();
  Result<void> Validate() const;
};

Result<std::vector<store::KeyCount>> CountIncidentsBy(const Context& ctx, const Caller& caller,
                                                      const StatsParams& p);

// The filter as its parameters (for echoing it back in a response).
nlohmann::json FilterJson(const model::IncidentFilter& filter);

// Resolves filter.organisation into filter.organisation_names from the curated
// tables (risk/organisations.h); nothing when it is not set. kInvalidArgument
// "organisation: ..." for an id the table does not list (a state, a group, a
// party or a person is never one). FilterSchema's parse calls it; so does any
// caller that sets the field itself (the CLI's flags).
Result<void> ResolveOrganisation(model::IncidentFilter& filter);

}  // namespace corridor::service
