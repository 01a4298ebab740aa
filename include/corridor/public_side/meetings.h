// Forums and meetings with NGOs and the community task forces, and the
// public calendar (issue 14 §2; docs/public.md "Meetings and the public
// calendar"): one call per use case, shared by the public API and
// `corridor public meetings`.
//
// A moderator or public-admin schedules a meeting for a district (optionally
// about a project or a consultation): agenda, place, start and end, the
// organisations taking part, and the proposals it will discuss. Once it has
// begun its minutes are recorded (it is then "held"); before that it may be
// cancelled with a reason. Every change a subscriber should see bumps the
// iCalendar SEQUENCE. Staff moves are on the public audit chain.
//
// A meeting names organisations, never people: the agenda, place and minutes
// go through the personal-data filter (consultations.h LooksPersonal) and a
// text it catches is refused with the field named, for the moderator to
// rewrite (staff text is never held silently).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/public_side/service.h"
#include "corridor/store/database.h"
#include "corridor/store/meeting_store.h"

namespace corridor::public_side {

inline constexpr std::size_t kMaxMeetingTitle = 200;
inline constexpr std::size_t kMaxMeetingAgenda = 4000;
inline constexpr std::size_t kMaxMeetingPlace = 300;
inline constexpr std::size_t kMaxMeetingMinutes = 20000;
inline constexpr std::size_t kMaxMeetingOrganisations = 30;
inline constexpr std::size_t kMaxOrganisationName = 160;
inline constexpr std::size_t kMaxMeetingProposals = 50;
inline constexpr std::int64_t kMaxMeetingHours = 12;

// A meeting time as a moderator types it — "2026-12-10T10:00" or
// "2026-12-10 10:00" in Asia/Karachi (UTC+05:00 all year), or RFC 3339 with
// "Z" or an offset ("2026-12-10T05:00:00Z", "…+05:00") — as the stored UTC
// form "2026-12-10T05:00:00.000Z". nullopt when it is none of those or not a
// real date and time.
std::optional<std::string> ParseMeetingTime(std::string_view text);

struct MeetingInput {
  std::string district, project_id, consultation_id;
  std::string title, agenda, place;
  std::string starts_at, ends_at;  // as ParseMeetingTime reads them
  std::vector<std::string> organisations;
  std::vector<std::string> proposal_ids;  // proposals of a consultation in the same district
};
// Moderator, public-admin or the operator. kInvalidArgument naming the field
// for: an unknown district; an empty title; a time ParseMeetingTime cannot
// read; an end not after the start or more than kMaxMeetingHours later; more
// organisations or proposals than the bounds, or an empty or repeated one;
// a consultation or proposal that does not exist or is another district's;
// personal data in the agenda or place. Audited ("meeting-schedule").
Result<store::Meeting> ScheduleMeeting(store::Database& db, PublicAuditLog& audit,
                                       const PublicCaller& caller, const MeetingInput& in,
                                       const std::string& now);
// The minutes of a meeting that has begun (kConflict before its start or when
// cancelled); they may be corrected later (each write bumps the sequence).
// Refused with personal data in them. Audited ("meeting-minutes").
Result<store::Meeting> RecordMinutes(store::Database& db, PublicAuditLog& audit,
                                     const PublicCaller& caller, const std::string& id,
                                     const std::string& minutes, const std::string& now);
// Cancels a scheduled meeting with a reason shown to the public (kConflict
// once held). Audited ("meeting-cancel").
Result<store::Meeting> CancelMeeting(store::Database& db, PublicAuditLog& audit,
                                     const PublicCaller& caller, const std::string& id,
                                     const std::string& reason, const std::string& now);

// Open data. {"items": [meeting…], "count"}; a meeting as MeetingJson.
// `q.from`/`q.to` as ParseMeetingTime reads them (kInvalidArgument otherwise).
Result<nlohmann::json> ListMeetingsJson(const store::Database& db, store::MeetingQuery q);
// {"id","district","project"?,"consultation"?,"title","agenda","place",
//  "starts_at","ends_at","organisations":[…],"proposals":[{"id","title"?,
//  "consultation"}],"state","minutes"?,"minutes_at"?,"cancel_reason"?,"sequence"}
// (a linked proposal held by moderation shows no title). No staff name.
Result<nlohmann::json> MeetingJson(const store::Database& db, const std::string& id);

// The public calendar as iCalendar (RFC 5545, made with libical): one VEVENT
// per meeting of `q` with UID "<id>@<host>", DTSTAMP `now`, DTSTART/DTEND in
// UTC, SUMMARY, LOCATION, DESCRIPTION (agenda, organisations, and the link),
// STATUS (CONFIRMED or CANCELLED), SEQUENCE, LAST-MODIFIED and URL
// `<base_uri>/<lang>/meetings/<id>`. Lines end in CRLF and fold at 75 octets
// without splitting a character. `name` is the calendar's X-WR-CALNAME.
Result<std::string> CalendarIcs(const store::Database& db, const store::MeetingQuery& q,
                                const std::string& base_uri, const std::string& lang,
                                const std::string& name, const std::string& now);

}  // namespace corridor::public_side
