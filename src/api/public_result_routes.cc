// Results tracking over HTTP (issue 14 §2; docs/public.md "Results
// tracking"): the same use cases as `corridor public results`
// (public_side/outcomes.h).
#include "api/public_result_routes.h"

#include <map>

#include "api/public_common.h"
#include "corridor/common/date.h"
#include "corridor/common/strings.h"
#include "corridor/public_side/outcomes.h"
#include "corridor/service/schema.h"

namespace corridor::api {
namespace {

using nlohmann::json;
using public_http::BearerCaller;
using public_http::Unauthenticated;

struct IdParams {
  std::string id;
  static const service::ParamSchema<IdParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<IdParams>()
            .Text("id", &IdParams::id, "A result's (or, to record one, a consultation's) id", 64)
            .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return {}; }
};

// The members of a JSON object body: strings into `text`, string arrays into
// `lists`, the integer `progress`; anything else is refused by its pointer.
Result<void> ReadBody(const std::string& body, const std::map<std::string, std::string*>& text,
                      const std::map<std::string, std::vector<std::string>*>& lists,
                      std::int64_t* progress) {
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "body: expected a JSON object");
  }
  for (const auto& [key, value] : doc.items()) {
    if (auto l = lists.find(key); l != lists.end()) {
      if (auto ok = public_http::StringArray(value, key, *l->second); !ok) return ok;
      continue;
    }
    if (key == "progress" && progress != nullptr) {
      if (!value.is_number_integer()) {
        return Fail(ErrorCode::kInvalidArgument, "/progress: expected an integer 0 to 100");
      }
      *progress = value.get<std::int64_t>();
      continue;
    }
    auto t = text.find(key);
    if (t == text.end()) {
      return Fail(ErrorCode::kInvalidArgument, "/" + Excerpt(key, 64) + ": not a member here");
    }
    if (!value.is_string()) {
      return Fail(ErrorCode::kInvalidArgument, "/" + key + ": expected a string");
    }
    *t->second = value.get<std::string>();
  }
  return {};
}

Response Moved(const Result<store::Outcome>& o, int status) {
  if (!o) return ErrorResponse(o.error());
  Response r = JsonResponse({{"id", o->id}, {"status", o->status}, {"progress", o->progress}});
  r.status = status;
  return r;
}

}  // namespace

void AddResultRoutes(std::vector<Route>& routes, store::Database& db,
                     public_side::PublicAuditLog* audit) {
  routes.push_back(public_http::OpenRoute(Declare<IdParams>(
      "GET", "/public/api/v1/results/{id}",
      "A result of a consultation: status, progress, linked proposals and meetings, the "
      "decision, and every progress update in order",
      [&db](const Request&, const IdParams& p) {
        auto j = public_side::OutcomeJson(db, p.id);
        if (!j) return ErrorResponse(j.error());
        return JsonResponse(*j);
      },
      std::nullopt)));
  if (audit == nullptr) return;
  public_side::PublicAuditLog& log = *audit;
  auto staff = [&db](Route r) { return public_http::StaffRoute(db, std::move(r)); };
  const json text = {{"type", "string"}};
  const json list = {{"type", "array"}, {"items", text}, {"maxItems", 50}};
  const json date = {{"type", "string"}, {"format", "date"}};

  Route track = staff(Declare<IdParams>(
      "POST", "/public/api/v1/consultations/{id}/results",
      "Record a result of the consultation (a moderator's or public-admin's token)",
      [&db, &log](const Request& request, const IdParams& p) {
        auto caller = BearerCaller(db, request);
        if (!caller) return Unauthenticated(caller.error());
        public_side::OutcomeInput in;
        in.consultation_id = p.id;
        auto ok =
            ReadBody(request.body,
                     {{"title", &in.title},
                      {"description", &in.description},
                      {"decision", &in.decision},
                      {"decided_on", &in.decided_on}},
                     {{"proposals", &in.proposal_ids}, {"meetings", &in.meeting_ids}}, nullptr);
        if (!ok) return ErrorResponse(ok.error());
        return Moved(public_side::TrackOutcome(db, log, *caller, in, NowTimestamp()), 201);
      },
      std::nullopt));
  track.request_body = public_http::ObjectSchema(
      {"title"}, {{"title", {{"type", "string"}, {"maxLength", 200}}},
                  {"description", {{"type", "string"}, {"maxLength", 4000}}},
                  {"proposals", list},
                  {"meetings", list},
                  {"decision", {{"type", "string"}, {"maxLength", 4000}}},
                  {"decided_on", date}});
  routes.push_back(std::move(track));

  Route progress = staff(Declare<IdParams>(
      "POST", "/public/api/v1/results/{id}/progress",
      "Report a result's progress with a note the public reads (a moderator's or public-admin's "
      "token); completed or cancelled is final",
      [&db, &log](const Request& request, const IdParams& p) {
        auto caller = BearerCaller(db, request);
        if (!caller) return Unauthenticated(caller.error());
        public_side::ProgressInput in;
        auto ok = ReadBody(request.body,
                           {{"status", &in.status},
                            {"note", &in.note},
                            {"decision", &in.decision},
                            {"decided_on", &in.decided_on}},
                           {}, &in.progress);
        if (!ok) return ErrorResponse(ok.error());
        return Moved(public_side::ReportProgress(db, log, *caller, p.id, in, NowTimestamp()), 200);
      },
      std::nullopt));
  progress.request_body = public_http::ObjectSchema(
      {"status", "note"},
      {{"status", {{"type", "string"}, {"enum", public_side::OutcomeStatuses()}}},
       {"progress", {{"type", "integer"}, {"minimum", 0}, {"maximum", 100}}},
       {"note", {{"type", "string"}, {"maxLength", 1000}}},
       {"decision", {{"type", "string"}, {"maxLength", 4000}}},
       {"decided_on", date}});
  routes.push_back(std::move(progress));
}

}  // namespace corridor::api
