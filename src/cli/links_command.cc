#include "cli/links_command.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli/caller.h"
#include "cli/output.h"
#include "corridor/service/links.h"

namespace corridor::cli {
namespace {

using nlohmann::json;

struct Flags {
  double min_score = 0.6;
  std::string state = "candidate";
  int limit = 50, offset = 0;
  std::string id, note;
};

std::string Text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "-";
  return v.dump();
}

std::string Record(const json& r) {
  return Text(r["dataset"]) + ":" + Text(r["source_id"]) + " " + Text(r["date_start"]) + " " +
         Text(r["location"]) + " (" + Text(r["location_precision"]) + "), killed " +
         Text(r["killed"]);
}

void PrintLinks(const json& body) {
  if (body["items"].empty()) {
    std::cout << "no " << (body["state"] == "all" ? "" : Text(body["state"]) + " ")
              << "links you may read\n";
    return;
  }
  for (const auto& l : body["items"]) {
    std::cout << Text(l["id"]) << "  " << Text(l["state"]) << "  score " << Text(l["score"]) << "\n"
              << "  " << Record(l["a"]) << "\n  " << Record(l["b"]) << "\n  why: ";
    std::string sep;
    for (const auto& r : l["reasons"]) {
      std::cout << sep << Text(r);
      sep = "; ";
    }
    std::cout << "\n";
    if (!l["kept"].is_null()) std::cout << "  counted in " << Text(l["kept"]) << "\n";
  }
  if (!body["next_offset"].is_null()) {
    std::cout << "more: --offset " << Text(body["next_offset"]) << "\n";
  }
}

// Runs `fn(ctx, caller)` and prints its JSON (or `print` it).
template <typename F, typename P>
void Run(const std::string& db, const bool& json_out, int& status, const char* via, F fn, P print) {
  status = AsCaller(db, /*create=*/false, via,
                    [&](const service::Context& ctx, const service::Caller& c) {
                      auto body = fn(ctx, c);
                      if (!body) return ReportError(body.error());
                      if (json_out) {
                        std::cout << body->dump() << "\n";
                      } else {
                        print(*body);
                      }
                      return kExitOk;
                    });
}

}  // namespace

void AddLinkCommands(CLI::App& app, const std::string& db, const bool& json_out, int& status) {
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand(
      "links",
      "One event, several sources: candidate links between records of different datasets, "
      "confirmed or rejected by an analyst (docs/links.md)");
  cmd->require_subcommand(1);

  auto* find = cmd->add_subcommand(
      "find",
      "Run the matcher over the store's incidents and add new candidate links (same as "
      "POST /api/v1/links/find)");
  find->add_option("--min-score", f->min_score, "The lowest score a candidate may have (0.3-1)")
      ->check(CLI::Range(0.3, 1.0));
  find->callback([&db, &json_out, &status, f] {
    service::FindLinksParams p;
    p.min_score = f->min_score;
    Run(
        db, json_out, status, "links find",
        [&](const service::Context& ctx, const service::Caller& c) {
          return service::FindLinks(ctx, c, p);
        },
        [](const json& b) {
          std::cout << Text(b["incidents"]) << " incidents compared; " << Text(b["candidates"])
                    << " candidate links at score >= " << Text(b["min_score"]) << ", "
                    << Text(b["new"]) << " new\n";
          for (const auto& [state, n] : b["states"].items()) {
            std::cout << "  " << state << ": " << Text(n) << "\n";
          }
        });
  });

  auto* list = cmd->add_subcommand(
      "list", "The links you may read, best score first (same as GET /api/v1/links)");
  list->add_option("--state", f->state, "candidate (default), confirmed, rejected or all")
      ->check(CLI::IsMember({"candidate", "confirmed", "rejected", "all"}));
  list->add_option("--limit", f->limit, "Links per page (1-500)")->check(CLI::Range(1, 500));
  list->add_option("--offset", f->offset, "Links to skip")->check(CLI::Range(0, 1'000'000));
  list->callback([&db, &json_out, &status, f] {
    service::ListLinksParams p;
    p.state = f->state;
    p.limit = f->limit;
    p.offset = f->offset;
    Run(
        db, json_out, status, "links list",
        [&](const service::Context& ctx, const service::Caller& c) {
          return service::ListLinks(ctx, c, p);
        },
        PrintLinks);
  });

  for (const char* decision : {"confirm", "reject"}) {
    auto* sub = cmd->add_subcommand(
        decision, std::string(decision == std::string("confirm")
                                  ? "Confirm that a link's two records are one event: it counts "
                                    "once, in the record docs/links.md's rule keeps"
                                  : "Reject a candidate link: the records stay two events") +
                      " (same as POST /api/v1/links/ID/decision; needs link-incidents)");
    sub->add_option("ID", f->id, "The link's id (corridor links list)")->required();
    sub->add_option("--note", f->note, "Why, for the record");
    sub->callback([&db, &json_out, &status, f, decision] {
      service::DecideLinkParams p;
      p.id = f->id;
      p.decision = decision;
      p.note = f->note;
      Run(
          db, json_out, status,
          decision == std::string("confirm") ? "links confirm" : "links reject",
          [&](const service::Context& ctx, const service::Caller& c) {
            return service::DecideLink(ctx, c, p);
          },
          [](const json& l) {
            PrintLinks(json{{"items", {l}}, {"state", "all"}, {"next_offset", nullptr}});
          });
    });
  }
}

}  // namespace corridor::cli
