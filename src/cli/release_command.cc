#include "cli/release_command.h"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/report.h"
#include "cli/security_command.h"
#include "corridor/common/date.h"
#include "corridor/common/json_get.h"
#include "corridor/common/strings.h"
#include "corridor/release/release.h"
#include "corridor/store/releases.h"

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
  auto s = OpenSecureStore(db, /*create=*/true);
  if (!s) return ReportFailure(s.error());
  auto releases = store::NewPublicReleaseStore();
  int status = kExitOk;
  json reports = json::array();
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
    // The signature over the exact bytes first: nothing unsigned is parsed further.
    auto sig_text = ReadAll(file + ".sig");
    if (!sig_text) {
      refuse("no detached signature " + file + ".sig");
      continue;
    }
    const json sig = json::parse(*sig_text, nullptr, false);
    if (auto ok = release::VerifyDetached(*bytes, sig, trusted); !ok) {
      refuse(ok.error().message);
      continue;
    }
    const json doc = json::parse(*bytes, nullptr, false);
    if (doc.is_discarded()) {
      refuse("not JSON");
      continue;
    }
    if (auto ok = release::CheckRelease(doc); !ok) {
      refuse(ok.error().message);
      continue;
    }
    store::PublicRelease r;
    r.id = Sha256Hex(*bytes);
    r.generated_at = StringOr(doc, "generated_at");
    r.received_at = NowTimestamp();
    r.signed_by = sig["public_key"].get<std::string>();
    for (const char* part : {"cells", "totals"}) {
      for (const auto& row : doc[part]) {
        store::ReleaseCount c;
        c.kind = row["kind"].get<std::string>();
        c.district = row["district"].get<std::string>();
        c.month = row["month"].get<std::string>();
        c.topic = StringOr(row, "topic", "*");
        c.channel = StringOr(row, "channel", "*");
        if (row["count"].is_number_integer()) {
          c.count = row["count"].get<std::int64_t>();
        } else {
          c.reason = row["reason"].get<std::string>();
        }
        if (std::string(part) == "cells") {
          ++r.cells;
          if (!c.count) ++r.suppressed;
        }
        r.counts.push_back(std::move(c));
      }
    }
    auto added = store::InWriteTransaction(
        (*s)->store->database(), [&](store::Transaction& tx) { return releases->Add(tx, r); });
    if (!added) {
      refuse(added.error().message);
      continue;
    }
    const json detail = {{"release", r.id},
                         {"signed_by", r.signed_by},
                         {"cells", r.cells},
                         {"suppressed", r.suppressed},
                         {"generated_at", r.generated_at},
                         {"new", *added}};
    if (auto a =
            (*s)->audit->Record("cli-operator", "public-release-ingested", {r.id}, detail.dump());
        !a) {
      return ReportFailure(a.error());
    }
    reports.push_back({{"file", file},
                       {"release", r.id},
                       {"new", *added},
                       {"cells", r.cells},
                       {"suppressed", r.suppressed}});
    if (!as_json) {
      std::cout << file << ": release " << r.id.substr(0, 12)
                << (*added ? " stored" : " already held") << " (" << r.cells << " cells, "
                << r.suppressed << " suppressed)\n";
    }
  }
  if (as_json) std::cout << reports.dump() << "\n";
  return status;
}

}  // namespace corridor::cli
