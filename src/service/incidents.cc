#include "corridor/service/incidents.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "corridor/model/datasets.h"
#include "corridor/risk/organisations.h"

namespace corridor::service {
namespace {

using nlohmann::json;

struct FilterField {
  const char* name;
  const char* description;
  json schema;
  std::size_t max_bytes;
};

const std::vector<FilterField>& FilterFields() {
  static const std::vector<FilterField> kFields = {
      {"from",
       "Incidents whose [date_start, date_end] overlaps [from, to]; YYYY-MM-DD",
       {{"type", "string"}, {"format", "date"}},
       10},
      {"to",
       "End of the date range (inclusive); YYYY-MM-DD",
       {{"type", "string"}, {"format", "date"}},
       10},
      {"area",
       "Province or district P-code (e.g. PK6, PK604)",
       {{"type", "string"}, {"maxLength", 16}},
       16},
      {"bbox",
       "MINLON,MINLAT,MAXLON,MAXLAT (GeoJSON order), degrees",
       {{"type", "string"}, {"maxLength", 128}},
       128},
      {"near",
       "LAT,LON,KM: within KM kilometres (geodesic, WGS84; KM in (0, 20000]) of the point",
       {{"type", "string"}, {"maxLength", 96}},
       96},
      {"category",
       "One or more categories separated by commas",
       {{"type", "string"}, {"maxLength", 512}, {"example", "bombing,suicide-bombing"}},
       512},
      {"text",
       "Full-text words over headlines and descriptions (all must match; at most 500 bytes)",
       {{"type", "string"}, {"maxLength", 500}},
       500},
      {"dataset",
       "Only incidents of this dataset",
       {{"type", "string"}, {"enum", model::IncidentDatasetNames()}},
       16},
      {"organisation",
       "Only incidents of this armed organisation (an id of GET /api/v1/armed-organisations): "
       "one of their sides or perpetrators is one of its names",
       {{"type", "string"}, {"maxLength", 64}, {"example", "bla"}},
       64},
  };
  return kFields;
}

ParamSchema<model::IncidentFilter> MakeFilterSchema(bool with_near) {
  ParamSchema<model::IncidentFilter> s;
  for (const auto& f : FilterFields()) {
    if (!with_near && std::string_view(f.name) == "near") continue;
    const std::string name = f.name;
    s.Custom(name, f.description, f.schema, f.max_bytes,
             [name](model::IncidentFilter& filter, std::string_view value) {
               return model::ParseFilterField(filter, name, value);
             });
  }
  s.AfterParse([](model::IncidentFilter& filter) -> Result<void> {
    if (auto ok = model::ValidateFilter(filter); !ok) return ok;
    return ResolveOrganisation(filter);
  });
  return s;
}

Result<void> RequireSearch(const Caller& caller, const model::IncidentFilter& filter) {
  if (!filter.text) return {};
  return Require(caller, auth::Action::kSearch);
}

// The audit of a listing: the search, the export, the marked incidents shown.
Result<void> AuditListing(const Context& ctx, const Caller& caller,
                          const model::IncidentFilter& filter, const std::string& export_format,
                          std::int64_t count, const std::vector<MarkedObject>& marked) {
  if (filter.text) {
    json detail = {{"text", *filter.text}, {"route", caller.via}, {"results", count}};
    if (auto a = Audit(ctx, caller, "search", {}, detail.dump()); !a) return a;
  }
  if (!export_format.empty()) {
    json detail = {{"format", export_format},
                   {"filter", FilterJson(filter)},
                   {"count", count},
                   {"route", caller.via}};
    if (auto a = Audit(ctx, caller, "export", {}, detail.dump()); !a) return a;
  }
  return AuditMarkedReads(ctx, caller, marked);
}

std::vector<MarkedObject> MarkedOf(const std::vector<model::Incident>& items) {
  std::vector<MarkedObject> out;
  out.reserve(items.size());
  for (const auto& i : items) out.push_back({i.id.str(), i.marking.tlp});
  return out;
}

}  // namespace

const ParamSchema<model::IncidentFilter>& FilterSchema(bool with_near) {
  static const auto kWith = MakeFilterSchema(true);
  static const auto kWithout = MakeFilterSchema(false);
  return with_near ? kWith : kWithout;
}

Result<void> ResolveOrganisation(model::IncidentFilter& filter) {
  filter.organisation_names.clear();
  if (!filter.organisation) return {};
  auto table = risk::ActorTable::Builtin();
  if (!table) return Fail(table.error());
  const risk::ArmedOrganisation* o = (*table)->Find(*filter.organisation);
  if (o == nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "organisation: no armed organisation '" +
                                                 *filter.organisation +
                                                 "' (GET /api/v1/armed-organisations lists them)");
  }
  filter.organisation_names = (*table)->NameKeys(*o);
  return {};
}

json FilterJson(const model::IncidentFilter& f) {
  json out = json::object();
  if (f.from) out["from"] = f.from->iso();
  if (f.to) out["to"] = f.to->iso();
  if (f.area) out["area"] = *f.area;
  if (f.bbox) out["bbox"] = {f.bbox->min_lon, f.bbox->min_lat, f.bbox->max_lon, f.bbox->max_lat};
  if (f.near) out["near"] = {{"lat", f.near->lat}, {"lon", f.near->lon}, {"km", f.near->km}};
  if (!f.categories.empty()) {
    out["category"] = json::array();
    for (auto c : f.categories) out["category"].push_back(model::CategoryName(c));
  }
  if (f.text) out["text"] = *f.text;
  if (f.dataset) out["dataset"] = *f.dataset;
  if (f.organisation) out["organisation"] = *f.organisation;
  return out;
}

// ---- list and export

template <typename P>
ParamSchema<P> PagedSchema(int default_limit, int max_limit) {
  ParamSchema<P> s;
  s.Include(&P::filter, FilterSchema());
  s.Integer("limit", &P::limit, "Page size", 1, max_limit).Default(default_limit);
  s.Text("cursor", &P::cursor, "Opaque cursor from a previous page's next_cursor", 512);
  s.Enum("sort", &P::sort,
         "Order: newest or oldest first, or most or fewest deaths (best estimate; unknown last, "
         "ties newest first). A cursor continues only the order it came from",
         {std::begin(store::kIncidentOrderNames), std::end(store::kIncidentOrderNames)})
      .Default("date_desc");
  return s;
}

namespace {

store::PageRequest PageOf(int limit, const std::string& cursor, const std::string& sort) {
  // The schema admitted only order names, so the fallback is never taken.
  return {limit, cursor, store::ParseIncidentOrder(sort).value_or(store::IncidentOrder::kNewest)};
}

}  // namespace

const ParamSchema<ListIncidentsParams>& ListIncidentsParams::Schema() {
  static const auto kSchema = PagedSchema<ListIncidentsParams>(100, 10'000);
  return kSchema;
}
Result<void> ListIncidentsParams::Validate() const { return Schema().Check(*this); }

const ParamSchema<ExportIncidentsParams>& ExportIncidentsParams::Schema() {
  static const auto kSchema = PagedSchema<ExportIncidentsParams>(10'000, 100'000);
  return kSchema;
}
Result<void> ExportIncidentsParams::Validate() const { return Schema().Check(*this); }

Result<store::IncidentPage> ListIncidents(const Context& ctx, const Caller& caller,
                                          const ListIncidentsParams& p) {
  if (auto ok = Require(caller, auth::Action::kRead); !ok) return Fail(ok.error());
  if (auto ok = RequireSearch(caller, p.filter); !ok) return Fail(ok.error());
  auto page = ctx.store.QueryIncidents(caller.viewer, p.filter, PageOf(p.limit, p.cursor, p.sort));
  if (!page) return Fail(page.error());
  if (auto a = AuditListing(ctx, caller, p.filter, "",
                            static_cast<std::int64_t>(page->items.size()), MarkedOf(page->items));
      !a) {
    return Fail(a.error());
  }
  return page;
}

Result<store::IncidentPage> ExportIncidentPage(const Context& ctx, const Caller& caller,
                                               const ExportIncidentsParams& p) {
  if (auto ok = Require(caller, auth::Action::kExport); !ok) return Fail(ok.error());
  if (auto ok = RequireSearch(caller, p.filter); !ok) return Fail(ok.error());
  auto page = ctx.store.QueryIncidents(caller.viewer, p.filter, PageOf(p.limit, p.cursor, p.sort));
  if (!page) return Fail(page.error());
  if (auto a = AuditListing(ctx, caller, p.filter, p.format,
                            static_cast<std::int64_t>(page->items.size()), MarkedOf(page->items));
      !a) {
    return Fail(a.error());
  }
  return page;
}

// An export's page while it walks the store (bounded memory).
constexpr int kExportPage = 10'000;

Result<std::int64_t> ExportIncidents(const Context& ctx, const Caller& caller,
                                     const model::IncidentFilter& filter, std::int64_t limit,
                                     store::IncidentOrder order, const std::string& format,
                                     const std::function<void(const model::Incident&)>& write) {
  if (auto ok = Require(caller, auth::Action::kExport); !ok) return Fail(ok.error());
  if (auto ok = RequireSearch(caller, filter); !ok) return Fail(ok.error());
  const auto in_order = [&](const std::function<bool(const model::Incident&)>& fn) -> Result<void> {
    // Pages no larger than the limit asks for (a top 25 reads 25 rows).
    const int page_size =
        limit > 0 ? static_cast<int>(std::min<std::int64_t>(limit, kExportPage)) : kExportPage;
    store::PageRequest page{page_size, "", order};
    for (;;) {
      auto r = ctx.store.QueryIncidents(caller.viewer, filter, page);
      if (!r) return Fail(r.error());
      for (const auto& i : r->items) {
        if (!fn(i)) return {};
      }
      if (r->next_cursor.empty()) return {};
      page.cursor = std::move(r->next_cursor);
    }
  };
  const auto is_marked = [](const model::Incident& i) {
    return model::Strictness(i.marking.tlp) >= model::Strictness(model::Tlp::kAmber);
  };
  std::vector<MarkedObject> marked;
  std::map<Uuid, bool> audited;  // id -> it was marked when audited
  std::int64_t matched = 0;
  auto counted = in_order([&](const model::Incident& i) {
    if (limit > 0 && matched >= limit) return false;
    ++matched;
    audited.emplace(i.id, is_marked(i));
    if (is_marked(i)) marked.push_back({i.id.str(), i.marking.tlp});
    return true;
  });
  if (!counted) return Fail(counted.error());
  if (auto a = AuditListing(ctx, caller, filter, format, matched, marked); !a)
    return Fail(a.error());
  std::int64_t written = 0;
  auto ok = in_order([&](const model::Incident& i) {
    if (written >= matched) return false;
    const auto seen = audited.find(i.id);
    if (seen == audited.end() || (is_marked(i) && !seen->second)) return true;
    write(i);
    ++written;
    return true;
  });
  if (!ok) return Fail(ok.error());
  return written;
}

Result<std::int64_t> CountIncidents(const Context& ctx, const Caller& caller,
                                    const model::IncidentFilter& filter) {
  if (auto ok = Require(caller, auth::Action::kRead); !ok) return Fail(ok.error());
  if (auto ok = RequireSearch(caller, filter); !ok) return Fail(ok.error());
  return ctx.store.CountIncidents(caller.viewer, filter);
}

// ---- one incident

const ParamSchema<GetIncidentParams>& GetIncidentParams::Schema() {
  static const auto kSchema = ParamSchema<GetIncidentParams>()
                                  .Id("id", &GetIncidentParams::id, "The incident's UUID")
                                  .In(ParamIn::kPath);
  return kSchema;
}

Result<model::Incident> GetIncident(const Context& ctx, const Caller& caller,
                                    const GetIncidentParams& p) {
  if (auto ok = Require(caller, auth::Action::kRead); !ok) return Fail(ok.error());
  auto incident = ctx.store.GetIncident(caller.viewer, p.id);
  if (!incident) return Fail(incident.error());
  if (auto a = AuditMarkedReads(ctx, caller, {{incident->id.str(), incident->marking.tlp}}); !a) {
    return Fail(a.error());
  }
  return incident;
}

// ---- counts by group

const ParamSchema<StatsParams>& StatsParams::Schema() {
  static const auto kSchema = [] {
    ParamSchema<StatsParams> s;
    s.Enum("by", &StatsParams::by, "Grouping key",
           {"admin1", "admin2", "year", "month", "category", "dataset"})
        .Required();
    s.Include(&StatsParams::filter, FilterSchema());
    return s;
  }();
  return kSchema;
}
Result<void> StatsParams::Validate() const {
  if (by.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "by: required (admin1, admin2, year, month, category or dataset)");
  }
  return Schema().Check(*this);
}

Result<std::vector<store::KeyCount>> CountIncidentsBy(const Context& ctx, const Caller& caller,
                                                      const StatsParams& p) {
  if (auto ok = Require(caller, auth::Action::kRead); !ok) return Fail(ok.error());
  if (auto ok = RequireSearch(caller, p.filter); !ok) return Fail(ok.error());
  const auto by = store::ParseGroupBy(p.by);
  if (!by) return Fail(ErrorCode::kInvalidArgument, "by: unknown grouping '" + p.by + "'");
  auto counts = ctx.store.CountIncidentsBy(caller.viewer, p.filter, *by);
  if (!counts) return Fail(counts.error());
  if (p.filter.text) {
    json detail = {{"text", *p.filter.text}, {"route", caller.via}, {"results", counts->size()}};
    if (auto a = Audit(ctx, caller, "search", {}, detail.dump()); !a) return Fail(a.error());
  }
  return counts;
}

}  // namespace corridor::service
