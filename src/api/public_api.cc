#include "corridor/api/public_api.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <tuple>
#include <utility>

#include "api/public_common.h"
#include "api/public_consultation_routes.h"
#include "api/public_grievance_routes.h"
#include "api/public_meeting_routes.h"
#include "api/public_portal.h"
#include "api/public_result_routes.h"
#include "api/public_staff_routes.h"
#include "corridor/api/route.h"
#include "corridor/common/date.h"
#include "corridor/public_side/accounts.h"
#include "corridor/public_side/attachments.h"
#include "corridor/public_side/disclosure.h"
#include "corridor/public_side/grouping.h"
#include "corridor/public_side/service.h"
#include "corridor/service/schema.h"
#include "corridor/store/public_store.h"

namespace corridor::api {
namespace {

using nlohmann::json;
using public_http::BearerCaller;
using public_http::Cached;
using public_http::Html;
using public_http::Private;
using public_http::StringMembers;
using public_http::Unauthenticated;

// The project list's filters, from a query string (the JSON API and the
// portal's list page parse the same parameters).
struct ProjectListParams {
  std::string district, sector, status, financier;
  int limit = 100;
  int offset = 0;
  static const service::ParamSchema<ProjectListParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<ProjectListParams>()
            .Text("district", &ProjectListParams::district,
                  "District P-code (OCHA 2022), e.g. PK204", 16)
            .Text("sector", &ProjectListParams::sector, "Sector, e.g. Energy", 64)
            .Enum("status", &ProjectListParams::status, "Project status",
                  {"", "pipeline", "implementation", "completion", "cancelled"})
            .Text("financier", &ProjectListParams::financier, "A funding agency's exact name", 200)
            .Integer("limit", &ProjectListParams::limit, "Projects per page", 1, 1000)
            .Integer("offset", &ProjectListParams::offset, "Projects to skip", 0, 1'000'000);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
  store::ProjectFilter Filter() const {
    store::ProjectFilter f;
    f.district = district;
    f.sector = sector;
    f.status = status;
    f.financier = financier;
    f.limit = limit;
    f.offset = offset;
    return f;
  }
};

struct ProjectIdParams {
  Uuid id;
  static const service::ParamSchema<ProjectIdParams>& Schema() {
    static const auto kSchema = service::ParamSchema<ProjectIdParams>()
                                    .Id("id", &ProjectIdParams::id, "The project's id (UUIDv5)")
                                    .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return {}; }
};

json ProjectJson(const model::Project& original) {
  const auto v = public_side::PublicView(original);
  const auto& p = v.project;
  json o = {{"id", p.id},
            {"name", p.name},
            {"sector", p.sector},
            {"status", model::ProjectStatusName(p.status)},
            {"aiddata_ids", p.aiddata_ids}};
  if (v.has_district) {
    o["district"] = {{"pcode", p.district_pcode}, {"name", p.district_name}};
    o["province"] = p.province_name;
  }
  if (v.has_point) {
    o["point"] = {{"lat", p.lat}, {"lon", p.lon}};
    o["footprint"] = json::parse(p.footprint);
  }
  json dates = json::object();
  for (const auto& [k, d] : std::vector<std::pair<const char*, std::string>>{
           {"planned_start", p.planned_start},
           {"actual_start", p.actual_start},
           {"planned_completion", p.planned_completion},
           {"actual_completion", p.actual_completion}}) {
    if (!d.empty()) dates[k] = d;
  }
  if (!dates.empty()) o["dates"] = dates;
  if (!p.financing.empty()) {
    json fin = json::array();
    for (const auto& f : p.financing) {
      json item = {{"aiddata_id", f.aiddata_id}, {"title", f.title},
                   {"financiers", f.financiers}, {"instrument", f.instrument},
                   {"flow_class", f.flow_class}, {"commitment_year", f.commitment_year}};
      if (f.amount) item["amount"] = {{"value", *f.amount}, {"currency", f.currency}};
      fin.push_back(std::move(item));
    }
    o["financing"] = fin;
    o["total_amount"] = {{"value", p.TotalAmount()}, {"currency", "USD"}};
  }
  if (!p.parties.empty()) {
    json parties = json::array();
    for (const auto& party : p.parties) {
      parties.push_back({{"id", party.id}, {"name", party.name}, {"roles", party.roles}});
    }
    o["parties"] = parties;
  }
  if (!v.notices.empty()) {
    json notices = json::array();
    for (const auto& n : v.notices) {
      notices.push_back({{"field", n.field}, {"state", n.state}, {"reason", n.reason}});
    }
    o["disclosure"] = notices;
  }
  return o;
}

json BuildPublicOpenApi(const std::vector<Route>& routes) {
  json paths = json::object();
  for (const auto& r : routes) {
    if (r.path.rfind("/public/api/", 0) != 0) continue;
    std::string type = "application/json";
    if (r.path.ends_with(".xml")) type = "application/xml";
    json op = {
        {"summary", r.summary},
        {"security", json::array()},
        {"responses",
         {{"200",
           {{"description", "OK"},
            {"content",
             {{type,
               {{"schema", {{"type", type == "application/json" ? "object" : "string"}}}}}}}}},
          {"400", {{"description", "A parameter is invalid; the message names it"}}}}}};
    if (r.parameters.is_array() && !r.parameters.empty()) op["parameters"] = r.parameters;
    if (!r.path_param_names.empty()) op["responses"]["404"] = {{"description", "No such object"}};
    if (r.own_authentication) {
      op["security"] = json::array({{{"bearer", json::array()}}});
      op["responses"]["401"] = {{"description", "No valid token (WWW-Authenticate: Bearer)"}};
      op["responses"]["403"] = {
          {"description", "The account lacks the role; the message names it"}};
      op["responses"]["409"] = {
          {"description", "The object changed or was decided meanwhile; nothing was applied"}};
    }
    if (!r.request_body.is_null()) {
      // A body of another media type than JSON (an upload) gives its content map as "x-content".
      op["requestBody"] = {
          {"required", true},
          {"content", r.request_body.contains("x-content")
                          ? r.request_body["x-content"]
                          : json{{"application/json", {{"schema", r.request_body}}}}}};
    }
    if (r.method == "POST" && r.path_param_names.empty()) {  // a creation
      op["responses"]["201"] = op["responses"]["200"];
      op["responses"]["201"]["description"] = "Created";
      op["responses"].erase("200");
      op["responses"]["404"] = {{"description", "No such object named in the body"}};
    }
    std::string method = r.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[r.path][method] = op;
  }
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "Corridor public API"},
            {"version", "1"},
            {"description",
             "Corridor project disclosures (open, cacheable; withheld fields are absent and a "
             "project's `disclosure` lists them with their public reasons), grievance redress "
             "(a resident files, then follows the case with its receipt code and the header "
             "X-Passphrase alone; officers act with a bearer token) and grievance statistics. "
             "Answers that carry a receipt, passphrase or case are never cached."}}},
          {"paths", paths},
          {"components",
           {{"securitySchemes",
             {{"bearer",
               {{"type", "http"},
                {"scheme", "bearer"},
                {"description",
                 "A public account's API token (corridor public users token NAME)"}}}}}}}};
}

json RequestJson(const store::DisclosureRequest& q) {
  return {{"id", q.id},
          {"project", q.project_id},
          {"field", q.to.field},
          {"from", model::DisclosureName(q.from.state)},
          {"to", model::DisclosureName(q.to.state)},
          {"reason", q.to.reason},
          {"requested_by", q.requested_by},
          {"requested_at", q.requested_at},
          {"state", q.state},
          {"decided_by", q.decided_by},
          {"decided_at", q.decided_at}};
}

struct RequestListParams {
  std::string state;
  int limit = 100, offset = 0;
  static const service::ParamSchema<RequestListParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<RequestListParams>()
            .Enum("state", &RequestListParams::state, "Only requests in this state",
                  {"pending", "approved", "rejected"})
            .Integer("limit", &RequestListParams::limit, "Requests per page", 1, 1000)
            .Integer("offset", &RequestListParams::offset, "Requests to skip", 0, 1'000'000);
    return kSchema;
  }
  Result<void> Validate() const { return {}; }
};

struct RequestIdParams {
  Uuid id;
  static const service::ParamSchema<RequestIdParams>& Schema() {
    static const auto kSchema = service::ParamSchema<RequestIdParams>()
                                    .Id("id", &RequestIdParams::id, "The request's id (UUIDv4)")
                                    .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return {}; }
};

}  // namespace

std::string PickLanguage(const std::string& accept_language) {
  std::string best = "en";
  double best_q = -1;
  std::size_t pos = 0;
  while (pos <= accept_language.size()) {
    std::size_t end = accept_language.find(',', pos);
    if (end == std::string::npos) end = accept_language.size();
    std::string item = accept_language.substr(pos, end - pos);
    pos = end + 1;
    double q = 1;
    if (auto semi = item.find(';'); semi != std::string::npos) {
      auto qpos = item.find("q=", semi);
      if (qpos != std::string::npos) q = std::atof(item.c_str() + qpos + 2);
      item = item.substr(0, semi);
    }
    item.erase(std::remove_if(item.begin(), item.end(), ::isspace), item.end());
    std::string primary = item.substr(0, item.find('-'));
    for (auto& c : primary) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if ((primary == "ur" || primary == "en" || primary == "zh") && q > best_q) {
      best = primary;
      best_q = q;
    }
    if (end == accept_language.size()) break;
  }
  return best;
}

struct PublicApi::Impl {
  store::Database& db;
  public_side::Publication publication;
  std::unique_ptr<store::ProjectStore> projects = store::NewProjectStore();
  std::vector<Route> routes;
  std::unique_ptr<store::AreaStore> areas = store::NewAreaStore();

  Result<std::vector<model::Project>> All() { return public_side::AllProjects(db); }
  public_side::Publication Now() const {
    auto pub = publication;
    if (pub.published.empty()) pub.published = NowTimestamp().substr(0, 19) + "Z";
    if (pub.today.empty()) pub.today = NowTimestamp().substr(0, 10);
    return pub;
  }
};

// Staff routes: the caller is the account of the bearer token; the use case
// (public_side/service.h) checks its role inside the writing transaction.
void PublicApi::AddStaffRoutes(Impl& m, public_side::PublicAuditLog& audit) {
  // Every staff answer is private, and the token is checked before the
  // parameters (an unauthenticated caller learns nothing from a 400).
  auto staff = [&m](Route r) {
    r.own_authentication = true;
    r.action = std::nullopt;
    r.handler = [&m, inner = std::move(r.handler)](const Request& request) {
      if (auto caller = BearerCaller(m.db, request); !caller) {
        return Unauthenticated(caller.error());
      }
      return Private(inner(request));
    };
    return r;
  };
  m.routes.push_back(staff(Declare<RequestListParams>(
      "GET", "/public/api/v1/disclosure-requests",
      "Disclosure requests, oldest first, a page at a time (a disclosure-editor's token)",
      [&m](const Request& request, const RequestListParams& p) {
        auto caller = BearerCaller(m.db, request);
        if (!caller) return Unauthenticated(caller.error());
        auto list = store::InReadTransaction(
            m.db, [&](store::Transaction& tx) -> Result<std::vector<store::DisclosureRequest>> {
              auto editor =
                  public_side::RequireRole(tx, caller->actor, model::PublicRole::kDisclosureEditor);
              if (!editor) return Fail(editor.error());
              return store::NewDisclosureRequestStore()->List(tx, p.state, p.limit, p.offset);
            });
        if (!list) return ErrorResponse(list.error());
        json items = json::array();
        for (const auto& q : *list) items.push_back(RequestJson(q));
        return JsonResponse(json{{"requests", items}, {"limit", p.limit}, {"offset", p.offset}});
      },
      std::nullopt)));

  Route create = staff(Declare<service::NoParams>(
      "POST", "/public/api/v1/disclosure-requests",
      "Propose a disclosure change; another editor decides it (a disclosure-editor's token)",
      [&m, &audit](const Request& request, const service::NoParams&) {
        auto caller = BearerCaller(m.db, request);
        if (!caller) return Unauthenticated(caller.error());
        auto body = StringMembers(request.body, {"project", "field", "state"}, {"reason"}, 1000);
        if (!body) return ErrorResponse(body.error());
        auto& b = *body;
        auto state = model::ParseDisclosure(b["state"]);
        if (!state) {
          return ErrorResponse(
              {ErrorCode::kInvalidArgument, "/state: expected published, withheld or coarsened"});
        }
        auto r = public_side::RequestDisclosure(m.db, audit, caller->actor, b["project"],
                                                {b["field"], *state, b["reason"]});
        if (!r) return ErrorResponse(r.error());
        Response out = JsonResponse(RequestJson(*r));
        out.status = 201;
        return out;
      },
      std::nullopt));
  create.request_body = {
      {"type", "object"},
      {"required", {"project", "field", "state"}},
      {"additionalProperties", false},
      {"properties",
       {{"project", {{"type", "string"}, {"description", "The project's id"}}},
        {"field",
         {{"type", "string"},
          {"enum", std::vector<std::string>(std::begin(model::kDisclosableFields),
                                            std::end(model::kDisclosableFields))}}},
        {"state", {{"type", "string"}, {"enum", {"published", "withheld", "coarsened"}}}},
        {"reason",
         {{"type", "string"},
          {"maxLength", 1000},
          {"description", "Shown to the public; required unless published"}}}}}};
  m.routes.push_back(std::move(create));

  for (const bool approve : {true, false}) {
    m.routes.push_back(staff(Declare<RequestIdParams>(
        "POST",
        std::string("/public/api/v1/disclosure-requests/{id}/") + (approve ? "approve" : "reject"),
        approve ? "Approve (apply) another editor's request (a disclosure-editor's token)"
                : "Reject another editor's request (a disclosure-editor's token)",
        [&m, &audit, approve](const Request& request, const RequestIdParams& p) {
          auto caller = BearerCaller(m.db, request);
          if (!caller) return Unauthenticated(caller.error());
          auto r = public_side::DecideDisclosure(m.db, audit, caller->actor, p.id.str(), approve);
          if (!r) return ErrorResponse(r.error());
          return JsonResponse(
              json{{"id", p.id.str()}, {"state", approve ? "approved" : "rejected"}});
        },
        std::nullopt)));
  }
}

namespace {

// The body of a split or merge: {"<list>": [...], "reason": "..."} and nothing
// else; errors name the JSON pointer. Returns the reason.
Result<std::string> RegroupBody(const json& doc, const std::string& list) {
  if (!doc.is_object()) return Fail(ErrorCode::kInvalidArgument, "body: expected a JSON object");
  for (const auto& [key, value] : doc.items()) {
    if (key != list && key != "reason") {
      return Fail(ErrorCode::kInvalidArgument,
                  key.size() > 64 ? std::string("a member named with over 64 bytes is unknown")
                                  : "/" + key + ": unknown member");
    }
  }
  if (!doc.contains(list) || !doc[list].is_array()) {
    return Fail(ErrorCode::kInvalidArgument, "/" + list + ": expected an array");
  }
  if (!doc.contains("reason") || !doc["reason"].is_string()) {
    return Fail(ErrorCode::kInvalidArgument, "/reason: expected a string");
  }
  return doc["reason"].get<std::string>();
}

}  // namespace

void PublicApi::AddGroupingRoutes(Impl& m, public_side::PublicAuditLog& audit) {
  Route merge = public_http::StaffRoute(
      m.db, Declare<service::NoParams>(
                "POST", "/public/api/v1/projects/merge",
                "Merge two or more projects into one; kept and applied again at every import "
                "(a disclosure-editor's token)",
                [&m, &audit](const Request& request, const service::NoParams&) {
                  auto caller = BearerCaller(m.db, request);
                  if (!caller) return Unauthenticated(caller.error());
                  const json doc = json::parse(request.body, nullptr, false);
                  auto reason = RegroupBody(doc, "projects");
                  if (!reason) return ErrorResponse(reason.error());
                  std::vector<std::string> ids;
                  if (auto ok = public_http::StringArray(doc["projects"], "projects", ids); !ok) {
                    return ErrorResponse(ok.error());
                  }
                  auto s = public_side::MergeProjects(m.db, audit, caller->actor, ids, *reason);
                  if (!s) return ErrorResponse(s.error());
                  return JsonResponse(public_side::RegroupJson(*s));
                },
                std::nullopt));
  merge.request_body = public_http::ObjectSchema(
      {"projects", "reason"},
      {{"projects",
        {{"type", "array"},
         {"minItems", 2},
         {"maxItems", 100},
         {"items", {{"type", "string"}, {"description", "A project's id"}}}}},
       {"reason", {{"type", "string"}, {"minLength", 1}, {"maxLength", 500}}}});
  m.routes.push_back(std::move(merge));

  Route split = public_http::StaffRoute(
      m.db,
      Declare<ProjectIdParams>(
          "POST", "/public/api/v1/projects/{id}/split",
          "Take AidData rows out of a project as a project of their own; kept and applied again "
          "at every import (a disclosure-editor's token)",
          [&m, &audit](const Request& request, const ProjectIdParams& p) {
            auto caller = BearerCaller(m.db, request);
            if (!caller) return Unauthenticated(caller.error());
            const json doc = json::parse(request.body, nullptr, false);
            auto reason = RegroupBody(doc, "rows");
            if (!reason) return ErrorResponse(reason.error());
            const json& rows = doc["rows"];
            if (rows.size() > 1000) {
              return ErrorResponse({ErrorCode::kInvalidArgument, "/rows: at most 1000"});
            }
            std::vector<std::int64_t> ids;
            for (std::size_t i = 0; i < rows.size(); ++i) {
              if (!rows[i].is_number_integer()) {
                return ErrorResponse({ErrorCode::kInvalidArgument,
                                      "/rows/" + std::to_string(i) + ": expected an AidData id"});
              }
              ids.push_back(rows[i].get<std::int64_t>());
            }
            auto s =
                public_side::SplitProject(m.db, audit, caller->actor, p.id.str(), ids, *reason);
            if (!s) return ErrorResponse(s.error());
            return JsonResponse(public_side::RegroupJson(*s));
          },
          std::nullopt));
  split.request_body = public_http::ObjectSchema(
      {"rows", "reason"},
      {{"rows",
        {{"type", "array"},
         {"minItems", 1},
         {"maxItems", 1000},
         {"items", {{"type", "integer"}, {"description", "An AidData id of the project's rows"}}}}},
       {"reason", {{"type", "string"}, {"minLength", 1}, {"maxLength", 500}}}});
  m.routes.push_back(std::move(split));
}

PublicApi::PublicApi(store::Database& db, public_side::Publication publication,
                     public_side::PublicAuditLog* audit, public_side::ClientLimits limits)
    : impl_(
          std::make_unique<Impl>(Impl{db, std::move(publication), store::NewProjectStore(), {}})) {
  Impl& m = *impl_;
  auto& routes = m.routes;
  const auto open = public_http::OpenRoute;

  routes.push_back(open(Declare<ProjectListParams>(
      "GET", "/public/api/v1/projects", "Projects, filtered by district, sector, status, financier",
      [&m](const Request&, const ProjectListParams& p) {
        auto page = store::InReadTransaction(m.db, [&](store::Transaction& tx) -> Result<json> {
          auto list = m.projects->List(tx, p.Filter());
          if (!list) return Fail(list.error());
          auto total = m.projects->Count(tx, p.Filter());
          if (!total) return Fail(total.error());
          json items = json::array();
          for (const auto& project : *list) items.push_back(ProjectJson(project));
          return json{
              {"projects", items}, {"total", *total}, {"limit", p.limit}, {"offset", p.offset}};
        });
        if (!page) return ErrorResponse(page.error());
        return Cached(JsonResponse(*page));
      },
      std::nullopt)));

  routes.push_back(open(Declare<service::NoParams>(
      "GET", "/public/api/v1/projects.oc4ids.json", "All projects as an OC4IDS 0.9 project package",
      [&m](const Request&, const service::NoParams&) {
        auto all = m.All();
        if (!all) return ErrorResponse(all.error());
        return Cached(JsonResponse(public_side::ExportOc4ids(*all, m.Now())));
      },
      std::nullopt)));

  routes.push_back(open(Declare<service::NoParams>(
      "GET", "/public/api/v1/activities.iati.xml", "All projects as IATI 2.03 activities",
      [&m](const Request&, const service::NoParams&) {
        auto all = m.All();
        if (!all) return ErrorResponse(all.error());
        Response r;
        r.content_type = "application/xml; charset=utf-8";
        r.body = public_side::ExportIati(*all, m.Now()).xml;
        return Cached(std::move(r));
      },
      std::nullopt)));

  routes.push_back(open(Declare<ProjectIdParams>(
      "GET", "/public/api/v1/projects/{id}", "One project",
      [&m](const Request&, const ProjectIdParams& p) {
        auto got = store::InReadTransaction(
            m.db, [&](store::Transaction& tx) { return m.projects->Get(tx, p.id.str()); });
        if (!got) return ErrorResponse(got.error());
        if (!*got) return ErrorResponse({ErrorCode::kNotFound, "no project " + p.id.str()});
        return Cached(JsonResponse(ProjectJson(**got)));
      },
      std::nullopt)));

  if (audit != nullptr) {
    AddStaffRoutes(m, *audit);
    AddGroupingRoutes(m, *audit);
  }
  // One allowance of each kind for all the residents' routes.
  const ResidentLimits resident_limits(std::move(limits));
  AddGrievanceRoutes(routes, db, audit, resident_limits);
  AddConsultationRoutes(routes, db, audit, resident_limits);
  AddMeetingRoutes(routes, db, audit, m.publication.base_uri);
  AddResultRoutes(routes, db, audit);
  AddStaffPortalRoutes(routes, db, audit, resident_limits);

  routes.push_back(open(Declare<service::NoParams>(
      "GET", "/public/api/v1/openapi.json", "This document",
      [&m](const Request&, const service::NoParams&) {
        return Cached(JsonResponse(BuildPublicOpenApi(m.routes)));
      },
      std::nullopt)));

  {
    Route css;
    css.method = "GET";
    css.path = "/public/static/portal.css";
    css.regex = PathRegex(css.path, nullptr);
    css.summary = "The portal's stylesheet";
    css.handler = [](const Request&) {
      Response r;
      r.content_type = "text/css; charset=utf-8";
      r.body = std::string(portal::Stylesheet());
      return Cached(std::move(r));
    };
    routes.push_back(open(std::move(css)));
  }

  // The portal: /{lang}/... for ur, en, zh; a path without a language
  // redirects by Accept-Language.
  for (const std::string lang : {"ur", "en", "zh"}) {
    routes.push_back(open(Declare<service::NoParams>(
        "GET", "/" + lang + "/", "Portal home (" + lang + ")",
        [&m, lang](const Request&, const service::NoParams&) {
          auto data = store::InReadTransaction(
              m.db,
              [&](store::Transaction& tx) -> Result<std::tuple<store::ProjectFacets, std::int64_t,
                                                               std::vector<model::AreaOutline>>> {
                auto f = m.projects->Facets(tx);
                if (!f) return Fail(f.error());
                auto n = m.projects->Count(tx, {});
                if (!n) return Fail(n.error());
                auto districts = m.areas->List(tx, 2);
                if (!districts) return Fail(districts.error());
                return std::make_tuple(std::move(*f), *n, std::move(*districts));
              });
          if (!data) return ErrorResponse(data.error());
          const auto& [facets, total, districts] = *data;
          return Html(portal::Home(lang, facets, total, districts));
        },
        std::nullopt)));
    routes.push_back(open(Declare<ProjectListParams>(
        "GET", "/" + lang + "/projects", "Portal project list (" + lang + ")",
        [&m, lang](const Request& request, const ProjectListParams& p) {
          auto page = store::InReadTransaction(
              m.db, [&](store::Transaction& tx) -> Result<portal::ListPage> {
                portal::ListPage out;
                out.filter = p.Filter();
                auto list = m.projects->List(tx, out.filter);
                if (!list) return Fail(list.error());
                for (const auto& project : *list) {
                  out.projects.push_back(public_side::PublicView(project).project);
                }
                auto n = m.projects->Count(tx, out.filter);
                if (!n) return Fail(n.error());
                out.total = *n;
                auto f = m.projects->Facets(tx);
                if (!f) return Fail(f.error());
                out.facets = std::move(*f);
                return out;
              });
          if (!page) return ErrorResponse(page.error());
          std::string query;
          for (const auto& [k, v] : request.query) {
            if (v.empty()) continue;
            query += (query.empty() ? "" : "&") + k + "=" + v;
          }
          return Html(portal::ProjectList(lang, *page, query));
        },
        std::nullopt)));
    routes.push_back(open(Declare<ProjectIdParams>(
        "GET", "/" + lang + "/projects/{id}", "Portal project page (" + lang + ")",
        [&m, lang](const Request&, const ProjectIdParams& p) {
          auto got = store::InReadTransaction(
              m.db, [&](store::Transaction& tx) { return m.projects->Get(tx, p.id.str()); });
          if (!got) return ErrorResponse(got.error());
          if (!*got) return Html(portal::NotFound(lang), 404);
          return Html(portal::ProjectPage(lang, **got));
        },
        std::nullopt)));
    routes.push_back(open(Declare<service::NoParams>(
        "GET", "/" + lang + "/about", "Portal: data and licences (" + lang + ")",
        [lang](const Request&, const service::NoParams&) { return Html(portal::About(lang)); },
        std::nullopt)));
  }
  // Portal pages answer errors (a bad filter, a malformed id) as pages in
  // their language, not as the API's JSON.
  for (auto& r : routes) {
    for (const std::string lang : {"ur", "en", "zh"}) {
      if (r.path.rfind("/" + lang + "/", 0) != 0) continue;
      r.handler = [inner = std::move(r.handler), lang](const Request& request) {
        Response out = inner(request);
        if (out.status < 400 || out.content_type != "application/json") return out;
        return Html(out.status == 404 ? portal::NotFound(lang) : portal::BadRequest(lang),
                    out.status);
      };
    }
  }
  for (const std::string path : {"/", "/projects", "/about"}) {
    Route r;
    r.method = "GET";
    r.path = path;
    r.regex = PathRegex(path, nullptr);
    r.summary = "Redirects to the portal in the language Accept-Language prefers";
    r.handler = [path](const Request& request) {
      auto it = request.headers.find("accept-language");
      const std::string lang = PickLanguage(it == request.headers.end() ? "" : it->second);
      Response out;
      out.status = 302;
      out.content_type = "text/plain; charset=utf-8";
      out.headers.emplace_back("Location", "/" + lang + (path == "/" ? "/" : path));
      out.headers.emplace_back("Vary", "Accept-Language");
      return out;
    };
    routes.push_back(open(std::move(r)));
  }
}

PublicApi::~PublicApi() = default;

const std::vector<Route>& PublicApi::routes() const { return impl_->routes; }

std::size_t PublicBodyLimit(const std::string& path) {
  const bool upload = path.ends_with("/attachments") || path.ends_with("/grievances/attach") ||
                      path.ends_with("/grievances/new");
  return upload ? public_side::kMaxAttachmentBytes + (std::size_t{64} << 10)
                : std::size_t{64} << 10;
}

}  // namespace corridor::api
