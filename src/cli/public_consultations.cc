// `corridor public consultations …` and `corridor public codes issue` (issue
// 14 §2): the same use cases as the public API (public_side/consultations.h).
//
//   codes issue --district P --count N [--output FILE]     moderator or public-admin
//   consultations open --district P --title T [--body B] [--threshold N] [--project ID] [--topic T]
//   consultations list [--district P]
//   consultations show ID
//   consultations propose ID --title T [--body B] [--lang L]   code from
//   $CORRIDOR_PARTICIPATION_CODE or stdin consultations support PROPOSAL code as above
//   consultations respond PROPOSAL --text T                     moderator or public-admin
//   consultations report PROPOSAL                               code as above
//   consultations comment PROPOSAL --body B [--parent C] [--lang L] [--with-code]
//   consultations report-comment COMMENT                        code as above
//   moderation log [--limit N] | queue                          queue: moderator
//   moderation decide ID --decision hide|restore|edit --rule R [--title T --body B]
//                                                   ID: a proposal's or a comment's
//
// Staff act by $CORRIDOR_PUBLIC_TOKEN (else as the operator). A participation
// code never comes on the command line (it would show in `ps` and history).
#include "cli/public_consultations.h"

#include <fstream>
#include <iostream>

#include "corridor/common/date.h"
#include "corridor/common/strings.h"

namespace corridor::public_cli {
namespace {

using nlohmann::json;

Result<std::string> Code() {
  if (const char* c = std::getenv("CORRIDOR_PARTICIPATION_CODE"); c != nullptr && *c != '\0') {
    return c;
  }
  std::string line;
  if (!std::getline(std::cin, line) || line.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no participation code: set $CORRIDOR_PARTICIPATION_CODE or give it on standard "
                "input");
  }
  return line;
}

}  // namespace

void AddConsultationCommands(CLI::App& app, const Globals& g, ConsultationArgs& a, int& status) {
  auto* codes = app.add_subcommand(
      "codes", "Participation codes: printed in batches for a district, handed out at meetings");
  codes->require_subcommand(1);
  auto* issue = codes->add_subcommand(
      "issue",
      "Issue a batch of codes for a district (moderator or public-admin); the codes are shown "
      "once, the store keeps only keyed hashes");
  issue->add_option("--district", a.open.district, "District P-code")->required();
  issue->add_option("--count", a.count, "How many (1-5000)")->capture_default_str();
  issue->add_option("--output", a.output, "Write the codes here, one a line (default: stdout)");
  issue->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller& caller) {
      auto batch = public_side::IssueCodes(*o.db, *o.audit, caller, a.open.district, a.count,
                                           NowTimestamp());
      if (!batch) return Report(batch.error());
      std::string lines;
      for (const auto& c : batch->codes) lines += c + "\n";
      if (!a.output.empty()) {
        std::ofstream out(a.output, std::ios::binary | std::ios::trunc);
        out << lines;
        if (!out) return Report({ErrorCode::kUnavailable, a.output + ": cannot be written"});
        lines.clear();
      }
      const json j = {{"batch", batch->batch},
                      {"district", batch->district},
                      {"count", batch->codes.size()},
                      {"codes", a.output.empty() ? json(batch->codes) : json(a.output)}};
      return PrintJsonOr(g, j,
                         lines + "batch " + batch->batch + ": " +
                             std::to_string(batch->codes.size()) + " codes for " + batch->district +
                             (a.output.empty() ? "" : ", written to " + a.output) + "\n");
    });
  });

  auto* cons = app.add_subcommand("consultations",
                                  "Consultations: proposals and supports with participation codes");
  cons->require_subcommand(1);
  auto* open = cons->add_subcommand("open", "Open a consultation for a district (moderator)");
  open->add_option("--district", a.open.district, "District P-code")->required();
  open->add_option("--title", a.open.title, "Title")->required();
  open->add_option("--body", a.open.body, "What is asked");
  open->add_option("--project", a.open.project_id, "About this project (its id)");
  open->add_option("--topic", a.open.topic,
                   "Its topic for the aggregate release (config/grievance_topics.txt)")
      ->capture_default_str();
  open->add_option("--threshold", a.open.threshold,
                   "Supports that oblige an official response (1-100000)")
      ->capture_default_str();
  open->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller& caller) {
      auto c = public_side::OpenConsultation(*o.db, *o.audit, caller, a.open, NowTimestamp());
      if (!c) return Report(c.error());
      return PrintJsonOr(g, {{"id", c->id}}, "consultation " + c->id + " opened\n");
    });
  });
  auto* list = cons->add_subcommand("list", "Consultations, newest first");
  list->add_option("--district", a.open.district, "Only this district's");
  list->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller&) {
      auto j = public_side::ListConsultationsJson(*o.db, a.open.district);
      if (!j) return Report(j.error());
      std::string text;
      for (const auto& c : (*j)["items"]) {
        text += c["id"].get<std::string>() + "  " + c["district"].get<std::string>() + "  " +
                c["state"].get<std::string>() + "  " + c["title"].get<std::string>() + "\n";
      }
      return PrintJsonOr(g, *j, text.empty() ? "no consultations\n" : text);
    });
  });
  auto* show = cons->add_subcommand("show", "A consultation with its proposals");
  show->add_option("ID", a.id, "Consultation id")->required();
  show->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller&) {
      auto j = public_side::ConsultationJson(*o.db, a.id);
      if (!j) return Report(j.error());
      std::string text = (*j)["title"].get<std::string>() + " (" +
                         (*j)["district"].get<std::string>() + ", " +
                         (*j)["state"].get<std::string>() + ", response owed at " +
                         std::to_string((*j)["threshold"].get<std::int64_t>()) + " supports)\n";
      for (const auto& p : (*j)["proposals"]) {
        if (p.contains("moderation")) {
          text += "  " + p["id"].get<std::string>() + "  (" + p["moderation"].get<std::string>() +
                  " for a moderator)\n";
          continue;
        }
        text += "  " + p["id"].get<std::string>() + "  " +
                std::to_string(p["supports"].get<std::int64_t>()) + " supports  " +
                p["state"].get<std::string>() + "  " + p["title"].get<std::string>() + "\n";
        if (p.contains("response")) {
          text += "      response: " + p["response"]["text"].get<std::string>() + "\n";
        }
        for (const auto& m : p.value("comments", json::array())) {
          const std::string indent(6 + 2 * static_cast<std::size_t>(m["depth"].get<std::int64_t>()),
                                   ' ');
          text += indent + m["id"].get<std::string>().substr(0, 8) +
                  (m["parent"] == "" ? "" : " ↳") + "  " +
                  (m.contains("moderation")
                       ? "(" + m["moderation"].get<std::string>() + " for a moderator)"
                       : m["body"].get<std::string>() +
                             (m["verified"] == true ? "  [resident of the district]" : "")) +
                  "\n";
        }
      }
      return PrintJsonOr(g, *j, text);
    });
  });
  auto* propose =
      cons->add_subcommand("propose", "Make a proposal with a participation code of the district");
  propose->add_option("ID", a.id, "Consultation id")->required();
  propose->add_option("--title", a.title, "Title")->required();
  propose->add_option("--body", a.body, "The proposal");
  propose->add_option("--lang", a.lang, "ur, en or zh")->capture_default_str();
  propose->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller&) {
      auto code = Code();
      if (!code) return Report(code.error());
      auto p = public_side::Propose(*o.db, *o.audit, {a.id, *code, a.title, a.body, a.lang},
                                    NowTimestamp());
      if (!p) return Report(p.error());
      return PrintJsonOr(g, {{"id", p->id}}, "proposal " + p->id + "\n");
    });
  });
  auto* support = cons->add_subcommand(
      "support", "Support a proposal with a participation code (once per code)");
  support->add_option("PROPOSAL", a.id, "Proposal id")->required();
  support->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller&) {
      auto code = Code();
      if (!code) return Report(code.error());
      auto s = public_side::Support(*o.db, *o.audit, a.id, *code, NowTimestamp());
      if (!s) return Report(s.error());
      return PrintJsonOr(g, {{"supports", s->supports}, {"state", s->state}},
                         std::to_string(s->supports) + " supports (" + s->state + ")\n");
    });
  });
  auto* respond = cons->add_subcommand(
      "respond", "The official response to a proposal (moderator or public-admin)");
  respond->add_option("PROPOSAL", a.id, "Proposal id")->required();
  respond->add_option("--text", a.text, "The response")->required();
  respond->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller& caller) {
      auto p = public_side::Respond(*o.db, *o.audit, caller, a.id, a.text, NowTimestamp());
      if (!p) return Report(p.error());
      return PrintJsonOr(g, {{"id", p->id}, {"state", p->state}}, "answered\n");
    });
  });
  auto* report = cons->add_subcommand(
      "report",
      "Report a proposal with a participation code (once per code); past the threshold it is "
      "held for a moderator");
  report->add_option("PROPOSAL", a.id, "Proposal id")->required();
  report->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller&) {
      auto code = Code();
      if (!code) return Report(code.error());
      auto n = public_side::ReportProposal(*o.db, *o.audit, a.id, *code, NowTimestamp());
      if (!n) return Report(n.error());
      return PrintJsonOr(g, {{"reports", *n}}, std::to_string(*n) + " reports\n");
    });
  });

  auto* comment = cons->add_subcommand(
      "comment",
      "Comment on a proposal, or reply to a comment on it; no code needed (--with-code: a "
      "participation code of the district marks it verified)");
  comment->add_option("PROPOSAL", a.id, "Proposal id")->required();
  comment->add_option("--body", a.body, "The comment (2,000 bytes at most)")->required();
  comment->add_option("--parent", a.parent, "Reply to this comment of the proposal");
  comment->add_option("--lang", a.lang, "ur, en or zh")->capture_default_str();
  comment->add_flag("--with-code", a.with_code,
                    "Read a participation code from $CORRIDOR_PARTICIPATION_CODE or stdin");
  comment->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller&) {
      std::string code;
      if (a.with_code) {
        auto c = Code();
        if (!c) return Report(c.error());
        code = *c;
      }
      auto m = public_side::AddComment(*o.db, *o.audit, {a.id, a.parent, a.body, a.lang, code},
                                       NowTimestamp());
      if (!m) return Report(m.error());
      json j = {{"id", m->id}, {"depth", m->depth}, {"verified", m->verified}};
      if (!m->moderation.empty()) j["moderation"] = m->moderation;
      return PrintJsonOr(g, j,
                         "comment " + m->id +
                             (m->moderation.empty() ? "" : " (held: it looks like personal data)") +
                             "\n");
    });
  });
  auto* report_comment = cons->add_subcommand(
      "report-comment",
      "Report a comment with a participation code (once per code); past the threshold it is held");
  report_comment->add_option("COMMENT", a.id, "Comment id")->required();
  report_comment->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller&) {
      auto code = Code();
      if (!code) return Report(code.error());
      auto n = public_side::ReportComment(*o.db, *o.audit, a.id, *code, NowTimestamp());
      if (!n) return Report(n.error());
      return PrintJsonOr(g, {{"reports", *n}}, std::to_string(*n) + " reports\n");
    });
  });

  auto* mod = app.add_subcommand(
      "moderation", "Moderation of proposals and comments, with a public log (moderators)");
  mod->require_subcommand(1);
  auto* log = mod->add_subcommand(
      "log", "The public moderation log, newest first (decisions and rules, never names)");
  log->add_option("--limit", a.limit, "At most this many (1-1000)")->capture_default_str();
  log->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller&) {
      auto j = public_side::ModerationLogJson(*o.db, a.limit);
      if (!j) return Report(j.error());
      std::string text;
      for (const auto& e : (*j)["items"]) {
        text += e["at"].get<std::string>() + "  " + e["decision"].get<std::string>() + "  " +
                e["rule"].get<std::string>() + "  proposal " + e["proposal"].get<std::string>() +
                (e.contains("comment") ? "  comment " + e["comment"].get<std::string>() : "") +
                "\n";
      }
      return PrintJsonOr(g, *j, text.empty() ? "the log is empty\n" : text);
    });
  });
  mod->add_subcommand("queue", "Proposals and comments held for a moderator, with their text")
      ->callback([&] {
        status = WithStore(g, [&](Opened& o, const public_side::PublicCaller& caller) {
          auto j = public_side::ModerationQueueJson(*o.db, caller);
          if (!j) return Report(j.error());
          std::string text;
          for (const auto& p : (*j)["items"]) {
            text += p["kind"].get<std::string>() + " " + p["id"].get<std::string>() + "  " +
                    std::to_string(p["reports"].get<std::int64_t>()) + " reports  " +
                    p.value("title", std::string()) + "\n    " + p["body"].get<std::string>() +
                    "\n";
          }
          return PrintJsonOr(g, *j, text.empty() ? "nothing is held\n" : text);
        });
      });
  auto* decide = mod->add_subcommand(
      "decide", "Hide, restore or edit a proposal or a comment under a rule (on the public log)");
  decide->add_option("ID", a.id, "A proposal's or a comment's id")->required();
  decide->add_option("--decision", a.moderation.decision, "hide, restore or edit")->required();
  decide
      ->add_option("--rule", a.moderation.rule,
                   "personal-data, abusive, off-topic, spam or no-breach")
      ->required();
  decide->add_option("--title", a.moderation.title, "edit: the title as it will be shown");
  decide->add_option("--body", a.moderation.body, "edit: the text as it will be shown");
  decide->callback([&] {
    status = WithStore(g, [&](Opened& o, const public_side::PublicCaller& caller) {
      std::string id, moderation;
      if (public_side::CommentConsultation(*o.db, a.id)) {
        auto m = public_side::ModerateComment(*o.db, *o.audit, caller, a.id, a.moderation,
                                              NowTimestamp());
        if (!m) return Report(m.error());
        id = m->id;
        moderation = m->moderation;
      } else {
        auto p = public_side::Moderate(*o.db, *o.audit, caller, a.id, a.moderation, NowTimestamp());
        if (!p) {
          return Report(
              p.error().code == ErrorCode::kNotFound
                  ? Error{ErrorCode::kNotFound, "no proposal or comment " + Excerpt(a.id, 64)}
                  : p.error());
        }
        id = p->id;
        moderation = p->moderation;
      }
      return PrintJsonOr(g, {{"id", id}, {"moderation", moderation}},
                         moderation.empty() ? "shown\n" : moderation + "\n");
    });
  });
}

}  // namespace corridor::public_cli
