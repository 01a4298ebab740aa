// The portal's staff pages: sign-in with a password, the officers' cases and
// their actions, attachments, the moderators' queue. Each page calls the same
// use case as the bearer-token API (public_side/grievances.h, attachments.h,
// consultations.h, accounts.h); only the credential differs.
#include "api/public_staff_routes.h"

#include <algorithm>
#include <string>

#include "api/form.h"
#include "api/public_case_params.h"
#include "api/public_common.h"
#include "api/public_portal_staff.h"
#include "corridor/auth/crypto.h"
#include "corridor/common/date.h"
#include "corridor/public_side/accounts.h"
#include "corridor/public_side/attachments.h"
#include "corridor/public_side/consultations.h"
#include "corridor/public_side/grievances.h"
#include "corridor/public_side/working_days.h"
#include "corridor/store/public_store.h"

namespace corridor::api {
namespace {

using nlohmann::json;
using public_http::StaffHtml;

// Secure always, and __Host-: no sibling site or plain-HTTP page can set or
// read it (browsers keep Secure cookies of http://localhost and 127.0.0.1 too,
// which are the only plain-HTTP clients the pages serve).
constexpr const char* kCookie = "__Host-corridor_public_staff";

// The districts the pages name (P-code → name), from the map's outlines.
std::vector<portal::DistrictChoice> Districts(const store::Database& db) {
  auto areas = store::InReadTransaction(
      db, [](store::Transaction& tx) { return store::NewAreaStore()->List(tx, 2); });
  std::vector<portal::DistrictChoice> out;
  if (areas) {
    for (const auto& a : *areas) out.emplace_back(a.pcode, a.name);
  }
  return out;
}

struct Session {
  std::string token;
  public_side::PublicCaller caller;
  portal::StaffFrame frame;
};

// The form token of a session: a digest of its token under a label of its
// own, so the page can carry it without carrying the cookie's value.
std::string CsrfOf(const std::string& token) {
  return auth::TokenDigest("corridor public staff form\n" + token);
}

// The session of the request's cookie, over HTTPS or from loopback only.
Result<Session> SessionOf(const store::Database& db, const Request& request) {
  if (auto ok = public_http::RequireSecureTransport(request); !ok) return Fail(ok.error());
  const auto cookie = request.headers.find("cookie");
  const std::string token =
      cookie == request.headers.end() ? "" : CookieValue(cookie->second, kCookie);
  auto account = public_side::Authenticate(db, token, NowTimestamp(), "session");
  if (!account) return Fail(account.error());
  Session s;
  s.token = token;
  s.frame.account = account->name;
  for (auto r : account->roles) s.frame.roles.emplace_back(model::PublicRoleName(r));
  s.frame.csrf = CsrfOf(token);
  s.caller = public_side::PublicCaller::Of(std::move(*account));
  return s;
}

std::string SessionCookie(const std::string& value, std::int64_t max_age) {
  return std::string(kCookie) + "=" + value +
         "; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
}

Response SeeOther(const std::string& location) {
  Response r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.headers.emplace_back("Location", location);
  return public_http::Private(std::move(r));
}

Response ToSignIn(const std::string& lang) { return SeeOther("/" + lang + "/staff/sign-in"); }

// A form post's fields, once its session, origin and CSRF token are checked:
// nullopt (and `refusal` set) otherwise.
using Form = std::vector<std::pair<std::string, std::string>>;
std::optional<Form> CheckedForm(const Request& request, const Session& s, std::size_t max_fields,
                                Response& refusal) {
  auto form = ParseForm(request.body, max_fields);
  const std::string sent = form ? Field(*form, "csrf").value_or("") : "";
  if (!form || !OriginIsHostOrAbsent(request) || sent.size() != s.frame.csrf.size() ||
      !auth::ConstantTimeEquals(sent, s.frame.csrf)) {
    refusal = public_http::Private(ErrorResponse(
        {ErrorCode::kPermissionDenied, "this form is not from this site's staff pages"}));
    return std::nullopt;
  }
  return form;
}

int StatusOf(const Error& e) { return HttpStatus(e.code); }

struct CasesParams {
  bool mine = false, overdue = false;
  static const service::ParamSchema<CasesParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<CasesParams>()
            .Boolean("mine", &CasesParams::mine, "Only cases assigned to me")
            .Boolean("overdue", &CasesParams::overdue, "Only overdue cases");
    return kSchema;
  }
  Result<void> Validate() const { return {}; }
};

struct CasePageParams {
  Uuid id;
  bool saved = false;
  static const service::ParamSchema<CasePageParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<CasePageParams>()
            .Id("id", &CasePageParams::id, "The case's id (UUIDv4)")
            .In(service::ParamIn::kPath)
            .Boolean("saved", &CasePageParams::saved, "Say that the last action was saved");
    return kSchema;
  }
  Result<void> Validate() const { return {}; }
};

struct SavedParams {
  bool saved = false;
  static const service::ParamSchema<SavedParams>& Schema() {
    static const auto kSchema = service::ParamSchema<SavedParams>().Boolean(
        "saved", &SavedParams::saved, "Say that the last decision was saved");
    return kSchema;
  }
  Result<void> Validate() const { return {}; }
};

// The officers' actions a form may ask for (never the resident's).
std::optional<model::GrievanceAction> OfficerAction(const std::string& name) {
  using A = model::GrievanceAction;
  auto a = model::ParseGrievanceAction(name);
  if (!a) return std::nullopt;
  for (A allowed : {A::kAcknowledge, A::kEligible, A::kIneligible, A::kAsk, A::kUpdate, A::kPropose,
                    A::kClose, A::kAssign}) {
    if (*a == allowed) return a;
  }
  return std::nullopt;
}

}  // namespace

void AddStaffPortalRoutes(std::vector<Route>& routes, store::Database& db,
                          public_side::PublicAuditLog* audit, const ResidentLimits& limits) {
  if (audit == nullptr) return;
  public_side::PublicAuditLog& log = *audit;
  // The pages check their own session; the server's authentication step is not theirs.
  const auto page = [](Route r) {
    r.own_authentication = true;
    r.action = std::nullopt;
    return r;
  };

  for (const std::string lang : {"ur", "en", "zh"}) {
    // --- Sign-in and sign-out -------------------------------------------------
    routes.push_back(page(Declare<service::NoParams>(
        "GET", "/" + lang + "/staff/sign-in", "Staff pages: sign in (" + lang + ")",
        [&db, lang](const Request& request, const service::NoParams&) {
          if (SessionOf(db, request)) return SeeOther("/" + lang + "/staff");
          return StaffHtml(portal::StaffSignIn(lang, false, ""));
        },
        std::nullopt)));
    routes.push_back(limits.Limit(
        "sign-in", limits.allowance().sign_ins_per_hour, lang,
        page(Declare<service::NoParams>(
            "POST", "/" + lang + "/staff/sign-in",
            "Staff pages: sign in with the account's name and password (a form; sets the "
            "session cookie)",
            [&db, &log, lang](const Request& request, const service::NoParams&) {
              if (auto ok = public_http::RequireSecureTransport(request); !ok) {
                return public_http::Private(ErrorResponse(ok.error()));
              }
              // Login CSRF: another site's form must not sign a browser in.
              if (!OriginIsHostOrAbsent(request)) {
                return public_http::Private(ErrorResponse(
                    {ErrorCode::kPermissionDenied, "sign-in from another origin is refused"}));
              }
              auto form = ParseForm(request.body, 4);
              const std::string name = form ? Field(*form, "name").value_or("") : "";
              const std::string password = form ? Field(*form, "password").value_or("") : "";
              auto session = public_side::SignIn(db, log, name, password);
              if (!session) {
                return StaffHtml(portal::StaffSignIn(lang, true, name.substr(0, 64)),
                                 StatusOf(session.error()));
              }
              Response r = SeeOther("/" + lang + "/staff");
              r.headers.emplace_back(
                  "Set-Cookie", SessionCookie(session->token, public_side::kStaffSessionSeconds));
              return r;
            },
            std::nullopt))));
    routes.push_back(page(Declare<service::NoParams>(
        "POST", "/" + lang + "/staff/sign-out", "Staff pages: sign out (ends this session)",
        [&db, &log, lang](const Request& request, const service::NoParams&) {
          auto s = SessionOf(db, request);
          if (!s) return ToSignIn(lang);
          Response refusal;
          if (!CheckedForm(request, *s, 2, refusal)) return refusal;
          if (auto out = public_side::SignOut(db, log, s->caller, s->token); !out) {
            return public_http::Private(ErrorResponse(out.error()));
          }
          Response r = ToSignIn(lang);
          r.headers.emplace_back("Set-Cookie", SessionCookie("", 0));
          return r;
        },
        std::nullopt)));

    // --- Grievance officers -----------------------------------------------------
    routes.push_back(page(Declare<CasesParams>(
        "GET", "/" + lang + "/staff", "Staff pages: the cases an officer may see, overdue first",
        [&db, lang](const Request& request, const CasesParams& p) {
          auto s = SessionOf(db, request);
          if (!s) return ToSignIn(lang);
          if (!s->frame.Has("grievance-officer") && !s->frame.Has("public-admin")) {
            if (s->frame.Has("moderator")) return SeeOther("/" + lang + "/staff/moderation");
            return StaffHtml(portal::StaffRefused(lang, s->frame, 403), 403);
          }
          auto now = public_side::GrievanceNow();
          if (!now) return public_http::Private(ErrorResponse(now.error()));
          public_side::GrievanceListFilter f;
          f.mine = p.mine;
          f.overdue_only = p.overdue;
          f.limit = 1000;
          auto list = public_side::ListGrievances(db, s->caller, f, *now);
          if (!list) return StaffHtml(portal::StaffRefused(lang, s->frame, 403), 403);
          json cases = json::array();
          for (const auto& v : *list) cases.push_back(public_side::OfficerJson(v));
          return StaffHtml(
              portal::StaffCases(lang, s->frame, cases, {p.mine, p.overdue}, Districts(db)));
        },
        std::nullopt)));

    const auto case_page = [&db, &log, lang](const Session& s, const std::string& id,
                                             const std::string& notice, bool refused, int status) {
      auto now = public_side::GrievanceNow();
      if (!now) return public_http::Private(ErrorResponse(now.error()));
      auto v = public_side::ShowGrievance(db, log, s.caller, id, *now);
      if (!v) {
        const int code = v.error().code == ErrorCode::kNotFound ? 404 : 403;
        return StaffHtml(portal::StaffRefused(lang, s.frame, code), code);
      }
      auto attachments = public_side::ListAttachments(db, s.caller, id);
      return StaffHtml(portal::StaffCase(lang, s.frame, public_side::OfficerJson(*v),
                                         attachments ? *attachments : json::object(), Districts(db),
                                         notice, refused),
                       status);
    };
    routes.push_back(page(Declare<CasePageParams>(
        "GET", "/" + lang + "/staff/cases/{id}",
        "Staff pages: one case with its history, deadlines, attachments and the actions its "
        "state allows (the contact for its officer, audited)",
        [&db, lang, case_page](const Request& request, const CasePageParams& p) {
          auto s = SessionOf(db, request);
          if (!s) return ToSignIn(lang);
          return case_page(*s, p.id.str(), p.saved ? "saved" : "", false, 200);
        },
        std::nullopt)));
    routes.push_back(page(Declare<CaseIdParams>(
        "POST", "/" + lang + "/staff/cases/{id}",
        "Staff pages: an officer's action on a case (a form: action, text)",
        [&db, &log, lang, case_page](const Request& request, const CaseIdParams& p) {
          auto s = SessionOf(db, request);
          if (!s) return ToSignIn(lang);
          Response refusal;
          auto form = CheckedForm(request, *s, 4, refusal);
          if (!form) return refusal;
          const auto action = OfficerAction(Field(*form, "action").value_or(""));
          if (!action)
            return case_page(*s, p.id.str(), "action: not an officer's action", true, 400);
          const std::string text = Field(*form, "text").value_or("");
          if (text.size() > public_side::kMaxGrievanceText) {
            return case_page(*s, p.id.str(), "text: at most 4000 bytes", true, 400);
          }
          auto now = public_side::GrievanceNow();
          if (!now) return public_http::Private(ErrorResponse(now.error()));
          auto done = public_side::OfficerAct(db, log, s->caller, p.id.str(), *action, text, *now);
          if (!done) {
            return case_page(*s, p.id.str(), done.error().message, true, StatusOf(done.error()));
          }
          // Post, redirect, get: a reload does not act twice.
          return SeeOther("/" + lang + "/staff/cases/" + p.id.str() + "?saved=true");
        },
        std::nullopt)));
    routes.push_back(page(Declare<AttachmentParams>(
        "GET", "/" + lang + "/staff/cases/{id}/attachments/{seq}",
        "Staff pages: one attachment as a download (each read audited)",
        [&db, &log, lang](const Request& request, const AttachmentParams& p) {
          auto s = SessionOf(db, request);
          if (!s) return ToSignIn(lang);
          auto file = public_side::ReadAttachment(db, log, s->caller, p.id.str(), p.seq);
          if (!file) return public_http::Private(ErrorResponse(file.error()));
          return public_http::AttachmentDownload(std::move(*file), p.id.str(), p.seq);
        },
        std::nullopt)));

    // --- Moderators ---------------------------------------------------------------
    const auto queue_page = [&db, lang](const Session& s, const std::string& notice, bool refused,
                                        int status) {
      auto queue = public_side::ModerationQueueJson(db, s.caller);
      if (!queue) return StaffHtml(portal::StaffRefused(lang, s.frame, 403), 403);
      return StaffHtml(portal::StaffModeration(lang, s.frame, (*queue)["items"],
                                               public_side::ModerationRules(), notice, refused),
                       status);
    };
    routes.push_back(page(Declare<SavedParams>(
        "GET", "/" + lang + "/staff/moderation",
        "Staff pages: what is held for moderation, each with its decision form",
        [&db, lang, queue_page](const Request& request, const SavedParams& p) {
          auto s = SessionOf(db, request);
          if (!s) return ToSignIn(lang);
          return queue_page(*s, p.saved ? "saved" : "", false, 200);
        },
        std::nullopt)));
    routes.push_back(page(Declare<service::NoParams>(
        "POST", "/" + lang + "/staff/moderation",
        "Staff pages: a moderator's decision (a form: kind, id, decision, rule, title, body)",
        [&db, &log, lang, queue_page](const Request& request, const service::NoParams&) {
          auto s = SessionOf(db, request);
          if (!s) return ToSignIn(lang);
          Response refusal;
          auto form = CheckedForm(request, *s, 8, refusal);
          if (!form) return refusal;
          const auto field = [&](const char* name) { return Field(*form, name).value_or(""); };
          public_side::ModerationInput in{field("decision"), field("rule"), field("title"),
                                          field("body")};
          const std::string kind = field("kind");
          Result<void> done;
          if (kind == "proposal") {
            auto m = public_side::Moderate(db, log, s->caller, field("id"), in, NowTimestamp());
            if (!m) done = Fail(m.error());
          } else if (kind == "comment") {
            in.title.clear();
            auto m =
                public_side::ModerateComment(db, log, s->caller, field("id"), in, NowTimestamp());
            if (!m) done = Fail(m.error());
          } else {
            done = Fail(ErrorCode::kInvalidArgument, "kind: expected proposal or comment");
          }
          if (!done) return queue_page(*s, done.error().message, true, StatusOf(done.error()));
          return SeeOther("/" + lang + "/staff/moderation?saved=true");
        },
        std::nullopt)));
  }
}

}  // namespace corridor::api
