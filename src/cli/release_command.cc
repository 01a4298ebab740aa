#include "cli/release_command.h"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/caller.h"
#include "cli/report.h"
#include "cli/security_command.h"
#include "corridor/common/date.h"
#include "corridor/common/json_get.h"
#include "corridor/common/strings.h"
#include "corridor/release/release.h"
#include "corridor/service/perception.h"

namespace corridor::cli {
namespace {

using nlohmann::json;

std::optional<std::string> ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int RunReleaseIngest(const std::string& db, bool as_json, const std::vector<std::string>& files,
                     const std::vector<std::string>& trusted_keys) {
  if (trusted_keys.empty()) {
    std::cerr << "corridor: --format public-release needs --trusted-keys (the public instance's "
                 "key file, `corridor public keys`)\n";
    return kExitUsage;
  }
  std::vector<std::string> trusted;
  for (const auto& path : trusted_keys) {
    auto text = ReadAll(path);
    if (!text) {
      std::cerr << "corridor: --trusted-keys: cannot read " << path << "\n";
      return kExitUsage;
    }
    auto keys = release::TrustedKeysFromJson(json::parse(*text, nullptr, false));
    if (!keys) return ReportFailure(Error{keys.error().code, path + ": " + keys.error().message});
    trusted.insert(trusted.end(), keys->begin(), keys->end());
  }
  int status = kExitOk;
  json reports = json::array();
  const int opened =
      WithCaller(db, /*create=*/true, "ingest public-release",
                 [&](SecureStore&, const service::Context& ctx, const service::Caller& caller) {
                   for (const auto& file : files) {
                     auto refuse = [&](const std::string& why) {
                       std::cerr << "corridor: " << file << ": refused: " << why << "\n";
                       status = kExitFailed;
                       reports.push_back({{"file", file}, {"refused", why}});
                     };
                     auto bytes = ReadAll(file);
                     if (!bytes) {
                       refuse("cannot be read");
                       continue;
                     }
                     auto sig = ReadAll(file + ".sig");
                     if (!sig) {
                       refuse("no detached signature " + file + ".sig");
                       continue;
                     }
                     auto r = service::IngestPublicRelease(ctx, caller, *bytes, *sig, trusted);
                     if (!r) {
                       // The audit log failing is the command's failure, not the file's.
                       if (r.error().code == ErrorCode::kUnavailable)
                         return ReportFailure(r.error());
                       refuse(r.error().message);
                       continue;
                     }
                     reports.push_back({{"file", file},
                                        {"release", r->id},
                                        {"new", r->added},
                                        {"cells", r->cells},
                                        {"suppressed", r->suppressed}});
                     if (!as_json) {
                       std::cout << file << ": release " << r->id.substr(0, 12)
                                 << (r->added ? " stored" : " already held") << " (" << r->cells
                                 << " cells, " << r->suppressed << " suppressed)\n";
                     }
                   }
                   return kExitOk;
                 });
  if (opened != kExitOk) return opened;
  if (as_json) std::cout << reports.dump() << "\n";
  return status;
}

}  // namespace corridor::cli
