#include "corridor/service/organisations.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "corridor/datasets/catalog.h"
#include "corridor/model/datasets.h"
#include "corridor/risk/organisations.h"

namespace corridor::service {
namespace {

using nlohmann::json;

const std::vector<std::string> kDatasets = model::IncidentDatasetNames();

constexpr const char* kMethod =
    "An incident counts for an organisation when the source names it as a side or as the "
    "perpetrator and config/actor_names.tsv classifies that name as the organisation "
    "(docs/organisations.md). Deaths are the source's best estimates (low and high where it gives "
    "them). One dataset at a time: sources are not mixed until cross-source de-duplication.";

// The ten latest incidents of an organisation, for its page.
struct Latest {
  std::string id, date, headline, location, category, admin2;
  std::optional<int> killed;
};
constexpr std::size_t kLatestShown = 10;

struct Counted {
  risk::OrganisationTally tally;
  // The page's organisation's latest incidents, newest first (then id), at
  // most kLatestShown: only these are kept while the window is read.
  std::vector<Latest> latest;
};

// Newest first, then by id.
bool Newer(const Latest& a, const Latest& b) {
  return a.date != b.date ? a.date > b.date : a.id < b.id;
}

// Adds up the dataset's public incidents in the window; keeps the latest of
// `page_of` (nullptr: none).
Result<void> Count(const Context& ctx, const OrganisationParams& p, const risk::Budget* budget,
                   const risk::ArmedOrganisation* page_of, Counted& out) {
  model::IncidentFilter filter;
  filter.dataset = p.dataset;
  filter.from = p.from;
  filter.to = p.to;
  std::int64_t seen = 0;
  Result<void> over{};
  // The public view (TLP:CLEAR): the figures do not depend on who asks.
  auto ok = ctx.store.ForEachIncident(store::Viewer{}, filter, [&](const model::Incident& i) {
    // The filter's window is an overlap; the page counts by date_start.
    if ((p.from && i.date_start < *p.from) || (p.to && *p.to < i.date_start)) return true;
    const auto counted_for = out.tally.Add(i);
    if (page_of != nullptr &&
        std::find(counted_for.begin(), counted_for.end(), page_of) != counted_for.end()) {
      Latest l{i.id.str(), i.date_start.iso(), {}, {}, {}, {}, i.killed};
      auto& latest = out.latest;
      if (latest.size() < kLatestShown || Newer(l, latest.back())) {
        l.headline = i.headline;
        l.location = i.location;
        l.category = std::string(model::CategoryName(i.category));
        l.admin2 = i.admin2;
        latest.insert(std::upper_bound(latest.begin(), latest.end(), l, Newer), std::move(l));
        if (latest.size() > kLatestShown) latest.pop_back();
      }
    }
    if (++seen % 4096 == 0) {
      over = risk::Budget::Check(budget);
      if (!over) return false;
    }
    return true;
  });
  if (!ok) return Fail(ok.error());
  if (!over) return Fail(over.error());
  return risk::Budget::Check(budget);
}

json Names(const risk::ArmedOrganisation& o) { return {{"en", o.en}, {"ur", o.ur}, {"zh", o.zh}}; }

json TalliesJson(const std::vector<risk::Tally>& tallies, std::size_t limit,
                 const std::map<std::string, std::string>* names = nullptr) {
  json out = json::array();
  for (std::size_t i = 0; i < tallies.size() && i < limit; ++i) {
    json t = {{"key", tallies[i].key},
              {"incidents", tallies[i].incidents},
              {"deaths", tallies[i].deaths}};
    if (names != nullptr) {
      auto it = names->find(tallies[i].key);
      t["name"] = it != names->end() ? it->second : "";
    }
    out.push_back(std::move(t));
  }
  return out;
}

json Window(const OrganisationParams& p, const risk::OrganisationTally& tally) {
  return {{"dataset", p.dataset},
          {"from", p.from ? json(p.from->iso()) : json(nullptr)},
          {"to", p.to ? json(p.to->iso()) : json(nullptr)},
          {"incidents", tally.added()},
          {"method", kMethod},
          {"attribution", datasets::LicenceOf(p.dataset).attribution}};
}

json Dates(const risk::OrganisationProfile& p) {
  return {{"first", p.first ? json(p.first->iso()) : json(nullptr)},
          {"last", p.last ? json(p.last->iso()) : json(nullptr)}};
}

}  // namespace

const ParamSchema<OrganisationParams>& OrganisationParams::Schema(bool one) {
  static const auto kMake = [](bool page) {
    ParamSchema<OrganisationParams> s;
    s.Enum("dataset", &OrganisationParams::dataset, "The dataset counted (default ucdp-ged)",
           kDatasets);
    s.Day("from", &OrganisationParams::from, "Only incidents whose date_start is on or after");
    s.Day("to", &OrganisationParams::to, "Only incidents whose date_start is on or before");
    if (page) {
      s.Text("organisation", &OrganisationParams::organisation,
             "The organisation's id (config/armed_organisations.tsv)", 64)
          .In(ParamIn::kPath);
    } else {
      s.Text("q", &OrganisationParams::q,
             "Only organisations with this in a name or alias, in English, Urdu or Chinese", 200);
    }
    s.AfterParse([](OrganisationParams& p) -> Result<void> {
      if (p.from && p.to && *p.to < *p.from) {
        return Fail(ErrorCode::kInvalidArgument, "from, to: from is after to");
      }
      return {};
    });
    return s;
  };
  static const auto kList = kMake(false);
  static const auto kPage = kMake(true);
  return one ? kPage : kList;
}

Result<json> ListArmedOrganisations(const Context& ctx, const Caller& caller,
                                    const OrganisationParams& p, const risk::Budget* budget) {
  if (auto ok = Require(caller, auth::Action::kRead); !ok) return Fail(ok.error());
  auto table = risk::ActorTable::Builtin();
  if (!table) return Fail(table.error());
  Counted counted{risk::OrganisationTally(**table), {}};
  if (auto ok = Count(ctx, p, budget, nullptr, counted); !ok) return Fail(ok.error());
  json items = json::array();
  for (const auto& profile : counted.tally.Profiles()) {
    const auto& o = *profile.organisation;
    if (!risk::ActorTable::Matches(o, p.q)) continue;
    json item = {{"id", o.id},
                 {"name", o.en},
                 {"names", Names(o)},
                 {"parent", o.parent},
                 {"incidents", profile.incidents},
                 {"as_perpetrator", profile.as_perpetrator},
                 {"as_party", profile.as_party},
                 {"deaths", profile.deaths_best}};
    item.update(Dates(profile));
    items.push_back(std::move(item));
  }
  json sides = json::object();
  for (const auto& [kind, n] : counted.tally.kinds()) sides[risk::ActorKindName(kind)] = n;
  json body = Window(p, counted.tally);
  body["q"] = p.q;
  body["items"] = std::move(items);
  body["organisations_listed"] = (*table)->organisations().size();
  body["sides"] = std::move(sides);
  body["unclassified_names"] = counted.tally.unclassified();
  return body;
}

Result<json> ArmedOrganisationPage(const Context& ctx, const Caller& caller,
                                   const OrganisationParams& p, const risk::Budget* budget) {
  if (auto ok = Require(caller, auth::Action::kRead); !ok) return Fail(ok.error());
  auto table = risk::ActorTable::Builtin();
  if (!table) return Fail(table.error());
  const risk::ArmedOrganisation* o = (*table)->Find(p.organisation);
  if (o == nullptr) {
    return Fail(ErrorCode::kNotFound, "organisation: no armed organisation '" + p.organisation +
                                          "' (GET /api/v1/armed-organisations lists them)");
  }
  Counted counted{risk::OrganisationTally(**table), {}};
  if (auto ok = Count(ctx, p, budget, o, counted); !ok) return Fail(ok.error());
  const risk::OrganisationProfile profile = counted.tally.Profile(*o);

  std::map<std::string, std::string> area_names;
  auto areas = ctx.store.ListAreas(std::nullopt, /*with_geometry=*/false);
  if (!areas) return Fail(areas.error());
  for (const auto& a : *areas) area_names[a.pcode] = a.name;
  std::map<std::string, std::string> organisation_names;
  json factions = json::array();
  for (const auto& other : (*table)->organisations()) {
    organisation_names[other.id] = other.en;
    if (other.parent == o->id) factions.push_back({{"id", other.id}, {"name", other.en}});
  }

  // Its latest incidents (newest first, then id).
  json recent = json::array();
  for (const auto& l : counted.latest) {
    recent.push_back({{"id", l.id},
                      {"date", l.date},
                      {"headline", l.headline},
                      {"location", l.location},
                      {"category", l.category},
                      {"admin2", l.admin2},
                      {"killed", l.killed ? json(*l.killed) : json(nullptr)}});
  }

  // The assessments the caller may see that cite one of its incidents.
  const std::set<std::string> ids(profile.incident_ids.begin(), profile.incident_ids.end());
  auto assessments = ctx.store.ListAssessments(caller.viewer, 100'000, false);
  if (!assessments) return Fail(assessments.error());
  json linked = json::array();
  std::vector<MarkedObject> marked;
  for (const auto& a : *assessments) {
    const auto cited = std::count_if(a.incidents.begin(), a.incidents.end(),
                                     [&](const Uuid& id) { return ids.count(id.str()) != 0; });
    if (cited == 0) continue;
    linked.push_back({{"id", a.id.str()},
                      {"title", a.title},
                      {"marking", model::TlpName(a.marking.tlp)},
                      {"modified", a.modified},
                      {"incidents_cited", cited}});
    marked.push_back({a.id.str(), a.marking.tlp});  // AMBER and stricter are audited
    if (linked.size() == 20) break;
  }
  if (auto ok = AuditMarkedReads(ctx, caller, marked); !ok) return Fail(ok.error());

  json body = Window(p, counted.tally);
  json organisation = {{"id", o->id},
                       {"name", o->en},
                       {"names", Names(*o)},
                       {"parent", o->parent},
                       {"aliases", o->aliases},
                       {"source_names", o->source_names},
                       {"factions", std::move(factions)}};
  body["organisation"] = std::move(organisation);
  json totals = {{"incidents", profile.incidents},     {"as_perpetrator", profile.as_perpetrator},
                 {"as_party", profile.as_party},       {"deaths_low", profile.deaths_low},
                 {"deaths_best", profile.deaths_best}, {"deaths_high", profile.deaths_high},
                 {"wounded", profile.wounded},         {"without_deaths", profile.without_deaths}};
  totals.update(Dates(profile));
  body["totals"] = std::move(totals);
  body["by_year"] = TalliesJson(profile.by_year, profile.by_year.size());
  body["provinces"] = TalliesJson(profile.provinces, 50, &area_names);
  body["districts"] = TalliesJson(profile.districts, 200, &area_names);  // all (the map)
  body["categories"] = TalliesJson(profile.categories, 50);
  body["target_types"] = TalliesJson(profile.target_types, 50);
  body["precision"] = TalliesJson(profile.precision, 10);
  body["counterparts"] = TalliesJson(profile.counterparts, 25, &organisation_names);
  body["counterpart_kinds"] = TalliesJson(profile.counterpart_kinds, 10);
  body["latest"] = std::move(recent);
  body["assessments"] = std::move(linked);
  return body;
}

}  // namespace corridor::service
