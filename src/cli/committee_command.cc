#include "cli/committee_command.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/caller.h"
#include "cli/security_command.h"
#include "cli/stix_command.h"
#include "corridor/service/committee.h"
#include "corridor/service/exercises.h"
#include "corridor/service/judicial.h"
#include "corridor/service/perception.h"
#include "corridor/sync/client.h"

namespace corridor::cli {
namespace {

using nlohmann::json;

// Opens the store and runs `fn(store, ctx, caller)` as $CORRIDOR_TOKEN's
// user. The operator without a token may not write committee records (they
// have an author).
template <typename F>
int WithTokenUser(const std::string& db, const std::string& via, F&& fn) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto identity = CliIdentityOf(**s);
  if (!identity) return ReportError(identity.error());
  if (!identity->principal) {
    std::cerr << "corridor: " << via
              << ": set $CORRIDOR_TOKEN to a committee member's token (committee records have an "
                 "author and an organisation)\n";
    return kExitUsage;
  }
  service::Context ctx{*(*s)->store, *(*s)->audit};
  return fn(**s, ctx, service::CallerFor(*identity->principal, "cli " + via));
}

template <typename F>
int AsTokenUser(const std::string& db, const std::string& via, F&& fn) {
  return WithTokenUser(db, via,
                       [&](SecureStore&, const service::Context& ctx, const service::Caller& c) {
                         return fn(ctx, c);
                       });
}

// `corridor committees share --push`: the bundle's objects to `to`'s
// instances over TAXII. Exit 3 when a partner refused some of them.
int PushShared(SecureStore& s, const service::Caller& c, bool as_json, const std::string& to,
               const service::SharedCommittee& shared, const std::string& ca_cert) {
  sync::SyncOptions options;
  options.ca_cert_path = ca_cert;
  auto pushed = sync::PushToOrganisation(*s.store, *s.audit, s.keys, c.actor, to,
                                         shared.bundle["objects"], options);
  if (!pushed) return ReportError(pushed.error());
  bool refused = false;
  json reports = json::array();
  for (const auto& p : *pushed) {
    refused = refused || p.failures > 0;
    reports.push_back({{"partner", p.partner},
                       {"url", p.url},
                       {"successes", p.successes},
                       {"failures", p.failures},
                       {"failed", p.failed}});
  }
  if (as_json) {
    std::cout << json{{"objects", shared.objects},
                      {"withheld", shared.withheld},
                      {"pushed", reports}}
                     .dump()
              << "\n";
  } else {
    for (const auto& p : *pushed) {
      std::cout << p.partner << " (" << p.url << "): " << p.successes << " taken, " << p.failures
                << " refused\n";
      for (const auto& f : p.failed) {
        std::cout << "  refused " << f.value("id", "") << ": " << f.value("message", "") << "\n";
      }
    }
  }
  return refused ? kExitPartial : kExitOk;
}

// What a share command sends: made by one use case, signed with `key`.
using MakeShared = std::function<Result<service::SharedCommittee>(
    const service::Context&, const service::Caller&, const stix::SigningKey& key)>;

// `corridor committees share` and `corridor judicial share`: the bundle to
// `output` (written aside, then renamed, so a partner never picks up half a
// file), to `to`'s instances (`push`), or to stdout. `what` names it in the
// text output ("committee JWG").
int ShareBundle(const std::string& db, const char* command, bool as_json, const std::string& what,
                const std::string& to, const std::string& output, bool push,
                const std::string& ca_cert, const MakeShared& make) {
  return WithTokenUser(
      db, command, [&](SecureStore& s, const service::Context& ctx, const service::Caller& c) {
        auto ring = stix::LoadOrCreateKeyRing(SigningKeysPathFor(db), s.keys, NowTimestamp());
        if (!ring) return ReportError(ring.error());
        auto shared = make(ctx, c, ring->current);
        if (!shared) return ReportError(shared.error());
        if (push) return PushShared(s, c, as_json, to, *shared, ca_cert);
        if (output.empty()) {
          std::cout << shared->bundle.dump() << "\n";
          return kExitOk;
        }
        const std::string part = output + ".part";
        {
          std::ofstream file(part, std::ios::binary | std::ios::trunc);
          file << shared->bundle.dump() << "\n";
          if (!file.flush()) {
            std::remove(part.c_str());
            std::cerr << "corridor: --output: cannot write " << part << "\n";
            return kExitFailed;
          }
        }
        std::error_code ec;
        std::filesystem::rename(part, output, ec);
        if (ec) {
          std::cerr << "corridor: cannot rename " << part << " to " << output << ": "
                    << ec.message() << "\n";
          return kExitFailed;
        }
        if (as_json) {
          std::cout << json{{"file", output},
                            {"objects", shared->objects},
                            {"withheld", shared->withheld},
                            {"key_id", ring->current.key_id}}
                           .dump()
                    << "\n";
        } else {
          std::cout << output << ": " << shared->objects << " objects of " << what << " for " << to
                    << ", signed with key " << ring->current.key_id << "\n";
          for (const auto& w : shared->withheld) {
            std::cout << "  withheld " << w.value("id", "") << ": " << w.value("reason", "")
                      << "\n";
          }
        }
        return kExitOk;
      });
}

template <typename T>
int Created(const Result<T>& r, bool as_json, const std::string& what) {
  if (!r) return ReportError(r.error());
  if (as_json) {
    std::cout << json{{"id", r->id}}.dump() << "\n";
  } else {
    std::cout << "added " << what << " " << r->id << "\n";
  }
  return kExitOk;
}

struct Flags {
  std::string name, kind = "bilateral", committee, date, place, minutes, text, meeting, decision;
  std::string title, owner_org, owner_account, due, org, id, from, to, note, output, ca_cert;
  std::string release;
  std::vector<std::string> orgs, agenda, present, incidents, assessments, districts, evidence;
  bool is_virtual = false, overdue = false, unread = false, push = false;
  int limit = 100;        // notices
  int list_limit = 1000;  // actions list
  std::string tlp;
  std::vector<std::string> share_orgs;
};

service::MarkingParams MarkingOf(const Flags& f) {
  service::MarkingParams m;
  m.tlp = f.tlp;
  m.organisations = f.share_orgs;
  return m;
}

void AddMarkingFlags(CLI::App* cmd, Flags& f) {
  cmd->add_option("--marking", f.tlp,
                  "TLP:CLEAR, TLP:GREEN, TLP:AMBER (default, shared with the members), "
                  "TLP:AMBER+STRICT or TLP:RED");
  cmd->add_option("--share-org", f.share_orgs,
                  "Organisation that may read it (AMBER*, repeat; default: the members)");
}

int RunActionsList(const std::string& db, bool as_json, const Flags& f) {
  return AsTokenUser(
      db, "actions list", [&](const service::Context& ctx, const service::Caller& c) {
        service::ListActionsParams p;
        p.committee = f.committee;
        p.org = f.org;
        p.overdue = f.overdue;
        p.limit = f.list_limit;
        auto actions = service::ListActions(ctx, c, p);
        if (!actions) return ReportError(actions.error());
        if (as_json) {
          json out = {{"actions", json::array()}};
          for (const auto& a : *actions) out["actions"].push_back(service::ToJson(a));
          std::cout << out.dump() << "\n";
          return kExitOk;
        }
        for (const auto& a : *actions) {
          std::cout << a.id << "  " << a.due << "  " << store::ActionStatusName(a.status) << "  "
                    << a.owner_org << "  " << a.title << "  (" << model::TlpName(a.marking.tlp)
                    << ")\n";
        }
        return kExitOk;
      });
}

// One published count as a person reads it: the number, "<10" (small) or
// "—" (hidden so that a small one cannot be derived).
std::string CountText(const service::PublishedCount& c) {
  if (c.count) return std::to_string(*c.count);
  return c.reason == "small" ? "<10" : "\u2014";
}

void PrintRow(const std::string& label, const std::vector<std::string>& cells) {
  std::printf("  %-28s", label.c_str());
  // (The dash is three bytes and one column wide.)
  for (const auto& c : cells) std::printf(c == "\u2014" ? " %10s" : " %8s", c.c_str());
  std::printf("\n");
}

std::vector<std::string> Texts(const std::vector<service::PublishedCount>& v) {
  std::vector<std::string> out;
  out.reserve(v.size());
  for (const auto& c : v) out.push_back(CountText(c));
  return out;
}

// `corridor committees perception`: the table per district (docs/committee.md).
int RunPerception(const std::string& db, bool as_json, const Flags& f) {
  return AsCaller(
      db, /*create=*/false, "committees perception",
      [&](const service::Context& ctx, const service::Caller& c) {
        service::PerceptionParams p;
        p.from = f.from;
        p.to = f.to;
        p.districts = f.districts;
        p.release = f.release;
        auto v = service::PublicPerception(ctx, c, p);
        if (!v) return ReportError(v.error());
        if (as_json) {
          std::cout << service::ToJson(*v).dump() << "\n";
          return kExitOk;
        }
        if (v->release_id.empty()) {
          std::cout << "no aggregate release held (ingest one with `corridor ingest --format "
                       "public-release FILE --trusted-keys KEYS`): incidents only\n";
        } else {
          std::cout << "release " << v->release_id.substr(0, 12) << " generated " << v->generated_at
                    << ", received " << v->received_at << "; " << v->release_suppressed << " of "
                    << v->release_cells << " cells suppressed on the public side\n";
        }
        std::cout << "<10: 1 to 9, hidden; \u2014: hidden so that a small count cannot be "
                     "derived. Incidents: those you may read.\n";
        if (v->districts.empty()) std::cout << "no district has a count in these months\n";
        std::vector<std::string> months;
        months.reserve(v->months.size());
        for (const auto& m : v->months) months.push_back(m.substr(2));
        for (const auto& d : v->districts) {
          std::cout << "\n" << (d.name.empty() ? d.pcode : d.name + " (" + d.pcode + ")");
          if (!d.province.empty()) std::cout << ", " << d.province;
          if (d.vulnerability) {
            std::printf("; vulnerability %.1f of 10 (%d)", *d.vulnerability, v->vulnerability_year);
          }
          std::cout << "\n";
          PrintRow("month", months);
          std::vector<std::string> incidents;
          incidents.reserve(d.incidents.size());
          for (auto n : d.incidents) incidents.push_back(std::to_string(n));
          PrintRow("incidents", incidents);
          PrintRow("grievances", Texts(d.grievances));
          for (const auto& t : d.topics) {
            const bool any = std::any_of(t.months.begin(), t.months.end(),
                                         [](const auto& c) { return c.count.value_or(1) != 0; });
            if (any) PrintRow("  " + t.topic, Texts(t.months));
          }
          PrintRow("consultations", Texts(d.consultations));
        }
        return kExitOk;
      });
}

void PrintNotice(const service::Notice& n) {
  std::cout << n.notice.id << "  " << (n.notice.read.empty() ? "unread" : "read  ") << "  due "
            << n.notice.due << "  " << n.action.owner_org
            << (n.action.owner_account.empty() ? "" : "/" + n.action.owner_account) << "  "
            << n.committee << ": " << n.action.title << "  (action " << n.action.id << ", "
            << model::TlpName(n.action.marking.tlp) << ")\n";
}

int RunNotices(const std::string& db, bool as_json, const Flags& f) {
  return AsTokenUser(db, "actions notices",
                     [&](const service::Context& ctx, const service::Caller& c) {
                       service::NoticesParams p;
                       p.unread = f.unread;
                       p.limit = f.limit;
                       auto notices = service::ListNotices(ctx, c, p);
                       if (!notices) return ReportError(notices.error());
                       if (as_json) {
                         json out = {{"notices", json::array()}};
                         for (const auto& n : *notices)
                           out["notices"].push_back(service::ToJson(n));
                         std::cout << out.dump() << "\n";
                         return kExitOk;
                       }
                       if (notices->empty()) std::cout << "no notices\n";
                       for (const auto& n : *notices) PrintNotice(n);
                       return kExitOk;
                     });
}

int RunReadNotice(const std::string& db, bool as_json, const Flags& f) {
  return AsTokenUser(
      db, "actions read-notice", [&](const service::Context& ctx, const service::Caller& c) {
        std::int64_t id = 0;
        const auto [end, ec] = std::from_chars(f.id.data(), f.id.data() + f.id.size(), id);
        if (ec != std::errc() || end != f.id.data() + f.id.size()) {
          return ReportError({ErrorCode::kInvalidArgument, "ID: expected a notice number"});
        }
        auto n = service::ReadNotice(ctx, c, id);
        if (!n) return ReportError(n.error());
        if (as_json) {
          std::cout << service::ToJson(*n).dump() << "\n";
        } else {
          PrintNotice(*n);
        }
        return kExitOk;
      });
}

struct JudicialFlags {
  service::AddJudicialParams add;
  std::string id, ground, reason, note, to, kind, reference, purpose, org, output, ca_cert;
  bool execute = false, partial = false, refuse = false, applies = false, not_applies = false;
  bool received = false, push = false;
  bool reminders_only = false;
  std::string today;
};

// Prints `{"id": ...}` (or `what id`) for a command about an existing object.
int Done(const Result<void>& r, bool as_json, const std::string& id, const std::string& what) {
  if (!r) return ReportError(r.error());
  if (as_json) {
    std::cout << json{{"id", id}}.dump() << "\n";
  } else {
    std::cout << what << " " << id << "\n";
  }
  return kExitOk;
}

// Prints `{"id": ...}` (or `<state> id`) for a request moved along its workflow.
int Moved(const Result<store::JudicialRequest>& r, bool as_json) {
  if (!r) return ReportError(r.error());
  if (as_json) {
    std::cout << json{{"id", r->id}}.dump() << "\n";
  } else {
    std::cout << r->state << " " << r->id << "\n";
  }
  return kExitOk;
}

int Shown(const Result<json>& r) {
  if (!r) return ReportError(r.error());
  std::cout << r->dump(2) << "\n";
  return kExitOk;
}

void AddJudicialCommands(CLI::App& app, const std::string& db, const bool& json_flag, int& status) {
  static JudicialFlags f;
  auto run = [&db](const std::string& via, auto fn) { return AsTokenUser(db, via, fn); };
  auto* judicial = app.add_subcommand(
      "judicial", "Judicial-assistance requests, by reference only (docs/committee.md)");
  judicial->require_subcommand(1);
  auto* add = judicial->add_subcommand("add", "Open a request (draft)");
  add->add_option("--type", f.add.type, "mla, extradition, transfer or assets")->required();
  add->add_option("--requesting", f.add.requesting, "Requesting organisation")->required();
  add->add_option("--requested", f.add.requested, "Requested organisation")->required();
  add->add_option("--offence", f.add.offence, "Offence category (config/judicial_offences.tsv)")
      ->required();
  add->add_option("--incident", f.add.incidents, "Linked incident id (repeat)");
  add->add_option("--reference", f.add.reference, "The requesting state's case reference");
  add->add_option("--requesting-authority", f.add.requesting_authority, "Requesting authority");
  add->add_option("--requested-authority", f.add.requested_authority, "Requested authority");
  add->add_option("--legal-basis", f.add.legal_basis,
                  "bilateral-treaty, sco-convention, un-conventions or reciprocity")
      ->capture_default_str();
  add->add_option("--urgency", f.add.urgency, "normal or urgent")->capture_default_str();
  add->add_option("--deadline", f.add.deadline, "YYYY-MM-DD");
  add->callback([&, run] {
    status = run("judicial add", [&](const service::Context& ctx, const service::Caller& c) {
      return Created(service::AddJudicialRequest(ctx, c, f.add), json_flag, "judicial request");
    });
  });
  auto* list = judicial->add_subcommand(
      "list",
      "The requests you read, newest first, with their reminders: sent and unacknowledged for 30 "
      "days (urgent 7), no progress for 60 (urgent 14), past the deadline");
  list->add_flag("--reminders", f.reminders_only, "Only requests with a reminder");
  list->add_option("--today", f.today, "Judge the clocks on this day, YYYY-MM-DD (default today)");
  list->callback([&, run] {
    status = run("judicial list", [&](const service::Context& ctx, const service::Caller& c) {
      service::ListJudicialParams p;
      p.reminders_only = f.reminders_only;
      p.today = f.today;
      auto rows = service::ListJudicialRequests(ctx, c, p);
      if (!rows) return ReportError(rows.error());
      if (json_flag) {
        json out = {{"requests", json::array()}};
        for (const auto& row : *rows) out["requests"].push_back(service::ToJson(row));
        std::cout << out.dump() << "\n";
        return kExitOk;
      }
      if (rows->empty()) std::cout << "no requests\n";
      for (const auto& row : *rows) {
        const auto& r = row.request;
        std::cout << r.id << "  " << r.type << "  " << r.requesting_org << " -> " << r.requested_org
                  << "  " << r.state << " since " << row.last_move;
        for (const auto& m : row.reminders) {
          std::cout << "  [" << m.kind << ", " << m.days << " days]";
        }
        std::cout << "  (" << model::TlpName(r.marking.tlp) << ")\n";
      }
      return kExitOk;
    });
  });
  auto* show = judicial->add_subcommand("show", "A request with its checklist and history (JSON)");
  show->add_option("ID", f.id, "Request id")->required();
  show->callback([&, run] {
    status = run("judicial show", [&](const service::Context& ctx, const service::Caller& c) {
      return Shown(service::ShowJudicialRequest(ctx, c, f.id));
    });
  });
  auto* answer = judicial->add_subcommand("answer", "Answer one refusal ground of the checklist");
  answer->add_option("ID", f.id, "Request id")->required();
  answer->add_option("--ground", f.ground, "Ground slug (judicial show lists them)")->required();
  auto* applies = answer->add_flag("--applies", f.applies, "The ground applies");
  answer->add_flag("--not-applies", f.not_applies, "The ground does not apply")->excludes(applies);
  answer->add_option("--reason", f.reason, "Why")->required();
  answer->callback([&, run] {
    if (f.applies == f.not_applies) {
      std::cerr << "corridor: judicial answer: give --applies or --not-applies\n";
      status = kExitUsage;
      return;
    }
    status = run("judicial answer", [&](const service::Context& ctx, const service::Caller& c) {
      return Done(service::AnswerGround(ctx, c, {f.id, f.ground, f.applies, f.reason}), json_flag,
                  f.id, "answered " + f.ground + " on");
    });
  });
  auto* consult = judicial->add_subcommand(
      "consult", "Record the prior consultation with the requesting state");
  consult->add_option("ID", f.id, "Request id")->required();
  consult->add_option("--note", f.note, "What was consulted, when, with which authority")
      ->required();
  consult->callback([&, run] {
    status = run("judicial consult", [&](const service::Context& ctx, const service::Caller& c) {
      return Done(service::RecordConsultation(ctx, c, f.id, f.note), json_flag, f.id,
                  "consultation recorded on");
    });
  });
  auto* send = judicial->add_subcommand("send", "Send a draft request");
  send->add_option("ID", f.id, "Request id")->required();
  send->callback([&, run] {
    status = run("judicial send", [&](const service::Context& ctx, const service::Caller& c) {
      return Moved(service::MoveJudicialRequest(ctx, c, f.id, "sent"), json_flag);
    });
  });
  auto* move = judicial->add_subcommand("move", "Move a request along its workflow");
  move->add_option("ID", f.id, "Request id")->required();
  move->add_option("--to", f.to, "acknowledged, under_execution or withdrawn")->required();
  move->add_option("--note", f.note, "Note for the history");
  move->callback([&, run] {
    status = run("judicial move", [&](const service::Context& ctx, const service::Caller& c) {
      return Moved(service::MoveJudicialRequest(ctx, c, f.id, f.to, f.note), json_flag);
    });
  });
  auto* jshare = judicial->add_subcommand(
      "share",
      "Write this organisation's part of a request (its fields and this side's moves) as a "
      "signed STIX bundle for the other state's instance, which imports it with `corridor ingest "
      "--format stix FILE --trusted-keys KEYS`");
  jshare->add_option("ID", f.id, "Request id")->required();
  jshare->add_option("--to", f.to, "The other party: the requesting or the requested state")
      ->required();
  auto* joutput =
      jshare->add_option("--output", f.output, "Bundle file (default: standard output)");
  jshare
      ->add_flag("--push", f.push,
                 "Send it over TAXII to the partner instances of --to (corridor sync "
                 "add-partner) instead of writing it")
      ->excludes(joutput);
  jshare->add_option("--ca-cert", f.ca_cert, "PEM bundle to trust for partners' certificates");
  jshare->callback([&] {
    status = ShareBundle(
        db, "judicial share", json_flag, "judicial request " + f.id, f.to, f.output, f.push,
        f.ca_cert,
        [&](const service::Context& ctx, const service::Caller& c, const stix::SigningKey& key) {
          return service::ShareJudicialRequest(ctx, c, {f.id, f.to}, key);
        });
  });
  auto* decide = judicial->add_subcommand("decide", "Execute or refuse a request");
  decide->add_option("ID", f.id, "Request id")->required();
  auto* exec = decide->add_flag("--execute", f.execute, "Executed");
  auto* partial = decide->add_flag("--partial", f.partial, "Partially executed");
  auto* refuse = decide->add_flag("--refuse", f.refuse, "Refused on --ground");
  exec->excludes(partial)->excludes(refuse);
  partial->excludes(refuse);
  decide->add_option("--ground", f.ground, "The refusal ground relied on");
  decide->add_option("--reason", f.reason, "Why");
  decide->callback([&, run] {
    if (!f.execute && !f.partial && !f.refuse) {
      std::cerr << "corridor: judicial decide: give --execute, --partial or --refuse\n";
      status = kExitUsage;
      return;
    }
    if (f.refuse && f.ground.empty()) {
      std::cerr << "corridor: judicial decide: --refuse needs --ground and --reason\n";
      status = kExitUsage;
      return;
    }
    const std::string outcome = f.execute   ? "executed"
                                : f.partial ? "partially_executed"
                                            : "refused";
    status = run("judicial decide", [&](const service::Context& ctx, const service::Caller& c) {
      return Moved(service::DecideJudicialRequest(ctx, c, {f.id, outcome, f.ground, f.reason}),
                   json_flag);
    });
  });
  auto* assurance =
      judicial->add_subcommand("assurance", "Ask for, or record receipt of, an assurance");
  assurance->add_option("ID", f.id, "Request id")->required();
  assurance->add_option("--kind", f.kind, "death-penalty or fair-trial")->required();
  assurance->add_flag("--received", f.received, "It has been received");
  assurance->callback([&, run] {
    status = run("judicial assurance", [&](const service::Context& ctx, const service::Caller& c) {
      auto a = service::TrackAssurance(ctx, c, f.id, f.kind, f.received);
      return Done(a ? Result<void>() : Fail(a.error()), json_flag, f.id,
                  "assurance " + f.kind + " on");
    });
  });
  auto* evidence = judicial->add_subcommand("evidence", "Evidence shared in answer to a request");
  evidence->require_subcommand(1);
  auto* eadd =
      evidence->add_subcommand("add", "Record evidence shared, with its permitted purpose");
  eadd->add_option("ID", f.id, "Request id")->required();
  eadd->add_option("--reference", f.reference, "The requested state's exhibit reference")
      ->required();
  eadd->add_option("--purpose", f.purpose, "The purpose it may be used for")->required();
  eadd->callback([&, run] {
    status =
        run("judicial evidence add", [&](const service::Context& ctx, const service::Caller& c) {
          return Created(service::ShareEvidence(ctx, c, f.id, f.reference, f.purpose), json_flag,
                         "evidence");
        });
  });
  auto* consent =
      evidence->add_subcommand("consent", "Record the requested state's consent to further use");
  consent->add_option("EVIDENCE", f.id, "Evidence id")->required();
  consent->add_option("--org", f.org, "Organisation it may go on to")->required();
  consent->callback([&, run] {
    status = run("judicial evidence consent",
                 [&](const service::Context& ctx, const service::Caller& c) {
                   return Done(service::RecordConsent(ctx, c, f.id, f.org), json_flag, f.id,
                               "consent recorded on");
                 });
  });
  auto* eexport = evidence->add_subcommand("export", "Send the evidence record to an organisation");
  eexport->add_option("EVIDENCE", f.id, "Evidence id")->required();
  eexport->add_option("--to", f.org, "Receiving organisation")->required();
  eexport->callback([&, run] {
    status =
        run("judicial evidence export", [&](const service::Context& ctx, const service::Caller& c) {
          return Shown(service::ExportEvidence(ctx, c, f.id, f.org));
        });
  });
}

struct ExerciseFlags {
  service::AddExerciseParams add;
  service::AddTeamParams team;
  service::LessonParams lesson;
  std::string id, findings, area_file, on, committee;
  int limit = 1000;
  std::string tlp;
  std::vector<std::string> share_orgs;
};

void PrintExercise(const store::Exercise& e) {
  std::cout << e.id << "  " << e.start << (e.end != e.start ? " to " + e.end : "") << "  "
            << store::ExerciseKindName(e.kind) << "  " << e.title << "  ["
            << (e.reported.empty() ? "not reported" : "reported") << "]  ("
            << model::TlpName(e.marking.tlp) << ")\n";
}

void PrintTeam(const store::JointTeam& t) {
  std::cout << t.id << "  " << t.name << "  " << t.start << " to "
            << (t.end.empty() ? "open" : t.end) << "  ";
  for (std::size_t i = 0; i < t.members.size(); ++i) std::cout << (i ? "," : "") << t.members[i];
  std::cout << "  " << t.districts.size() << " district(s)" << (t.area.empty() ? "" : " + area")
            << "  (" << model::TlpName(t.marking.tlp) << ")\n";
}

// `corridor exercises|teams` (issue 15 §2).
void AddExerciseCommands(CLI::App& app, const std::string& db, const bool& json_flag, int& status) {
  static ExerciseFlags f;
  auto run = [&db](const std::string& via, auto fn) { return AsTokenUser(db, via, fn); };
  auto marking = [] {
    service::MarkingParams m;
    m.tlp = f.tlp;
    m.organisations = f.share_orgs;
    return m;
  };
  auto marking_flags = [](CLI::App* cmd) {
    cmd->add_option("--marking", f.tlp,
                    "TLP:CLEAR, TLP:GREEN, TLP:AMBER (default, shared with the members), "
                    "TLP:AMBER+STRICT or TLP:RED");
    cmd->add_option("--share-org", f.share_orgs,
                    "Organisation that may read it (AMBER*, repeat; default: the members)");
  };
  auto* exercises = app.add_subcommand(
      "exercises", "Training courses and joint exercises, with after-action reports (issue 15)");
  exercises->require_subcommand(1);
  auto* add = exercises->add_subcommand("add", "Record a training course or a joint exercise");
  add->add_option("--committee", f.add.committee, "Committee name or id")->required();
  add->add_option("--kind", f.add.kind, "training or exercise")->capture_default_str();
  add->add_option("--title", f.add.title, "Title")->required();
  add->add_option("--start", f.add.start, "First day, YYYY-MM-DD")->required();
  add->add_option("--end", f.add.end, "Last day, YYYY-MM-DD (default: the first)");
  add->add_option("--org", f.add.participants, "Participating member organisation (repeat)")
      ->required();
  add->add_option("--scenario", f.add.scenario, "The scenario exercised");
  add->add_option("--objective", f.add.objectives, "An objective (repeat, in order)");
  add->add_option("--district", f.add.districts, "District P-code it covers (repeat)");
  add->add_option("--site", f.add.sites, "Site id it covers (repeat)");
  marking_flags(add);
  add->callback([&, run, marking] {
    status = run("exercises add", [&](const service::Context& ctx, const service::Caller& c) {
      f.add.marking = marking();
      return Created(service::AddExercise(ctx, c, f.add), json_flag,
                     std::string(f.add.kind == "training" ? "training" : "exercise"));
    });
  });
  auto* list = exercises->add_subcommand("list", "Exercises you may read, latest first");
  list->add_option("--committee", f.committee, "Only this committee's");
  list->add_option("--limit", f.limit, "At most this many, 1 to 10000")->capture_default_str();
  list->callback([&, run] {
    status = run("exercises list", [&](const service::Context& ctx, const service::Caller& c) {
      auto rows = service::ListExercises(ctx, c, f.committee, f.limit);
      if (!rows) return ReportError(rows.error());
      if (json_flag) {
        json out = {{"exercises", json::array()}};
        for (const auto& e : *rows) out["exercises"].push_back(service::ToJson(e));
        std::cout << out.dump() << "\n";
        return kExitOk;
      }
      if (rows->empty()) std::cout << "no exercises\n";
      for (const auto& e : *rows) PrintExercise(e);
      return kExitOk;
    });
  });
  auto* show = exercises->add_subcommand(
      "show", "An exercise with its findings and lessons, each with its action (JSON)");
  show->add_option("ID", f.id, "Exercise id")->required();
  show->callback([&, run] {
    status = run("exercises show", [&](const service::Context& ctx, const service::Caller& c) {
      auto v = service::ShowExercise(ctx, c, f.id);
      if (!v) return ReportError(v.error());
      std::cout << service::ToJson(*v).dump(json_flag ? -1 : 2) << "\n";
      return kExitOk;
    });
  });
  auto* report = exercises->add_subcommand(
      "report", "Record the after-action findings (once), optionally with one lesson");
  report->add_option("ID", f.id, "Exercise id")->required();
  report->add_option("--findings", f.findings, "The findings")->required();
  report->callback([&, run] {
    status = run("exercises report", [&](const service::Context& ctx, const service::Caller& c) {
      auto v = service::ReportExercise(ctx, c, {f.id, f.findings, {}});
      if (!v) return ReportError(v.error());
      if (json_flag) {
        std::cout << json{{"id", f.id}}.dump() << "\n";
      } else {
        std::cout << "reported " << f.id << "\n";
      }
      return kExitOk;
    });
  });
  auto* lesson = exercises->add_subcommand(
      "lesson", "Record a lesson of a reported exercise: it becomes an action item");
  lesson->add_option("ID", f.id, "Exercise id")->required();
  lesson->add_option("--text", f.lesson.text, "The lesson, as the action's title")->required();
  lesson->add_option("--owner-org", f.lesson.owner_org, "Member organisation that acts on it")
      ->required();
  lesson->add_option("--due", f.lesson.due, "Due date, YYYY-MM-DD")->required();
  lesson->add_option("--owner", f.lesson.owner_account, "Owning account of that organisation");
  lesson->callback([&, run] {
    status = run("exercises lesson", [&](const service::Context& ctx, const service::Caller& c) {
      auto v = service::ReportExercise(ctx, c, {f.id, "", {f.lesson}});
      if (!v) return ReportError(v.error());
      const auto& action = v->lessons.back().action;
      if (json_flag) {
        std::cout << json{{"id", action.id}, {"lesson", v->lessons.back().lesson.seq}}.dump()
                  << "\n";
      } else {
        std::cout << "added action " << action.id << " (lesson " << v->lessons.back().lesson.seq
                  << " of " << f.id << ")\n";
      }
      return kExitOk;
    });
  });

  auto* teams = app.add_subcommand("teams", "Joint security teams (issue 15)");
  teams->require_subcommand(1);
  auto* tadd = teams->add_subcommand("add", "Form a joint security team");
  tadd->add_option("NAME", f.team.name, "Team name (unique within the committee)")->required();
  tadd->add_option("--committee", f.team.committee, "Committee name or id")->required();
  tadd->add_option("--mandate", f.team.mandate, "What the team is for")->required();
  tadd->add_option("--org", f.team.members, "Member organisation (repeat)")->required();
  tadd->add_option("--district", f.team.districts, "District P-code it covers (repeat)");
  tadd->add_option("--area", f.area_file,
                   "A file holding its area: a GeoJSON Polygon or MultiPolygon geometry")
      ->check(CLI::ExistingFile);
  tadd->add_option("--site", f.team.sites, "Site id it covers (repeat)");
  tadd->add_option("--start", f.team.start, "First day, YYYY-MM-DD")->required();
  tadd->add_option("--end", f.team.end, "Last day, YYYY-MM-DD (default: open-ended)");
  marking_flags(tadd);
  tadd->callback([&, run, marking] {
    if (!f.area_file.empty()) {
      std::ifstream in(f.area_file, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      f.team.area = text.str();
    }
    status = run("teams add", [&](const service::Context& ctx, const service::Caller& c) {
      f.team.marking = marking();
      auto t = service::AddTeam(ctx, c, f.team);
      if (!t && !f.area_file.empty() && t.error().message.rfind("/area", 0) == 0) {
        return ReportError({t.error().code, f.area_file + t.error().message.substr(5)});
      }
      return Created(t, json_flag, "team");
    });
  });
  auto* tlist = teams->add_subcommand("list", "Teams you may read, by name");
  tlist->add_option("--committee", f.committee, "Only this committee's");
  tlist->add_option("--on", f.on, "Only teams whose period includes this day, YYYY-MM-DD");
  tlist->add_option("--limit", f.limit, "At most this many, 1 to 10000")->capture_default_str();
  tlist->callback([&, run] {
    status = run("teams list", [&](const service::Context& ctx, const service::Caller& c) {
      auto rows = service::ListTeams(ctx, c, f.committee, f.on, f.limit);
      if (!rows) return ReportError(rows.error());
      if (json_flag) {
        json out = {{"teams", json::array()}};
        for (const auto& t : *rows) out["teams"].push_back(service::ToJson(t));
        std::cout << out.dump() << "\n";
        return kExitOk;
      }
      if (rows->empty()) std::cout << "no teams\n";
      for (const auto& t : *rows) PrintTeam(t);
      return kExitOk;
    });
  });
}

}  // namespace

void AddCommitteeCommands(CLI::App& app, const std::string& db, const bool& json, int& status) {
  static Flags f;
  auto* committees = app.add_subcommand("committees", "Joint security committees (issue 15)");
  committees->require_subcommand(1);
  auto* cadd = committees->add_subcommand("add", "Add a committee with its member organisations");
  cadd->add_option("NAME", f.name, "Committee name (unique)")->required();
  cadd->add_option("--org", f.orgs, "Member organisation (repeat; yours is added)")->required();
  cadd->add_option("--kind", f.kind, "bilateral, regional or un")->capture_default_str();
  AddMarkingFlags(cadd, f);
  cadd->callback([&] {
    status = AsTokenUser(
        db, "committees add", [&](const service::Context& ctx, const service::Caller& c) {
          return Created(service::AddCommittee(ctx, c, {f.name, f.kind, f.orgs, MarkingOf(f)}),
                         json, "committee");
        });
  });
  committees->add_subcommand("list", "Committees you may read")->callback([&] {
    status = AsTokenUser(db, "committees list",
                         [&](const service::Context& ctx, const service::Caller& c) {
                           auto list = service::ListCommittees(ctx, c);
                           if (!list) return ReportError(list.error());
                           nlohmann::json out = {{"committees", nlohmann::json::array()}};
                           for (const auto& x : *list)
                             out["committees"].push_back(service::ToJson(x));
                           if (json) {
                             std::cout << out.dump() << "\n";
                           } else {
                             for (const auto& x : *list)
                               std::cout << x.id << "  " << x.name << "\n";
                           }
                           return kExitOk;
                         });
  });
  auto* perception = committees->add_subcommand(
      "perception",
      "What residents raise: grievance and consultation counts of the public side's aggregate "
      "release per district and month (suppressed there: <10, hidden), beside the incidents you "
      "may read and each district's structural vulnerability");
  perception->add_option("--from", f.from, "First month, YYYY-MM (default: 12 months before --to)");
  perception->add_option("--to", f.to, "Last month, YYYY-MM (default: the release's last month)");
  perception->add_option("--district", f.districts,
                         "District P-code (repeat, at most 40; default: every district the "
                         "release counts something for)");
  perception->add_option("--release", f.release, "A release's id (default: the last received)");
  perception->callback([&] { status = RunPerception(db, json, f); });
  auto* cshare = committees->add_subcommand(
      "share",
      "Write a signed STIX bundle of a committee's objects for another member's instance, which "
      "imports it with `corridor ingest --format stix FILE --trusted-keys KEYS`");
  cshare->add_option("NAME", f.name, "Committee name or id")->required();
  cshare->add_option("--to", f.to, "The receiving member organisation")->required();
  auto* output = cshare->add_option("--output", f.output, "Bundle file (default: standard output)");
  cshare
      ->add_flag("--push", f.push,
                 "Send it over TAXII to the partner instances of --to (corridor sync "
                 "add-partner) instead of writing it")
      ->excludes(output);
  cshare->add_option("--ca-cert", f.ca_cert, "PEM bundle to trust for partners' certificates");
  cshare->callback([&] {
    status = ShareBundle(
        db, "committees share", json, "committee " + f.name, f.to, f.output, f.push, f.ca_cert,
        [&](const service::Context& ctx, const service::Caller& c, const stix::SigningKey& key) {
          return service::ShareCommittee(ctx, c, {f.name, f.to}, key);
        });
  });
  auto* cshow =
      committees->add_subcommand("show", "A committee with its meetings and decisions (JSON)");
  cshow->add_option("NAME", f.name, "Committee name or id")->required();
  cshow->callback([&] {
    status = AsTokenUser(db, "committees show",
                         [&](const service::Context& ctx, const service::Caller& c) {
                           auto shown = service::ShowCommittee(ctx, c, f.name);
                           if (!shown) return ReportError(shown.error());
                           std::cout << shown->dump(json ? -1 : 2) << "\n";
                           return kExitOk;
                         });
  });

  auto* meetings = app.add_subcommand("meetings", "Committee meetings");
  meetings->require_subcommand(1);
  auto* madd = meetings->add_subcommand("add", "Record a meeting");
  madd->add_option("--committee", f.committee, "Committee name or id")->required();
  madd->add_option("--date", f.date, "Date, YYYY-MM-DD")->required();
  madd->add_option("--place", f.place, "Place (unless --virtual)");
  madd->add_flag("--virtual", f.is_virtual, "Held online");
  madd->add_option("--agenda", f.agenda, "Agenda item (repeat, in order)");
  madd->add_option("--present", f.present, "Member organisation present (repeat)");
  madd->add_option("--minutes", f.minutes, "Minutes");
  AddMarkingFlags(madd, f);
  madd->callback([&] {
    status =
        AsTokenUser(db, "meetings add", [&](const service::Context& ctx, const service::Caller& c) {
          return Created(service::AddMeeting(ctx, c,
                                             {f.committee, f.date, f.place, f.is_virtual, f.agenda,
                                              f.present, f.minutes, MarkingOf(f)}),
                         json, "meeting");
        });
  });

  auto* decisions = app.add_subcommand("decisions", "Committee decisions");
  decisions->require_subcommand(1);
  auto* dadd = decisions->add_subcommand("add", "Record a decision");
  dadd->add_option("--committee", f.committee, "Committee name or id")->required();
  dadd->add_option("--text", f.text, "The decision")->required();
  dadd->add_option("--meeting", f.meeting, "Meeting id it was taken in");
  dadd->add_option("--incident", f.incidents, "Linked incident id (repeat)");
  dadd->add_option("--assessment", f.assessments, "Linked assessment id (repeat)");
  dadd->add_option("--district", f.districts, "District P-code (repeat)");
  AddMarkingFlags(dadd, f);
  dadd->callback([&] {
    status = AsTokenUser(
        db, "decisions add", [&](const service::Context& ctx, const service::Caller& c) {
          return Created(service::AddDecision(ctx, c,
                                              {f.committee, f.meeting, f.text, f.incidents,
                                               f.assessments, f.districts, MarkingOf(f)}),
                         json, "decision");
        });
  });

  auto* actions = app.add_subcommand("actions", "Committee action items");
  actions->require_subcommand(1);
  auto* aadd = actions->add_subcommand("add", "Assign an action to a member organisation");
  aadd->add_option("--committee", f.committee, "Committee name or id")->required();
  aadd->add_option("--title", f.title, "What is to be done")->required();
  aadd->add_option("--owner-org", f.owner_org, "Owning member organisation")->required();
  aadd->add_option("--due", f.due, "Due date, YYYY-MM-DD")->required();
  aadd->add_option("--owner", f.owner_account, "Owning account of that organisation");
  aadd->add_option("--decision", f.decision, "Decision id it implements");
  aadd->add_option("--evidence", f.evidence, "Evidence link (repeat)");
  AddMarkingFlags(aadd, f);
  aadd->callback([&] {
    status =
        AsTokenUser(db, "actions add", [&](const service::Context& ctx, const service::Caller& c) {
          return Created(service::AddAction(ctx, c,
                                            {f.committee, f.decision, f.title, f.owner_org,
                                             f.owner_account, f.due, f.evidence, MarkingOf(f)}),
                         json, "action");
        });
  });
  auto* alist = actions->add_subcommand("list", "Actions you may read, by due date");
  alist->add_flag("--overdue", f.overdue, "Only open or in-progress actions past their due date");
  alist->add_option("--org", f.org, "Only actions this organisation owns");
  alist->add_option("--committee", f.committee, "Only this committee's");
  alist->add_option("--limit", f.list_limit, "At most this many, 1 to 10000")
      ->capture_default_str();
  alist->callback([&] { status = RunActionsList(db, json, f); });
  auto* notices = actions->add_subcommand(
      "notices",
      "Your notices of overdue actions: those your organisation owns (or you own), unread first; "
      "raises any that have fallen due (run it from cron to raise them daily)");
  notices->add_flag("--unread", f.unread, "Only notices you have not read");
  notices->add_option("--limit", f.limit, "At most this many (1-1000)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  notices->callback([&] { status = RunNotices(db, json, f); });
  auto* read_notice = actions->add_subcommand("read-notice", "Mark one of your notices read");
  read_notice->add_option("ID", f.id, "Notice number (actions notices lists them)")->required();
  read_notice->callback([&] { status = RunReadNotice(db, json, f); });
  auto* ashow = actions->add_subcommand(
      "show",
      "An action with its progress notes, oldest first, including those its owner's "
      "instance sent back (JSON)");
  ashow->add_option("ID", f.id, "Action id")->required();
  ashow->callback([&] {
    status =
        AsTokenUser(db, "actions show", [&](const service::Context& ctx, const service::Caller& c) {
          auto shown = service::ShowAction(ctx, c, f.id);
          if (!shown) return ReportError(shown.error());
          std::cout << shown->dump(json ? -1 : 2) << "\n";
          return kExitOk;
        });
  });
  auto* aupdate = actions->add_subcommand(
      "update",
      "Change an action's status and/or add a progress note (its owning organisation or the "
      "one that assigned it); the owner's notes go back with `committees share`");
  aupdate->add_option("ID", f.id, "Action id")->required();
  aupdate->add_option("--from", f.from, "The status you saw (open, in_progress, done, dropped)");
  aupdate->add_option("--to", f.to, "The new status");
  aupdate->add_option("--note", f.note, "Progress note");
  aupdate->callback([&] {
    status = AsTokenUser(
        db, "actions update", [&](const service::Context& ctx, const service::Caller& c) {
          return Created(service::UpdateAction(ctx, c, {f.id, f.from, f.to, f.note}), json,
                         "note to action");
        });
  });
  AddExerciseCommands(app, db, json, status);
  AddJudicialCommands(app, db, json, status);
}

}  // namespace corridor::cli
