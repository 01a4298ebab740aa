// `corridor public grievances …` (issue 14 §1): the same use cases as the
// public API (public_side/grievances.h).
//
//   grievances file --topic T (--district P | --project ID) --lang L --channel C
//                   (--description TEXT | --description-file FILE) [--contact X] [--reprisal-fear]
//   grievances follow RECEIPT            passphrase from $CORRIDOR_PASSPHRASE or stdin
//   grievances respond RECEIPT answer|accept|appeal [--text T]
//   grievances list [--state S] [--district P] [--mine] [--overdue] [--limit N] [--offset N]
//   grievances show ID
//   grievances act ID acknowledge|eligible|ineligible|ask|update|propose|close|assign [--text T]
//   grievances statistics
//   grievances calendar
//
// Officers act by $CORRIDOR_PUBLIC_TOKEN (a grievance-officer's, or a
// public-admin's for assign and list); the grievance clock is
// $CORRIDOR_CLOCK when set. A passphrase never comes on the command line (it
// would show in `ps` and shell history).
#include "cli/public_grievances.h"

#include <fstream>
#include <iostream>
#include <string>

#include "corridor/public_side/attachments.h"
#include "corridor/public_side/grievances.h"
#include "corridor/public_side/working_days.h"

namespace corridor::public_cli {
namespace {

using nlohmann::json;

Result<std::string> Passphrase() {
  if (const char* p = std::getenv("CORRIDOR_PASSPHRASE"); p != nullptr && *p != '\0') return p;
  std::string line;
  if (!std::getline(std::cin, line) || line.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no passphrase: set $CORRIDOR_PASSPHRASE or give it on standard input");
  }
  return line;
}

void PrintView(const Globals& g, const json& view) {
  if (g.json) {
    std::cout << view.dump() << "\n";
    return;
  }
  if (view.contains("id")) std::cout << "case " << view["id"].get<std::string>() << "\n";
  std::cout << "state: " << view["state"].get<std::string>() << " (tier "
            << view["tier"].get<std::string>() << ")"
            << (view["overdue"].get<bool>() ? ", OVERDUE" : "")
            << "\ntopic: " << view["topic"].get<std::string>()
            << "  district: " << view["district"].get<std::string>()
            << "  filed: " << view["filed_at"].get<std::string>() << "\n";
  if (view.contains("officer")) {
    std::cout << "officer: "
              << (view["officer"].get<std::string>().empty() ? "(unassigned)"
                                                             : view["officer"].get<std::string>())
              << "  channel: " << view["channel"].get<std::string>()
              << (view["reprisal_fear"].get<bool>() ? "  FEAR OF REPRISAL" : "") << "\n";
  }
  if (view.contains("contact"))
    std::cout << "contact: " << view["contact"].get<std::string>() << "\n";
  std::cout << "deadlines:\n";
  for (const auto& m : view["milestones"]) {
    std::cout << "  " << m["name"].get<std::string>() << " due " << m["due"].get<std::string>()
              << (m.contains("met_at") ? "  met " + m["met_at"].get<std::string>() : "")
              << (m["overdue"].get<bool>() ? "  OVERDUE" : "") << "\n";
  }
  std::cout << "history:\n";
  for (const auto& e : view["history"]) {
    std::cout << "  " << e["at"].get<std::string>() << "  " << e["action"].get<std::string>()
              << " by " << e["by"].get<std::string>() << " -> " << e["state"].get<std::string>();
    if (e.contains("text")) std::cout << ": " << e["text"].get<std::string>();
    std::cout << "\n";
  }
}

Result<std::string> Now() { return public_side::GrievanceNow(); }

// What an officer's command needs: the store, who is acting, and the clock.
struct Session {
  Opened o;
  public_side::PublicCaller caller;
  std::string now;
};

Result<Session> Begin(const Globals& g) {
  auto o = Open(g, false);
  if (!o) return Fail(o.error());
  auto caller = CallerOf(*o);
  if (!caller) return Fail(caller.error());
  auto now = Now();
  if (!now) return Fail(now.error());
  return Session{std::move(*o), std::move(*caller), std::move(*now)};
}

int RunFile(const Globals& g, FileArgs args) {
  if (!args.description_file.empty()) {
    auto text = ReadAll(args.description_file);
    if (!text) return Report(text.error());
    args.input.description = *text;
  }
  auto s = Begin(g);
  if (!s) return Report(s.error());
  auto filed =
      public_side::FileGrievance(*s->o.db, *s->o.audit, *s->o.keys, s->caller, args.input, s->now);
  if (!filed) return cli::ReportError(filed.error(), "corridor public");
  if (g.json) {
    std::cout << json{{"id", filed->stored.id},
                      {"receipt", filed->receipt},
                      {"passphrase", filed->passphrase}}
                     .dump()
              << "\n";
  } else {
    std::cout << "case " << filed->stored.id << "\nreceipt:    " << filed->receipt
              << "\npassphrase: " << filed->passphrase
              << "\n(give both to the resident; they are shown once and the store keeps neither)\n";
  }
  return kExitOk;
}

int RunFollow(const Globals& g, const std::string& receipt) {
  auto phrase = Passphrase();
  if (!phrase) return cli::ReportError(phrase.error(), "corridor public");
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto now = Now();
  if (!now) return Report(now.error());
  auto v = public_side::FollowGrievance(*o->db, receipt, *phrase, *now);
  if (!v) return cli::ReportError(v.error(), "corridor public");
  PrintView(g, public_side::ResidentJson(*v));
  return kExitOk;
}

int RunRespond(const Globals& g, const std::string& receipt, const std::string& action_name,
               const std::string& text) {
  auto action = model::ParseGrievanceAction(action_name);
  if (!action) {
    return cli::ReportError(
        {ErrorCode::kInvalidArgument, "ACTION: expected answer, accept or appeal"},
        "corridor public");
  }
  auto phrase = Passphrase();
  if (!phrase) return cli::ReportError(phrase.error(), "corridor public");
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto now = Now();
  if (!now) return Report(now.error());
  auto v = public_side::ResidentAct(*o->db, *o->audit, receipt, *phrase, *action, text, *now);
  if (!v) return cli::ReportError(v.error(), "corridor public");
  PrintView(g, public_side::ResidentJson(*v));
  return kExitOk;
}

int RunList(const Globals& g, const public_side::GrievanceListFilter& f) {
  auto s = Begin(g);
  if (!s) return Report(s.error());
  auto list = public_side::ListGrievances(*s->o.db, s->caller, f, s->now);
  if (!list) return cli::ReportError(list.error(), "corridor public");
  if (g.json) {
    json out = json::array();
    for (const auto& v : *list) out.push_back(public_side::OfficerJson(v));
    std::cout << json{{"cases", out}}.dump() << "\n";
    return kExitOk;
  }
  for (const auto& v : *list) {
    const auto& c = v.grievance;
    std::string next_due;
    for (const auto& m : v.milestones) {
      if (m.met_at.empty()) {
        next_due = m.name + " due " + m.due;
        break;
      }
    }
    std::cout << c.id << "  " << model::GrievanceStateName(c.state) << "/"
              << model::GrievanceTierName(c.tier) << "  " << c.district << "  " << c.topic << "  "
              << (c.officer.empty() ? "-" : c.officer) << "  " << next_due
              << (v.overdue ? "  OVERDUE" : "") << (c.reprisal_fear ? "  REPRISAL" : "") << "\n";
  }
  std::cerr << list->size() << " case(s)\n";
  return kExitOk;
}

int RunShow(const Globals& g, const std::string& id) {
  auto s = Begin(g);
  if (!s) return Report(s.error());
  auto v = public_side::ShowGrievance(*s->o.db, *s->o.audit, s->caller, id, s->now);
  if (!v) return cli::ReportError(v.error(), "corridor public");
  PrintView(g, public_side::OfficerJson(*v));
  return kExitOk;
}

int RunAct(const Globals& g, const std::string& id, const std::string& action_name,
           const std::string& text) {
  auto action = model::ParseGrievanceAction(action_name);
  if (!action) {
    return cli::ReportError({ErrorCode::kInvalidArgument,
                             "ACTION: expected acknowledge, eligible, ineligible, ask, update, "
                             "propose, close or assign"},
                            "corridor public");
  }
  auto s = Begin(g);
  if (!s) return Report(s.error());
  auto v = public_side::OfficerAct(*s->o.db, *s->o.audit, s->caller, id, *action, text, s->now);
  if (!v) return cli::ReportError(v.error(), "corridor public");
  PrintView(g, public_side::OfficerJson(*v));
  return kExitOk;
}

int RunStatistics(const Globals& g) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto now = Now();
  if (!now) return Report(now.error());
  auto stats = public_side::GrievanceStatistics(*o->db, *now);
  if (!stats) return Report(stats.error());
  std::cout << stats->dump(g.json ? -1 : 1) << "\n";
  return kExitOk;
}

int RunCalendar(const Globals& g) {
  const auto& pk = public_side::WorkingCalendar::Pakistan();
  auto now = Now();
  if (!now) return Report(now.error());
  const Date today = public_side::KarachiDate(public_side::ParseRfc3339(*now).value_or(0));
  json dues = json::object();
  for (int n : {2, 10, 15, 30}) dues[std::to_string(n)] = pk.AddWorkingDays(today, n).iso();
  const json out = {{"source", "config/holidays_pk.tsv"},
                    {"years", {pk.first_year(), pk.last_year()}},
                    {"holidays", pk.holidays()},
                    {"today", today.iso()},
                    {"due_if_filed_today", dues},
                    {"beyond_calendar", pk.Beyond(pk.AddWorkingDays(today, 30))}};
  if (g.json) {
    std::cout << out.dump() << "\n";
    return kExitOk;
  }
  std::cout << "working days: Asia/Karachi, Saturday and Sunday off, " << pk.holidays()
            << " public holidays for " << pk.first_year() << "–" << pk.last_year()
            << " (config/holidays_pk.tsv)\nfiled today (" << today.iso() << "): acknowledge by "
            << dues["2"].get<std::string>() << ", eligibility by " << dues["10"].get<std::string>()
            << ", update by " << dues["15"].get<std::string>() << ", proposal by "
            << dues["30"].get<std::string>() << "\n";
  if (out["beyond_calendar"].get<bool>()) {
    std::cout << "warning: these dates pass the last year the calendar lists; holidays after "
              << pk.last_year() << " are not counted: add them to config/holidays_pk.tsv\n";
  }
  return kExitOk;
}

}  // namespace

void AddGrievanceCommands(CLI::App& app, const Globals& g, GrievanceArgs& a, int& status) {
  auto* cmd = app.add_subcommand(
      "grievances",
      "Grievance redress: file, follow by receipt and passphrase, officers' workflow, statistics");
  cmd->require_subcommand(1);

  auto& file_args = a.file;
  file_args.input.channel = "in-person";
  auto* file = cmd->add_subcommand(
      "file",
      "File on a resident's behalf (as the grievance-officer of $CORRIDOR_PUBLIC_TOKEN, "
      "or the operator); prints the receipt code and passphrase once");
  file->add_option("--topic", file_args.input.topic, "A slug of config/grievance_topics.txt")
      ->required();
  file->add_option("--district", file_args.input.district, "District P-code (OCHA), e.g. PK205");
  file->add_option("--project", file_args.input.project, "A project's id");
  file->add_option("--lang", file_args.input.lang, "The resident's language: ur, en or zh")
      ->capture_default_str();
  file->add_option("--channel", file_args.input.channel, "web, phone, in-person, letter or sms")
      ->capture_default_str();
  auto* desc = file->add_option("--description", file_args.input.description, "What happened");
  file->add_option("--description-file", file_args.description_file,
                   "Read the description from a file")
      ->excludes(desc)
      ->check(CLI::ExistingFile);
  file->add_option("--contact", file_args.input.contact,
                   "Optional contact (sealed; shown only to the handling officer)");
  file->add_flag("--reprisal-fear", file_args.input.reprisal_fear,
                 "The resident fears reprisal: only the assigned officer and public-admins see it");
  file->callback([&g, &status, &file_args] { status = RunFile(g, file_args); });

  auto& receipt = a.receipt;
  auto& action = a.action;
  auto& text = a.text;
  auto& id = a.id;
  auto* follow = cmd->add_subcommand(
      "follow", "A case as its resident sees it (passphrase: $CORRIDOR_PASSPHRASE or stdin)");
  follow->add_option("RECEIPT", receipt, "The receipt code")->required();
  follow->callback([&g, &status, &receipt] { status = RunFollow(g, receipt); });

  auto* respond = cmd->add_subcommand(
      "respond",
      "The resident answers, accepts or appeals (passphrase: $CORRIDOR_PASSPHRASE or "
      "stdin)");
  respond->add_option("RECEIPT", receipt, "The receipt code")->required();
  respond->add_option("ACTION", action, "answer, accept or appeal")
      ->required()
      ->check(CLI::IsMember({"answer", "accept", "appeal"}));
  respond->add_option("--text", text, "The answer, or the appeal's reason");
  respond->callback([&g, &status, &a] { status = RunRespond(g, a.receipt, a.action, a.text); });

  auto& filter = a.filter;
  auto* list = cmd->add_subcommand("list", "Cases you may see, with their next deadline");
  list->add_option("--state", filter.state, "Only this state")
      ->check(CLI::IsMember({"received", "acknowledged", "eligible", "ineligible", "proposed",
                             "appealed", "closed"}));
  list->add_option("--district", filter.district, "Only this district (P-code)");
  list->add_flag("--mine", filter.mine, "Only cases assigned to me");
  list->add_flag("--overdue", filter.overdue_only, "Only overdue cases");
  list->add_option("--limit", filter.limit, "At most this many")->check(CLI::Range(1, 1000));
  list->add_option("--offset", filter.offset, "Skip this many")->check(CLI::NonNegativeNumber);
  list->callback([&g, &status, &filter] { status = RunList(g, filter); });

  auto* show = cmd->add_subcommand("show", "One case (its contact only for its assigned officer)");
  show->add_option("ID", id, "The case's id")->required();
  show->callback([&g, &status, &id] { status = RunShow(g, id); });

  auto* act = cmd->add_subcommand("act", "An officer's action on a case");
  act->add_option("ID", id, "The case's id")->required();
  act->add_option("ACTION", action,
                  "acknowledge, eligible, ineligible, ask, update, propose, close or assign")
      ->required()
      ->check(CLI::IsMember({"acknowledge", "eligible", "ineligible", "ask", "update", "propose",
                             "close", "assign"}));
  act->add_option("--text", text,
                  "The question, update, proposal or reasons; for assign, the officer's account");
  act->callback([&g, &status, &a] { status = RunAct(g, a.id, a.action, a.text); });

  // Attachments (issue 14 §1): cleaned of metadata, sealed, read by officers.
  auto* attach = cmd->add_subcommand(
      "attach",
      "Attach a photo (JPEG, PNG) or PDF to a case: by its receipt (passphrase: "
      "$CORRIDOR_PASSPHRASE or stdin), or with --case as its officer; metadata is removed");
  attach->add_option("RECEIPT", a.receipt, "The receipt code (not with --case)");
  attach->add_option("--case", a.id, "The case's id: attach as an officer, for the resident");
  attach->add_option("--file", a.path, "The file (5 MiB at most)")->required();
  attach->callback([&g, &status, &a] {
    status = [&]() -> int {
      if (a.receipt.empty() == a.id.empty()) {
        return Report({ErrorCode::kInvalidArgument, "give a RECEIPT or --case ID, one of them"});
      }
      auto bytes = ReadAll(a.path);
      if (!bytes) return Report(bytes.error());
      auto now = public_side::GrievanceNow();
      if (!now) return Report(now.error());
      Result<public_side::Attached> done = Fail(ErrorCode::kInternal, "not attached");
      if (!a.receipt.empty()) {
        auto phrase = Passphrase();
        if (!phrase) return Report(phrase.error());
        auto o = Open(g, false);
        if (!o) return Report(o.error());
        done = public_side::AttachByResident(*o->db, *o->audit, a.receipt, *phrase, *bytes, *now);
      } else {
        return WithStore(g, [&](Opened& o, const public_side::PublicCaller& caller) {
          auto r = public_side::AttachByOfficer(*o.db, *o.audit, caller, a.id, *bytes, *now);
          if (!r) return Report(r.error());
          return PrintJsonOr(g,
                             {{"seq", r->seq}, {"media_type", r->media_type}, {"bytes", r->bytes}},
                             "attachment " + std::to_string(r->seq) + " (" + r->media_type + ", " +
                                 std::to_string(r->bytes) + " bytes, metadata removed)\n");
        });
      }
      if (!done) return Report(done.error());
      return PrintJsonOr(
          g, {{"seq", done->seq}, {"media_type", done->media_type}, {"bytes", done->bytes}},
          "attachment " + std::to_string(done->seq) + " (" + done->media_type + ", " +
              std::to_string(done->bytes) + " bytes, metadata removed)\n");
    }();
  });
  auto* attachments = cmd->add_subcommand("attachments", "A case's attachments (an officer)");
  attachments->add_option("ID", a.id, "The case's id")->required();
  attachments->callback([&g, &status, &a] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller& caller) {
      auto j = public_side::ListAttachments(*o.db, caller, a.id);
      if (!j) return Report(j.error());
      std::string text;
      for (const auto& item : (*j)["items"]) {
        text += std::to_string(item["seq"].get<std::int64_t>()) + "  " +
                item["media_type"].get<std::string>() + "  " +
                std::to_string(item["bytes"].get<std::int64_t>()) + " bytes  by " +
                item["by"].get<std::string>() + "  " + item["added_at"].get<std::string>() + "\n";
      }
      return PrintJsonOr(g, *j, text.empty() ? "no attachments\n" : text);
    });
  });
  auto* attachment = cmd->add_subcommand(
      "attachment", "Save one attachment of a case to a file (an officer; the read is audited)");
  attachment->add_option("ID", a.id, "The case's id")->required();
  attachment->add_option("SEQ", a.seq, "The attachment's number")->required();
  attachment->add_option("--output", a.path, "Where to write it")->required();
  attachment->callback([&g, &status, &a] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller& caller) {
      auto f = public_side::ReadAttachment(*o.db, *o.audit, caller, a.id, a.seq);
      if (!f) return Report(f.error());
      std::ofstream out(a.path, std::ios::binary | std::ios::trunc);
      out << f->bytes;
      if (!out) return Report({ErrorCode::kUnavailable, a.path + ": cannot be written"});
      return PrintJsonOr(
          g, {{"media_type", f->media_type}, {"bytes", f->bytes.size()}, {"path", a.path}},
          f->media_type + ", " + std::to_string(f->bytes.size()) + " bytes → " + a.path + "\n");
    });
  });

  cmd->add_subcommand("statistics", "Per district: received, resolved in time, overdue, appealed")
      ->callback([&g, &status] { status = RunStatistics(g); });
  cmd->add_subcommand("calendar", "The working-day calendar and today's due dates")
      ->callback([&g, &status] { status = RunCalendar(g); });
}

}  // namespace corridor::public_cli
