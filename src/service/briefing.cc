// The briefing use case (service/briefing.h).
#include "corridor/service/briefing.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "corridor/datasets/catalog.h"
#include "corridor/risk/columns.h"
#include "corridor/service/analyses.h"
#include "corridor/service/committee.h"
#include "corridor/service/incidents.h"
#include "service/workspace.h"

namespace corridor::service {
namespace {

using nlohmann::json;

// YYYY-MM -> (year, month), or nullopt.
std::optional<std::pair<int, int>> ParseMonth(const std::string& text) {
  int y = 0, m = 0;
  char tail = 0;
  if (text.size() != 7 || text[4] != '-' ||
      std::sscanf(text.c_str(), "%4d-%2d%c", &y, &m, &tail) != 2 || y < 1900 || y > 2200 || m < 1 ||
      m > 12) {
    return std::nullopt;
  }
  return std::pair{y, m};
}

std::string MonthText(int y, int m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  return buf;
}

// The month `back` months before (y, m).
std::pair<int, int> MonthsBefore(int y, int m, int back) {
  const int index = y * 12 + (m - 1) - back;
  return {index / 12, index % 12 + 1};
}

Date LastDay(int y, int m) {
  const auto [ny, nm] = MonthsBefore(y, m, -1);
  return Date(Date::FromYmd(ny, nm, 1)->days() - 1);
}

bool Stricter(model::Tlp a, model::Tlp b) { return static_cast<int>(a) > static_cast<int>(b); }

// The analysis `kind` run as the caller, its body parsed.
Result<json> RunAnalysis(const Context& ctx, const Caller& caller, std::string_view kind,
                         const QueryPairs& query, const risk::Budget* budget) {
  const Analysis* analysis = FindAnalysis(kind);
  if (analysis == nullptr) {
    return Fail(ErrorCode::kInternal, "no analysis " + std::string(kind));
  }
  auto body = analysis->run(ctx, caller, query, {}, budget);
  if (!body) {
    // Out of time is the briefing's failure, not a section to leave out.
    if (auto left = risk::Budget::Check(budget); !left) {
      return Fail(ErrorCode::kUnavailable, "briefing: " + left.error().message);
    }
    return Fail(body.error());
  }
  return json::parse(*body);
}

std::optional<double> NumberAt(const json& row, const char* key) {
  if (auto it = row.find(key); it != row.end() && it->is_number()) return it->get<double>();
  return std::nullopt;
}

// The risk section (issue 15 §4): the impact index, structural vulnerability,
// Gi* hot spots of the last twelve months and the 30-day forecast of the
// area's districts, with the forecast's backtest, all as of the period's end
// or the dataset's last day, whichever is earlier. Vulnerability is optional
// (an instance without the Data4Pakistan files has none).
Result<briefing::RiskPicture> CollectRisk(const Context& ctx, const Caller& caller,
                                          const std::vector<briefing::District>& districts,
                                          const Date& period_end, const risk::Budget* budget) {
  const std::string dataset = "ucdp-ged";
  briefing::RiskPicture risk;
  risk.dataset = dataset;
  auto columns = risk::LoadIncidentColumns(ctx.store, dataset);
  if (!columns) return Fail(columns.error());
  if (columns->size() == 0 || !columns->latest) {
    return Fail(ErrorCode::kNotFound, "the store holds no " + dataset + " incidents");
  }
  const Date as_of = std::min(period_end, *columns->latest);
  risk.as_of = as_of.iso();
  risk.ends_early = as_of < period_end;
  const Date hot_from(as_of.days() - 364);
  risk.hot_from = hot_from.iso();
  risk.hot_to = risk.as_of;

  std::map<std::string, briefing::DistrictRisk> by_pcode;
  for (const auto& d : districts) {
    briefing::DistrictRisk r;
    r.pcode = d.pcode;
    r.name = d.name;
    r.geometry = d.geometry;
    by_pcode[d.pcode] = std::move(r);
  }

  auto index =
      RunAnalysis(ctx, caller, "risk.index",
                  {{"level", "district"}, {"as_of", risk.as_of}, {"dataset", dataset}}, budget);
  if (!index) return Fail(index.error());
  for (const auto& row : (*index)["rows"]) {
    ++risk.districts_ranked;
    if (auto it = by_pcode.find(row.value("pcode", "")); it != by_pcode.end()) {
      it->second.impact = NumberAt(row, "score");
      it->second.impact_rank = row.value("rank", 0);
    }
  }

  // Without Data4Pakistan the column stays empty; out of time, the briefing fails.
  auto v = RunAnalysis(ctx, caller, "risk.vulnerability", {{"as_of", risk.as_of}}, budget);
  if (!v && !risk::Budget::Check(budget)) return Fail(v.error());
  if (v) {
    risk.vulnerability_year = v->value("reference_year", 0);
    for (const auto& row : (*v)["areas"]) {
      if (auto it = by_pcode.find(row.value("pcode", "")); it != by_pcode.end()) {
        it->second.vulnerability = NumberAt(row, "index");
      }
    }
  }

  auto gi = RunAnalysis(ctx, caller, "risk.gistar",
                        {{"dataset", dataset},
                         {"as_of", risk.as_of},
                         {"from", risk.hot_from},
                         {"to", risk.hot_to},
                         {"units", "district"}},
                        budget);
  if (!gi) return Fail(gi.error());
  risk.label = (*gi)["window"].value("label", dataset);
  for (const auto& row : (*gi)["rows"]) {
    if (auto it = by_pcode.find(row.value("id", "")); it != by_pcode.end()) {
      it->second.gi_z = NumberAt(row, "z");
      it->second.gi_p = NumberAt(row, "p");
      it->second.hot =
          it->second.gi_z && it->second.gi_p && *it->second.gi_z > 0 && *it->second.gi_p < 0.05;
    }
  }

  auto forecast =
      RunAnalysis(ctx, caller, "risk.forecast",
                  {{"dataset", dataset}, {"as_of", risk.as_of}, {"horizon", "30"}}, budget);
  if (!forecast) return Fail(forecast.error());
  risk.forecast_from = forecast->value("first_day", "");
  if (auto first = Date::ParseIso(risk.forecast_from)) {
    risk.forecast_to = Date(first->days() + 29).iso();
  }
  risk.model = (*forecast)["model"].value("kind", "hawkes");
  for (const auto& row : (*forecast)["districts"]) {
    if (auto it = by_pcode.find(row.value("pcode", "")); it != by_pcode.end()) {
      it->second.expected = NumberAt(row, "expected");
      it->second.p_any = NumberAt(row, "p_any");
    }
  }

  // A day before the backtest's first month has no backtest; the rest stands.
  auto backtest = RunAnalysis(ctx, caller, "risk.backtest",
                              {{"dataset", dataset}, {"as_of", risk.as_of}}, budget);
  if (!backtest && backtest.error().code != ErrorCode::kInvalidArgument &&
      backtest.error().code != ErrorCode::kNotFound) {
    return Fail(backtest.error());
  }
  if (backtest && backtest->contains(risk.model)) {
    const json& m = (*backtest)[risk.model];
    briefing::ForecastSkill skill;
    skill.first_month = backtest->value("first_month", "");
    skill.last_month = backtest->value("last_month", "");
    skill.months = backtest->value("months", 0);
    skill.model_hit_5 = m.value("hit_rate_5", 0.0);
    skill.persistence_hit_5 = (*backtest)["persistence"].value("hit_rate_5", 0.0);
    skill.long_run_hit_5 = (*backtest)["long_run_average"].value("hit_rate_5", 0.0);
    skill.model_brier = NumberAt(m, "brier");
    skill.long_run_brier = NumberAt((*backtest)["long_run_average"], "brier");
    risk.skill = skill;
  }

  for (auto& [pcode, d] : by_pcode) risk.districts.push_back(std::move(d));
  std::stable_sort(risk.districts.begin(), risk.districts.end(),
                   [](const briefing::DistrictRisk& a, const briefing::DistrictRisk& b) {
                     if (a.expected.value_or(-1) != b.expected.value_or(-1)) {
                       return a.expected.value_or(-1) > b.expected.value_or(-1);
                     }
                     return a.name < b.name;
                   });
  return risk;
}

}  // namespace

const ParamSchema<BriefingParams>& BriefingParams::Schema() {
  static const auto kSchema =
      ParamSchema<BriefingParams>()
          .Text("period", &BriefingParams::period, "The month, YYYY-MM", 7)
          .Required()
          .Example("2013-06")
          .Text("area", &BriefingParams::area, "A province or district P-code", 16)
          .Required()
          .Example("PK2")
          .Enum("lang", &BriefingParams::lang, "The language", {"en", "ur", "zh"})
          .Default("en")
          .Text("issued", &BriefingParams::issued,
                "The issue date, YYYY-MM-DD (default today); actions due before it are overdue", 10)
          .Enum("format", &BriefingParams::format, "html, or pdf printed by Chromium",
                {"html", "pdf"})
          .Default("html");
  return kSchema;
}

Result<void> BriefingParams::Validate() const {
  if (auto ok = Schema().Check(*this); !ok) return ok;
  if (!ParseMonth(period)) {
    return Fail(ErrorCode::kInvalidArgument, "period: expected YYYY-MM, got '" + period + "'");
  }
  if (area.empty() || area.size() > 16 || !std::all_of(area.begin(), area.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c));
      })) {
    return Fail(ErrorCode::kInvalidArgument, "area: expected a P-code such as PK2");
  }
  if (!briefing::IsLanguage(lang)) {
    return Fail(ErrorCode::kInvalidArgument, "lang: expected en, ur or zh");
  }
  if (!issued.empty() && !Date::ParseIso(issued)) {
    return Fail(ErrorCode::kInvalidArgument, "issued: expected YYYY-MM-DD");
  }
  if (format != "html" && format != "pdf") {
    return Fail(ErrorCode::kInvalidArgument, "format: expected html or pdf");
  }
  return {};
}

Result<briefing::Document> CollectBriefing(const Context& ctx, const Caller& caller,
                                           const BriefingParams& p, const risk::Budget* budget) {
  if (auto ok = p.Validate(); !ok) return Fail(ok.error());
  if (auto ok = Require(caller, auth::Action::kExport); !ok) return Fail(ok.error());
  auto area = ctx.store.GetArea(p.area);
  if (!area) {
    if (area.error().code == ErrorCode::kNotFound) {
      return Fail(ErrorCode::kInvalidArgument, "area: no area '" + p.area + "'");
    }
    return Fail(area.error());
  }
  if (area->level != 1 && area->level != 2) {
    return Fail(ErrorCode::kInvalidArgument, "area: expected a province or district, not '" +
                                                 p.area + "' (level " +
                                                 std::to_string(area->level) + ")");
  }
  const auto [year, month] = *ParseMonth(p.period);
  const Date from = *Date::FromYmd(year, month, 1), to = LastDay(year, month);

  briefing::Document doc;
  doc.lang = p.lang;
  doc.period = p.period;
  doc.area_pcode = area->pcode;
  doc.area_name = area->name;
  doc.area_geometry = area->geometry;
  doc.issued = p.issued.empty() ? workspace::Today() : p.issued;
  doc.issued_by = caller.principal.org;
  if (auto latest = ctx.store.LatestIncidentDate(caller.viewer); !latest) {
    return Fail(latest.error());
  } else if (*latest) {
    doc.data_through = (*latest)->iso();
  }

  // The districts drawn and listed: the area's own, or the area itself.
  std::map<std::string, std::size_t> district_at;
  std::map<std::string, std::string> names;  // P-code -> name (provinces and districts)
  {
    auto all = ctx.store.ListAreas(std::nullopt, /*with_geometry=*/false);
    if (!all) return Fail(all.error());
    for (const auto& a : *all) names[a.pcode] = a.name;
    if (area->level == 2) {
      doc.districts.push_back({area->pcode, area->name, 0, 0, area->geometry});
    } else {
      auto districts = ctx.store.ListAreas(2, /*with_geometry=*/true);
      if (!districts) return Fail(districts.error());
      for (auto& d : *districts) {
        if (d.parent_pcode == area->pcode) {
          doc.districts.push_back({d.pcode, d.name, 0, 0, std::move(d.geometry)});
        }
      }
    }
    for (std::size_t i = 0; i < doc.districts.size(); ++i) district_at[doc.districts[i].pcode] = i;
  }

  // The month's incidents, read as an export (audited before use).
  model::IncidentFilter filter;
  filter.area = area->pcode;
  filter.from = from;
  filter.to = to;
  std::vector<model::Incident> incidents;
  auto exported = ExportIncidents(ctx, caller, filter, 0, store::IncidentOrder::kNewest, "briefing",
                                  [&](const model::Incident& i) { incidents.push_back(i); });
  if (!exported) return Fail(exported.error());
  std::set<std::string> datasets;
  for (const auto& i : incidents) {
    ++doc.incidents;
    doc.killed += i.killed.value_or(0);
    if (Stricter(i.marking.tlp, doc.marking)) doc.marking = i.marking.tlp;
    datasets.insert(i.provenance.dataset);
    if (auto it = district_at.find(i.admin2); it != district_at.end()) {
      ++doc.districts[it->second].incidents;
      doc.districts[it->second].killed += i.killed.value_or(0);
    }
    const bool placed = i.location_precision == model::LocationPrecision::kExact ||
                        i.location_precision == model::LocationPrecision::kNear;
    if (placed && i.latitude && i.longitude) {
      doc.points.push_back({*i.latitude, *i.longitude, static_cast<double>(i.killed.value_or(0))});
    } else {
      ++doc.not_drawn;
    }
  }
  std::stable_sort(doc.districts.begin(), doc.districts.end(),
                   [](const briefing::District& a, const briefing::District& b) {
                     if (a.incidents != b.incidents) return a.incidents > b.incidents;
                     return a.name < b.name;
                   });
  std::vector<const model::Incident*> by_deaths;
  by_deaths.reserve(incidents.size());
  for (const auto& i : incidents) by_deaths.push_back(&i);
  std::stable_sort(by_deaths.begin(), by_deaths.end(), [](const auto* a, const auto* b) {
    if (a->killed.value_or(-1) != b->killed.value_or(-1)) {
      return a->killed.value_or(-1) > b->killed.value_or(-1);
    }
    return a->date_start < b->date_start;
  });
  for (std::size_t k = 0; k < by_deaths.size() && k < 15; ++k) {
    const auto& i = *by_deaths[k];
    std::string place = names.contains(i.admin2)   ? names[i.admin2]
                        : names.contains(i.admin1) ? names[i.admin1]
                                                   : "";
    std::optional<double> killed;
    if (i.killed) killed = *i.killed;
    doc.deadliest.push_back({i.date_start.iso(), std::move(place),
                             std::string(model::CategoryName(i.category)), killed, i.headline,
                             i.provenance.dataset, i.marking.tlp});
  }

  // Twenty-four months of counts ending with the period.
  {
    StatsParams stats;
    stats.by = "month";
    const auto [fy, fm] = MonthsBefore(year, month, 23);
    stats.filter.area = area->pcode;
    stats.filter.from = *Date::FromYmd(fy, fm, 1);
    stats.filter.to = to;
    auto counts = CountIncidentsBy(ctx, caller, stats);
    if (!counts) return Fail(counts.error());
    std::map<std::string, std::int64_t> by_month;
    for (const auto& kc : *counts) by_month[kc.key] = kc.count;
    for (int back = 23; back >= 0; --back) {
      const auto [y, m] = MonthsBefore(year, month, back);
      const std::string key = MonthText(y, m);
      doc.trend.push_back({key, by_month.contains(key) ? by_month[key] : 0});
    }
    doc.previous_month = doc.trend[22].incidents;
    doc.same_month_last_year = doc.trend[11].incidents;
  }

  // The districts' risk: impact, vulnerability, hot spots and the forecast.
  if (auto risk = CollectRisk(ctx, caller, doc.districts, to, budget)) {
    doc.risk_included = true;
    doc.risk = std::move(*risk);
    datasets.insert(doc.risk.dataset);
    if (doc.risk.vulnerability_year != 0) datasets.insert("data4pakistan");
  } else if (risk.error().code == ErrorCode::kNotFound ||
             risk.error().code == ErrorCode::kInvalidArgument) {
    doc.risk_unavailable = risk.error().message;
  } else {
    return Fail(risk.error());
  }

  // The corridor's projects in the area, by exposure over the year to the period's end.
  if (Require(caller, auth::Action::kReadSites)) {
    doc.sites_included = true;
    if (const Analysis* exposure = FindAnalysis("risk.exposure")) {
      auto body = exposure->run(ctx, caller, {{"radius_km", "50"}, {"to", to.iso()}}, {}, budget);
      if (auto left = risk::Budget::Check(budget); !left) {
        return Fail(ErrorCode::kUnavailable, "briefing: " + left.error().message);
      }
      if (body) {
        const json r = json::parse(*body);
        doc.sites_radius_km = r.value("radius_km", 50.0);
        doc.sites_from = r["window"].value("from", "");
        doc.sites_to = r["window"].value("to", "");
        for (const auto& row : r["rows"]) {
          const std::string a1 = row.value("admin1", ""), a2 = row.value("admin2", "");
          const bool inside = a1 == area->pcode || a2 == area->pcode;
          if (!inside || doc.sites.size() >= 15) continue;
          std::optional<double> nearest;
          if (row["nearest_km"].is_number()) nearest = row["nearest_km"].get<double>();
          doc.sites.push_back({row.value("rank", 0), row.value("name", ""),
                               row.value("incidents", std::int64_t{0}), row.value("killed", 0.0),
                               nearest});
        }
        datasets.insert(r.value("dataset", ""));
      } else if (body.error().code != ErrorCode::kNotFound) {
        return Fail(body.error());
      }
    }
  }

  // The committee's open and overdue actions the caller reads (audited there).
  if (Require(caller, auth::Action::kReadCommittee)) {
    doc.actions_included = true;
    ListActionsParams lp;
    lp.limit = 10000;
    auto actions = ListActions(ctx, caller, lp);
    if (!actions) return Fail(actions.error());
    for (const auto& a : *actions) {
      if (a.status != store::ActionStatus::kOpen && a.status != store::ActionStatus::kInProgress) {
        continue;
      }
      doc.actions.push_back({a.title, a.owner_org, a.due,
                             std::string(store::ActionStatusName(a.status)), a.due < doc.issued,
                             a.marking.tlp});
      if (Stricter(a.marking.tlp, doc.marking)) doc.marking = a.marking.tlp;
    }
    std::stable_sort(doc.actions.begin(), doc.actions.end(),
                     [](const briefing::ActionRow& a, const briefing::ActionRow& b) {
                       if (a.overdue != b.overdue) return a.overdue;
                       return a.due < b.due;
                     });
    if (doc.actions.size() > 30) doc.actions.resize(30);
  }

  datasets.erase("");
  datasets.insert(area->source);
  for (const auto& d : datasets) {
    doc.sources.push_back({d, datasets::LicenceOf(d).attribution});
  }
  return doc;
}

}  // namespace corridor::service
