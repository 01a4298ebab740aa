// Meetings and the public calendar over HTTP (issue 14 §2; docs/public.md
// "Meetings and the public calendar"): the same use cases as `corridor public
// meetings` (public_side/meetings.h).
#include "api/public_meeting_routes.h"

#include "api/public_common.h"
#include "api/public_portal.h"
#include "api/public_portal_meetings.h"
#include "corridor/common/date.h"
#include "corridor/common/strings.h"
#include "corridor/public_side/meetings.h"
#include "corridor/service/schema.h"

namespace corridor::api {
namespace {

using nlohmann::json;
using public_http::BearerCaller;
using public_http::Unauthenticated;

struct IdParams {
  std::string id;
  static const service::ParamSchema<IdParams>& Schema() {
    static const auto kSchema = service::ParamSchema<IdParams>()
                                    .Text("id", &IdParams::id, "A meeting's id", 64)
                                    .In(service::ParamIn::kPath);
    return kSchema;
  }
  Result<void> Validate() const { return {}; }
};

struct ListParams {
  std::string district, from, to, proposal;
  static const service::ParamSchema<ListParams>& Schema() {
    static const auto kSchema =
        service::ParamSchema<ListParams>()
            .Text("district", &ListParams::district, "Only this district's (P-code)", 16)
            .Text("from", &ListParams::from,
                  "Starting at or after (2026-12-10T10:00 in Pakistan time, or RFC 3339)", 40)
            .Text("to", &ListParams::to, "Starting at or before (as from)", 40)
            .Text("proposal", &ListParams::proposal, "Only meetings discussing this proposal", 64);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
  store::MeetingQuery Query() const {
    return {.district = district, .from = from, .to = to, .proposal_id = proposal};
  }
};

struct CalendarParams {
  std::string district;
  static const service::ParamSchema<CalendarParams>& Schema() {
    static const auto kSchema = service::ParamSchema<CalendarParams>().Text(
        "district", &CalendarParams::district, "Only this district's (P-code)", 16);
    return kSchema;
  }
  Result<void> Validate() const { return Schema().Check(*this); }
};

// The calendar and the portal show meetings from half a year ago on (the
// list is in time order with a bound, so old meetings must not crowd out new).
std::string RecentFrom() {
  const auto now = ParseUnixTimestamp(NowTimestamp()).value_or(0);
  return FormatUnixTimestamp(now - std::int64_t{183} * 86400);
}

Response Calendar(Result<std::string> ics) {
  if (!ics) return ErrorResponse(ics.error());
  Response r;
  r.content_type = "text/calendar; charset=utf-8";
  r.body = std::move(*ics);
  return public_http::Cached(std::move(r));
}

Result<public_side::MeetingInput> ReadMeeting(const std::string& body) {
  const json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "body: expected a JSON object");
  }
  public_side::MeetingInput in;
  for (const auto& [key, value] : doc.items()) {
    if (key == "organisations" || key == "proposals") {
      auto ok = public_http::StringArray(
          value, key, key == "organisations" ? in.organisations : in.proposal_ids);
      if (!ok) return Fail(ok.error());
      continue;
    }
    std::string* field = key == "district"       ? &in.district
                         : key == "project"      ? &in.project_id
                         : key == "consultation" ? &in.consultation_id
                         : key == "title"        ? &in.title
                         : key == "agenda"       ? &in.agenda
                         : key == "place"        ? &in.place
                         : key == "starts_at"    ? &in.starts_at
                         : key == "ends_at"      ? &in.ends_at
                                                 : nullptr;
    if (field == nullptr) {
      return Fail(ErrorCode::kInvalidArgument,
                  "/" + Excerpt(key, 64) + ": not a field of a meeting");
    }
    if (!value.is_string()) {
      return Fail(ErrorCode::kInvalidArgument, "/" + key + ": expected a string");
    }
    *field = value.get<std::string>();
  }
  return in;
}

}  // namespace

void AddMeetingRoutes(std::vector<Route>& routes, store::Database& db,
                      public_side::PublicAuditLog* audit, const std::string& base_uri) {
  const auto open = public_http::OpenRoute;
  routes.push_back(open(Declare<ListParams>(
      "GET", "/public/api/v1/meetings",
      "Meetings and forums in time order (200 at most), by district, time or linked proposal",
      [&db](const Request&, const ListParams& p) {
        auto j = public_side::ListMeetingsJson(db, p.Query());
        if (!j) return ErrorResponse(j.error());
        return JsonResponse(*j);
      },
      std::nullopt)));
  routes.push_back(open(Declare<CalendarParams>(
      "GET", "/public/api/v1/meetings.ics",
      "The public calendar as iCalendar (RFC 5545), to subscribe to from a phone or calendar",
      [&db, base_uri](const Request&, const CalendarParams& p) {
        return Calendar(public_side::CalendarIcs(db, {.district = p.district, .from = RecentFrom()},
                                                 base_uri, "ur", "Corridor: public meetings",
                                                 NowTimestamp()));
      },
      std::nullopt)));
  routes.push_back(open(Declare<IdParams>(
      "GET", "/public/api/v1/meetings/{id}",
      "A meeting: agenda, place, times, organisations, linked proposals, minutes",
      [&db](const Request&, const IdParams& p) {
        auto j = public_side::MeetingJson(db, p.id);
        if (!j) return ErrorResponse(j.error());
        return JsonResponse(*j);
      },
      std::nullopt)));
  routes.push_back(open(Declare<IdParams>(
      "GET", "/public/api/v1/meetings/{id}/event.ics", "One meeting as iCalendar (RFC 5545)",
      [&db, base_uri](const Request&, const IdParams& p) {
        auto one = public_side::MeetingJson(db, p.id);
        if (!one) return ErrorResponse(one.error());
        return Calendar(public_side::CalendarIcs(db, {.id = p.id}, base_uri, "ur",
                                                 "Corridor: public meetings", NowTimestamp()));
      },
      std::nullopt)));
  for (const std::string lang : {"ur", "en", "zh"}) {
    routes.push_back(open(Declare<service::NoParams>(
        "GET", "/" + lang + "/meetings", "Portal: meetings and forums (" + lang + ")",
        [&db, lang](const Request&, const service::NoParams&) {
          auto j = public_side::ListMeetingsJson(db, {.from = RecentFrom()});
          if (!j) return ErrorResponse(j.error());
          return public_http::Html(portal::MeetingList(lang, *j, NowTimestamp()));
        },
        std::nullopt)));
    routes.push_back(open(Declare<IdParams>(
        "GET", "/" + lang + "/meetings/{id}", "Portal: a meeting (" + lang + ")",
        [&db, lang](const Request&, const IdParams& p) {
          auto j = public_side::MeetingJson(db, p.id);
          if (!j) return public_http::Html(portal::NotFound(lang), 404);
          return public_http::Html(portal::MeetingPage(lang, *j));
        },
        std::nullopt)));
  }
  if (audit == nullptr) return;
  public_side::PublicAuditLog& log = *audit;
  auto staff = [&db](Route r) { return public_http::StaffRoute(db, std::move(r)); };

  Route schedule = staff(Declare<service::NoParams>(
      "POST", "/public/api/v1/meetings",
      "Schedule a meeting or forum (a moderator's or public-admin's token)",
      [&db, &log](const Request& request, const service::NoParams&) {
        auto caller = BearerCaller(db, request);
        if (!caller) return Unauthenticated(caller.error());
        auto in = ReadMeeting(request.body);
        if (!in) return ErrorResponse(in.error());
        auto m = public_side::ScheduleMeeting(db, log, *caller, *in, NowTimestamp());
        if (!m) return ErrorResponse(m.error());
        Response r = JsonResponse({{"id", m->id}, {"starts_at", m->starts_at}});
        r.status = 201;
        return r;
      },
      std::nullopt));
  const json text = {{"type", "string"}};
  const json list = {{"type", "array"}, {"items", text}};
  schedule.request_body = public_http::ObjectSchema(
      {"district", "title", "place", "starts_at", "ends_at"},
      {{"district", text},
       {"project", text},
       {"consultation", text},
       {"title", {{"type", "string"}, {"maxLength", 200}}},
       {"agenda", {{"type", "string"}, {"maxLength", 4000}}},
       {"place", {{"type", "string"}, {"maxLength", 300}}},
       {"starts_at",
        {{"type", "string"}, {"description", "2026-12-10T10:00 in Pakistan time, or RFC 3339"}}},
       {"ends_at", text},
       {"organisations", list},
       {"proposals", list}});
  routes.push_back(std::move(schedule));

  const auto staff_move = [&](const std::string& verb, const std::string& member,
                              const std::string& summary, std::size_t max_bytes, auto act) {
    Route r = staff(Declare<IdParams>(
        "POST", "/public/api/v1/meetings/{id}/" + verb, summary,
        [&db, &log, member, max_bytes, act](const Request& request, const IdParams& p) {
          auto caller = BearerCaller(db, request);
          if (!caller) return Unauthenticated(caller.error());
          auto body = public_http::StringMembers(request.body, {member}, {}, max_bytes);
          if (!body) return ErrorResponse(body.error());
          Result<store::Meeting> m = act(db, log, *caller, p.id, (*body)[member], NowTimestamp());
          if (!m) return ErrorResponse(m.error());
          return JsonResponse({{"id", m->id}, {"state", m->state}, {"sequence", m->sequence}});
        },
        std::nullopt));
    r.request_body = public_http::ObjectSchema(
        {member}, {{member, {{"type", "string"}, {"maxLength", max_bytes}}}});
    routes.push_back(std::move(r));
  };
  staff_move("minutes", "minutes",
             "The minutes of a meeting that has begun (a moderator's or public-admin's token)",
             public_side::kMaxMeetingMinutes, &public_side::RecordMinutes);
  staff_move("cancel", "reason",
             "Cancel a scheduled meeting with a reason shown to the public (a moderator's or "
             "public-admin's token)",
             public_side::kMaxMeetingPlace, &public_side::CancelMeeting);
}

}  // namespace corridor::api
