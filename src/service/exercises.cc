#include "corridor/service/exercises.h"

#include <algorithm>

#include "corridor/common/uuid.h"
#include "corridor/geo/footprint.h"
#include "service/workspace.h"

namespace corridor::service {
namespace {

using nlohmann::json;
using store::Transaction;
using workspace::AuditShown;
using workspace::AuditWrite;
using workspace::CheckDate;
using workspace::CheckLimit;
using workspace::CheckList;
using workspace::CheckNoPersonalData;
using workspace::CheckRequired;
using workspace::CommitteeFor;
using workspace::Contains;
using workspace::Invalid;
using workspace::ListReadable;
using workspace::MarkingOf;
using workspace::MarkingToJson;
using workspace::Reads;
using workspace::RequireMember;
using workspace::RequireReader;
using workspace::RequireWriter;

constexpr std::size_t kMaxText = 20000;
constexpr std::size_t kMaxLessons = 50;
constexpr std::size_t kMaxAreaPositions = 10000;

std::string At(const std::string& field, std::size_t i) { return field + "/" + std::to_string(i); }

// Free text that must not describe a person, within `max` bytes.
Result<void> CheckText(const std::string& field, const std::string& text, std::size_t max) {
  if (text.size() > max) return Invalid(field, "at most " + std::to_string(max) + " bytes");
  return CheckNoPersonalData(field, text);
}

// A period: start a date, end "" or a date not before it.
Result<void> CheckPeriod(const std::string& start, const std::string& end) {
  if (auto ok = CheckDate("/start", start); !ok) return ok;
  if (end.empty()) return {};
  if (auto ok = CheckDate("/end", end); !ok) return ok;
  if (end < start) return Invalid("/end", "before /start (" + start + ")");
  return {};
}

// Districts (level 2 areas) and sites the instance knows.
Result<void> CheckPlaces(const Context& ctx, const std::vector<std::string>& districts,
                         const std::vector<std::string>& sites) {
  if (auto ok = CheckList("/districts", districts, 500, 32); !ok) return ok;
  if (auto ok = CheckList("/sites", sites, 500, 64); !ok) return ok;
  for (std::size_t i = 0; i < districts.size(); ++i) {
    auto area = ctx.store.GetArea(districts[i]);
    if (!area || area->level != 2) {
      return Invalid(At("/districts", i),
                     "no district " + districts[i] + " on this instance (corridor areas load)");
    }
  }
  for (std::size_t i = 0; i < sites.size(); ++i) {
    auto id = Uuid::Parse(sites[i]);
    if (!id || !ctx.store.GetSite(*id)) {
      return Invalid(At("/sites", i), "no site " + sites[i] + " on this instance");
    }
  }
  return {};
}

// Every organisation of `orgs` (at least one) is a member of `c`.
Result<void> CheckMembers(const std::string& field, const std::vector<std::string>& orgs,
                          const store::Committee& c) {
  if (orgs.empty()) return Invalid(field, "at least one member organisation");
  for (std::size_t i = 0; i < orgs.size(); ++i) {
    if (!Contains(c.members, orgs[i])) {
      return Invalid(At(field, i), orgs[i] + " is not a member of " + c.name);
    }
  }
  return {};
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// Counts the positions of a GeoJSON coordinates array, nested at any depth.
std::size_t Positions(const json& coordinates) {
  if (!coordinates.is_array()) return 0;
  if (!coordinates.empty() && coordinates[0].is_number()) return 1;
  std::size_t n = 0;
  for (const auto& c : coordinates) n += Positions(c);
  return n;
}

// A team's area: a GeoJSON Polygon or MultiPolygon that geo::Footprint reads,
// of at most kMaxAreaPositions positions. Returned re-serialised (compact).
Result<std::string> CheckArea(const std::string& area) {
  if (area.empty()) return std::string();
  if (area.size() > 1000000) return Fail(ErrorCode::kInvalidArgument, "/area: at most 1 MB");
  const json g = json::parse(area, nullptr, false);
  if (!g.is_object() || !g.contains("type") ||
      (g["type"] != "Polygon" && g["type"] != "MultiPolygon")) {
    return Fail(ErrorCode::kInvalidArgument,
                "/area: expected a GeoJSON Polygon or MultiPolygon geometry");
  }
  if (Positions(g.value("coordinates", json())) > kMaxAreaPositions) {
    return Fail(ErrorCode::kInvalidArgument,
                "/area: at most " + std::to_string(kMaxAreaPositions) + " positions");
  }
  if (auto f = geo::Footprint::FromGeoJson(area); !f) {
    return Fail(ErrorCode::kInvalidArgument, "/area: " + f.error().message);
  }
  return g.dump();
}

// The exercise `id` with its committee, when the caller may `action` on it.
Result<std::pair<store::Exercise, store::Committee>> ExerciseFor(Transaction& tx,
                                                                 store::CommitteeStore& s,
                                                                 const Caller& caller,
                                                                 const std::string& id,
                                                                 auth::Action action) {
  const auto missing = [&] { return Fail(ErrorCode::kNotFound, "no exercise " + id); };
  auto e = s.GetExercise(tx, id);
  if (!e) return Fail(e.error());
  if (!*e) return missing();
  auto c = s.GetCommittee(tx, (*e)->committee_id);
  if (!c) return Fail(c.error());
  if (!*c) return missing();
  const bool allowed = action == auth::Action::kReadCommittee
                           ? Reads(caller, **c, (*e)->marking)
                           : static_cast<bool>(RequireMember(caller, action, **c, &(*e)->marking));
  if (!allowed) return missing();
  return std::make_pair(std::move(**e), std::move(**c));
}

// The exercise with its lessons, each with the action it became as the
// caller may read it: a lesson whose action the caller may not read is left
// out (its text is the action's title).
Result<ExerciseView> ViewOf(Transaction& tx, store::CommitteeStore& s, const Caller& caller,
                            const store::Committee& c, store::Exercise e) {
  ExerciseView v{std::move(e), c.name, {}};
  auto lessons = s.ListLessons(tx, v.exercise.id);
  if (!lessons) return Fail(lessons.error());
  for (auto& l : *lessons) {
    auto a = s.GetAction(tx, l.action_id);
    if (!a) return Fail(a.error());
    if (!*a || !Reads(caller, c, (*a)->marking)) continue;
    v.lessons.push_back({std::move(l), std::move(**a)});
  }
  return v;
}

Result<void> AuditView(const Context& ctx, const Caller& caller, const ExerciseView& v) {
  std::vector<MarkedObject> shown = {{v.exercise.id, v.exercise.marking.tlp}};
  for (const auto& l : v.lessons) shown.push_back({l.action.id, l.action.marking.tlp});
  return AuditMarkedReads(ctx, caller, shown);
}

}  // namespace

Result<store::Exercise> AddExercise(const Context& ctx, const Caller& caller,
                                    const AddExerciseParams& p) {
  if (auto ok = RequireWriter(caller); !ok) return Fail(ok.error());
  auto kind = store::ParseExerciseKind(p.kind);
  if (!kind) return Fail(ErrorCode::kInvalidArgument, "/kind: expected training or exercise");
  for (auto ok : {CheckRequired("/title", p.title, 500), CheckText("/title", p.title, 500),
                  CheckText("/scenario", p.scenario, kMaxText), CheckPeriod(p.start, p.end),
                  CheckList("/participants", p.participants, 100, 200),
                  CheckList("/objectives", p.objectives, 100, 2000)}) {
    if (!ok) return Fail(ok.error());
  }
  for (std::size_t i = 0; i < p.objectives.size(); ++i) {
    if (auto ok = CheckNoPersonalData(At("/objectives", i), p.objectives[i]); !ok) {
      return Fail(ok.error());
    }
  }
  if (auto ok = CheckPlaces(ctx, p.districts, p.sites); !ok) return Fail(ok.error());
  auto s = store::NewCommitteeStore();
  store::Exercise e;
  auto added =
      store::InWriteTransaction(ctx.store.database(), [&](Transaction& tx) -> Result<void> {
        auto c = CommitteeFor(tx, *s, caller, p.committee, auth::Action::kManageCommittee);
        if (!c) return Fail(c.error());
        if (auto ok = CheckMembers("/participants", p.participants, *c); !ok) return ok;
        auto marking = MarkingOf(caller, p.marking, c->members);
        if (!marking) return Fail(marking.error());
        e.id = Uuid::V4().str();
        e.committee_id = c->id;
        e.kind = *kind;
        e.title = p.title;
        e.scenario = p.scenario;
        e.start = p.start;
        e.end = p.end.empty() ? p.start : p.end;
        e.participants = Sorted(p.participants);
        e.objectives = p.objectives;
        e.districts = Sorted(p.districts);
        e.sites = Sorted(p.sites);
        e.marking = *marking;
        e.created = NowTimestamp();
        return s->AddExercise(tx, e);
      });
  if (!added) return Fail(added.error());
  if (auto a = AuditWrite(ctx, caller, "exercise", e.id, e.marking,
                          {{"committee", e.committee_id}, {"kind", p.kind}});
      !a) {
    return Fail(a.error());
  }
  return e;
}

Result<ExerciseView> ReportExercise(const Context& ctx, const Caller& caller,
                                    const ReportExerciseParams& p) {
  if (auto ok = RequireWriter(caller); !ok) return Fail(ok.error());
  if (auto ok = CheckText("/findings", p.findings, kMaxText); !ok) return Fail(ok.error());
  if (p.lessons.size() > kMaxLessons) {
    return Fail(ErrorCode::kInvalidArgument,
                "/lessons: at most " + std::to_string(kMaxLessons) + " per report");
  }
  if (p.findings.empty() && p.lessons.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "/findings: give the findings, lessons, or both");
  }
  for (std::size_t i = 0; i < p.lessons.size(); ++i) {
    const auto& l = p.lessons[i];
    const std::string at = At("/lessons", i);
    for (auto ok :
         {CheckRequired(at + "/text", l.text, 500), CheckText(at + "/text", l.text, 500),
          CheckRequired(at + "/owner_org", l.owner_org, 200), CheckDate(at + "/due", l.due)}) {
      if (!ok) return Fail(ok.error());
    }
    if (!l.owner_account.empty()) {
      auto user = ctx.store.GetUser(l.owner_account);
      if (!user || user->org != l.owner_org) {
        return Fail(ErrorCode::kInvalidArgument,
                    at + "/owner_account: no account " + l.owner_account + " of " + l.owner_org);
      }
    }
  }
  auto s = store::NewCommitteeStore();
  const std::string now = NowTimestamp();
  std::vector<store::ActionItem> actions;
  auto view =
      store::InWriteTransaction(ctx.store.database(), [&](Transaction& tx) -> Result<ExerciseView> {
        auto found = ExerciseFor(tx, *s, caller, p.id, auth::Action::kManageCommittee);
        if (!found) return Fail(found.error());
        auto& [e, c] = *found;
        if (!p.findings.empty()) {
          auto reported = s->ReportExercise(tx, e.id, p.findings, now);
          if (!reported) return Fail(reported.error());
          if (!*reported) {
            return Fail(ErrorCode::kConflict, "/findings: exercise " + e.id + " was reported on " +
                                                  e.reported + "; add lessons without findings");
          }
        } else if (e.reported.empty()) {
          return Fail(ErrorCode::kInvalidArgument,
                      "/findings: required the first time (the after-action report)");
        }
        for (std::size_t i = 0; i < p.lessons.size(); ++i) {
          const auto& l = p.lessons[i];
          if (!Contains(c.members, l.owner_org)) {
            return Fail(
                ErrorCode::kInvalidArgument,
                At("/lessons", i) + "/owner_org: " + l.owner_org + " is not a member of " + c.name);
          }
          store::ActionItem a;
          a.id = Uuid::V4().str();
          a.committee_id = c.id;
          a.title = l.text;
          a.owner_org = l.owner_org;
          a.owner_account = l.owner_account;
          a.due = l.due;
          a.evidence = {"exercise:" + e.id};
          a.marking = e.marking;
          a.created = a.updated = now;
          if (auto ok = s->AddAction(tx, a); !ok) return Fail(ok.error());
          if (auto seq = s->AddLesson(tx, {e.id, 0, l.text, a.id, now}); !seq) {
            return Fail(seq.error());
          }
          actions.push_back(std::move(a));
        }
        auto after = s->GetExercise(tx, e.id);
        if (!after) return Fail(after.error());
        return ViewOf(tx, *s, caller, c, std::move(**after));
      });
  if (!view) return Fail(view.error());
  if (auto a = AuditWrite(ctx, caller, "exercise-report", p.id, view->exercise.marking,
                          {{"findings", !p.findings.empty()}, {"lessons", p.lessons.size()}});
      !a) {
    return Fail(a.error());
  }
  for (const auto& x : actions) {
    if (auto a = AuditWrite(ctx, caller, "action", x.id, x.marking,
                            {{"committee", x.committee_id},
                             {"owner_org", x.owner_org},
                             {"due", x.due},
                             {"exercise", p.id}});
        !a) {
      return Fail(a.error());
    }
  }
  return view;
}

Result<ExerciseView> ShowExercise(const Context& ctx, const Caller& caller, const std::string& id) {
  if (auto ok = RequireReader(caller); !ok) return Fail(ok.error());
  auto s = store::NewCommitteeStore();
  auto view =
      store::InReadTransaction(ctx.store.database(), [&](Transaction& tx) -> Result<ExerciseView> {
        auto found = ExerciseFor(tx, *s, caller, id, auth::Action::kReadCommittee);
        if (!found) return Fail(found.error());
        return ViewOf(tx, *s, caller, found->second, std::move(found->first));
      });
  if (!view) return Fail(view.error());
  if (auto a = AuditView(ctx, caller, *view); !a) return Fail(a.error());
  return view;
}

Result<std::vector<store::Exercise>> ListExercises(const Context& ctx, const Caller& caller,
                                                   const std::string& committee, int limit) {
  if (auto ok = RequireReader(caller); !ok) return Fail(ok.error());
  if (auto ok = CheckLimit(limit); !ok) return Fail(ok.error());
  return ListReadable<store::Exercise>(
      ctx, caller, committee, [&](Transaction& tx, store::CommitteeStore& s, const std::string& c) {
        return s.ListExercises(tx, c, limit);
      });
}

Result<store::JointTeam> AddTeam(const Context& ctx, const Caller& caller, const AddTeamParams& p) {
  if (auto ok = RequireWriter(caller); !ok) return Fail(ok.error());
  for (auto ok :
       {CheckRequired("/name", p.name, 200), CheckText("/name", p.name, 200),
        CheckRequired("/mandate", p.mandate, kMaxText), CheckText("/mandate", p.mandate, kMaxText),
        CheckPeriod(p.start, p.end), CheckList("/members", p.members, 100, 200)}) {
    if (!ok) return Fail(ok.error());
  }
  if (p.districts.empty() && p.area.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "/districts: a team covers districts, an area (/area), or both");
  }
  if (auto ok = CheckPlaces(ctx, p.districts, p.sites); !ok) return Fail(ok.error());
  auto area = CheckArea(p.area);
  if (!area) return Fail(area.error());
  auto s = store::NewCommitteeStore();
  store::JointTeam t;
  auto added =
      store::InWriteTransaction(ctx.store.database(), [&](Transaction& tx) -> Result<void> {
        auto c = CommitteeFor(tx, *s, caller, p.committee, auth::Action::kManageCommittee);
        if (!c) return Fail(c.error());
        if (auto ok = CheckMembers("/members", p.members, *c); !ok) return ok;
        auto marking = MarkingOf(caller, p.marking, c->members);
        if (!marking) return Fail(marking.error());
        t.id = Uuid::V4().str();
        t.committee_id = c->id;
        t.name = p.name;
        t.mandate = p.mandate;
        t.members = Sorted(p.members);
        t.districts = Sorted(p.districts);
        t.area = *area;
        t.sites = Sorted(p.sites);
        t.start = p.start;
        t.end = p.end;
        t.marking = *marking;
        t.created = NowTimestamp();
        return s->AddTeam(tx, t);
      });
  if (!added) return Fail(added.error());
  if (auto a = AuditWrite(ctx, caller, "team", t.id, t.marking,
                          {{"committee", t.committee_id}, {"members", t.members}});
      !a) {
    return Fail(a.error());
  }
  return t;
}

Result<std::vector<store::JointTeam>> ListTeams(const Context& ctx, const Caller& caller,
                                                const std::string& committee, const std::string& on,
                                                int limit) {
  if (auto ok = RequireReader(caller); !ok) return Fail(ok.error());
  if (!on.empty()) {
    if (auto ok = CheckDate("on", on); !ok) return Fail(ok.error());
  }
  if (auto ok = CheckLimit(limit); !ok) return Fail(ok.error());
  return ListReadable<store::JointTeam>(
      ctx, caller, committee, [&](Transaction& tx, store::CommitteeStore& s, const std::string& c) {
        return s.ListTeams(tx, c, on, limit);
      });
}

json ToJson(const store::Exercise& e) {
  json j = {{"id", e.id},
            {"committee", e.committee_id},
            {"kind", store::ExerciseKindName(e.kind)},
            {"title", e.title},
            {"scenario", e.scenario},
            {"start", e.start},
            {"end", e.end},
            {"participants", e.participants},
            {"objectives", e.objectives},
            {"districts", e.districts},
            {"sites", e.sites},
            {"findings", e.findings},
            {"reported", e.reported.empty() ? json(nullptr) : json(e.reported)},
            {"created", e.created}};
  j.update(MarkingToJson(e.marking));
  return j;
}

json ToJson(const ExerciseView& v) {
  json j = ToJson(v.exercise);
  j["committee_name"] = v.committee;
  j["lessons"] = json::array();
  for (const auto& l : v.lessons) {
    j["lessons"].push_back({{"seq", l.lesson.seq},
                            {"text", l.lesson.text},
                            {"created", l.lesson.created},
                            {"action", ToJson(l.action)}});
  }
  return j;
}

json ToJson(const store::JointTeam& t) {
  json j = {{"id", t.id},
            {"committee", t.committee_id},
            {"name", t.name},
            {"mandate", t.mandate},
            {"members", t.members},
            {"districts", t.districts},
            {"area", t.area.empty() ? json(nullptr) : json::parse(t.area, nullptr, false)},
            {"sites", t.sites},
            {"start", t.start},
            {"end", t.end.empty() ? json(nullptr) : json(t.end)},
            {"created", t.created}};
  j.update(MarkingToJson(t.marking));
  return j;
}

}  // namespace corridor::service
