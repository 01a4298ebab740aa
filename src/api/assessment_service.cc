// /api/v1/assessments (issue 6): analysts' reports, marked and distributed
// like incidents, read under the same visibility rule, every marked read and
// every write audited.
#include <set>

#include "api/risk_service.h"
#include "corridor/api/assessments.h"
#include "corridor/api/route.h"
#include "corridor/common/date.h"
#include "corridor/model/json.h"

namespace corridor::api {
namespace {

using nlohmann::json;

Response AuditUnavailable(const Error& e) {
  return ErrorResponse({ErrorCode::kUnavailable, "the audit log cannot be written: " + e.message});
}

Result<void> AuditMarked(auth::AuditLog& audit, const Request& request,
                         const std::vector<model::Assessment>& shown) {
  std::vector<std::string> ids;
  for (const auto& a : shown) {
    if (model::Strictness(a.marking.tlp) >= model::Strictness(model::Tlp::kAmber)) {
      ids.push_back(a.id.str());
    }
  }
  if (ids.empty()) return {};
  const json detail = {{"route", request.path}};
  auto r = audit.Record(request.actor, "read", std::move(ids), detail.dump());
  if (!r) return Fail(r.error());
  return {};
}

struct ListAssessmentsParams {
  int limit = 100;
  static const service::ParamSchema<ListAssessmentsParams>& Schema() {
    static const auto kSchema = service::ParamSchema<ListAssessmentsParams>()
                                    .Integer("limit", &ListAssessmentsParams::limit,
                                             "At most this many, newest first", 1, 1000)
                                    .Default(100);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

struct AssessmentIdParams {
  Uuid id;
  static const service::ParamSchema<AssessmentIdParams>& Schema() {
    static const auto kSchema = service::ParamSchema<AssessmentIdParams>()
                                    .Id("id", &AssessmentIdParams::id, "The assessment's id")
                                    .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

Response ListAssessments(store::Store& store, auth::AuditLog& audit, const Request& request,
                         const ListAssessmentsParams& p) {
  auto list = store.ListAssessments(request.viewer, p.limit, /*include_revoked=*/false);
  if (!list) return ErrorResponse(list.error());
  if (auto ok = AuditMarked(audit, request, *list); !ok) return AuditUnavailable(ok.error());
  json items = json::array();
  for (const auto& a : *list) items.push_back(model::ToJson(a));
  return JsonResponse({{"items", items}, {"count", items.size()}});
}

Response GetAssessment(store::Store& store, auth::AuditLog& audit, const Request& request,
                       const AssessmentIdParams& p) {
  auto a = store.GetAssessment(request.viewer, p.id);
  if (!a) return ErrorResponse(a.error());  // invisible answers exactly as missing
  if (auto ok = AuditMarked(audit, request, {*a}); !ok) return AuditUnavailable(ok.error());
  return JsonResponse(model::ToJson(*a));
}

Response CreateAssessment(store::Store& store, auth::AuditLog& audit, const Request& request) {
  auto body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) {
    return ErrorResponse(
        {ErrorCode::kInvalidArgument, "/: the request body must be a JSON object"});
  }
  auto a = NewAssessment(store, body, request.principal, request.viewer, NowTimestamp());
  if (!a) return ErrorResponse(a.error());
  // Audited before it is written: a write the log cannot record does not happen.
  const json detail = {{"kind", "assessment"}, {"marking", model::TlpName(a->marking.tlp)}};
  if (auto r = audit.Record(request.actor, "write", {a->id.str()}, detail.dump()); !r) {
    return AuditUnavailable(r.error());
  }
  if (auto ok = store.PutAssessment(*a); !ok) return ErrorResponse(ok.error());
  return JsonResponse(model::ToJson(*a), 201);
}

Result<void> ReadIds(const json& body, const char* key, std::vector<Uuid>& out) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null()) return {};
  if (!it->is_array()) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string("/") + key + ": expected an array of UUIDs");
  }
  std::set<Uuid> seen;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& v = (*it)[i];
    const auto id = v.is_string() ? Uuid::Parse(v.get<std::string>()) : std::nullopt;
    const std::string at = std::string("/") + key + "/" + std::to_string(i);
    if (!id) return Fail(ErrorCode::kInvalidArgument, at + ": not a UUID");
    if (!seen.insert(*id).second) return Fail(ErrorCode::kInvalidArgument, at + ": listed twice");
    out.push_back(*id);
  }
  return {};
}

}  // namespace

Result<model::Assessment> NewAssessment(const store::Store& store, const json& body,
                                        const auth::Principal& author, const store::Viewer& viewer,
                                        const std::string& now) {
  if (!body.is_object()) return Fail(ErrorCode::kInvalidArgument, "/: expected a JSON object");
  for (const char* key :
       {"id", "created", "modified", "version", "revoked", "author", "author_org"}) {
    if (body.contains(key)) {
      return Fail(ErrorCode::kInvalidArgument,
                  std::string("/") + key + ": set by the server, not by the author");
    }
  }
  for (auto it = body.begin(); it != body.end(); ++it) {
    static const std::set<std::string> kKnown = {"title", "body",    "incidents",   "areas",
                                                 "sites", "marking", "distribution"};
    if (!kKnown.count(it.key())) {
      return Fail(ErrorCode::kInvalidArgument, "/" + it.key() + ": unknown field");
    }
  }
  model::Assessment a;
  const auto title = body.find("title");
  if (title == body.end() || !title->is_string() || title->get<std::string>().empty()) {
    return Fail(ErrorCode::kInvalidArgument, "/title: required, a non-empty string");
  }
  a.title = title->get<std::string>();
  if (const auto text = body.find("body"); text != body.end() && !text->is_null()) {
    if (!text->is_string())
      return Fail(ErrorCode::kInvalidArgument, "/body: expected a string (Markdown)");
    a.body = text->get<std::string>();
  }
  if (auto ok = ReadIds(body, "incidents", a.incidents); !ok) return Fail(ok.error());
  if (auto ok = ReadIds(body, "sites", a.sites); !ok) return Fail(ok.error());
  if (const auto areas = body.find("areas"); areas != body.end() && !areas->is_null()) {
    if (!areas->is_array()) {
      return Fail(ErrorCode::kInvalidArgument, "/areas: expected an array of P-codes");
    }
    for (std::size_t i = 0; i < areas->size(); ++i) {
      const std::string at = "/areas/" + std::to_string(i);
      if (!(*areas)[i].is_string())
        return Fail(ErrorCode::kInvalidArgument, at + ": expected a P-code");
      const std::string pcode = (*areas)[i].get<std::string>();
      if (auto area = store.GetArea(pcode); !area) {
        if (area.error().code != ErrorCode::kNotFound) return Fail(area.error());
        return Fail(ErrorCode::kInvalidArgument, at + ": no area '" + pcode + "'");
      }
      a.areas.push_back(pcode);
    }
  }
  for (std::size_t i = 0; i < a.incidents.size(); ++i) {
    if (auto inc = store.GetIncident(viewer, a.incidents[i]); !inc) {
      if (inc.error().code != ErrorCode::kNotFound) return Fail(inc.error());
      return Fail(ErrorCode::kInvalidArgument,
                  "/incidents/" + std::to_string(i) + ": no incident " + a.incidents[i].str());
    }
  }
  for (std::size_t i = 0; i < a.sites.size(); ++i) {
    if (auto site = store.GetSite(a.sites[i]); !site) {
      if (site.error().code != ErrorCode::kNotFound) return Fail(site.error());
      return Fail(ErrorCode::kInvalidArgument,
                  "/sites/" + std::to_string(i) + ": no site " + a.sites[i].str());
    }
  }
  a.marking.tlp = model::Tlp::kAmber;
  a.marking.author = author.username;
  a.marking.author_org = author.org;
  if (const auto m = body.find("marking"); m != body.end()) {
    const auto tlp = m->is_string() ? model::ParseTlp(m->get<std::string>()) : std::nullopt;
    if (!tlp) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "/marking: expected TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED");
    }
    a.marking.tlp = *tlp;
  }
  if (const auto d = body.find("distribution"); d != body.end() && !d->is_null()) {
    auto distribution = model::DistributionFromJson(*d, "/distribution");
    if (!distribution) return Fail(distribution.error());
    a.marking.distribution = std::move(*distribution);
  }
  if (auto ok = auth::ValidateMarking(a.marking); !ok) return Fail(ok.error());
  if (auto d = auth::Decide(author, auth::Action::kCreateIncident, &a.marking); !d) {
    return Fail(ErrorCode::kPermissionDenied, "not allowed: " + d.reason);
  }
  a.id = Uuid::V4();
  a.created = now;
  a.modified = now;
  a.version = 1;
  return a;
}

void AddAssessmentRoutes(std::vector<Route>& routes, store::Store& store, auth::AuditLog& audit) {
  store::Store* s = &store;
  auth::AuditLog* log = &audit;
  routes.push_back(Declare<ListAssessmentsParams>(
      "GET", "/api/v1/assessments", "Assessments the user may see, newest first",
      [s, log](const Request& r, const ListAssessmentsParams& p) {
        return ListAssessments(*s, *log, r, p);
      }));
  routes.push_back(
      Declare<AssessmentIdParams>("GET", "/api/v1/assessments/{id}", "One assessment by id",
                                  [s, log](const Request& r, const AssessmentIdParams& p) {
                                    return GetAssessment(*s, *log, r, p);
                                  }));
  routes.push_back({"POST",
                    "/api/v1/assessments",
                    "/api/v1/assessments",
                    {},
                    "Write an assessment (analysts): title required, body in Markdown, "
                    "referenced incidents, areas and sites; marking defaults to TLP:AMBER",
                    [s, log](const Request& r) { return CreateAssessment(*s, *log, r); },
                    std::nullopt});
}

}  // namespace corridor::api
