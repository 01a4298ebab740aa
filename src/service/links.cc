#include "corridor/service/links.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <tuple>

#include "corridor/common/date.h"
#include "corridor/matching/matching.h"
#include "corridor/model/json.h"
#include "corridor/store/incident_links.h"

namespace corridor::service {
namespace {

using nlohmann::json;

// The summary of one record a link shows (the incident JSON's spellings).
json RecordJson(const model::Incident& i) {
  json full = model::ToJson(i);
  json out = {{"dataset", i.provenance.dataset},
              {"source_id", i.provenance.source_id},
              {"attribution", i.licence.attribution}};
  for (const char* key : {"id", "date_start", "date_end", "location", "location_precision",
                          "admin1", "admin2", "killed", "category", "headline", "marking"}) {
    out[key] = full[key];
  }
  return out;
}

json LinkJson(const store::IncidentLink& l) {
  return {{"id", l.id},
          {"score", l.score},
          {"reasons", l.reasons},
          {"distance_km", l.distance_km < 0 ? json(nullptr) : json(l.distance_km)},
          {"gap_days", l.gap_days},
          {"state", l.state},
          {"kept", l.kept.empty() ? json(nullptr) : json(l.kept)},
          {"decided_by", l.decided_by},
          {"decided_at", l.decided_at},
          {"note", l.note}};
}

// Both records of `l` when the caller may read both (nullopt otherwise).
Result<std::optional<std::pair<model::Incident, model::Incident>>> Ends(
    const Context& ctx, const Caller& caller, const store::IncidentLink& l) {
  auto id_a = Uuid::Parse(l.a), id_b = Uuid::Parse(l.b);
  if (!id_a || !id_b) return std::nullopt;
  auto a = ctx.store.GetIncident(caller.viewer, *id_a);
  if (!a) {
    if (a.error().code == ErrorCode::kNotFound) return std::nullopt;
    return Fail(a.error());
  }
  auto b = ctx.store.GetIncident(caller.viewer, *id_b);
  if (!b) {
    if (b.error().code == ErrorCode::kNotFound) return std::nullopt;
    return Fail(b.error());
  }
  return std::pair{std::move(*a), std::move(*b)};
}

int SourceRank(const std::string& dataset) {
  static const std::array<std::string, 3> kOrder = {"ucdp-ged", "gtd", "acled"};
  const auto it = std::find(kOrder.begin(), kOrder.end(), dataset);
  return static_cast<int>(it - kOrder.begin());
}

store::Viewer MatchingViewer(const Caller& caller) {
  return caller.local_operator || caller.actor.empty() ? store::SystemViewer() : caller.viewer;
}

}  // namespace

bool KeptRecord(const model::Incident& x, const model::Incident& y) {
  auto key = [](const model::Incident& i) {
    return std::tuple(static_cast<int>(i.marking.tlp), static_cast<int>(i.location_precision),
                      static_cast<int>(i.date_precision), SourceRank(i.provenance.dataset),
                      i.id.str());
  };
  return key(x) < key(y);
}

const ParamSchema<FindLinksParams>& FindLinksParams::Schema() {
  static const auto kSchema = ParamSchema<FindLinksParams>().Number(
      "min_score", &FindLinksParams::min_score, "The lowest score a candidate may have", 0.3, 1);
  return kSchema;
}

const ParamSchema<ListLinksParams>& ListLinksParams::Schema() {
  static const auto kSchema =
      ParamSchema<ListLinksParams>()
          .Enum("state", &ListLinksParams::state, "Which links",
                {"candidate", "confirmed", "rejected", "all"})
          .Integer("limit", &ListLinksParams::limit, "Links per page", 1, 500)
          .Integer("offset", &ListLinksParams::offset, "Links to skip", 0, 1'000'000);
  return kSchema;
}

const ParamSchema<DecideLinkParams>& DecideLinkParams::Schema() {
  static const auto kSchema =
      ParamSchema<DecideLinkParams>()
          .Text("id", &DecideLinkParams::id, "The link's id", 64)
          .In(ParamIn::kPath)
          .Enum("decision", &DecideLinkParams::decision, "confirm or reject", {"confirm", "reject"})
          .Required()
          .Text("note", &DecideLinkParams::note, "Why, for the record", 1000);
  return kSchema;
}

Result<json> FindLinks(const Context& ctx, const Caller& caller, const FindLinksParams& p) {
  if (auto ok = p.Validate(); !ok) return Fail(ok.error());
  if (!caller.local_operator) {
    if (auto ok = Require(caller, auth::Action::kLinkIncidents); !ok) return Fail(ok.error());
  }
  std::vector<matching::Row> rows;
  model::IncidentFilter all;
  all.include_duplicates = true;  // a counted record still links to a third source's
  auto read = ctx.store.ForEachIncident(MatchingViewer(caller), all, [&](const model::Incident& i) {
    rows.push_back(matching::Row::Of(i));
    return true;
  });
  if (!read) return Fail(read.error());
  matching::Options o;
  o.min_score = p.min_score;
  const auto found = matching::FindCandidates(rows, o);
  std::vector<store::IncidentLink> links;
  links.reserve(found.size());
  for (const auto& c : found) {
    store::IncidentLink l;
    l.id = store::LinkId(c.a, c.b);
    l.a = c.a;
    l.b = c.b;
    l.score = c.score;
    l.reasons = c.reasons;
    l.distance_km = c.distance_km;
    l.gap_days = c.gap_days;
    links.push_back(std::move(l));
  }
  auto s = store::NewIncidentLinkStore();
  const std::string now = NowTimestamp();
  auto added = store::InWriteTransaction(ctx.store.database(), [&](store::Transaction& tx) {
    return s->PutCandidates(tx, links, now);
  });
  if (!added) return Fail(added.error());
  auto states = store::InReadTransaction(ctx.store.database(),
                                         [&](store::Transaction& tx) { return s->Counts(tx); });
  if (!states) return Fail(states.error());
  json out = {{"incidents", rows.size()},
              {"candidates", found.size()},
              {"new", *added},
              {"min_score", p.min_score},
              {"states", *states}};
  if (auto a = Audit(ctx, caller, "links-find", {}, out.dump()); !a) return Fail(a.error());
  return out;
}

Result<json> ListLinks(const Context& ctx, const Caller& caller, const ListLinksParams& p) {
  if (auto ok = p.Validate(); !ok) return Fail(ok.error());
  if (auto ok = Require(caller, auth::Action::kRead); !ok) return Fail(ok.error());
  auto s = store::NewIncidentLinkStore();
  auto page = store::InReadTransaction(ctx.store.database(), [&](store::Transaction& tx) {
    return s->List(tx, p.state == "all" ? "" : p.state, p.limit, p.offset);
  });
  if (!page) return Fail(page.error());
  json items = json::array();
  std::vector<model::Incident> shown;
  for (const auto& l : *page) {
    auto ends = Ends(ctx, caller, l);
    if (!ends) return Fail(ends.error());
    if (!*ends) continue;
    json j = LinkJson(l);
    j["a"] = RecordJson((*ends)->first);
    j["b"] = RecordJson((*ends)->second);
    items.push_back(std::move(j));
    shown.push_back(std::move((*ends)->first));
    shown.push_back(std::move((*ends)->second));
  }
  if (auto a = AuditMarkedReads(ctx, caller, shown); !a) return Fail(a.error());
  return json{
      {"items", items},
      {"count", items.size()},
      {"state", p.state},
      {"offset", p.offset},
      {"limit", p.limit},
      {"next_offset", page->size() == static_cast<std::size_t>(p.limit) ? json(p.offset + p.limit)
                                                                        : json(nullptr)}};
}

Result<json> DecideLink(const Context& ctx, const Caller& caller, const DecideLinkParams& p) {
  if (auto ok = p.Validate(); !ok) return Fail(ok.error());
  if (auto ok = Require(caller, auth::Action::kLinkIncidents); !ok) return Fail(ok.error());
  auto s = store::NewIncidentLinkStore();
  auto link = store::InReadTransaction(ctx.store.database(),
                                       [&](store::Transaction& tx) { return s->Get(tx, p.id); });
  if (!link) return Fail(link.error());
  const auto missing = Fail(ErrorCode::kNotFound, "no link " + p.id);
  if (!*link) return missing;
  auto ends = Ends(ctx, caller, **link);
  if (!ends) return Fail(ends.error());
  if (!*ends) return missing;  // a record the caller may not read: as if there were no link
  const auto& [a, b] = **ends;
  store::LinkDecision d;
  d.id = p.id;
  d.to = p.decision == "confirm" ? "confirmed" : "rejected";
  if (d.to == "confirmed") d.kept = KeptRecord(a, b) ? a.id.str() : b.id.str();
  d.by = caller.actor;
  d.at = NowTimestamp();
  d.note = p.note;
  auto decided = store::InWriteTransaction(
      ctx.store.database(), [&](store::Transaction& tx) { return s->Decide(tx, d); });
  if (!decided) return Fail(decided.error());
  if (!*decided) {
    return Fail(ErrorCode::kConflict, "link " + p.id + " was decided meanwhile; reload it");
  }
  json detail = {{"link", p.id}, {"state", d.to}, {"note", p.note}};
  if (!d.kept.empty()) detail["kept"] = d.kept;
  if (auto au = Audit(ctx, caller, d.to == "confirmed" ? "link-confirm" : "link-reject",
                      {a.id.str(), b.id.str()}, detail.dump());
      !au) {
    return Fail(au.error());
  }
  auto now = store::InReadTransaction(ctx.store.database(),
                                      [&](store::Transaction& tx) { return s->Get(tx, p.id); });
  if (!now) return Fail(now.error());
  json j = LinkJson(now->value_or(**link));
  j["a"] = RecordJson(a);
  j["b"] = RecordJson(b);
  return j;
}

Result<json> AlsoReportedBy(const Context& ctx, const Caller& caller, const Uuid& id) {
  auto s = store::NewIncidentLinkStore();
  auto links = store::InReadTransaction(
      ctx.store.database(), [&](store::Transaction& tx) { return s->Of(tx, id.str()); });
  if (!links) return Fail(links.error());
  json out = json::array();
  std::vector<model::Incident> shown;
  for (const auto& l : *links) {
    if (l.state == "rejected") continue;
    const std::string other = l.a == id.str() ? l.b : l.a;
    auto other_id = Uuid::Parse(other);
    if (!other_id) continue;
    auto record = ctx.store.GetIncident(caller.viewer, *other_id);
    if (!record) {
      if (record.error().code == ErrorCode::kNotFound) continue;
      return Fail(record.error());
    }
    json j = {{"link", l.id},
              {"state", l.state},
              {"score", l.score},
              {"reasons", l.reasons},
              {"kept", l.kept.empty() ? json(nullptr) : json(l.kept)},
              {"record", RecordJson(*record)}};
    out.push_back(std::move(j));
    shown.push_back(std::move(*record));
  }
  std::stable_sort(out.begin(), out.end(), [](const json& x, const json& y) {
    return (x["state"] == "confirmed") > (y["state"] == "confirmed");
  });
  if (auto a = AuditMarkedReads(ctx, caller, shown); !a) return Fail(a.error());
  return out;
}

}  // namespace corridor::service
