// Consultations over HTTP (issue 14 §2; docs/public.md "Consultations and
// participation codes"): the same use cases as `corridor public
// consultations` (public_side/consultations.h).
#include "api/public_consultation_routes.h"

#include <functional>
#include <tuple>

#include "api/form.h"
#include "api/public_common.h"
#include "api/public_portal.h"
#include "api/public_portal_consultations.h"
#include "corridor/api/route.h"
#include "corridor/common/date.h"
#include "corridor/public_side/consultations.h"
#include "corridor/release/release.h"
#include "corridor/service/schema.h"

namespace corridor::api {
namespace {

using nlohmann::json;
using public_http::BearerCaller;
using public_http::Private;
using public_http::StringMembers;
using public_http::Unauthenticated;

struct IdParams {
  std::string id;
  static const service::ParamSchema<IdParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<IdParams>()
            .Text("id", &IdParams::id, "A consultation's or proposal's id", 64)
            .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return {}; }
};

struct ListParams {
  std::string district;
  static const service::ParamSchema<ListParams>& Schema() {
    static const auto kSchema = service::ParamSchema<ListParams>().Text(
        "district", &ListParams::district, "Only this district's (P-code)", 16);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

Response Created(const json& body) {
  Response r = JsonResponse(body);
  r.status = 201;
  return r;
}

}  // namespace

void AddConsultationRoutes(std::vector<Route>& routes, store::Database& db,
                           public_side::PublicAuditLog* audit, const ResidentLimits& limits) {
  const auto open = public_http::OpenRoute;
  routes.push_back(open(Declare<ListParams>(
      "GET", "/public/api/v1/consultations", "Consultations, newest first",
      [&db](const Request&, const ListParams& p) {
        auto j = public_side::ListConsultationsJson(db, p.district);
        if (!j) return ErrorResponse(j.error());
        return JsonResponse(*j);
      },
      std::nullopt)));
  routes.push_back(open(Declare<IdParams>(
      "GET", "/public/api/v1/consultations/{id}",
      "A consultation with its proposals, their supports, states and responses",
      [&db](const Request&, const IdParams& p) {
        auto j = public_side::ConsultationJson(db, p.id);
        if (!j) return ErrorResponse(j.error());
        return JsonResponse(*j);
      },
      std::nullopt)));
  routes.push_back(open(Declare<service::NoParams>(
      "GET", "/public/api/v1/moderation-log",
      "The public moderation log, newest first (500 entries): what was held, hidden, restored or "
      "edited, under which rule; never who reported or who decided",
      [&db](const Request&, const service::NoParams&) {
        auto j = public_side::ModerationLogJson(db, 500);
        if (!j) return ErrorResponse(j.error());
        return JsonResponse(*j);
      },
      std::nullopt)));
  for (const std::string lang : {"ur", "en", "zh"}) {
    routes.push_back(open(Declare<service::NoParams>(
        "GET", "/" + lang + "/moderation", "Portal: the public moderation log (" + lang + ")",
        [&db, lang](const Request&, const service::NoParams&) {
          auto j = public_side::ModerationLogJson(db, 500);
          if (!j) return ErrorResponse(j.error());
          return public_http::Html(portal::ModerationLogPage(lang, *j));
        },
        std::nullopt)));
    routes.push_back(open(Declare<service::NoParams>(
        "GET", "/" + lang + "/consultations", "Portal: consultations (" + lang + ")",
        [&db, lang](const Request&, const service::NoParams&) {
          auto j = public_side::ListConsultationsJson(db, "");
          if (!j) return ErrorResponse(j.error());
          return public_http::Html(portal::ConsultationList(lang, *j));
        },
        std::nullopt)));
    routes.push_back(open(Declare<IdParams>(
        "GET", "/" + lang + "/consultations/{id}",
        "Portal: a consultation with its proposals and forms (" + lang + ")",
        [&db, lang](const Request&, const IdParams& p) {
          auto j = public_side::ConsultationJson(db, p.id);
          if (!j) {
            return public_http::Html(portal::NotFound(lang), 404);
          }
          return public_http::Html(portal::ConsultationPage(lang, *j, ""));
        },
        std::nullopt)));
  }
  if (audit == nullptr) return;
  public_side::PublicAuditLog& log = *audit;
  const int per_hour = limits.allowance().follows_per_hour;
  const int comments_per_hour = limits.allowance().comments_per_hour;
  const json code_schema = {
      {"type", "string"},
      {"maxLength", 64},
      {"description", "A participation code of the district, PC-XXXX-XXXX-XXXX"}};

  // --- Residents, with a participation code ----------------------------------
  Route propose = open(Declare<IdParams>(
      "POST", "/public/api/v1/consultations/{id}/proposals",
      "Make a proposal with a participation code of the consultation's district (403 for any "
      "code that is not one)",
      [&db, &log](const Request& request, const IdParams& p) {
        auto body = StringMembers(request.body, {"code", "title"}, {"body", "lang"},
                                  public_side::kMaxProposalText);
        if (!body) return Private(ErrorResponse(body.error()));
        auto& b = *body;
        auto made = public_side::Propose(
            db, log, {p.id, b["code"], b["title"], b["body"], b["lang"].empty() ? "ur" : b["lang"]},
            NowTimestamp());
        if (!made) return Private(ErrorResponse(made.error()));
        return Private(Created({{"id", made->id}}));
      },
      std::nullopt));
  propose.request_body = public_http::ObjectSchema(
      {"code", "title"}, {{"code", code_schema},
                          {"title", {{"type", "string"}, {"maxLength", 200}}},
                          {"body", {{"type", "string"}, {"maxLength", 4000}}},
                          {"lang", {{"type", "string"}, {"enum", {"ur", "en", "zh"}}}}});
  routes.push_back(limits.Limit("code", per_hour, "", std::move(propose)));

  // A resident's move on one object with a participation code: `{"code"}`
  // in, `act`'s JSON out, counted against the client's code checks.
  using CodeMove = std::function<Result<json>(const std::string& id, const std::string& code)>;
  const auto code_route = [&](const std::string& path, const std::string& summary, CodeMove act) {
    Route r = open(Declare<IdParams>(
        "POST", path, summary,
        [act = std::move(act)](const Request& request, const IdParams& p) {
          auto body = StringMembers(request.body, {"code"}, {}, 64);
          if (!body) return Private(ErrorResponse(body.error()));
          auto out = act(p.id, (*body)["code"]);
          if (!out) return Private(ErrorResponse(out.error()));
          return Private(JsonResponse(*out));
        },
        std::nullopt));
    r.request_body = public_http::ObjectSchema({"code"}, {{"code", code_schema}});
    routes.push_back(limits.Limit("code", per_hour, "", std::move(r)));
  };
  code_route("/public/api/v1/proposals/{id}/support",
             "Support a proposal with a participation code of its district, once per code (409 "
             "the second time)",
             [&db, &log](const std::string& id, const std::string& code) -> Result<json> {
               auto s = public_side::Support(db, log, id, code, NowTimestamp());
               if (!s) return Fail(s.error());
               return json{{"supports", s->supports}, {"state", s->state}};
             });
  code_route("/public/api/v1/proposals/{id}/report",
             "Report a proposal with a participation code of its district, once per code; past "
             "the consultation's threshold (default 3) it is held for a moderator",
             [&db, &log](const std::string& id, const std::string& code) -> Result<json> {
               auto n = public_side::ReportProposal(db, log, id, code, NowTimestamp());
               if (!n) return Fail(n.error());
               return json{{"reports", *n}};
             });
  code_route("/public/api/v1/comments/{id}/report",
             "Report a comment with a participation code of its district, once per code; past "
             "the consultation's threshold it is held for a moderator",
             [&db, &log](const std::string& id, const std::string& code) -> Result<json> {
               auto n = public_side::ReportComment(db, log, id, code, NowTimestamp());
               if (!n) return Fail(n.error());
               return json{{"reports", *n}};
             });

  // --- Comments: anyone, limited per client; a code marks one verified -------
  Route comment = open(Declare<IdParams>(
      "POST", "/public/api/v1/proposals/{id}/comments",
      "Comment on a proposal, or reply to a comment on it (`parent`); no code needed (limited "
      "per client and hour); a participation code of the district marks the comment verified",
      [&db, &log](const Request& request, const IdParams& p) {
        auto body = StringMembers(request.body, {"body"}, {"lang", "parent", "code"},
                                  public_side::kMaxCommentText);
        if (!body) return Private(ErrorResponse(body.error()));
        auto& b = *body;
        auto made = public_side::AddComment(
            db, log,
            {p.id, b["parent"], b["body"], b["lang"].empty() ? "ur" : b["lang"], b["code"]},
            NowTimestamp());
        if (!made) return Private(ErrorResponse(made.error()));
        json out = {{"id", made->id}, {"depth", made->depth}, {"verified", made->verified}};
        if (!made->moderation.empty()) out["moderation"] = made->moderation;
        return Private(Created(out));
      },
      std::nullopt));
  comment.request_body = public_http::ObjectSchema(
      {"body"}, {{"body", {{"type", "string"}, {"maxLength", 2000}}},
                 {"lang", {{"type", "string"}, {"enum", {"ur", "en", "zh"}}}},
                 {"parent", {{"type", "string"}, {"maxLength", 64}}},
                 {"code", code_schema}});
  routes.push_back(limits.Limit("comment", comments_per_hour, "", std::move(comment)));

  // --- The portal's forms (no JavaScript) ------------------------------------
  // The page again with a notice naming what happened; the code is never echoed.
  const auto notice_of = [](const Error& e) -> std::pair<std::string, int> {
    switch (e.code) {
      case ErrorCode::kPermissionDenied:
        return {"not_a_code", 403};
      case ErrorCode::kConflict:
        return {e.message.find("closed") != std::string::npos     ? "closed"
                : e.message.find("reported") != std::string::npos ? "already_reported"
                : e.message.find("held") != std::string::npos     ? "held_target"
                : e.message.find("full") != std::string::npos     ? "discussion_full"
                                                                  : "already_supported",
                409};
      case ErrorCode::kNotFound:
        return {"check_fields", 404};
      default:
        return {"check_fields", 400};
    }
  };
  for (const std::string lang : {"ur", "en", "zh"}) {
    routes.push_back(limits.Limit(
        "code", per_hour, lang,
        open(Declare<IdParams>(
            "POST", "/" + lang + "/consultations/{id}/propose",
            "Portal: a proposal with a participation code (form) (" + lang + ")",
            [&db, &log, lang, notice_of](const Request& request, const IdParams& p) {
              auto form = ParseForm(request.body, 8);
              std::string notice = "proposed";
              int status = 201;
              if (!form) {
                notice = "check_fields";
                status = 400;
              } else {
                auto made = public_side::Propose(
                    db, log,
                    {p.id, Field(*form, "code").value_or(""), Field(*form, "title").value_or(""),
                     Field(*form, "body").value_or(""), lang},
                    NowTimestamp());
                if (!made) {
                  std::tie(notice, status) = notice_of(made.error());
                } else if (!made->moderation.empty()) {
                  notice = "held_personal";
                }
              }
              auto j = public_side::ConsultationJson(db, p.id);
              if (!j) return public_http::PrivateHtml(portal::NotFound(lang), 404);
              return public_http::PrivateHtml(portal::ConsultationPage(lang, *j, notice), status);
            },
            std::nullopt))));
    // Supporting and reporting from a proposal's forms: the code, then the
    // consultation's page again with the notice.
    using CodeAct =
        std::function<Result<void>(const std::string& proposal, const std::string& code)>;
    const auto proposal_form = [&](const std::string& verb, const std::string& done,
                                   const CodeAct& act) {
      routes.push_back(limits.Limit(
          "code", per_hour, lang,
          open(Declare<IdParams>(
              "POST", "/" + lang + "/proposals/{id}/" + verb,
              "Portal: " + verb + " a proposal with a participation code (form) (" + lang + ")",
              [&db, lang, notice_of, done, act](const Request& request, const IdParams& p) {
                auto form = ParseForm(request.body, 8);
                std::string notice = done;
                int status = 200;
                if (!form) {
                  notice = "check_fields";
                  status = 400;
                } else {
                  auto r = act(p.id, Field(*form, "code").value_or(""));
                  if (!r) std::tie(notice, status) = notice_of(r.error());
                }
                // The page of the proposal's own consultation, as stored (never a
                // form field's say-so).
                auto consultation = public_side::ProposalConsultation(db, p.id);
                if (!consultation) return public_http::PrivateHtml(portal::NotFound(lang), 404);
                auto j = public_side::ConsultationJson(db, *consultation);
                if (!j) return public_http::PrivateHtml(portal::NotFound(lang), 404);
                return public_http::PrivateHtml(portal::ConsultationPage(lang, *j, notice), status);
              },
              std::nullopt))));
    };
    proposal_form("support", "supported",
                  [&db, &log](const std::string& id, const std::string& code) {
                    auto r = public_side::Support(db, log, id, code, NowTimestamp());
                    return r ? Result<void>() : Fail(r.error());
                  });
    proposal_form("report", "reported",
                  [&db, &log](const std::string& id, const std::string& code) {
                    auto r = public_side::ReportProposal(db, log, id, code, NowTimestamp());
                    return r ? Result<void>() : Fail(r.error());
                  });
    // A comment (or a reply: the form's `parent`), the code optional.
    routes.push_back(limits.Limit(
        "comment", comments_per_hour, lang,
        open(Declare<IdParams>(
            "POST", "/" + lang + "/proposals/{id}/comment",
            "Portal: a comment on a proposal or a reply, a code optional (form) (" + lang + ")",
            [&db, &log, lang, notice_of](const Request& request, const IdParams& p) {
              auto form = ParseForm(request.body, 8);
              std::string notice = "commented";
              int status = 201;
              if (!form) {
                notice = "check_fields";
                status = 400;
              } else {
                auto made = public_side::AddComment(
                    db, log,
                    {p.id, Field(*form, "parent").value_or(""), Field(*form, "body").value_or(""),
                     lang, Field(*form, "code").value_or("")},
                    NowTimestamp());
                if (!made) {
                  std::tie(notice, status) = notice_of(made.error());
                } else if (!made->moderation.empty()) {
                  notice = "held_personal_comment";
                }
              }
              auto consultation = public_side::ProposalConsultation(db, p.id);
              if (!consultation) return public_http::PrivateHtml(portal::NotFound(lang), 404);
              auto j = public_side::ConsultationJson(db, *consultation);
              if (!j) return public_http::PrivateHtml(portal::NotFound(lang), 404);
              return public_http::PrivateHtml(portal::ConsultationPage(lang, *j, notice), status);
            },
            std::nullopt))));
    routes.push_back(limits.Limit(
        "code", per_hour, lang,
        open(Declare<IdParams>(
            "POST", "/" + lang + "/comments/{id}/report",
            "Portal: report a comment with a participation code (form) (" + lang + ")",
            [&db, &log, lang, notice_of](const Request& request, const IdParams& p) {
              auto form = ParseForm(request.body, 8);
              std::string notice = "reported";
              int status = 200;
              if (!form) {
                notice = "check_fields";
                status = 400;
              } else {
                auto r = public_side::ReportComment(
                    db, log, p.id, Field(*form, "code").value_or(""), NowTimestamp());
                if (!r) std::tie(notice, status) = notice_of(r.error());
              }
              auto consultation = public_side::CommentConsultation(db, p.id);
              if (!consultation) return public_http::PrivateHtml(portal::NotFound(lang), 404);
              auto j = public_side::ConsultationJson(db, *consultation);
              if (!j) return public_http::PrivateHtml(portal::NotFound(lang), 404);
              return public_http::PrivateHtml(portal::ConsultationPage(lang, *j, notice), status);
            },
            std::nullopt))));
  }

  // --- Moderators ---------------------------------------------------------------
  auto staff = [&db](Route r) { return public_http::StaffRoute(db, std::move(r)); };
  Route open_consultation = staff(Declare<service::NoParams>(
      "POST", "/public/api/v1/consultations",
      "Open a consultation for a district (a moderator's token)",
      [&db, &log](const Request& request, const service::NoParams&) {
        auto caller = BearerCaller(db, request);
        if (!caller) return Unauthenticated(caller.error());
        const json doc = json::parse(request.body, nullptr, false);
        if (doc.is_discarded() || !doc.is_object()) {
          return ErrorResponse({ErrorCode::kInvalidArgument, "body: expected a JSON object"});
        }
        public_side::ConsultationInput in;
        for (const auto& [key, value] : doc.items()) {
          if (key == "threshold") {
            if (!value.is_number_integer()) {
              return ErrorResponse(
                  {ErrorCode::kInvalidArgument, "/threshold: expected an integer"});
            }
            in.threshold = value.get<std::int64_t>();
            continue;
          }
          std::string* field = key == "district"  ? &in.district
                               : key == "project" ? &in.project_id
                               : key == "title"   ? &in.title
                               : key == "body"    ? &in.body
                               : key == "topic"   ? &in.topic
                                                  : nullptr;
          if (field == nullptr) {
            return ErrorResponse({ErrorCode::kInvalidArgument,
                                  "/" + Excerpt(key, 64) + ": not a field of a consultation"});
          }
          if (!value.is_string()) {
            return ErrorResponse({ErrorCode::kInvalidArgument, "/" + key + ": expected a string"});
          }
          *field = value.get<std::string>();
        }
        auto c = public_side::OpenConsultation(db, log, *caller, in, NowTimestamp());
        if (!c) return ErrorResponse(c.error());
        return Created({{"id", c->id}});
      },
      std::nullopt));
  open_consultation.request_body = public_http::ObjectSchema(
      {"district", "title"},
      {{"district", {{"type", "string"}}},
       {"project", {{"type", "string"}}},
       {"topic", {{"type", "string"}, {"enum", release::Topics()}}},
       {"title", {{"type", "string"}, {"maxLength", 200}}},
       {"body", {{"type", "string"}, {"maxLength", 4000}}},
       {"threshold", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100000}}}});
  routes.push_back(std::move(open_consultation));

  Route respond = staff(Declare<IdParams>(
      "POST", "/public/api/v1/proposals/{id}/response",
      "The official response to a proposal (a moderator's or public-admin's token)",
      [&db, &log](const Request& request, const IdParams& p) {
        auto caller = BearerCaller(db, request);
        if (!caller) return Unauthenticated(caller.error());
        auto body = StringMembers(request.body, {"text"}, {}, public_side::kMaxProposalText);
        if (!body) return ErrorResponse(body.error());
        auto r = public_side::Respond(db, log, *caller, p.id, (*body)["text"], NowTimestamp());
        if (!r) return ErrorResponse(r.error());
        return JsonResponse({{"id", r->id}, {"state", r->state}});
      },
      std::nullopt));
  respond.request_body =
      public_http::ObjectSchema({"text"}, {{"text", {{"type", "string"}, {"maxLength", 4000}}}});
  routes.push_back(std::move(respond));

  routes.push_back(staff(Declare<service::NoParams>(
      "GET", "/public/api/v1/moderation/queue",
      "Proposals held for a moderator, with their text and reports (a moderator's token)",
      [&db](const Request& request, const service::NoParams&) {
        auto caller = BearerCaller(db, request);
        if (!caller) return Unauthenticated(caller.error());
        auto j = public_side::ModerationQueueJson(db, *caller);
        if (!j) return ErrorResponse(j.error());
        return JsonResponse(*j);
      },
      std::nullopt)));
  Route moderate = staff(Declare<IdParams>(
      "POST", "/public/api/v1/proposals/{id}/moderation",
      "A moderator's decision on a proposal: hide, restore or edit, under a rule; it goes on the "
      "public moderation log",
      [&db, &log](const Request& request, const IdParams& p) {
        auto caller = BearerCaller(db, request);
        if (!caller) return Unauthenticated(caller.error());
        auto body = StringMembers(request.body, {"decision", "rule"}, {"title", "body"},
                                  public_side::kMaxProposalText);
        if (!body) return ErrorResponse(body.error());
        auto& b = *body;
        auto r = public_side::Moderate(db, log, *caller, p.id,
                                       {b["decision"], b["rule"], b["title"], b["body"]},
                                       NowTimestamp());
        if (!r) return ErrorResponse(r.error());
        return JsonResponse({{"id", r->id}, {"moderation", r->moderation}});
      },
      std::nullopt));
  moderate.request_body = public_http::ObjectSchema(
      {"decision", "rule"},
      {{"decision", {{"type", "string"}, {"enum", {"hide", "restore", "edit"}}}},
       {"rule", {{"type", "string"}, {"enum", public_side::ModerationRules()}}},
       {"title", {{"type", "string"}, {"maxLength", 200}}},
       {"body", {{"type", "string"}, {"maxLength", 4000}}}});
  routes.push_back(std::move(moderate));

  Route moderate_comment = staff(Declare<IdParams>(
      "POST", "/public/api/v1/comments/{id}/moderation",
      "A moderator's decision on a comment: hide, restore or edit (body), under a rule; it goes "
      "on the public moderation log",
      [&db, &log](const Request& request, const IdParams& p) {
        auto caller = BearerCaller(db, request);
        if (!caller) return Unauthenticated(caller.error());
        auto body = StringMembers(request.body, {"decision", "rule"}, {"body"},
                                  public_side::kMaxCommentText);
        if (!body) return ErrorResponse(body.error());
        auto& b = *body;
        auto r = public_side::ModerateComment(
            db, log, *caller, p.id, {b["decision"], b["rule"], "", b["body"]}, NowTimestamp());
        if (!r) return ErrorResponse(r.error());
        return JsonResponse({{"id", r->id}, {"moderation", r->moderation}});
      },
      std::nullopt));
  moderate_comment.request_body = public_http::ObjectSchema(
      {"decision", "rule"},
      {{"decision", {{"type", "string"}, {"enum", {"hide", "restore", "edit"}}}},
       {"rule", {{"type", "string"}, {"enum", public_side::ModerationRules()}}},
       {"body", {{"type", "string"}, {"maxLength", 2000}}}});
  routes.push_back(std::move(moderate_comment));
}

}  // namespace corridor::api
