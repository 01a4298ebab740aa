// Forums, meetings and the public calendar (public_side/meetings.h).
#include "corridor/public_side/meetings.h"

#include <libical/ical.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <set>

#include "corridor/common/date.h"
#include "corridor/common/strings.h"
#include "corridor/common/uuid.h"
#include "corridor/public_side/consultations.h"
#include "corridor/store/consultation_store.h"
#include "public/staff.h"

namespace corridor::public_side {
namespace {

using nlohmann::json;

constexpr std::int64_t kKarachiOffset =
    std::int64_t{5} * 3600;  // Asia/Karachi: UTC+05:00, no daylight time

// Digits at text[at..at+n) as a number; -1 when any is not a digit.
int Number(std::string_view text, std::size_t at, std::size_t n) {
  if (at + n > text.size()) return -1;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    v = v * 10 + (text[i] - '0');
  }
  return v;
}

// A caller-given time window in the stored form ("" stays "").
Result<std::string> Bound(const char* field, const std::string& text) {
  if (text.empty()) return std::string();
  auto t = ParseMeetingTime(text);
  if (!t) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(field) + ": '" + Excerpt(text, 40) +
                    "' is not a date and time (2026-12-10T10:00 in Pakistan time, or RFC 3339)");
  }
  return *t;
}

json ToJson(const store::Meeting& m, store::Transaction& tx, store::ConsultationStore& s) {
  json j = {{"id", m.id},           {"district", m.district},
            {"title", m.title},     {"agenda", m.agenda},
            {"place", m.place},     {"starts_at", m.starts_at},
            {"ends_at", m.ends_at}, {"organisations", m.organisations},
            {"state", m.state},     {"sequence", m.sequence}};
  if (!m.project_id.empty()) j["project"] = m.project_id;
  if (!m.consultation_id.empty()) j["consultation"] = m.consultation_id;
  j["proposals"] = json::array();
  for (const auto& id : m.proposal_ids) {
    json p = {{"id", id}};
    auto found = s.GetProposal(tx, id);
    if (found && *found) {
      p["consultation"] = (*found)->consultation_id;
      if ((*found)->moderation.empty()) p["title"] = (*found)->title;
    }
    j["proposals"].push_back(std::move(p));
  }
  if (m.state == "held") {
    j["minutes"] = m.minutes;
    j["minutes_at"] = m.minutes_at;
  }
  if (m.state == "cancelled") j["cancel_reason"] = m.cancel_reason;
  return j;
}

// Writes `next` over `before` (compare-and-set) and audits `action`.
Result<store::Meeting> Save(store::Transaction& tx, store::MeetingStore& s, PublicAuditLog& audit,
                            const PublicCaller& caller, const store::Meeting& before,
                            store::Meeting next, const std::string& action) {
  auto written = s.UpdateMeeting(tx, before, next);
  if (!written) return Fail(written.error());
  if (!*written) return Fail(ErrorCode::kConflict, "the meeting changed meanwhile; try again");
  auto e = audit.Record(tx, caller.actor, action, {before.id},
                        json{{"state", next.state}, {"sequence", next.sequence}}.dump());
  if (!e) return Fail(e.error());
  next.version = before.version + 1;
  return next;
}

// The meeting `id` for a staff move, after the role check.
Result<store::Meeting> StaffGet(store::Transaction& tx, store::MeetingStore& s,
                                const PublicCaller& caller, const std::string& id) {
  if (auto ok = MayModerate(tx, caller, true); !ok) return Fail(ok.error());
  auto m = s.GetMeeting(tx, id);
  if (!m) return Fail(m.error());
  if (!*m) return Fail(ErrorCode::kNotFound, "no meeting " + Excerpt(id, 64));
  return std::move(**m);
}

// libical owns what it makes; these free it.
struct IcalFree {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, IcalFree>;

icaltimetype IcalTime(const std::string& rfc3339) {
  const auto t = ParseUnixTimestamp(rfc3339).value_or(0);
  return icaltime_from_timet_with_zone(static_cast<time_t>(t), 0, icaltimezone_get_utc_timezone());
}

}  // namespace

std::optional<std::string> ParseMeetingTime(std::string_view text) {
  text = Trim(text);
  if (text.size() < 16 || (text[10] != 'T' && text[10] != ' ')) return std::nullopt;
  auto date = Date::ParseIso(text.substr(0, 10));
  const int hour = Number(text, 11, 2), minute = Number(text, 14, 2);
  if (!date || text[13] != ':' || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    return std::nullopt;
  }
  std::size_t at = 16;
  int second = 0;
  if (at < text.size() && text[at] == ':') {
    second = Number(text, at + 1, 2);
    if (second < 0 || second > 59) return std::nullopt;
    at += 3;
    if (at < text.size() && text[at] == '.') {  // fractions of a second are dropped
      ++at;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
    }
  }
  std::int64_t offset = kKarachiOffset;  // no zone: Pakistan time
  const std::string_view zone = text.substr(at);
  if (zone == "Z" || zone == "z") {
    offset = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    const int h = Number(zone, 1, 2), m = Number(zone, 4, 2);
    if (h < 0 || h > 14 || m < 0 || m > 59) return std::nullopt;
    offset = (zone[0] == '-' ? -1 : 1) * (std::int64_t{h} * 3600 + std::int64_t{m} * 60);
  } else if (!zone.empty()) {
    return std::nullopt;
  }
  const std::int64_t local = static_cast<std::int64_t>(date->days()) * 86400 +
                             std::int64_t{hour} * 3600 + std::int64_t{minute} * 60 + second;
  return FormatUnixTimestamp(local - offset);
}

Result<store::Meeting> ScheduleMeeting(store::Database& db, PublicAuditLog& audit,
                                       const PublicCaller& caller, const MeetingInput& in,
                                       const std::string& now) {
  if (!KnownDistrict(in.district)) {
    return Fail(ErrorCode::kInvalidArgument,
                "district: '" + Excerpt(in.district, 16) + "' is not a district P-code");
  }
  if (auto ok = CheckText("title", in.title, kMaxMeetingTitle); !ok) return Fail(ok.error());
  if (Trim(in.title).empty()) return Fail(ErrorCode::kInvalidArgument, "title: empty");
  if (auto ok = CheckText("agenda", in.agenda, kMaxMeetingAgenda, true); !ok) {
    return Fail(ok.error());
  }
  if (auto ok = CheckText("place", in.place, kMaxMeetingPlace); !ok) return Fail(ok.error());
  if (Trim(in.place).empty()) return Fail(ErrorCode::kInvalidArgument, "place: empty");
  for (const auto& [field, text] :
       {std::pair{"project", &in.project_id}, std::pair{"consultation", &in.consultation_id}}) {
    if (auto ok = CheckText(field, *text, 64); !ok) return Fail(ok.error());
  }
  if (auto ok = NotPersonal("title", in.title); !ok) return Fail(ok.error());
  if (auto ok = NotPersonal("agenda", in.agenda); !ok) return Fail(ok.error());
  if (auto ok = NotPersonal("place", in.place); !ok) return Fail(ok.error());
  auto starts = Bound("starts_at", in.starts_at);
  if (!starts) return Fail(starts.error());
  auto ends = Bound("ends_at", in.ends_at);
  if (!ends) return Fail(ends.error());
  if (starts->empty()) return Fail(ErrorCode::kInvalidArgument, "starts_at: required");
  if (ends->empty()) return Fail(ErrorCode::kInvalidArgument, "ends_at: required");
  const auto length = *ParseUnixTimestamp(*ends) - *ParseUnixTimestamp(*starts);
  if (length <= 0) return Fail(ErrorCode::kInvalidArgument, "ends_at: not after starts_at");
  if (length > kMaxMeetingHours * 3600) {
    return Fail(ErrorCode::kInvalidArgument,
                "ends_at: a meeting lasts " + std::to_string(kMaxMeetingHours) +
                    " hours at most; schedule each day of a longer forum as its own meeting");
  }
  if (auto ok = CheckNames("organisations", in.organisations, kMaxMeetingOrganisations,
                           kMaxOrganisationName);
      !ok) {
    return Fail(ok.error());
  }
  for (std::size_t i = 0; i < in.organisations.size(); ++i) {
    if (auto ok = NotPersonal("organisations", in.organisations[i]); !ok) {
      return Fail(ok.error());
    }
  }
  if (auto ok = CheckNames("proposals", in.proposal_ids, kMaxMeetingProposals, 64); !ok) {
    return Fail(ok.error());
  }
  store::Meeting m;
  m.id = Uuid::V4().str();
  m.district = in.district;
  m.project_id = in.project_id;
  m.consultation_id = in.consultation_id;
  m.title = in.title;
  m.agenda = in.agenda;
  m.place = in.place;
  m.starts_at = *starts;
  m.ends_at = *ends;
  m.organisations = in.organisations;
  m.proposal_ids = in.proposal_ids;
  m.created_by = caller.actor;
  m.created_at = now;
  m.updated_at = now;
  auto meetings = store::NewMeetingStore();
  auto consultations = store::NewConsultationStore();
  auto done = store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<void> {
    if (auto ok = MayModerate(tx, caller, true); !ok) return ok;
    // Linked consultations and proposals exist and are this district's.
    const auto district_of = [&](const std::string& consultation) -> Result<std::string> {
      auto c = consultations->GetConsultation(tx, consultation);
      if (!c) return Fail(c.error());
      if (!*c) return std::string();
      return (*c)->district;
    };
    if (!m.consultation_id.empty()) {
      auto d = district_of(m.consultation_id);
      if (!d) return Fail(d.error());
      if (*d != m.district) {
        return Fail(ErrorCode::kInvalidArgument, "consultation: no consultation " +
                                                     Excerpt(m.consultation_id, 64) + " in " +
                                                     m.district);
      }
    }
    for (std::size_t i = 0; i < m.proposal_ids.size(); ++i) {
      auto p = consultations->GetProposal(tx, m.proposal_ids[i]);
      if (!p) return Fail(p.error());
      auto d = *p ? district_of((*p)->consultation_id) : Result<std::string>(std::string());
      if (!d) return Fail(d.error());
      if (*d != m.district) {
        return Fail(ErrorCode::kInvalidArgument,
                    "proposals/" + std::to_string(i) + ": no proposal " +
                        Excerpt(m.proposal_ids[i], 64) + " in " + m.district);
      }
    }
    if (auto ok = meetings->AddMeeting(tx, m); !ok) return ok;
    auto e = audit.Record(tx, caller.actor, "meeting-schedule", {m.id},
                          json{{"district", m.district}, {"starts_at", m.starts_at}}.dump());
    if (!e) return Fail(e.error());
    return {};
  });
  if (!done) return Fail(done.error());
  return m;
}

Result<store::Meeting> RecordMinutes(store::Database& db, PublicAuditLog& audit,
                                     const PublicCaller& caller, const std::string& id,
                                     const std::string& minutes, const std::string& now) {
  if (auto ok = CheckText("minutes", minutes, kMaxMeetingMinutes, true); !ok) {
    return Fail(ok.error());
  }
  if (Trim(minutes).empty()) return Fail(ErrorCode::kInvalidArgument, "minutes: empty");
  if (auto ok = NotPersonal("minutes", minutes); !ok) return Fail(ok.error());
  auto s = store::NewMeetingStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<store::Meeting> {
    auto m = StaffGet(tx, *s, caller, id);
    if (!m) return Fail(m.error());
    if (m->state == "cancelled") return Fail(ErrorCode::kConflict, "the meeting was cancelled");
    if (ParseUnixTimestamp(now).value_or(0) < ParseUnixTimestamp(m->starts_at).value_or(0)) {
      return Fail(ErrorCode::kConflict, "the meeting has not begun (it starts " + m->starts_at +
                                            "); minutes come after it");
    }
    store::Meeting next = *m;
    next.state = "held";
    next.minutes = minutes;
    next.minutes_at = now;
    next.updated_at = now;
    ++next.sequence;
    return Save(tx, *s, audit, caller, *m, std::move(next), "meeting-minutes");
  });
}

Result<store::Meeting> CancelMeeting(store::Database& db, PublicAuditLog& audit,
                                     const PublicCaller& caller, const std::string& id,
                                     const std::string& reason, const std::string& now) {
  if (auto ok = CheckText("reason", reason, kMaxMeetingPlace); !ok) return Fail(ok.error());
  if (Trim(reason).empty()) return Fail(ErrorCode::kInvalidArgument, "reason: empty");
  if (auto ok = NotPersonal("reason", reason); !ok) return Fail(ok.error());
  auto s = store::NewMeetingStore();
  return store::InWriteTransaction(db, [&](store::Transaction& tx) -> Result<store::Meeting> {
    auto m = StaffGet(tx, *s, caller, id);
    if (!m) return Fail(m.error());
    if (m->state != "scheduled") {
      return Fail(ErrorCode::kConflict, "the meeting is " + m->state + ", not scheduled");
    }
    store::Meeting next = *m;
    next.state = "cancelled";
    next.cancel_reason = reason;
    next.updated_at = now;
    ++next.sequence;
    return Save(tx, *s, audit, caller, *m, std::move(next), "meeting-cancel");
  });
}

Result<json> ListMeetingsJson(const store::Database& db, store::MeetingQuery q) {
  auto from = Bound("from", q.from);
  if (!from) return Fail(from.error());
  auto to = Bound("to", q.to);
  if (!to) return Fail(to.error());
  q.from = *from;
  q.to = *to;
  auto meetings = store::NewMeetingStore();
  auto consultations = store::NewConsultationStore();
  return store::InReadTransaction(db, [&](store::Transaction& tx) -> Result<json> {
    auto all = meetings->ListMeetings(tx, q);
    if (!all) return Fail(all.error());
    json items = json::array();
    for (const auto& m : *all) items.push_back(ToJson(m, tx, *consultations));
    return json{{"items", items}, {"count", items.size()}};
  });
}

Result<json> MeetingJson(const store::Database& db, const std::string& id) {
  auto meetings = store::NewMeetingStore();
  auto consultations = store::NewConsultationStore();
  return store::InReadTransaction(db, [&](store::Transaction& tx) -> Result<json> {
    auto m = meetings->GetMeeting(tx, id);
    if (!m) return Fail(m.error());
    if (!*m) return Fail(ErrorCode::kNotFound, "no meeting " + Excerpt(id, 64));
    return ToJson(**m, tx, *consultations);
  });
}

Result<std::string> CalendarIcs(const store::Database& db, const store::MeetingQuery& q,
                                const std::string& base_uri, const std::string& lang,
                                const std::string& name, const std::string& now) {
  auto list = ListMeetingsJson(db, q);
  if (!list) return Fail(list.error());
  std::string host =
      base_uri.substr(base_uri.find("//") == std::string::npos ? 0 : base_uri.find("//") + 2);
  host = host.substr(0, host.find('/'));
  if (host.empty()) host = "corridor.invalid";
  Component cal(icalcomponent_new_vcalendar());
  icalcomponent_add_property(cal.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal.get(),
                             icalproperty_new_prodid("-//Corridor//Public meetings//EN"));
  icalcomponent_add_property(cal.get(), icalproperty_new_calscale("GREGORIAN"));
  icalproperty* calname = icalproperty_new_x(name.c_str());
  icalproperty_set_x_name(calname, "X-WR-CALNAME");
  icalcomponent_add_property(cal.get(), calname);
  icalproperty* zone = icalproperty_new_x("Asia/Karachi");
  icalproperty_set_x_name(zone, "X-WR-TIMEZONE");
  icalcomponent_add_property(cal.get(), zone);
  const icaltimetype stamp = IcalTime(now);
  for (const auto& m : (*list)["items"]) {
    const std::string id = m["id"].get<std::string>();
    const std::string url = base_uri + "/" + lang + "/meetings/" + id;
    std::string description = m["agenda"].get<std::string>();
    if (!m["organisations"].empty()) {
      description += description.empty() ? "" : "\n\n";
      for (const auto& o : m["organisations"]) description += "• " + o.get<std::string>() + "\n";
    }
    if (m.contains("cancel_reason")) {
      description = m["cancel_reason"].get<std::string>() + "\n\n" + description;
    }
    description += (description.empty() ? "" : "\n") + url;
    icalcomponent* ev = icalcomponent_new_vevent();
    icalcomponent_add_property(ev, icalproperty_new_uid((id + "@" + host).c_str()));
    icalcomponent_add_property(ev, icalproperty_new_dtstamp(stamp));
    icalcomponent_add_property(ev, icalproperty_new_dtstart(IcalTime(m["starts_at"])));
    icalcomponent_add_property(ev, icalproperty_new_dtend(IcalTime(m["ends_at"])));
    icalcomponent_add_property(ev, icalproperty_new_summary(m["title"].get<std::string>().c_str()));
    icalcomponent_add_property(ev,
                               icalproperty_new_location(m["place"].get<std::string>().c_str()));
    icalcomponent_add_property(ev, icalproperty_new_description(description.c_str()));
    icalcomponent_add_property(
        ev, icalproperty_new_status(m["state"] == "cancelled" ? ICAL_STATUS_CANCELLED
                                                              : ICAL_STATUS_CONFIRMED));
    icalcomponent_add_property(
        ev, icalproperty_new_sequence(static_cast<int>(m["sequence"].get<std::int64_t>())));
    icalcomponent_add_property(ev, icalproperty_new_url(url.c_str()));
    icalcomponent_add_component(cal.get(), ev);
  }
  char* text = icalcomponent_as_ical_string_r(cal.get());
  if (text == nullptr) return Fail(ErrorCode::kInternal, "libical could not write the calendar");
  std::string out(text);
  std::free(text);  // NOLINT(cppcoreguidelines-no-malloc): libical's _r strings are malloc'd
  return out;
}

}  // namespace corridor::public_side
