// The committee workspace over HTTP: each route reads its JSON body into the
// service's params (a JSON pointer names every error) and calls the same
// service as the CLI (service/committee.h).
#include "api/committee_routes.h"

#include <charconv>
#include <functional>
#include <set>

#include "api/caller.h"
#include "api/json_body.h"
#include "corridor/api/route.h"
#include "corridor/service/committee.h"
#include "corridor/service/exercises.h"
#include "corridor/service/judicial.h"
#include "corridor/service/perception.h"

namespace corridor::api {
namespace {

using nlohmann::json;

template <typename T>
Response Created(const Result<T>& r) {
  if (!r) return ErrorResponse(r.error());
  return JsonResponse(service::ToJson(*r), 201);
}

json RequestSchema(std::vector<std::string> required, json properties) {
  json marking = {{"type", "string"},
                  {"enum", {"TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"}}};
  properties["marking"] = marking;
  properties["distribution"] = {{"type", "object"}};
  return {{"type", "object"},
          {"required", required},
          {"additionalProperties", false},
          {"properties", properties}};
}

const json kString = {{"type", "string"}};
const json kStrings = {{"type", "array"}, {"items", {{"type", "string"}}}};
const json kDate = {{"type", "string"}, {"format", "date"}};

struct IdParams {
  std::string id;
  static const service::ParamSchema<IdParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<IdParams>()
            .Text("id", &IdParams::id, "The object's id (or a committee's name)", 200)
            .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

struct ActionsQuery {
  std::string committee, org;
  bool overdue = false;
  int limit = 1000;
  static const service::ParamSchema<ActionsQuery>& Schema() {
    static const auto kSchema =
        service::ParamSchema<ActionsQuery>()
            .Text("committee", &ActionsQuery::committee, "Only this committee's (name or id)", 200)
            .Text("org", &ActionsQuery::org, "Only actions this organisation owns", 200)
            .Boolean("overdue", &ActionsQuery::overdue,
                     "Only open or in-progress actions past their due date")
            .Integer("limit", &ActionsQuery::limit, "At most this many (default 1000)", 1, 10000)
            .Default(1000);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

struct NoticesQuery {
  bool unread = false;
  int limit = 100;
  static const service::ParamSchema<NoticesQuery>& Schema() {
    static const auto kSchema =
        service::ParamSchema<NoticesQuery>()
            .Boolean("unread", &NoticesQuery::unread, "Only notices the caller has not read")
            .Integer("limit", &NoticesQuery::limit, "At most this many (default 100)", 1, 1000)
            .Default(100);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

// GET /api/v1/notices, POST /api/v1/notices/{id}/read: overdue actions
// notified to their owners (docs/committee.md, "Overdue notices").
void AddNoticeRoutes(std::vector<Route>& routes, const service::Context* c) {
  routes.push_back(Declare<NoticesQuery>(
      "GET", "/api/v1/notices",
      "The signed-in account's notices of overdue actions its organisation (or it) owns, unread "
      "first (raises any that are due)",
      [c](const Request& r, const NoticesQuery& q) {
        service::NoticesParams p;
        p.unread = q.unread;
        p.limit = q.limit;
        auto list = service::ListNotices(*c, CallerOf(r), p);
        if (!list) return ErrorResponse(list.error());
        json items = json::array();
        std::size_t unread = 0;
        for (const auto& n : *list) {
          items.push_back(service::ToJson(n));
          if (n.notice.read.empty()) ++unread;
        }
        return JsonResponse({{"items", items}, {"count", items.size()}, {"unread", unread}});
      },
      auth::Action::kReadCommittee));
  routes.push_back(Declare<IdParams>(
      "POST", "/api/v1/notices/{id}/read", "Mark one of the signed-in account's notices read",
      [c](const Request& r, const IdParams& p) {
        std::int64_t id = 0;
        const auto [end, ec] = std::from_chars(p.id.data(), p.id.data() + p.id.size(), id);
        if (ec != std::errc() || end != p.id.data() + p.id.size()) {
          return ErrorResponse({ErrorCode::kNotFound, "no notice " + p.id});
        }
        auto n = service::ReadNotice(*c, CallerOf(r), id);
        if (!n) return ErrorResponse(n.error());
        return JsonResponse(service::ToJson(*n));
      },
      auth::Action::kReadCommittee));
}

// GET /api/v1/public-perception: the aggregate release's counts beside the
// caller's incidents and the districts' vulnerability (service/perception.h).
void AddPerceptionRoute(std::vector<Route>& routes, const service::Context* c) {
  routes.push_back(Declare<service::PerceptionParams>(
      "GET", "/api/v1/public-perception",
      "What residents raise (grievance and consultation counts of the public side's aggregate "
      "release, suppressed there) per district and month, beside the incidents the caller may "
      "read and the district's structural vulnerability",
      [c](const Request& r, const service::PerceptionParams& p) {
        auto v = service::PublicPerception(*c, CallerOf(r), p);
        if (!v) return ErrorResponse(v.error());
        return JsonResponse(service::ToJson(*v));
      },
      auth::Action::kReadCommittee));
}

struct JudicialQuery {
  bool reminders = false;
  static const service::ParamSchema<JudicialQuery>& Schema() {
    static const auto kSchema = service::ParamSchema<JudicialQuery>().Boolean(
        "reminders", &JudicialQuery::reminders,
        "Only requests the clocks flag (unacknowledged, no progress, past the deadline)");
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

// POST /api/v1/judicial and the request's sub-resources (docs/committee.md).
void AddJudicialRoutes(std::vector<Route>& routes, const service::Context* c) {
  using auth::Action;
  routes.push_back(Declare<JudicialQuery>(
      "GET", "/api/v1/judicial",
      "The judicial-assistance requests the caller reads, newest first, with their reminders",
      [c](const Request& r, const JudicialQuery& q) {
        service::ListJudicialParams p;
        p.reminders_only = q.reminders;
        auto list = service::ListJudicialRequests(*c, CallerOf(r), p);
        if (!list) return ErrorResponse(list.error());
        json items = json::array();
        for (const auto& row : *list) items.push_back(service::ToJson(row));
        return JsonResponse({{"items", items}, {"count", items.size()}});
      },
      Action::kReadCommittee));
  Route add = Declare<service::NoParams>(
      "POST", "/api/v1/judicial", "Open a judicial-assistance request (draft), by reference only",
      [c](const Request& r, const service::NoParams&) {
        auto b =
            Body::Parse(r.body, {"type", "requesting", "requested", "requesting_authority",
                                 "requested_authority", "legal_basis", "offence", "incidents",
                                 "urgency", "deadline", "reference", "marking", "distribution"});
        if (!b) return ErrorResponse(b.error());
        service::AddJudicialParams p;
        if (auto ok = All({b->Text("type", &p.type), b->Text("requesting", &p.requesting),
                           b->Text("requested", &p.requested),
                           b->Text("requesting_authority", &p.requesting_authority),
                           b->Text("requested_authority", &p.requested_authority),
                           b->Text("legal_basis", &p.legal_basis), b->Text("offence", &p.offence),
                           b->List("incidents", &p.incidents), b->Text("urgency", &p.urgency),
                           b->Text("deadline", &p.deadline), b->Text("reference", &p.reference),
                           b->Marking(&p.marking)});
            !ok) {
          return ErrorResponse(ok.error());
        }
        auto added = service::AddJudicialRequest(*c, CallerOf(r), p);
        if (!added) return ErrorResponse(added.error());
        return JsonResponse(service::ToJson(*added), 201);
      },
      Action::kManageCommittee);
  add.request_body = RequestSchema(
      {"type", "requesting", "requested", "offence"},
      {{"type", {{"type", "string"}, {"enum", {"mla", "extradition", "transfer", "assets"}}}},
       {"requesting", kString},
       {"requested", kString},
       {"requesting_authority", kString},
       {"requested_authority", kString},
       {"legal_basis", kString},
       {"offence", kString},
       {"incidents", kStrings},
       {"urgency", kString},
       {"deadline", kDate},
       {"reference", kString}});
  routes.push_back(std::move(add));

  routes.push_back(Declare<IdParams>(
      "GET", "/api/v1/judicial/{id}",
      "One request with its refusal-ground checklist, consultation, assurances and history",
      [c](const Request& r, const IdParams& p) {
        auto shown = service::ShowJudicialRequest(*c, CallerOf(r), p.id);
        if (!shown) return ErrorResponse(shown.error());
        return JsonResponse(*shown);
      },
      Action::kReadCommittee));

  // One POST per step; `fn` reads the body and calls the service.
  auto step = [&routes](const std::string& path, const std::string& summary,
                        const std::set<std::string>& members, json body_schema,
                        const std::function<Result<json>(const service::Caller&, const std::string&,
                                                         const Body&)>& fn) {
    Route route = Declare<IdParams>(
        "POST", path, summary,
        [members, fn](const Request& r, const IdParams& p) {
          auto b = Body::Parse(r.body.empty() ? "{}" : r.body, members);
          if (!b) return ErrorResponse(b.error());
          auto out = fn(CallerOf(r), p.id, *b);
          if (!out) return ErrorResponse(out.error());
          return JsonResponse(*out);
        },
        Action::kManageCommittee);
    route.request_body = std::move(body_schema);
    routes.push_back(std::move(route));
  };
  auto object = [](json properties) {
    return json{{"type", "object"}, {"additionalProperties", false}, {"properties", properties}};
  };
  auto request_json = [](const Result<store::JudicialRequest>& r) -> Result<json> {
    if (!r) return Fail(r.error());
    return service::ToJson(*r);
  };
  auto ok_json = [](const Result<void>& r, const std::string& id) -> Result<json> {
    if (!r) return Fail(r.error());
    return json{{"id", id}};
  };
  step("/api/v1/judicial/{id}/answers", "Answer one refusal ground: {ground, applies, reason}",
       {"ground", "applies", "reason"},
       object({{"ground", kString}, {"applies", {{"type", "boolean"}}}, {"reason", kString}}),
       [c, ok_json](const service::Caller& caller, const std::string& id, const Body& b) {
         service::AnswerGroundParams p;
         p.id = id;
         if (auto ok = All({b.Text("ground", &p.ground), b.Flag("applies", &p.applies),
                            b.Text("reason", &p.reason)});
             !ok) {
           return Result<json>(Fail(ok.error()));
         }
         return ok_json(service::AnswerGround(*c, caller, p), id);
       });
  step("/api/v1/judicial/{id}/consultation",
       "Record the prior consultation with the requesting state: {note}", {"note"},
       object({{"note", kString}}),
       [c, ok_json](const service::Caller& caller, const std::string& id, const Body& b) {
         std::string note;
         if (auto ok = b.Text("note", &note); !ok) return Result<json>(Fail(ok.error()));
         return ok_json(service::RecordConsultation(*c, caller, id, note), id);
       });
  step("/api/v1/judicial/{id}/state",
       "Move along the workflow: {to: sent|acknowledged|under_execution|withdrawn, note}",
       {"to", "note"}, object({{"to", kString}, {"note", kString}}),
       [c, request_json](const service::Caller& caller, const std::string& id, const Body& b) {
         std::string to, note;
         if (auto ok = All({b.Text("to", &to), b.Text("note", &note)}); !ok) {
           return Result<json>(Fail(ok.error()));
         }
         return request_json(service::MoveJudicialRequest(*c, caller, id, to, note));
       });
  step("/api/v1/judicial/{id}/decision",
       "Decide: {outcome: executed|partially_executed|refused, ground, reason}; a blocked "
       "ground is 409 with the checklist's reason",
       {"outcome", "ground", "reason"},
       object({{"outcome", kString}, {"ground", kString}, {"reason", kString}}),
       [c, request_json](const service::Caller& caller, const std::string& id, const Body& b) {
         service::DecideJudicialParams p;
         p.id = id;
         if (auto ok = All({b.Text("outcome", &p.outcome), b.Text("ground", &p.ground),
                            b.Text("reason", &p.reason)});
             !ok) {
           return Result<json>(Fail(ok.error()));
         }
         return request_json(service::DecideJudicialRequest(*c, caller, p));
       });
  step("/api/v1/judicial/{id}/assurances",
       "Ask for an assurance, or record its receipt: {kind: death-penalty|fair-trial, received}",
       {"kind", "received"},
       object({{"kind", {{"type", "string"}, {"enum", {"death-penalty", "fair-trial"}}}},
               {"received", {{"type", "boolean"}}}}),
       [c](const service::Caller& caller, const std::string& id, const Body& b) -> Result<json> {
         std::string kind;
         bool received = false;
         if (auto ok = All({b.Text("kind", &kind), b.Flag("received", &received)}); !ok) {
           return Fail(ok.error());
         }
         auto a = service::TrackAssurance(*c, caller, id, kind, received);
         if (!a) return Fail(a.error());
         return json{{"request", a->request_id},
                     {"kind", a->kind},
                     {"requested_at", a->requested_at},
                     {"received_at", a->received_at}};
       });
  step("/api/v1/judicial/{id}/evidence",
       "Record evidence shared in answer (requested state only): {reference, purpose}",
       {"reference", "purpose"}, object({{"reference", kString}, {"purpose", kString}}),
       [c](const service::Caller& caller, const std::string& id, const Body& b) -> Result<json> {
         std::string reference, purpose;
         if (auto ok = All({b.Text("reference", &reference), b.Text("purpose", &purpose)}); !ok) {
           return Fail(ok.error());
         }
         auto e = service::ShareEvidence(*c, caller, id, reference, purpose);
         if (!e) return Fail(e.error());
         return json{{"id", e->id}, {"request", id}, {"purpose", e->purpose}};
       });
  step("/api/v1/evidence/{id}/export",
       "Send a shared evidence record to an organisation: {to}; a third party without the "
       "requested state's consent is 403 (speciality), audited",
       {"to"}, object({{"to", kString}}),
       [c](const service::Caller& caller, const std::string& id, const Body& b) -> Result<json> {
         std::string to;
         if (auto ok = b.Text("to", &to); !ok) return Fail(ok.error());
         return service::ExportEvidence(*c, caller, id, to);
       });
}

}  // namespace

struct CommitteeQuery {
  std::string committee, on;
  int limit = 1000;
  static const service::ParamSchema<CommitteeQuery>& Schema() {
    static const auto kSchema =
        service::ParamSchema<CommitteeQuery>()
            .Text("committee", &CommitteeQuery::committee, "Only this committee's (name or id)",
                  200)
            .Text("on", &CommitteeQuery::on,
                  "Teams: only those whose period includes this day (YYYY-MM-DD)", 10)
            .Integer("limit", &CommitteeQuery::limit, "At most this many (default 1000)", 1, 10000)
            .Default(1000);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

// Training, exercises and joint teams (docs/committee.md, issue 15 §2).
void AddExerciseRoutes(std::vector<Route>& routes, const service::Context* c) {
  using auth::Action;
  routes.push_back(Declare<CommitteeQuery>(
      "GET", "/api/v1/exercises",
      "Training courses and joint exercises the caller may read, latest first",
      [c](const Request& r, const CommitteeQuery& q) {
        auto list = service::ListExercises(*c, CallerOf(r), q.committee, q.limit);
        if (!list) return ErrorResponse(list.error());
        json items = json::array();
        for (const auto& x : *list) items.push_back(service::ToJson(x));
        return JsonResponse({{"items", items}, {"count", items.size()}});
      },
      Action::kReadCommittee));
  routes.push_back(Declare<IdParams>(
      "GET", "/api/v1/exercises/{id}",
      "One exercise with its after-action findings and the lessons, each with the action it "
      "became",
      [c](const Request& r, const IdParams& p) {
        auto shown = service::ShowExercise(*c, CallerOf(r), p.id);
        if (!shown) return ErrorResponse(shown.error());
        return JsonResponse(service::ToJson(*shown));
      },
      Action::kReadCommittee));

  Route add = Declare<service::NoParams>(
      "POST", "/api/v1/exercises", "Record a training course or a joint exercise",
      [c](const Request& r, const service::NoParams&) {
        auto b = Body::Parse(
            r.body, {"committee", "kind", "title", "scenario", "start", "end", "participants",
                     "objectives", "districts", "sites", "marking", "distribution"});
        if (!b) return ErrorResponse(b.error());
        service::AddExerciseParams p;
        if (auto ok = All({b->Text("committee", &p.committee), b->Text("kind", &p.kind),
                           b->Text("title", &p.title), b->Text("scenario", &p.scenario),
                           b->Text("start", &p.start), b->Text("end", &p.end),
                           b->List("participants", &p.participants),
                           b->List("objectives", &p.objectives), b->List("districts", &p.districts),
                           b->List("sites", &p.sites), b->Marking(&p.marking)});
            !ok) {
          return ErrorResponse(ok.error());
        }
        return Created(service::AddExercise(*c, CallerOf(r), p));
      },
      Action::kManageCommittee);
  add.request_body =
      RequestSchema({"committee", "title", "start", "participants"},
                    {{"committee", kString},
                     {"kind", {{"type", "string"}, {"enum", {"training", "exercise"}}}},
                     {"title", kString},
                     {"scenario", kString},
                     {"start", kDate},
                     {"end", kDate},
                     {"participants", kStrings},
                     {"objectives", kStrings},
                     {"districts", kStrings},
                     {"sites", kStrings}});
  routes.push_back(std::move(add));

  Route report = Declare<IdParams>(
      "POST", "/api/v1/exercises/{id}/report",
      "Record the after-action report (findings, once) and lessons, each becoming an action item",
      [c](const Request& r, const IdParams& id) {
        auto b = Body::Parse(r.body, {"findings", "lessons"});
        if (!b) return ErrorResponse(b.error());
        service::ReportExerciseParams p;
        p.id = id.id;
        std::function<Result<void>(const Body&, service::LessonParams*)> lesson =
            [](const Body& l, service::LessonParams* out) {
              return All({l.Text("text", &out->text), l.Text("owner_org", &out->owner_org),
                          l.Text("owner_account", &out->owner_account), l.Text("due", &out->due)});
            };
        if (auto ok = All({b->Text("findings", &p.findings),
                           b->Objects<service::LessonParams>(
                               "lessons", {"text", "owner_org", "owner_account", "due"}, lesson,
                               &p.lessons)});
            !ok) {
          return ErrorResponse(ok.error());
        }
        auto v = service::ReportExercise(*c, CallerOf(r), p);
        if (!v) return ErrorResponse(v.error());
        return JsonResponse(service::ToJson(*v));
      },
      Action::kManageCommittee);
  report.request_body = {{"type", "object"},
                         {"additionalProperties", false},
                         {"properties",
                          {{"findings", kString},
                           {"lessons",
                            {{"type", "array"},
                             {"items",
                              {{"type", "object"},
                               {"required", {"text", "owner_org", "due"}},
                               {"additionalProperties", false},
                               {"properties",
                                {{"text", kString},
                                 {"owner_org", kString},
                                 {"owner_account", kString},
                                 {"due", kDate}}}}}}}}}};
  routes.push_back(std::move(report));

  routes.push_back(Declare<CommitteeQuery>(
      "GET", "/api/v1/teams", "Joint security teams the caller may read, by name",
      [c](const Request& r, const CommitteeQuery& q) {
        auto list = service::ListTeams(*c, CallerOf(r), q.committee, q.on, q.limit);
        if (!list) return ErrorResponse(list.error());
        json items = json::array();
        for (const auto& x : *list) items.push_back(service::ToJson(x));
        return JsonResponse({{"items", items}, {"count", items.size()}});
      },
      Action::kReadCommittee));
  Route add_team = Declare<service::NoParams>(
      "POST", "/api/v1/teams",
      "Form a joint security team: mandate, members, districts and/or a polygon, period",
      [c](const Request& r, const service::NoParams&) {
        auto b = Body::Parse(r.body, {"committee", "name", "mandate", "members", "districts",
                                      "area", "sites", "start", "end", "marking", "distribution"});
        if (!b) return ErrorResponse(b.error());
        service::AddTeamParams p;
        if (auto ok = All({b->Text("committee", &p.committee), b->Text("name", &p.name),
                           b->Text("mandate", &p.mandate), b->List("members", &p.members),
                           b->List("districts", &p.districts), b->Object("area", &p.area),
                           b->List("sites", &p.sites), b->Text("start", &p.start),
                           b->Text("end", &p.end), b->Marking(&p.marking)});
            !ok) {
          return ErrorResponse(ok.error());
        }
        return Created(service::AddTeam(*c, CallerOf(r), p));
      },
      Action::kManageCommittee);
  add_team.request_body = RequestSchema(
      {"committee", "name", "mandate", "members", "start"},
      {{"committee", kString},
       {"name", kString},
       {"mandate", kString},
       {"members", kStrings},
       {"districts", kStrings},
       {"area", {{"type", "object"}, {"description", "A GeoJSON Polygon or MultiPolygon, WGS84"}}},
       {"sites", kStrings},
       {"start", kDate},
       {"end", kDate}});
  routes.push_back(std::move(add_team));
}

void AddCommitteeRoutes(std::vector<Route>& routes, const service::Context& ctx,
                        const stix::SigningKey* signing_key) {
  const service::Context* c = &ctx;
  using auth::Action;

  routes.push_back(Declare<service::NoParams>(
      "GET", "/api/v1/committees", "Committees of the caller's organisation the caller may read",
      [c](const Request& r, const service::NoParams&) {
        auto list = service::ListCommittees(*c, CallerOf(r));
        if (!list) return ErrorResponse(list.error());
        json items = json::array();
        for (const auto& x : *list) items.push_back(service::ToJson(x));
        return JsonResponse({{"items", items}, {"count", items.size()}});
      },
      Action::kReadCommittee));
  routes.push_back(Declare<IdParams>(
      "GET", "/api/v1/committees/{id}",
      "One committee (by id or name) with the meetings and decisions the caller may read",
      [c](const Request& r, const IdParams& p) {
        auto shown = service::ShowCommittee(*c, CallerOf(r), p.id);
        if (!shown) return ErrorResponse(shown.error());
        return JsonResponse(*shown);
      },
      Action::kReadCommittee));

  Route add_committee = Declare<service::NoParams>(
      "POST", "/api/v1/committees",
      "Add a committee: {\"name\", \"kind\": bilateral|regional|un, \"orgs\": [...]}",
      [c](const Request& r, const service::NoParams&) {
        auto b = Body::Parse(r.body, {"name", "kind", "orgs", "marking", "distribution"});
        if (!b) return ErrorResponse(b.error());
        service::AddCommitteeParams p;
        if (auto ok = All({b->Text("name", &p.name), b->Text("kind", &p.kind),
                           b->List("orgs", &p.orgs), b->Marking(&p.marking)});
            !ok) {
          return ErrorResponse(ok.error());
        }
        return Created(service::AddCommittee(*c, CallerOf(r), p));
      },
      Action::kManageCommittee);
  add_committee.request_body = RequestSchema(
      {"name", "orgs"}, {{"name", kString},
                         {"kind", {{"type", "string"}, {"enum", {"bilateral", "regional", "un"}}}},
                         {"orgs", kStrings}});
  routes.push_back(std::move(add_committee));

  Route add_meeting = Declare<service::NoParams>(
      "POST", "/api/v1/meetings", "Record a meeting of a committee",
      [c](const Request& r, const service::NoParams&) {
        auto b = Body::Parse(r.body, {"committee", "date", "place", "virtual", "agenda", "present",
                                      "minutes", "marking", "distribution"});
        if (!b) return ErrorResponse(b.error());
        service::AddMeetingParams p;
        if (auto ok = All({b->Text("committee", &p.committee), b->Text("date", &p.date),
                           b->Text("place", &p.place), b->Flag("virtual", &p.is_virtual),
                           b->List("agenda", &p.agenda), b->List("present", &p.present),
                           b->Text("minutes", &p.minutes), b->Marking(&p.marking)});
            !ok) {
          return ErrorResponse(ok.error());
        }
        return Created(service::AddMeeting(*c, CallerOf(r), p));
      },
      Action::kManageCommittee);
  add_meeting.request_body =
      RequestSchema({"committee", "date"}, {{"committee", kString},
                                            {"date", kDate},
                                            {"place", kString},
                                            {"virtual", {{"type", "boolean"}}},
                                            {"agenda", kStrings},
                                            {"present", kStrings},
                                            {"minutes", kString}});
  routes.push_back(std::move(add_meeting));

  Route add_decision = Declare<service::NoParams>(
      "POST", "/api/v1/decisions", "Record a decision of a committee",
      [c](const Request& r, const service::NoParams&) {
        auto b = Body::Parse(r.body, {"committee", "meeting", "text", "incidents", "assessments",
                                      "districts", "marking", "distribution"});
        if (!b) return ErrorResponse(b.error());
        service::AddDecisionParams p;
        if (auto ok = All({b->Text("committee", &p.committee), b->Text("meeting", &p.meeting),
                           b->Text("text", &p.text), b->List("incidents", &p.incidents),
                           b->List("assessments", &p.assessments),
                           b->List("districts", &p.districts), b->Marking(&p.marking)});
            !ok) {
          return ErrorResponse(ok.error());
        }
        return Created(service::AddDecision(*c, CallerOf(r), p));
      },
      Action::kManageCommittee);
  add_decision.request_body = RequestSchema({"committee", "text"}, {{"committee", kString},
                                                                    {"meeting", kString},
                                                                    {"text", kString},
                                                                    {"incidents", kStrings},
                                                                    {"assessments", kStrings},
                                                                    {"districts", kStrings}});
  routes.push_back(std::move(add_decision));

  routes.push_back(Declare<ActionsQuery>(
      "GET", "/api/v1/actions", "Action items the caller may read, by due date",
      [c](const Request& r, const ActionsQuery& q) {
        service::ListActionsParams p;
        p.committee = q.committee;
        p.org = q.org;
        p.overdue = q.overdue;
        p.limit = q.limit;
        auto list = service::ListActions(*c, CallerOf(r), p);
        if (!list) return ErrorResponse(list.error());
        json items = json::array();
        for (const auto& a : *list) items.push_back(service::ToJson(a));
        return JsonResponse({{"items", items}, {"count", items.size()}});
      },
      Action::kReadCommittee));

  Route add_action = Declare<service::NoParams>(
      "POST", "/api/v1/actions", "Assign an action item to a member organisation",
      [c](const Request& r, const service::NoParams&) {
        auto b =
            Body::Parse(r.body, {"committee", "decision", "title", "owner_org", "owner_account",
                                 "due", "evidence", "marking", "distribution"});
        if (!b) return ErrorResponse(b.error());
        service::AddActionParams p;
        if (auto ok = All({b->Text("committee", &p.committee), b->Text("decision", &p.decision),
                           b->Text("title", &p.title), b->Text("owner_org", &p.owner_org),
                           b->Text("owner_account", &p.owner_account), b->Text("due", &p.due),
                           b->List("evidence", &p.evidence), b->Marking(&p.marking)});
            !ok) {
          return ErrorResponse(ok.error());
        }
        return Created(service::AddAction(*c, CallerOf(r), p));
      },
      Action::kManageCommittee);
  add_action.request_body =
      RequestSchema({"committee", "title", "owner_org", "due"}, {{"committee", kString},
                                                                 {"decision", kString},
                                                                 {"title", kString},
                                                                 {"owner_org", kString},
                                                                 {"owner_account", kString},
                                                                 {"due", kDate},
                                                                 {"evidence", kStrings}});
  routes.push_back(std::move(add_action));

  routes.push_back(Declare<IdParams>(
      "GET", "/api/v1/actions/{id}",
      "One action with its progress notes, oldest first (each {id, at, author, org, text, "
      "status}; a note a partner sent has no author)",
      [c](const Request& r, const IdParams& p) {
        auto shown = service::ShowAction(*c, CallerOf(r), p.id);
        if (!shown) return ErrorResponse(shown.error());
        return JsonResponse(*shown);
      },
      Action::kReadCommittee));

  Route update_action = Declare<IdParams>(
      "POST", "/api/v1/actions/{id}",
      "Move an action's status (compare-and-set on \"from\") and/or add a progress note",
      [c](const Request& r, const IdParams& id) {
        auto b = Body::Parse(r.body, {"from", "to", "note"});
        if (!b) return ErrorResponse(b.error());
        service::UpdateActionParams p;
        p.id = id.id;
        if (auto ok =
                All({b->Text("from", &p.from), b->Text("to", &p.to), b->Text("note", &p.note)});
            !ok) {
          return ErrorResponse(ok.error());
        }
        auto a = service::UpdateAction(*c, CallerOf(r), p);
        if (!a) return ErrorResponse(a.error());
        return JsonResponse(service::ToJson(*a));
      },
      Action::kManageCommittee);
  const json status = {{"type", "string"}, {"enum", {"open", "in_progress", "done", "dropped"}}};
  update_action.request_body = {
      {"type", "object"},
      {"additionalProperties", false},
      {"properties", {{"from", status}, {"to", status}, {"note", kString}}}};
  routes.push_back(std::move(update_action));
  AddNoticeRoutes(routes, c);
  AddPerceptionRoute(routes, c);
  AddExerciseRoutes(routes, c);
  AddJudicialRoutes(routes, c);

  // A share: {"to"} in, the signed bundle out, made by `make(caller, id, to, key)`.
  const auto share = [&routes, signing_key](const char* path, const char* summary, auto make) {
    Route route = Declare<IdParams>(
        "POST", path, summary,
        [signing_key, make](const Request& r, const IdParams& id) {
          if (signing_key == nullptr) {
            return ErrorResponse(
                Error{ErrorCode::kUnavailable, "this server has no signing key to share with"});
          }
          auto b = Body::Parse(r.body, {"to"});
          if (!b) return ErrorResponse(b.error());
          std::string to;
          if (auto ok = b->Text("to", &to); !ok) return ErrorResponse(ok.error());
          Result<service::SharedCommittee> shared = make(CallerOf(r), id.id, to, *signing_key);
          if (!shared) return ErrorResponse(shared.error());
          return JsonResponse({{"objects", shared->objects},
                               {"withheld", shared->withheld},
                               {"bundle", std::move(shared->bundle)}});
        },
        Action::kExport);
    route.request_body = RequestSchema({"to"}, {{"to", kString}});
    routes.push_back(std::move(route));
  };
  share("/api/v1/committees/{id}/share",
        "A signed STIX 2.1 bundle of the committee's objects for another member organisation "
        "(\"to\"), as the egress rule lets them go: {\"objects\", \"withheld\", \"bundle\"}",
        [c](const service::Caller& caller, const std::string& id, const std::string& to,
            const stix::SigningKey& key) {
          return service::ShareCommittee(*c, caller, {id, to}, key);
        });
  share("/api/v1/judicial/{id}/share",
        "A signed STIX 2.1 bundle of this organisation's part of the request (its fields and "
        "this side's moves) for the other party (\"to\"): {\"objects\", \"withheld\", "
        "\"bundle\"}",
        [c](const service::Caller& caller, const std::string& id, const std::string& to,
            const stix::SigningKey& key) {
          return service::ShareJudicialRequest(*c, caller, {id, to}, key);
        });
}

}  // namespace corridor::api
