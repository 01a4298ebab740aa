#include "cli/briefing_command.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/caller.h"
#include "corridor/service/briefing.h"

namespace corridor::cli {
namespace {

struct BriefingFlags {
  service::BriefingParams params;
  std::string format = "html";
  std::string output;
  std::string chromium = "chromium";
};

// Writes `bytes` to `path` through a temporary file renamed into place, so a
// failed run never leaves half a document.
Result<void> WriteFile(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".partial";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out) return Fail(ErrorCode::kUnavailable, path + ": cannot write");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Fail(ErrorCode::kUnavailable, path + ": " + ec.message());
  return {};
}

}  // namespace

void AddBriefingCommand(CLI::App& app, const std::string& db, const bool& json, int& status) {
  auto flags = std::make_shared<BriefingFlags>();
  auto* cmd = app.add_subcommand(
      "briefing",
      "Write a dated, marked briefing on one area and one month: the incidents on a map, the "
      "trend, the districts, the deadliest incidents, the districts' impact, vulnerability, hot "
      "spots and 30-day forecast with its backtest, the exposure of the corridor's projects and "
      "the committee's open and overdue actions, in English, Urdu or Chinese, as HTML or PDF "
      "(printed by Chromium with no network). Needs the export permission; its marking is the "
      "highest of its contents");
  cmd->add_option("--period", flags->params.period, "The month, YYYY-MM")->required();
  cmd->add_option("--area", flags->params.area, "A province or district P-code (PK2: Balochistan)")
      ->required();
  cmd->add_option("--lang", flags->params.lang, "en, ur or zh (default en)")
      ->check(CLI::IsMember({"en", "ur", "zh"}));
  cmd->add_option("--format", flags->format, "html (default) or pdf")
      ->check(CLI::IsMember({"html", "pdf"}));
  cmd->add_option("--output", flags->output, "The file to write (default: standard output)");
  cmd->add_option("--issued", flags->params.issued,
                  "The issue date, YYYY-MM-DD (default today); actions due before it are overdue");
  cmd->add_option("--chromium", flags->chromium,
                  "The Chromium to print PDF with (default chromium)");
  cmd->callback([flags, &db, &json, &status] {
    status = AsCaller(db, /*create=*/false, "cli briefing",
                      [&](const service::Context& ctx, const service::Caller& caller) {
                        auto doc = service::CollectBriefing(ctx, caller, flags->params);
                        if (!doc) return ReportError(doc.error());
                        std::string bytes = briefing::RenderHtml(*doc);
                        if (flags->format == "pdf") {
                          auto pdf = briefing::RenderPdf(bytes, {flags->chromium, 120});
                          if (!pdf) return ReportError(pdf.error());
                          bytes = std::move(*pdf);
                        }
                        if (flags->output.empty()) {
                          std::cout << bytes;
                          return kExitOk;
                        }
                        if (auto w = WriteFile(flags->output, bytes); !w)
                          return ReportError(w.error());
                        if (json) {
                          std::cout << nlohmann::json{{"file", flags->output},
                                                      {"format", flags->format},
                                                      {"bytes", bytes.size()},
                                                      {"marking", model::TlpName(doc->marking)},
                                                      {"incidents", doc->incidents},
                                                      {"killed", doc->killed}}
                                           .dump()
                                    << "\n";
                        } else {
                          std::cout << flags->output << ": " << flags->format << ", "
                                    << bytes.size() << " bytes, " << model::TlpName(doc->marking)
                                    << ", " << doc->incidents << " incidents\n";
                        }
                        return kExitOk;
                      });
  });
}

}  // namespace corridor::cli
