#include "cli/data_command.h"

#include <iostream>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/progress.h"
#include "corridor/datasets/fetch.h"

namespace corridor::cli {
namespace {

void PrintLicences(const std::vector<datasets::DatasetLicence>& licences) {
  std::cout << "\nLicences and required attribution:\n";
  for (const auto& l : licences) {
    std::cout << "  " << l.dataset << " (" << l.licence.id
              << (l.licence.redistribution ? "" : "; may NOT be redistributed") << ")\n    "
              << l.licence.attribution << "\n";
  }
}

nlohmann::json LicencesJson(const std::vector<datasets::DatasetLicence>& licences) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& l : licences) {
    out.push_back({{"dataset", l.dataset},
                   {"licence", l.licence.id},
                   {"redistribution", l.licence.redistribution},
                   {"attribution", l.licence.attribution}});
  }
  return out;
}

int RunFetch(const std::string& dir, const std::string& base_url, bool json) {
  datasets::FetchOptions options;
  if (!base_url.empty()) options.base_url = base_url;
  ProgressBar bar("fetch");
  options.progress = [&bar](const datasets::SourceFile&, std::uint64_t bytes,
                            std::uint64_t total) {
    bar.Update(static_cast<std::int64_t>(bytes), static_cast<std::int64_t>(total));
    return true;
  };
  options.on_file = [&](const datasets::FileOutcome& f) {
    bar.Finish();
    if (json) return;
    std::cout << "  " << datasets::FetchStatusName(f.status) << ": " << f.path;
    if (!f.reason.empty()) std::cout << " (" << f.reason << ")";
    std::cout << "\n";
  };
  auto report = datasets::Fetch(dir, options);
  bar.Finish();
  if (!report) {
    std::cerr << "corridor: " << report.error().message << "\n";
    return 1;
  }
  if (json) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& f : report->files) {
      files.push_back({{"path", f.path},
                       {"url", f.url},
                       {"status", datasets::FetchStatusName(f.status)},
                       {"reason", f.reason}});
    }
    std::cout << nlohmann::json{{"files", files},
                                {"fetched", report->fetched},
                                {"already_present", report->already_present},
                                {"failed", report->failed},
                                {"licences", LicencesJson(report->licences)}}
                     .dump()
              << "\n";
  } else {
    std::cout << report->fetched << " fetched, " << report->already_present
              << " already present, " << report->failed << " failed\n";
    PrintLicences(report->licences);
  }
  if (!report->ok()) {
    std::cerr << "corridor: " << report->failed
              << " file(s) could not be fetched or did not match their sha256 (deleted)\n";
    return 1;
  }
  return 0;
}

int RunVerify(const std::string& dir, bool json) {
  auto report = datasets::Verify(dir);
  if (!report) {
    std::cerr << "corridor: " << report.error().message << "\n";
    return 1;
  }
  if (json) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& f : report->files) {
      files.push_back({{"path", f.path},
                       {"status", datasets::VerifyStatusName(f.status)},
                       {"detail", f.detail}});
    }
    std::cout << nlohmann::json{{"files", files},
                                {"ok", report->ok_count},
                                {"missing", report->missing},
                                {"mismatched", report->mismatched},
                                {"licences", LicencesJson(report->licences)}}
                     .dump()
              << "\n";
  } else {
    for (const auto& f : report->files) {
      if (f.status == datasets::VerifyStatus::kOk) continue;
      std::cout << "  " << datasets::VerifyStatusName(f.status) << ": " << f.path
                << (f.detail.empty() ? "" : " (" + f.detail + ")") << "\n";
    }
    std::cout << report->ok_count << " files match the manifest, " << report->missing
              << " missing, " << report->mismatched << " differ\n";
    PrintLicences(report->licences);
  }
  return report->ok() ? 0 : 1;
}

}  // namespace

void AddDataCommands(CLI::App& app, const bool& json, int& status) {
  auto* data = app.add_subcommand("data", "The public datasets Corridor is built on");
  data->require_subcommand(1);

  auto* fetch = data->add_subcommand(
      "fetch", "Download the datasets from their pinned public origins into DIR, checking each "
               "file's sha256 (a file that does not match is deleted), and print their licences");
  static std::string fetch_dir;
  static std::string base_url;
  fetch->add_option("DIR", fetch_dir, "Target folder (created when missing)")->required();
  fetch->add_option("--base-url", base_url,
                    "Origin of the raw files (default: the public GitHub raw host)");
  fetch->callback([&] { status = RunFetch(fetch_dir, base_url, json); });

  auto* verify = data->add_subcommand(
      "verify", "Check a data folder (e.g. ../shared/data) against the pinned manifest");
  static std::string verify_dir;
  verify->add_option("DIR", verify_dir, "Data folder")->required();
  verify->callback([&] { status = RunVerify(verify_dir, json); });
}

}  // namespace corridor::cli
