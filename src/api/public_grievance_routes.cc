// The grievance routes of the public API (issue 14 §1, "Contract"): the
// resident's (open: receipt code and passphrase are the only credentials),
// the officers' (bearer token of a grievance-officer or public-admin), the
// portal's forms (no JavaScript), and the public statistics.
#include "api/public_grievance_routes.h"

#include <algorithm>
#include <memory>

#include "api/form.h"
#include "api/public_case_params.h"
#include "api/public_common.h"
#include "api/public_limits.h"
#include "api/public_portal.h"
#include "api/public_portal_grievances.h"
#include "corridor/api/route.h"
#include "corridor/common/strings.h"
#include "corridor/public_side/attachments.h"
#include "corridor/public_side/grievances.h"
#include "corridor/public_side/passphrase.h"
#include "corridor/service/schema.h"
#include "corridor/store/public_store.h"

namespace corridor::api {
namespace {

using model::GrievanceAction;
using nlohmann::json;
using public_http::BearerCaller;
using public_http::Private;
using public_http::PrivateHtml;
using public_http::Unauthenticated;

struct ReceiptParams {
  std::string receipt;
  static const service::ParamSchema<ReceiptParams>& Schema() {
    static const auto kSchema = service::ParamSchema<ReceiptParams>()
                                    .Text("receipt", &ReceiptParams::receipt,
                                          "The receipt code, e.g. GRV-7K2M-Q9XD-4T1B", 40)
                                    .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return {}; }
};

struct CaseListParams {
  std::string state, district;
  bool mine = false, overdue = false;
  int limit = 100, offset = 0;
  static const service::ParamSchema<CaseListParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<CaseListParams>()
            .Enum("state", &CaseListParams::state, "Only cases in this state",
                  {"", "received", "acknowledged", "eligible", "ineligible", "proposed", "appealed",
                   "closed"})
            .Text("district", &CaseListParams::district, "District P-code", 16)
            .Boolean("mine", &CaseListParams::mine, "Only cases assigned to me")
            .Boolean("overdue", &CaseListParams::overdue, "Only overdue cases")
            .Integer("limit", &CaseListParams::limit, "Cases per page", 1, 1000)
            .Integer("offset", &CaseListParams::offset, "Cases to skip", 0, 1'000'000);
    return kSchema;
  }
  Result<void> Validate() const { return {}; }
};

Response Json201(const json& body) {
  Response r = JsonResponse(body);
  r.status = 201;
  return r;
}

// The filing body, as JSON or as the portal's form. Errors name the JSON
// pointer (or the form field).
struct Filing {
  public_side::GrievanceInput input;
  bool form = false;
};

// The portal's filing form, sent as multipart/form-data (it may carry a file).
bool IsMultipart(const Request& request) { return !request.parts.empty(); }

Result<Filing> ParseFiling(const Request& request, bool staff) {
  Filing f;
  f.input.lang = "";
  std::vector<std::pair<std::string, std::string>> fields;
  if (IsMultipart(request)) {
    f.form = true;
    for (const auto& part : request.parts) {
      if (part.name != "file") fields.emplace_back(part.name, part.content);
    }
  } else if (IsForm(request)) {
    f.form = true;
    auto parsed = ParseForm(request.body, 16);
    if (!parsed) return Fail(ErrorCode::kInvalidArgument, "body: a malformed form");
    fields = std::move(*parsed);
  } else {
    const json doc = json::parse(request.body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      return Fail(ErrorCode::kInvalidArgument, "body: expected a JSON object");
    }
    for (const auto& [key, value] : doc.items()) {
      if (key == "reprisal_fear") {
        if (!value.is_boolean())
          return Fail(ErrorCode::kInvalidArgument, "/reprisal_fear: expected true or false");
        f.input.reprisal_fear = value.get<bool>();
        continue;
      }
      if (!value.is_string()) {
        return Fail(ErrorCode::kInvalidArgument, "/" + Excerpt(key, 64) + ": expected a string");
      }
      fields.emplace_back(key, value.get<std::string>());
    }
  }
  for (auto& [key, value] : fields) {
    const std::string where = f.form ? key : "/" + Excerpt(key, 64);
    if (key == "district") {
      f.input.district = std::move(value);
    } else if (key == "project") {
      f.input.project = std::move(value);
    } else if (key == "topic") {
      f.input.topic = std::move(value);
    } else if (key == "description") {
      f.input.description = std::move(value);
    } else if (key == "lang") {
      f.input.lang = std::move(value);
    } else if (key == "contact") {
      f.input.contact = std::move(value);
    } else if (key == "reprisal_fear" && f.form) {
      f.input.reprisal_fear = value == "yes" || value == "on" || value == "true";
    } else if (key == "channel" && staff) {
      f.input.channel = std::move(value);
    } else {
      return Fail(ErrorCode::kInvalidArgument, where + ": unknown member");
    }
  }
  if (f.input.lang.empty()) {
    return Fail(ErrorCode::kInvalidArgument, std::string(f.form ? "" : "/") + "lang: missing");
  }
  return f;
}

// The field an error names ("district: …" or "/district: …"), for the form.
std::string FieldOf(const Error& e) {
  std::string m = e.message;
  if (!m.empty() && m[0] == '/') m.erase(0, 1);
  const auto colon = m.find(':');
  const std::string field = colon == std::string::npos ? "" : m.substr(0, colon);
  for (const char* known : {"district", "project", "topic", "description", "contact", "lang"}) {
    if (field == known) return field == "project" ? "district" : field;
  }
  return "description";
}

// X-Passphrase, percent-encoded UTF-8 (WAVE2: a browser refuses non-Latin-1
// header values).
Result<std::string> PassphraseHeader(const Request& request) {
  auto it = request.headers.find("x-passphrase");
  if (it == request.headers.end() || it->second.empty()) {
    return Fail(ErrorCode::kUnauthenticated,
                "this route needs the header X-Passphrase (percent-encoded UTF-8)");
  }
  auto decoded = PercentDecode(it->second, false);
  if (!decoded || it->second.size() > 600) {
    return Fail(ErrorCode::kInvalidArgument, "X-Passphrase: malformed percent-encoding");
  }
  return std::move(*decoded);
}

Result<std::string> Now() { return public_side::GrievanceNow(); }

// The resident's status page after a form's move: the case again with
// `notice` (and `status`), or the follow form for a wrong receipt or
// passphrase — what the move's own kNotFound means too.
Response StatusAfter(store::Database& db, const std::string& lang, const Result<void>& moved,
                     const std::string& receipt, const std::string& phrase, const std::string& now,
                     const std::string& done_notice, int done_status) {
  if (!moved && moved.error().code == ErrorCode::kNotFound) {
    return public_http::PrivateHtml(portal::FollowForm(lang, true), 404);
  }
  auto v = public_side::FollowGrievance(db, receipt, phrase, now);
  if (!v) return public_http::PrivateHtml(portal::FollowForm(lang, true), 404);
  std::string notice = done_notice;
  int status = done_status;
  if (!moved) {
    notice = done_notice == "attached_notice" ? "file_refused_notice" : "refused_notice";
    status = moved.error().code == ErrorCode::kConflict ? 409 : 400;
  }
  return public_http::PrivateHtml(
      portal::GrievanceStatus(lang, public_side::ResidentJson(*v),
                              public_side::NormaliseReceipt(receipt), phrase, notice),
      status);
}

std::vector<portal::DistrictChoice> DistrictChoices(const store::Database& db) {
  auto areas = store::InReadTransaction(
      db, [](store::Transaction& tx) { return store::NewAreaStore()->List(tx, 2); });
  std::vector<portal::DistrictChoice> out;
  if (areas && !areas->empty()) {
    for (const auto& a : *areas) {
      if (std::find(release::Districts().begin(), release::Districts().end(), a.pcode) !=
          release::Districts().end()) {
        out.emplace_back(a.pcode, a.name);
      }
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
  } else {
    for (const auto& pcode : release::Districts()) out.emplace_back(pcode, pcode);
  }
  return out;
}

// The filing form again after a refusal: what was typed kept, the field named.
Response FormAgain(const store::Database& db, const std::string& lang, const Result<Filing>& filing,
                   const Error& e) {
  portal::GrievanceFormValues v;
  if (filing) {
    v = {filing->input.district, filing->input.topic, filing->input.description,
         filing->input.contact, filing->input.reprisal_fear};
  }
  return PrivateHtml(portal::GrievanceForm(lang, DistrictChoices(db), v, FieldOf(e)),
                     e.code == ErrorCode::kNotFound ? 404 : 400);
}

}  // namespace

void AddGrievanceRoutes(std::vector<Route>& routes, store::Database& db,
                        public_side::PublicAuditLog* audit, const ResidentLimits& limits) {
  const auto open = public_http::OpenRoute;
  // The statistics are open data, cached; they need no audit log.
  routes.push_back(open(Declare<service::NoParams>(
      "GET", "/public/api/v1/grievance-statistics",
      "Grievances per district: received, resolved in time, overdue, appealed (<10 suppressed)",
      [&db](const Request&, const service::NoParams&) {
        auto now = Now();
        if (!now) return ErrorResponse(now.error());
        auto stats = public_side::GrievanceStatistics(db, *now);
        if (!stats) return ErrorResponse(stats.error());
        return public_http::Cached(JsonResponse(*stats));
      },
      std::nullopt)));
  for (const std::string lang : {"ur", "en", "zh"}) {
    routes.push_back(open(Declare<service::NoParams>(
        "GET", "/" + lang + "/grievances/statistics", "Portal: grievance statistics (" + lang + ")",
        [&db, lang](const Request&, const service::NoParams&) {
          auto now = Now();
          if (!now) return ErrorResponse(now.error());
          auto stats = public_side::GrievanceStatistics(db, *now);
          if (!stats) return ErrorResponse(stats.error());
          return public_http::Html(
              portal::GrievanceStatisticsPage(lang, *stats, DistrictChoices(db)));
        },
        std::nullopt)));
  }
  if (audit == nullptr) return;  // a read-only server: no filing
  public_side::PublicAuditLog& log = *audit;

  const auto limited = [&limits](const char* kind, int per_hour, const std::string& lang, Route r) {
    return limits.Limit(kind, per_hour, lang, std::move(r));
  };
  const auto& allowance = limits.allowance();

  // --- Residents ----------------------------------------------------------
  Route file = open(Declare<service::NoParams>(
      "POST", "/public/api/v1/grievances",
      "File a grievance (JSON, or the portal's form without JavaScript); answers the receipt "
      "code and passphrase once",
      [&db, &log](const Request& request, const service::NoParams&) {
        auto filing = ParseFiling(request, false);
        const bool form = IsForm(request);
        const std::string lang = LangOr(filing ? filing->input.lang : "");
        const auto form_again = [&](const Error& e) { return FormAgain(db, lang, filing, e); };
        if (!filing)
          return form ? form_again(filing.error()) : Private(ErrorResponse(filing.error()));
        auto now = Now();
        if (!now) return ErrorResponse(now.error());
        auto filed =
            public_side::FileGrievance(db, log, log.keys(), std::nullopt, filing->input, *now);
        if (!filed) return form ? form_again(filed.error()) : Private(ErrorResponse(filed.error()));
        if (form) {
          return PrivateHtml(portal::GrievanceReceipt(lang, filed->receipt, filed->passphrase),
                             201);
        }
        return Private(Json201({{"receipt", filed->receipt}, {"passphrase", filed->passphrase}}));
      },
      std::nullopt));
  file.request_body = {
      {"type", "object"},
      {"required", {"topic", "description", "lang"}},
      {"additionalProperties", false},
      {"properties",
       {{"district", {{"type", "string"}, {"description", "ADM2 P-code (or give project)"}}},
        {"project", {{"type", "string"}, {"description", "A project's id (or give district)"}}},
        {"topic", {{"type", "string"}, {"enum", release::Topics()}}},
        {"description", {{"type", "string"}, {"maxLength", public_side::kMaxGrievanceText}}},
        {"lang", {{"type", "string"}, {"enum", {"ur", "en", "zh"}}}},
        {"contact",
         {{"type", "string"},
          {"maxLength", public_side::kMaxContact},
          {"description", "Optional; sealed, shown only to the handling officer"}}},
        {"reprisal_fear", {{"type", "boolean"}}}}}};
  routes.push_back(limited("file", allowance.filings_per_hour, "", std::move(file)));

  const json passphrase_header = {
      {"name", "X-Passphrase"},
      {"in", "header"},
      {"required", true},
      {"description", "The passphrase, percent-encoded UTF-8 (browsers refuse other bytes)"},
      {"schema", {{"type", "string"}, {"maxLength", 600}}}};
  Route follow = open(Declare<ReceiptParams>(
      "GET", "/public/api/v1/grievances/{receipt}",
      "A grievance's status, history and due dates, with header X-Passphrase (percent-encoded); "
      "a wrong passphrase answers as an unknown receipt (404)",
      [&db](const Request& request, const ReceiptParams& p) {
        auto phrase = PassphraseHeader(request);
        if (!phrase) return Private(ErrorResponse(phrase.error()));
        auto now = Now();
        if (!now) return ErrorResponse(now.error());
        auto v = public_side::FollowGrievance(db, p.receipt, *phrase, *now);
        if (!v) return Private(ErrorResponse(v.error()));
        return Private(JsonResponse(public_side::ResidentJson(*v)));
      },
      std::nullopt));
  follow.parameters.push_back(passphrase_header);
  routes.push_back(limited("follow", allowance.follows_per_hour, "", std::move(follow)));

  for (const auto action :
       {GrievanceAction::kAnswer, GrievanceAction::kAccept, GrievanceAction::kAppeal}) {
    const std::string name(model::GrievanceActionName(action));
    Route r = open(Declare<ReceiptParams>(
        "POST", "/public/api/v1/grievances/{receipt}/" + name,
        action == GrievanceAction::kAnswer ? "Answer the officer's question (X-Passphrase; text)"
        : action == GrievanceAction::kAccept
            ? "Accept the proposal or decision (X-Passphrase)"
            : "Appeal to the next tier (X-Passphrase; text optional)",
        [&db, &log, action](const Request& request, const ReceiptParams& p) {
          auto phrase = PassphraseHeader(request);
          if (!phrase) return Private(ErrorResponse(phrase.error()));
          auto body = public_http::StringMembers(request.body.empty() ? "{}" : request.body, {},
                                                 {"text"}, public_side::kMaxGrievanceText);
          if (!body) return Private(ErrorResponse(body.error()));
          auto now = Now();
          if (!now) return ErrorResponse(now.error());
          auto v =
              public_side::ResidentAct(db, log, p.receipt, *phrase, action, (*body)["text"], *now);
          if (!v) return Private(ErrorResponse(v.error()));
          return Private(JsonResponse(public_side::ResidentJson(*v)));
        },
        std::nullopt));
    r.request_body = {
        {"type", "object"},
        {"additionalProperties", false},
        {"properties",
         {{"text", {{"type", "string"}, {"maxLength", public_side::kMaxGrievanceText}}}}}};
    r.parameters.push_back(passphrase_header);
    routes.push_back(limited("follow", allowance.follows_per_hour, "", std::move(r)));
  }

  // --- The portal's forms ----------------------------------------------------
  for (const std::string lang : {"ur", "en", "zh"}) {
    routes.push_back(open(Declare<service::NoParams>(
        "GET", "/" + lang + "/grievances/new", "Portal: file a grievance (" + lang + ")",
        [&db, lang](const Request&, const service::NoParams&) {
          return public_http::Html(portal::GrievanceForm(lang, DistrictChoices(db), {}, ""));
        },
        std::nullopt)));
    routes.push_back(open(Declare<service::NoParams>(
        "GET", "/" + lang + "/grievances/follow", "Portal: follow a grievance (" + lang + ")",
        [lang](const Request&, const service::NoParams&) {
          return public_http::Html(portal::FollowForm(lang, false));
        },
        std::nullopt)));
    routes.push_back(limited(
        "follow", allowance.follows_per_hour, lang,
        open(Declare<service::NoParams>(
            "POST", "/" + lang + "/grievances/follow",
            "Portal: a grievance by receipt and passphrase (form) (" + lang + ")",
            [&db, lang](const Request& request, const service::NoParams&) {
              auto form = ParseForm(request.body, 8);
              const std::string receipt = form ? Field(*form, "receipt").value_or("") : "";
              const std::string phrase = form ? Field(*form, "passphrase").value_or("") : "";
              auto now = Now();
              if (!now) return ErrorResponse(now.error());
              auto v = public_side::FollowGrievance(db, receipt, phrase, *now);
              if (!v) return PrivateHtml(portal::FollowForm(lang, true), 404);
              return PrivateHtml(portal::GrievanceStatus(lang, public_side::ResidentJson(*v),
                                                         public_side::NormaliseReceipt(receipt),
                                                         phrase, ""));
            },
            std::nullopt))));
    routes.push_back(limited(
        "follow", allowance.follows_per_hour, lang,
        open(Declare<service::NoParams>(
            "POST", "/" + lang + "/grievances/act",
            "Portal: answer, accept or appeal (form) (" + lang + ")",
            [&db, &log, lang](const Request& request, const service::NoParams&) {
              auto form = ParseForm(request.body, 8);
              if (!form) return PrivateHtml(portal::FollowForm(lang, true), 400);
              const std::string receipt = Field(*form, "receipt").value_or("");
              const std::string phrase = Field(*form, "passphrase").value_or("");
              const auto action = model::ParseGrievanceAction(Field(*form, "action").value_or(""));
              auto now = Now();
              if (!now) return ErrorResponse(now.error());
              Result<void> moved =
                  action ? Result<void>()
                         : Fail(ErrorCode::kInvalidArgument, "action: answer, accept or appeal");
              if (action) {
                auto acted = public_side::ResidentAct(db, log, receipt, phrase, *action,
                                                      Field(*form, "text").value_or(""), *now);
                if (!acted) moved = Fail(acted.error());
              }
              return StatusAfter(db, lang, moved, receipt, phrase, *now, "done_notice", 200);
            },
            std::nullopt))));
  }

  // --- Officers ---------------------------------------------------------------
  auto staff = [&db](Route r) { return public_http::StaffRoute(db, std::move(r)); };
  routes.push_back(staff(Declare<CaseListParams>(
      "GET", "/public/api/v1/cases",
      "Grievance cases with their deadlines (a grievance-officer's or public-admin's token)",
      [&db](const Request& request, const CaseListParams& p) {
        auto caller = BearerCaller(db, request);
        if (!caller) return Unauthenticated(caller.error());
        auto now = Now();
        if (!now) return ErrorResponse(now.error());
        public_side::GrievanceListFilter f;
        f.state = p.state;
        f.district = p.district;
        f.mine = p.mine;
        f.overdue_only = p.overdue;
        f.limit = p.limit;
        f.offset = p.offset;
        auto list = public_side::ListGrievances(db, *caller, f, *now);
        if (!list) return ErrorResponse(list.error());
        json items = json::array();
        for (const auto& v : *list) items.push_back(public_side::OfficerJson(v));
        return JsonResponse(json{{"cases", items}, {"limit", p.limit}, {"offset", p.offset}});
      },
      std::nullopt)));
  routes.push_back(staff(Declare<CaseIdParams>(
      "GET", "/public/api/v1/cases/{id}",
      "One case; its contact only for its assigned officer (a grievance-officer's token)",
      [&db, &log](const Request& request, const CaseIdParams& p) {
        auto caller = BearerCaller(db, request);
        if (!caller) return Unauthenticated(caller.error());
        auto now = Now();
        if (!now) return ErrorResponse(now.error());
        auto v = public_side::ShowGrievance(db, log, *caller, p.id.str(), *now);
        if (!v) return ErrorResponse(v.error());
        return JsonResponse(public_side::OfficerJson(*v));
      },
      std::nullopt)));
  Route on_behalf = staff(Declare<service::NoParams>(
      "POST", "/public/api/v1/cases",
      "File on a resident's behalf (phone, in person, letter, SMS), as a grievance-officer",
      [&db, &log](const Request& request, const service::NoParams&) {
        auto caller = BearerCaller(db, request);
        if (!caller) return Unauthenticated(caller.error());
        auto filing = ParseFiling(request, true);
        if (!filing) return ErrorResponse(filing.error());
        auto now = Now();
        if (!now) return ErrorResponse(now.error());
        auto filed = public_side::FileGrievance(db, log, log.keys(), *caller, filing->input, *now);
        if (!filed) return ErrorResponse(filed.error());
        return Json201({{"id", filed->stored.id},
                        {"receipt", filed->receipt},
                        {"passphrase", filed->passphrase}});
      },
      std::nullopt));
  on_behalf.request_body = {{"type", "object"},
                            {"required", {"topic", "description", "lang", "channel"}},
                            {"additionalProperties", false},
                            {"properties",
                             {{"district", {{"type", "string"}}},
                              {"project", {{"type", "string"}}},
                              {"topic", {{"type", "string"}, {"enum", release::Topics()}}},
                              {"description", {{"type", "string"}}},
                              {"lang", {{"type", "string"}, {"enum", {"ur", "en", "zh"}}}},
                              {"channel", {{"type", "string"}, {"enum", release::Channels()}}},
                              {"contact", {{"type", "string"}}},
                              {"reprisal_fear", {{"type", "boolean"}}}}}};
  routes.push_back(std::move(on_behalf));
  for (const auto action :
       {GrievanceAction::kAcknowledge, GrievanceAction::kEligible, GrievanceAction::kIneligible,
        GrievanceAction::kAsk, GrievanceAction::kUpdate, GrievanceAction::kPropose,
        GrievanceAction::kClose, GrievanceAction::kAssign}) {
    const std::string name(model::GrievanceActionName(action));
    Route r = staff(Declare<CaseIdParams>(
        "POST", "/public/api/v1/cases/{id}/" + name,
        "Case action '" + name + "' (" +
            (action == GrievanceAction::kAssign ? "a public-admin's token; text: the officer"
                                                : "a grievance-officer's token") +
            ")",
        [&db, &log, action](const Request& request, const CaseIdParams& p) {
          auto caller = BearerCaller(db, request);
          if (!caller) return Unauthenticated(caller.error());
          auto body = public_http::StringMembers(request.body.empty() ? "{}" : request.body, {},
                                                 {"text"}, public_side::kMaxGrievanceText);
          if (!body) return ErrorResponse(body.error());
          auto now = Now();
          if (!now) return ErrorResponse(now.error());
          auto v =
              public_side::OfficerAct(db, log, *caller, p.id.str(), action, (*body)["text"], *now);
          if (!v) return ErrorResponse(v.error());
          return JsonResponse(public_side::OfficerJson(*v));
        },
        std::nullopt));
    r.request_body = {
        {"type", "object"},
        {"additionalProperties", false},
        {"properties",
         {{"text", {{"type", "string"}, {"maxLength", public_side::kMaxGrievanceText}}}}}};
    routes.push_back(std::move(r));
  }

  // --- Attachments (issue 14 §1): cleaned of metadata, sealed, officers read them ----
  const json upload = {
      {"x-content",
       {{"image/jpeg", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
        {"image/png", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
        {"application/pdf", {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}};
  const auto attached = [](const Result<public_side::Attached>& a) {
    if (!a) return ErrorResponse(a.error());
    return Json201({{"seq", a->seq}, {"media_type", a->media_type}, {"bytes", a->bytes}});
  };
  Route attach = open(Declare<ReceiptParams>(
      "POST", "/public/api/v1/grievances/{receipt}/attachments",
      "Attach a photo (JPEG, PNG) or PDF of at most 5 MiB to the case, with header X-Passphrase; "
      "its metadata (position, camera, author) is removed before it is kept",
      [&db, &log, attached](const Request& request, const ReceiptParams& p) {
        auto phrase = PassphraseHeader(request);
        if (!phrase) return Private(ErrorResponse(phrase.error()));
        auto now = Now();
        if (!now) return ErrorResponse(now.error());
        return Private(attached(
            public_side::AttachByResident(db, log, p.receipt, *phrase, request.body, *now)));
      },
      std::nullopt));
  attach.parameters.push_back(passphrase_header);
  attach.request_body = upload;
  routes.push_back(limited("attach", allowance.attachments_per_hour, "", std::move(attach)));

  // The portal's form (multipart/form-data: receipt, passphrase, file), no JavaScript.
  for (const std::string lang : {"ur", "en", "zh"}) {
    routes.push_back(limited(
        "attach", allowance.attachments_per_hour, lang,
        open(Declare<service::NoParams>(
            "POST", "/" + lang + "/grievances/attach",
            "Portal: attach a photo or PDF to a grievance (multipart form) (" + lang + ")",
            [&db, &log, lang](const Request& request, const service::NoParams&) {
              std::string receipt, phrase;
              const std::string* file = nullptr;
              for (const auto& part : request.parts) {
                if (part.name == "receipt") receipt = part.content;
                if (part.name == "passphrase") phrase = part.content;
                if (part.name == "file") file = &part.content;
              }
              auto now = Now();
              if (!now) return ErrorResponse(now.error());
              auto attached = public_side::AttachByResident(
                  db, log, receipt, phrase, file == nullptr ? std::string_view() : *file, *now);
              return StatusAfter(db, lang, attached ? Result<void>() : Fail(attached.error()),
                                 receipt, phrase, *now, "attached_notice", 201);
            },
            std::nullopt))));
  }

  // The portal's filing form, multipart so that it can carry one photo or PDF: the case is
  // filed first; a file that is refused leaves it filed and says so on the receipt page.
  for (const std::string lang : {"ur", "en", "zh"}) {
    routes.push_back(limited(
        "file", allowance.filings_per_hour, lang,
        open(Declare<service::NoParams>(
            "POST", "/" + lang + "/grievances/new",
            "Portal: file a grievance with an optional photo or PDF (multipart form) (" + lang +
                ")",
            [&db, &log, lang](const Request& request, const service::NoParams&) {
              // Only the form's own shape is read under this route's upload limit:
              // multipart, at most 16 parts, one file, every other part a short field.
              std::size_t files = 0;
              bool fits = IsMultipart(request) && request.parts.size() <= 16;
              for (const auto& part : request.parts) {
                if (part.name == "file") {
                  ++files;
                } else if (part.content.size() > 2 * public_side::kMaxGrievanceText) {
                  fits = false;
                }
              }
              if (!fits || files > 1) {
                return Private(ErrorResponse(
                    {ErrorCode::kInvalidArgument,
                     "this form posts multipart/form-data: its fields and at most one file"}));
              }
              auto filing = ParseFiling(request, false);
              const auto form_again = [&](const Error& e) {
                return FormAgain(db, lang, filing, e);
              };
              if (!filing) return form_again(filing.error());
              filing->input.lang = LangOr(filing->input.lang.empty() ? lang : filing->input.lang);
              auto now = Now();
              if (!now) return ErrorResponse(now.error());
              auto filed = public_side::FileGrievance(db, log, log.keys(), std::nullopt,
                                                      filing->input, *now);
              if (!filed) return form_again(filed.error());
              std::string notice;
              for (const auto& part : request.parts) {
                if (part.name != "file" || part.content.empty()) continue;
                auto attached = public_side::AttachByResident(
                    db, log, filed->receipt, filed->passphrase, part.content, *now);
                notice = attached ? "attached_notice" : "file_refused_notice";
                break;  // one file with the filing; more from the status page
              }
              return PrivateHtml(
                  portal::GrievanceReceipt(lang, filed->receipt, filed->passphrase, notice), 201);
            },
            std::nullopt))));
  }

  Route officer_attach = staff(Declare<CaseIdParams>(
      "POST", "/public/api/v1/cases/{id}/attachments",
      "Attach a file on the resident's behalf (a letter handed in), as an officer",
      [&db, &log, attached](const Request& request, const CaseIdParams& p) {
        auto caller = BearerCaller(db, request);
        if (!caller) return Unauthenticated(caller.error());
        auto now = Now();
        if (!now) return ErrorResponse(now.error());
        return attached(
            public_side::AttachByOfficer(db, log, *caller, p.id.str(), request.body, *now));
      },
      std::nullopt));
  officer_attach.request_body = upload;
  routes.push_back(std::move(officer_attach));
  routes.push_back(staff(Declare<CaseIdParams>(
      "GET", "/public/api/v1/cases/{id}/attachments",
      "A case's attachments: number, type, size, keyed digest, who added them (an officer's token)",
      [&db](const Request& request, const CaseIdParams& p) {
        auto caller = BearerCaller(db, request);
        if (!caller) return Unauthenticated(caller.error());
        auto j = public_side::ListAttachments(db, *caller, p.id.str());
        if (!j) return ErrorResponse(j.error());
        return JsonResponse(*j);
      },
      std::nullopt)));
  routes.push_back(staff(Declare<AttachmentParams>(
      "GET", "/public/api/v1/cases/{id}/attachments/{seq}",
      "One attachment, cleaned, as a download (an officer's token; each read is audited)",
      [&db, &log](const Request& request, const AttachmentParams& p) {
        auto caller = BearerCaller(db, request);
        if (!caller) return Unauthenticated(caller.error());
        auto file = public_side::ReadAttachment(db, log, *caller, p.id.str(), p.seq);
        if (!file) return ErrorResponse(file.error());
        return public_http::AttachmentDownload(std::move(*file), p.id.str(), p.seq);
      },
      std::nullopt)));
}

}  // namespace corridor::api
