// `corridor public meetings …` (issue 14 §2, "Forums and meetings"): the same
// use cases as the public API (public_side/meetings.h).
//
//   meetings schedule --district P --title T --place P --start T --end T
//            [--agenda A] [--organisation O]… [--proposal ID]… [--consultation ID] [--project ID]
//   meetings list [--district P] [--from T] [--to T] [--proposal ID]
//   meetings show ID
//   meetings minutes ID --text T | cancel ID --reason R       moderator or public-admin
//   meetings calendar [--district P] [--output FILE] [--base-uri URI]
//
// Times: 2026-12-10T10:00 in Pakistan time, or RFC 3339. Staff act by
// $CORRIDOR_PUBLIC_TOKEN (else as the operator).
#include "cli/public_meetings.h"

#include <fstream>
#include <iostream>

#include "corridor/common/date.h"

namespace corridor::public_cli {
namespace {

using nlohmann::json;

// "10 Dec 2026 10:00–12:30 PKT" for a listing line.
std::string When(const json& m) {
  const auto shift = [](const std::string& utc) {
    const auto t = ParseUnixTimestamp(utc);
    return t ? FormatUnixTimestamp(*t + std::int64_t{5} * 3600) : utc;
  };
  const std::string start = shift(m["starts_at"]), end = shift(m["ends_at"]);
  return start.substr(0, 10) + " " + start.substr(11, 5) + "–" + end.substr(11, 5) + " PKT";
}

std::string Line(const json& m) {
  return m["id"].get<std::string>() + "  " + When(m) + "  " + m["district"].get<std::string>() +
         "  " + m["state"].get<std::string>() + "  " + m["title"].get<std::string>() + "\n";
}

int Moved(const Globals& g, const Result<store::Meeting>& m) {
  if (!m) return Report(m.error());
  return PrintJsonOr(g, {{"id", m->id}, {"state", m->state}, {"sequence", m->sequence}},
                     m->state + " (sequence " + std::to_string(m->sequence) + ")\n");
}

}  // namespace

void AddMeetingCommands(CLI::App& app, const Globals& g, MeetingArgs& a, int& status) {
  auto* meetings = app.add_subcommand(
      "meetings", "Forums and meetings with NGOs and community task forces; the public calendar");
  meetings->require_subcommand(1);

  auto* schedule = meetings->add_subcommand(
      "schedule", "Schedule a meeting or forum (moderator or public-admin)");
  schedule->add_option("--district", a.in.district, "District P-code")->required();
  schedule->add_option("--title", a.in.title, "Title")->required();
  schedule->add_option("--place", a.in.place, "Where: a public place, never a person's home")
      ->required();
  schedule
      ->add_option("--start", a.in.starts_at,
                   "When it starts: 2026-12-10T10:00 (Pakistan time) or RFC 3339")
      ->required();
  schedule->add_option("--end", a.in.ends_at, "When it ends (12 hours at most after the start)")
      ->required();
  schedule->add_option("--agenda", a.in.agenda, "The agenda");
  schedule->add_option("--organisation", a.in.organisations,
                       "An organisation taking part (repeat for each)");
  schedule->add_option("--proposal", a.in.proposal_ids,
                       "A proposal of the district to discuss (repeat for each)");
  schedule->add_option("--consultation", a.in.consultation_id,
                       "The consultation it is about, if one");
  schedule->add_option("--project", a.in.project_id, "The project it is about, if one");
  schedule->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller& caller) {
      auto m = public_side::ScheduleMeeting(*o.db, *o.audit, caller, a.in, NowTimestamp());
      if (!m) return Report(m.error());
      return PrintJsonOr(g, {{"id", m->id}, {"starts_at", m->starts_at}},
                         "meeting " + m->id + " at " + m->starts_at + "\n");
    });
  });

  auto* list = meetings->add_subcommand("list", "Meetings in time order (200 at most)");
  list->add_option("--district", a.query.district, "Only this district's");
  list->add_option("--from", a.query.from, "Starting at or after this time");
  list->add_option("--to", a.query.to, "Starting at or before this time");
  list->add_option("--proposal", a.query.proposal_id, "Only meetings discussing this proposal");
  list->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller&) {
      auto j = public_side::ListMeetingsJson(*o.db, a.query);
      if (!j) return Report(j.error());
      std::string text;
      for (const auto& m : (*j)["items"]) text += Line(m);
      return PrintJsonOr(g, *j, text.empty() ? "no meetings\n" : text);
    });
  });

  auto* show = meetings->add_subcommand("show", "A meeting with its agenda and minutes");
  show->add_option("ID", a.id, "Meeting id")->required();
  show->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller&) {
      auto j = public_side::MeetingJson(*o.db, a.id);
      if (!j) return Report(j.error());
      std::string text = Line(*j) + "  place: " + (*j)["place"].get<std::string>() + "\n";
      for (const auto& org : (*j)["organisations"]) {
        text += "  with: " + org.get<std::string>() + "\n";
      }
      if (!(*j)["agenda"].get<std::string>().empty()) {
        text += "  agenda:\n    " + (*j)["agenda"].get<std::string>() + "\n";
      }
      for (const auto& p : (*j)["proposals"]) {
        text += "  proposal " + p["id"].get<std::string>() + "  " +
                p.value("title", std::string("(held)")) + "\n";
      }
      if (j->contains("minutes"))
        text += "  minutes:\n    " + (*j)["minutes"].get<std::string>() + "\n";
      if (j->contains("cancel_reason")) {
        text += "  cancelled: " + (*j)["cancel_reason"].get<std::string>() + "\n";
      }
      return PrintJsonOr(g, *j, text);
    });
  });

  auto* minutes = meetings->add_subcommand(
      "minutes", "Record the minutes of a meeting that has begun (moderator or public-admin)");
  minutes->add_option("ID", a.id, "Meeting id")->required();
  minutes->add_option("--text", a.text, "The minutes (no personal data)")->required();
  minutes->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller& caller) {
      return Moved(
          g, public_side::RecordMinutes(*o.db, *o.audit, caller, a.id, a.text, NowTimestamp()));
    });
  });
  auto* cancel = meetings->add_subcommand(
      "cancel", "Cancel a scheduled meeting with a public reason (moderator or public-admin)");
  cancel->add_option("ID", a.id, "Meeting id")->required();
  cancel->add_option("--reason", a.text, "Why, shown to the public")->required();
  cancel->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller& caller) {
      return Moved(
          g, public_side::CancelMeeting(*o.db, *o.audit, caller, a.id, a.text, NowTimestamp()));
    });
  });

  auto* calendar = meetings->add_subcommand(
      "calendar", "The public calendar as iCalendar (RFC 5545), for a site or a mailing list");
  calendar->add_option("--district", a.query.district, "Only this district's");
  calendar->add_option("--output", a.output, "Write it here (default: stdout)");
  calendar->add_option("--base-uri", a.base_uri, "The portal's public address, for the links")
      ->capture_default_str();
  calendar->add_option("--lang", a.lang, "The portal language the links open in (ur, en, zh)")
      ->check(CLI::IsMember({"ur", "en", "zh"}))
      ->capture_default_str();
  calendar->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller&) {
      auto ics = public_side::CalendarIcs(*o.db, a.query, a.base_uri, a.lang,
                                          "Corridor: public meetings", NowTimestamp());
      if (!ics) return Report(ics.error());
      if (a.output.empty()) {
        std::cout << *ics;
        return kExitOk;
      }
      std::ofstream out(a.output, std::ios::binary | std::ios::trunc);
      out << *ics;
      if (!out) return Report({ErrorCode::kUnavailable, a.output + ": cannot be written"});
      std::cerr << "calendar written to " << a.output << "\n";
      return kExitOk;
    });
  });
}

}  // namespace corridor::public_cli
