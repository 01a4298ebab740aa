#include "cli/organisations_command.h"

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "cli/caller.h"
#include "cli/output.h"
#include "corridor/service/organisations.h"

namespace corridor::cli {
namespace {

using nlohmann::json;

struct Flags {
  std::string id, dataset = "ucdp-ged", from, to, query;
};

std::string Text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "-";
  return v.dump();
}

void PrintList(const json& body) {
  std::vector<std::vector<std::string>> rows = {
      {"id", "organisation", "incidents", "perpetrator", "party", "deaths", "first", "last"}};
  for (const auto& i : body["items"]) {
    rows.push_back({Text(i["id"]), Text(i["name"]), Text(i["incidents"]), Text(i["as_perpetrator"]),
                    Text(i["as_party"]), Text(i["deaths"]), Text(i["first"]), Text(i["last"])});
  }
  if (rows.size() == 1) {
    std::cout << "no organisation "
              << (body.value("q", "").empty() ? "has" : "matching the query has")
              << " an incident in " << Text(body["dataset"]) << "\n";
  } else {
    WriteTable(std::cout, rows);
  }
  std::cout << body["incidents"].get<std::int64_t>() << " incidents read; "
            << body["unclassified_names"].size()
            << " source names not yet classified (config/actor_names.tsv)\n"
            << Text(body["attribution"]) << "\n";
}

// The first 25 rows of a tally (--json has them all).
void PrintTallies(const char* title, const json& tallies, bool named) {
  if (tallies.empty()) return;
  std::cout << "\n" << title << "\n";
  std::vector<std::vector<std::string>> rows = {{"", "incidents", "deaths"}};
  for (const auto& t : tallies) {
    if (rows.size() > 25) {
      rows.push_back({"(" + std::to_string(tallies.size() - 25) + " more)", "", ""});
      break;
    }
    std::string key = Text(t["key"]);
    if (key.empty()) key = "(not known)";
    if (named && t.contains("name") && !t["name"].get<std::string>().empty()) {
      key += " " + t["name"].get<std::string>();
    }
    rows.push_back({key, Text(t["incidents"]), Text(t["deaths"])});
  }
  WriteTable(std::cout, rows);
}

void PrintPage(const json& body) {
  const json& o = body["organisation"];
  const json& t = body["totals"];
  std::cout << Text(o["name"]) << " (" << Text(o["id"]) << ")";
  if (!o["parent"].get<std::string>().empty()) std::cout << ", a faction of " << Text(o["parent"]);
  std::cout << "\n"
            << Text(body["dataset"]) << ": " << Text(t["incidents"]) << " incidents ("
            << Text(t["as_perpetrator"]) << " as perpetrator, " << Text(t["as_party"])
            << " as a side of a clash), " << Text(t["first"]) << " to " << Text(t["last"]) << "; "
            << Text(t["deaths_best"]) << " deaths (low " << Text(t["deaths_low"]) << ", high "
            << Text(t["deaths_high"]) << ")\n";
  PrintTallies("per year", body["by_year"], false);
  PrintTallies("districts", body["districts"], true);
  PrintTallies("categories", body["categories"], false);
  PrintTallies("target types", body["target_types"], false);
  PrintTallies("other organisations in its incidents", body["counterparts"], true);
  PrintTallies("other sides, by kind", body["counterpart_kinds"], false);
  if (!body["assessments"].empty()) {
    std::cout << "\nassessments citing its incidents\n";
    for (const auto& a : body["assessments"]) {
      std::cout << "  " << Text(a["id"]) << " " << Text(a["marking"]) << " " << Text(a["title"])
                << "\n";
    }
  }
  std::cout << "\n" << Text(body["attribution"]) << "\n";
}

}  // namespace

void AddOrganisationCommands(CLI::App& app, const std::string& db, const bool& json_out,
                             int& status) {
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand(
      "armed-organisations",
      "Armed organisations ranked by their incidents in one dataset, or one organisation's page "
      "(same result as GET /api/v1/armed-organisations[/ID]; docs/organisations.md)");
  cmd->add_option("ID", f->id, "An organisation's id (e.g. ttp): show its page");
  cmd->add_option("--dataset", f->dataset,
                  "ucdp-ged (default), gtd, acled, manual or stix; datasets are never mixed");
  cmd->add_option("--from", f->from, "Only incidents whose date_start is on or after YYYY-MM-DD");
  cmd->add_option("--to", f->to, "Only incidents whose date_start is on or before YYYY-MM-DD");
  cmd->add_option("--query,-q", f->query,
                  "The list: only organisations with this in a name (English, Urdu or Chinese)");
  cmd->callback([&db, &json_out, &status, f] {
    const bool page = !f->id.empty();
    std::vector<std::pair<std::string, std::string>> query = {{"dataset", f->dataset}};
    if (!f->from.empty()) query.emplace_back("from", f->from);
    if (!f->to.empty()) query.emplace_back("to", f->to);
    if (!f->query.empty()) {
      if (page) {
        status = ReportError({ErrorCode::kInvalidArgument, "--query: only without an ID"});
        return;
      }
      query.emplace_back("q", f->query);
    }
    service::OrganisationParams p;
    std::map<std::string, std::string> path;
    if (page) path["organisation"] = f->id;
    const auto& schema = service::OrganisationParams::Schema(page);
    if (auto ok = schema.ParseInto(p, query, path); !ok) {
      status = ReportError(ok.error());
      return;
    }
    if (auto ok = schema.Check(p); !ok) {
      status = ReportError(ok.error());
      return;
    }
    status = AsCaller(db, /*create=*/false, "armed-organisations",
                      [&](const service::Context& ctx, const service::Caller& c) {
                        auto body = page ? service::ArmedOrganisationPage(ctx, c, p, nullptr)
                                         : service::ListArmedOrganisations(ctx, c, p, nullptr);
                        if (!body) return ReportError(body.error());
                        if (json_out) {
                          std::cout << body->dump() << "\n";
                        } else if (page) {
                          PrintPage(*body);
                        } else {
                          PrintList(*body);
                        }
                        return kExitOk;
                      });
  });
}

}  // namespace corridor::cli
