#include "corridor/public_side/grouping.h"

#include <algorithm>
#include <map>
#include <set>

#include "corridor/common/date.h"
#include "corridor/common/strings.h"
#include "corridor/projects/identity.h"
#include "corridor/public_side/accounts.h"
#include "corridor/public_side/service.h"
#include "corridor/store/public_store.h"

namespace corridor::public_side {
namespace {

using nlohmann::json;

// What a grouping was computed from: compared again inside the transaction
// that writes it.
struct Snapshot {
  std::vector<store::GroupingDecision> decisions;
  std::optional<store::GroupingSource> aiddata, districts;
};

Result<Snapshot> ReadSnapshot(store::Transaction& tx, store::ProjectGroupingStore& grouping,
                              bool with_sources) {
  Snapshot s;
  auto d = grouping.Decisions(tx);
  if (!d) return Fail(d.error());
  s.decisions = std::move(*d);
  if (with_sources) {
    auto a = grouping.Source(tx, "aiddata");
    if (!a) return Fail(a.error());
    s.aiddata = std::move(*a);
    auto b = grouping.Source(tx, "districts");
    if (!b) return Fail(b.error());
    s.districts = std::move(*b);
  }
  return s;
}

Result<void> StillAsRead(store::Transaction& tx, store::ProjectGroupingStore& grouping,
                         const Snapshot& read, bool with_sources) {
  const Error changed{ErrorCode::kConflict,
                      "the projects were regrouped meanwhile (an import, a split or a merge); "
                      "look again and retry"};
  auto now = ReadSnapshot(tx, grouping, with_sources);
  if (!now) return Fail(now.error());
  if (now->decisions != read.decisions) return Fail(changed);
  if (with_sources) {
    auto sha = [](const std::optional<store::GroupingSource>& s) {
      return s ? s->sha256 + s->stored_at : std::string();
    };
    if (sha(now->aiddata) != sha(read.aiddata) || sha(now->districts) != sha(read.districts)) {
      return Fail(changed);
    }
  }
  return {};
}

std::vector<projects::GroupingDecision> RuleDecisions(
    const std::vector<store::GroupingDecision>& recorded) {
  std::vector<projects::GroupingDecision> out;
  out.reserve(recorded.size());
  for (const auto& d : recorded) {
    out.push_back({d.kind == "merge" ? projects::GroupingDecision::Kind::kMerge
                                     : projects::GroupingDecision::Kind::kSplit,
                   d.aiddata_ids, d.seq});
  }
  return out;
}

// Groups by the rule and the decisions, places the projects in districts and
// writes the review (with each decision's outcome and reason) into `s`.
Result<projects::Grouping> Compute(std::string_view aiddata, std::string_view districts,
                                   const std::vector<store::GroupingDecision>& decisions,
                                   ImportSummary& s) {
  auto rows = projects::ParseAidData(aiddata);
  if (!rows) return Fail(rows.error());
  projects::Grouping g = projects::GroupProjects(std::move(*rows), RuleDecisions(decisions));
  if (!districts.empty()) {
    auto n = projects::AssignDistricts(g.projects, districts);
    if (!n) return Fail(n.error());
    s.districts_assigned = *n;
  }
  s.rows = g.rows;
  s.projects = g.projects.size();
  s.review = projects::ReviewReport(g);
  s.merged_projects = s.review["merged_projects"].get<std::size_t>();
  for (std::size_t i = 0; i < decisions.size() && i < s.review["decisions"].size(); ++i) {
    json& d = s.review["decisions"][i];
    d["reason"] = decisions[i].reason;
    d["decided_by"] = decisions[i].decided_by;
    d["decided_at"] = decisions[i].decided_at;
  }
  for (const auto& o : g.decisions) ++(o.applied ? s.decisions_applied : s.decisions_not_applied);
  return g;
}

int Strictness(model::Disclosure d) {
  switch (d) {
    case model::Disclosure::kPublished:
      return 0;
    case model::Disclosure::kCoarsened:
      return 1;
    case model::Disclosure::kWithheld:
      return 2;
  }
  return 2;
}

// Replaces the stored projects with `g`'s, inside `tx`. A project that is new
// takes, field by field, the strictest disclosure of the projects its rows
// were in: regrouping never publishes what an editor withheld.
//
// A regrouping by an editor (`refuse_pending`) is refused when a project it
// would remove has a pending disclosure request; an import removes such
// requests with their project and lists them in `s`.
Result<void> WriteProjects(store::Transaction& tx, const projects::Grouping& g, ImportSummary& s,
                           bool refuse_pending) {
  auto store = store::NewProjectStore();
  std::set<std::string> old_ids;
  std::map<std::int64_t, std::vector<model::FieldDisclosure>> row_disclosure;
  std::map<std::int64_t, std::string> row_name;  // the public name of each row's project
  store::ProjectFilter f;
  f.limit = 1000;
  for (f.offset = 0;; f.offset += f.limit) {
    auto page = store->List(tx, f);
    if (!page) return Fail(page.error());
    for (const auto& p : *page) {
      old_ids.insert(p.id);
      for (auto a : p.aiddata_ids) {
        row_disclosure[a] = p.disclosure;
        row_name[a] = p.name;
      }
    }
    if (static_cast<int>(page->size()) < f.limit) break;
  }
  std::set<std::string> keep;
  for (const auto& p : g.projects) keep.insert(p.id);
  auto requests = store::NewDisclosureRequestStore();
  for (int offset = 0;; offset += 1000) {
    auto page = requests->List(tx, "pending", 1000, offset);
    if (!page) return Fail(page.error());
    for (const auto& r : *page) {
      if (keep.count(r.project_id) || !old_ids.count(r.project_id)) continue;
      if (refuse_pending) {
        return Fail(ErrorCode::kConflict, "project " + r.project_id +
                                              " has a pending disclosure request (" + r.id +
                                              "): approve or reject it first");
      }
      s.dropped_requests.push_back(r.id);
    }
    if (page->size() < 1000) break;
  }
  for (const auto& id : old_ids) {
    if (keep.count(id)) continue;
    if (auto r = store->Remove(tx, id); !r) return Fail(r.error());
    s.removed_ids.push_back(id);
  }
  s.removed = s.removed_ids.size();
  for (const auto& rule_project : g.projects) {
    model::Project p = rule_project;
    if (!old_ids.count(p.id)) {
      // Named from a withheld record's title? Keep the public name it had.
      for (auto a : p.aiddata_ids) {
        auto d = row_disclosure.find(a);
        const bool financing_withheld =
            d != row_disclosure.end() &&
            std::any_of(d->second.begin(), d->second.end(), [](const model::FieldDisclosure& f) {
              return f.field == "financing" && f.state == model::Disclosure::kWithheld;
            });
        if (financing_withheld && row_name.count(a) && row_name[a] != p.name) {
          p.name = row_name[a];
          break;
        }
      }
    }
    auto created = store->Upsert(tx, p);
    if (!created) return Fail(created.error());
    if (!*created) {
      ++s.updated;
      continue;
    }
    ++s.created;
    s.created_ids.push_back(p.id);
    bool carried = false;
    for (std::string_view field : model::kDisclosableFields) {
      std::optional<model::FieldDisclosure> strictest;
      for (auto a : p.aiddata_ids) {
        auto it = row_disclosure.find(a);
        if (it == row_disclosure.end()) continue;
        for (const auto& d : it->second) {
          if (d.field != field || d.state == model::Disclosure::kPublished) continue;
          if (!strictest || Strictness(d.state) > Strictness(strictest->state)) strictest = d;
        }
      }
      if (!strictest) continue;
      if (auto r = store->SetDisclosure(tx, p.id, *strictest); !r) return Fail(r.error());
      carried = true;
    }
    s.disclosure_carried += carried ? 1 : 0;
  }
  return {};
}

json SummaryDetail(const ImportSummary& s) {
  return {{"rows", s.rows},
          {"projects", s.projects},
          {"created", s.created},
          {"updated", s.updated},
          {"removed", s.removed},
          {"merged", s.merged_projects},
          {"disclosure_carried", s.disclosure_carried},
          {"decisions_applied", s.decisions_applied},
          {"decisions_not_applied", s.decisions_not_applied}};
}

Result<void> CheckReason(const std::string& reason) {
  if (reason.empty()) return Fail(ErrorCode::kInvalidArgument, "reason: required");
  return CheckText("reason", reason, 500);
}

// A split or merge: `decide` checks the request against the projects as
// stored and returns the decision; the regrouping is computed from the kept
// sources outside the write, then written when nothing changed meanwhile.
template <typename Decide>
Result<ImportSummary> Regroup(store::Database& db, PublicAuditLog& audit, const std::string& editor,
                              const std::string& action, Decide&& decide) {
  if (editor.empty()) return Fail(ErrorCode::kInvalidArgument, "an editor must be named");
  auto grouping = store::NewProjectGroupingStore();
  auto projects = store::NewProjectStore();
  struct Read {
    Snapshot snapshot;
    store::GroupingDecision decision;
  };
  auto read = store::InReadTransaction(db, [&](store::Transaction& tx) -> Result<Read> {
    if (auto ok = RequireRole(tx, editor, model::PublicRole::kDisclosureEditor); !ok) {
      return Fail(ok.error());
    }
    auto snap = ReadSnapshot(tx, *grouping, true);
    if (!snap) return Fail(snap.error());
    if (!snap->aiddata) {
      return Fail(ErrorCode::kConflict,
                  "the store keeps no AidData source yet: run `corridor public projects import "
                  "FILE` once, then split or merge");
    }
    if (static_cast<std::int64_t>(snap->decisions.size()) >= store::kMaxGroupingDecisions) {
      return Fail(ErrorCode::kConflict, "the store holds " +
                                            std::to_string(snap->decisions.size()) +
                                            " grouping decisions, the most it keeps");
    }
    auto d = decide(tx, *projects);
    if (!d) return Fail(d.error());
    return Read{std::move(*snap), std::move(*d)};
  });
  if (!read) return Fail(read.error());
  store::GroupingDecision& d = read->decision;
  d.decided_by = editor;
  d.decided_at = NowTimestamp();
  d.seq = read->snapshot.decisions.empty() ? 1 : read->snapshot.decisions.back().seq + 1;
  auto decisions = read->snapshot.decisions;
  decisions.push_back(d);
  ImportSummary s;
  const auto& src = read->snapshot;
  auto g = Compute(src.aiddata->body, src.districts ? src.districts->body : "", decisions, s);
  if (!g) return Fail(g.error());
  if (g->decisions.empty() || !g->decisions.back().applied) {
    return Fail(ErrorCode::kInvalidArgument,
                g->decisions.empty() ? "the decision was not applied" : g->decisions.back().why);
  }
  auto done = store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    if (auto ok = RequireRole(tx, editor, model::PublicRole::kDisclosureEditor); !ok) {
      return Fail(ok.error());
    }
    if (auto ok = StillAsRead(tx, *grouping, read->snapshot, true); !ok) return ok;
    auto seq = grouping->AddDecision(tx, d);
    if (!seq) return Fail(seq.error());
    if (auto ok = WriteProjects(tx, *g, s, true); !ok) return ok;
    json detail = SummaryDetail(s);
    detail["seq"] = *seq;
    detail["aiddata_ids"] = d.aiddata_ids;
    detail["reason"] = d.reason;
    detail["created_ids"] = s.created_ids;
    detail["removed_ids"] = s.removed_ids;
    std::vector<std::string> objects = s.created_ids;
    objects.insert(objects.end(), s.removed_ids.begin(), s.removed_ids.end());
    auto e = audit.Record(tx, editor, action, std::move(objects), detail.dump());
    if (!e) return Fail(e.error());
    return {};
  });
  if (!done) return Fail(done.error());
  return s;
}

Result<model::Project> Held(store::Transaction& tx, store::ProjectStore& projects,
                            const std::string& id) {
  auto p = projects.Get(tx, id);
  if (!p) return Fail(p.error());
  if (!*p) return Fail(ErrorCode::kNotFound, "no project " + id);
  return std::move(**p);
}

}  // namespace

Result<ImportSummary> ImportProjects(store::Database& db, PublicAuditLog& audit,
                                     const std::string& actor, std::string_view aiddata_geojson,
                                     std::string_view districts_geojson) {
  auto grouping = store::NewProjectGroupingStore();
  auto read = store::InReadTransaction(db, [&](store::Transaction& tx) -> Result<Snapshot> {
    return ReadSnapshot(tx, *grouping, false);
  });
  if (!read) return Fail(read.error());
  ImportSummary s;
  auto g = Compute(aiddata_geojson, districts_geojson, read->decisions, s);
  if (!g) return Fail(g.error());
  const std::string now = NowTimestamp();
  auto done = store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    if (auto ok = StillAsRead(tx, *grouping, *read, false); !ok) return ok;
    for (const auto& [name, body] :
         {std::pair{"aiddata", aiddata_geojson}, std::pair{"districts", districts_geojson}}) {
      store::GroupingSource src{name, std::string(body), Sha256Hex(body), now};
      if (auto ok = grouping->PutSource(tx, src); !ok) return ok;
    }
    if (auto ok = WriteProjects(tx, *g, s, false); !ok) return ok;
    json detail = SummaryDetail(s);
    detail["created_ids"] = s.created_ids;
    detail["removed_ids"] = s.removed_ids;
    detail["dropped_requests"] = s.dropped_requests;
    auto e = audit.Record(tx, actor, "projects-import", {}, detail.dump());
    if (!e) return Fail(e.error());
    return {};
  });
  if (!done) return Fail(done.error());
  return s;
}

Result<ImportSummary> MergeProjects(store::Database& db, PublicAuditLog& audit,
                                    const std::string& editor,
                                    const std::vector<std::string>& project_ids,
                                    const std::string& reason) {
  if (auto ok = CheckReason(reason); !ok) return Fail(ok.error());
  const std::set<std::string> distinct(project_ids.begin(), project_ids.end());
  if (distinct.size() < 2) {
    return Fail(ErrorCode::kInvalidArgument, "a merge needs two or more different projects");
  }
  if (distinct.size() > 100) {
    return Fail(ErrorCode::kInvalidArgument, "a merge takes at most 100 projects");
  }
  return Regroup(db, audit, editor, "projects-merge",
                 [&](store::Transaction& tx,
                     store::ProjectStore& projects) -> Result<store::GroupingDecision> {
                   store::GroupingDecision d;
                   d.kind = "merge";
                   d.reason = reason;
                   for (const auto& id : distinct) {
                     auto p = Held(tx, projects, id);
                     if (!p) return Fail(p.error());
                     d.aiddata_ids.insert(d.aiddata_ids.end(), p->aiddata_ids.begin(),
                                          p->aiddata_ids.end());
                   }
                   std::sort(d.aiddata_ids.begin(), d.aiddata_ids.end());
                   return d;
                 });
}

Result<ImportSummary> SplitProject(store::Database& db, PublicAuditLog& audit,
                                   const std::string& editor, const std::string& project_id,
                                   std::vector<std::int64_t> aiddata_ids,
                                   const std::string& reason) {
  if (auto ok = CheckReason(reason); !ok) return Fail(ok.error());
  std::sort(aiddata_ids.begin(), aiddata_ids.end());
  aiddata_ids.erase(std::unique(aiddata_ids.begin(), aiddata_ids.end()), aiddata_ids.end());
  if (aiddata_ids.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "rows: name the AidData ids to take out");
  }
  return Regroup(
      db, audit, editor, "projects-split",
      [&](store::Transaction& tx,
          store::ProjectStore& projects) -> Result<store::GroupingDecision> {
        auto p = Held(tx, projects, project_id);
        if (!p) return Fail(p.error());
        for (auto a : aiddata_ids) {
          if (!std::binary_search(p->aiddata_ids.begin(), p->aiddata_ids.end(), a)) {
            return Fail(ErrorCode::kInvalidArgument,
                        "rows: AidData " + std::to_string(a) + " is not a row of " + project_id);
          }
        }
        if (aiddata_ids.size() == p->aiddata_ids.size()) {
          return Fail(ErrorCode::kInvalidArgument,
                      "rows: these are all of " + project_id + "'s rows; leave some behind");
        }
        store::GroupingDecision d;
        d.kind = "split";
        d.reason = reason;
        d.aiddata_ids = aiddata_ids;
        return d;
      });
}

Result<std::vector<store::GroupingDecision>> GroupingDecisions(const store::Database& db) {
  auto grouping = store::NewProjectGroupingStore();
  return store::InReadTransaction(
      db, [&](store::Transaction& tx) -> Result<std::vector<store::GroupingDecision>> {
        return grouping->Decisions(tx);
      });
}

json RegroupJson(const ImportSummary& s) {
  return {{"projects", s.projects},
          {"created_ids", s.created_ids},
          {"removed_ids", s.removed_ids},
          {"disclosure_carried", s.disclosure_carried},
          {"decisions_applied", s.decisions_applied},
          {"decisions_not_applied", s.decisions_not_applied}};
}

}  // namespace corridor::public_side
