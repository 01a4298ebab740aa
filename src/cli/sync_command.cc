#include "cli/sync_command.h"

#include <cctype>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/caller.h"
#include "cli/report.h"
#include "cli/security_command.h"
#include "corridor/auth/crypto.h"
#include "corridor/common/date.h"
#include "corridor/service/admin.h"
#include "corridor/sync/client.h"
#include "corridor/sync/codec.h"
#include "corridor/sync/egress.h"

namespace corridor::cli {
namespace {

struct SyncFlags {
  store::Partner partner;
  std::string partner_name;  // run: only this one
  int page_limit = 500;
  int pause_ms = 0;
  std::string ca_cert;
  std::string object_id;
  std::vector<std::string> roots = {"bilateral", "regional", "un"};
};

bool IsHex(const std::string& s, std::size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int RunAddPartner(const std::string& db, bool json, store::Partner p) {
  if (!IsHex(p.public_key, 64)) {
    std::cerr << "corridor: --public-key: expected the partner's Ed25519 public key as 64 hex "
                 "digits (its `corridor keys show`, or sign_public of its key file)\n";
    return kExitUsage;
  }
  if (p.base_url.rfind("http://", 0) != 0 && p.base_url.rfind("https://", 0) != 0) {
    std::cerr << "corridor: --url: expected http(s)://HOST[:PORT], got '" << p.base_url << "'\n";
    return kExitUsage;
  }
  if (p.collection.empty()) p.collection = sync::CollectionIdFor(p.api_root);
  if (p.trust_group.empty()) p.trust_group = p.api_root;
  std::cerr << "Bearer token issued to this instance by " << p.org << " (one line on stdin): ";
  std::string token;
  std::getline(std::cin, token);
  if (!token.empty() && token.back() == '\r') token.pop_back();
  if (token.empty()) {
    std::cerr << "\ncorridor: no token on standard input\n";
    return kExitUsage;
  }
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  p.token_sealed = auth::Seal((*s)->keys, token);
  // The partner's organisation is known here too, so that its users' tokens
  // (for its pulls from us) and egress decisions name it.
  auto org = (*s)->store->GetOrganisation(p.org);
  if (!org) {
    if (org.error().code != ErrorCode::kNotFound) return ReportError(org.error());
    if (auto a = (*s)->accounts->AddOrganisation(p.org, {p.trust_group}, false); !a) {
      return ReportError(a.error());
    }
  }
  nlohmann::json detail = {{"added_partner", p.name},
                           {"org", p.org},
                           {"url", p.base_url},
                           {"api_root", p.api_root},
                           {"trust_group", p.trust_group},
                           {"public_key", p.public_key}};
  if (auto a = (*s)->audit->Record("cli-operator", "admin", {}, detail.dump()); !a) {
    return ReportError(a.error());
  }
  if (auto r = (*s)->store->AddPartner(p); !r) return ReportError(r.error());
  if (json) {
    std::cerr << "\n";
    std::cout
        << nlohmann::json{{"partner", p.name}, {"org", p.org}, {"collection", p.collection}}.dump()
        << "\n";
  } else {
    std::cerr << "\n";
    std::cout << "added partner " << p.name << " (" << p.org << ", " << p.base_url << "/taxii2/"
              << p.api_root << "/collections/" << p.collection << "/)\n";
  }
  return kExitOk;
}

int RunListPartners(const std::string& db, bool json) {
  return AsCaller(
      db, false, "sync list", [&](const service::Context& ctx, const service::Caller& c) {
        auto partners = service::AllPages<store::Partner>(
            [&](const service::AdminListParams& p) { return service::ListPartners(ctx, c, p); });
        if (!partners) return ReportError(partners.error());
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : *partners) {
          if (json) {
            out.push_back(service::ToJson(p));
          } else {
            std::cout << p.name << "  " << p.org << "  " << p.base_url << "  root " << p.api_root
                      << "  last sync " << (p.last_sync.empty() ? "never" : p.last_sync) << "\n";
          }
        }
        if (json) std::cout << out.dump() << "\n";
        return kExitOk;
      });
}

int RunSync(const std::string& db, bool json, const SyncFlags& f) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto partners = (*s)->store->ListPartners();
  if (!partners) return ReportError(partners.error());
  sync::SyncOptions options;
  options.page_limit = f.page_limit;
  options.ca_cert_path = f.ca_cert;
  options.pause_before_apply = std::chrono::milliseconds(f.pause_ms);
  int rc = kExitOk;
  bool any = false;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : *partners) {
    if (!f.partner_name.empty() && p.name != f.partner_name) continue;
    any = true;
    auto report = sync::SyncPartner(*(*s)->store, *(*s)->audit, (*s)->keys, p.name, options);
    if (!report) {
      std::cerr << "corridor: sync " << p.name << ": " << report.error().message << "\n";
      rc = kExitFailed;
      continue;
    }
    if (json) {
      out.push_back({{"partner", p.name},
                     {"pages", report->pages},
                     {"objects", report->objects},
                     {"applied", report->applied},
                     {"stale", report->stale},
                     {"tombstones", report->tombstones},
                     {"rejected", report->rejected},
                     {"bytes", report->bytes}});
    } else {
      std::cout << "synced " << p.name << ": " << report->objects << " objects in " << report->pages
                << " pages, " << report->applied << " applied, " << report->stale << " stale, "
                << report->tombstones << " removed by tombstone, " << report->rejected
                << " rejected\n";
    }
  }
  if (!any) {
    std::cerr << "corridor: "
              << (f.partner_name.empty() ? "no partners (corridor sync add-partner)"
                                         : "no partner " + f.partner_name)
              << "\n";
    return kExitFailed;
  }
  if (json) std::cout << out.dump() << "\n";
  return rc;
}

// The incident or assessment `id` as `viewer` sees it (one of the two is set);
// kNotFound when it sees neither.
struct SharedObject {
  std::optional<model::Incident> incident;
  std::optional<model::Assessment> assessment;
};

Result<SharedObject> FindObject(const store::Store& store, const store::Viewer& viewer,
                                const Uuid& id) {
  auto incident = store.GetIncident(viewer, id);
  if (incident) return SharedObject{std::move(*incident), std::nullopt};
  if (incident.error().code != ErrorCode::kNotFound) return Fail(incident.error());
  auto assessment = store.GetAssessment(viewer, id);
  if (assessment) return SharedObject{std::nullopt, std::move(*assessment)};
  if (assessment.error().code != ErrorCode::kNotFound) return Fail(assessment.error());
  return Fail(ErrorCode::kNotFound, "no incident or assessment " + id.str());
}

int RunPreview(const std::string& db, bool json, const SyncFlags& f) {
  auto id = Uuid::Parse(f.object_id);
  if (!id) {
    std::cerr << "corridor: OBJECT-ID: not a UUID: '" << f.object_id << "'\n";
    return kExitUsage;
  }
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto identity = CliIdentityOf(**s);
  if (!identity) return ReportError(identity.error());
  auto found = FindObject(*(*s)->store, identity->viewer, *id);
  if (!found) return ReportError(found.error());
  auto& [incident, assessment] = *found;
  auto rows = assessment ? sync::PreviewEgress(*(*s)->store, *assessment, f.roots)
                         : sync::PreviewEgress(*(*s)->store, *incident, f.roots);
  if (!rows) return ReportError(rows.error());
  const model::Marking& marking = assessment ? assessment->marking : incident->marking;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : *rows) {
    if (json) {
      out.push_back({{"organisation", r.org},
                     {"api_root", r.api_root},
                     {"send", r.send},
                     {"tombstone", r.tombstone},
                     {"reason", r.reason}});
    } else {
      std::cout << r.org << "  " << (r.api_root.empty() ? "-" : r.api_root) << "  "
                << (r.send ? "yes" : (r.tombstone ? "no (tombstone)" : "no")) << "  " << r.reason
                << "\n";
    }
  }
  if (json) {
    std::cout << nlohmann::json{{"id", id->str()},
                                {"type", assessment ? "assessment" : "incident"},
                                {"marking", model::TlpName(marking.tlp)},
                                {"licence", assessment ? "" : incident->licence.id},
                                {"recipients", out}}
                     .dump()
              << "\n";
  } else if (rows->empty()) {
    std::cout << "no partner organisations: nobody would receive it\n";
  }
  return kExitOk;
}

int RunRevoke(const std::string& db, const std::string& object_id) {
  auto id = Uuid::Parse(object_id);
  if (!id) {
    std::cerr << "corridor: OBJECT-ID: not a UUID: '" << object_id << "'\n";
    return kExitUsage;
  }
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto identity = CliIdentityOf(**s);
  if (!identity) return ReportError(identity.error());
  auto found = FindObject(*(*s)->store, identity->viewer, *id);
  if (!found) return ReportError(found.error());
  auto& [incident, assessment] = *found;
  const model::Marking& marking = assessment ? assessment->marking : incident->marking;
  if (auto d = identity->Check(auth::Action::kTightenMarking, &marking); !d) {
    return ReportError(d.error());
  }
  const Uuid ids[] = {*id};
  auto received = (*s)->store->GetReceived(ids);
  if (!received) return ReportError(received.error());
  if (!received->empty()) {
    std::cerr << "corridor: " << object_id << " was received from " << received->front().org
              << ": only its originator revokes it\n";
    return kExitFailed;
  }
  if (assessment) {
    if (assessment->revoked) {
      std::cout << object_id << " is already revoked\n";
      return kExitOk;
    }
    nlohmann::json detail = {{"revoked", true}, {"type", "assessment"}};
    if (auto a = (*s)->audit->Record(identity->actor, "revoke", {id->str()}, detail.dump()); !a) {
      return ReportError(a.error());
    }
    assessment->revoked = true;
    assessment->modified = NowTimestamp();
    assessment->version += 1;
    if (auto r = (*s)->store->PutAssessment(*assessment); !r) return ReportError(r.error());
    std::cout << "revoked assessment " << object_id
              << ": every partner that received it gets a tombstone\n";
    return kExitOk;
  }
  if (incident->revoked) {
    std::cout << object_id << " is already revoked\n";
    return kExitOk;
  }
  nlohmann::json detail = {{"revoked", true}};
  if (auto a = (*s)->audit->Record(identity->actor, "revoke", {id->str()}, detail.dump()); !a) {
    return ReportError(a.error());
  }
  model::Incident revoked = *incident;
  revoked.revoked = true;
  const model::Incident batch[] = {revoked};
  if (auto r = (*s)->store->UpsertIncidents(batch); !r) return ReportError(r.error());
  std::cout << "revoked " << object_id << ": every partner that received it gets a tombstone\n";
  return kExitOk;
}

}  // namespace

void AddSyncCommands(CLI::App& app, const std::string& db, const bool& json, int& status) {
  static SyncFlags f;
  auto* sync_cmd = app.add_subcommand("sync", "Partner sync over TAXII 2.1");
  sync_cmd->require_subcommand(1);

  auto* add = sync_cmd->add_subcommand(
      "add-partner", "Add a partner instance to pull from; reads its token from stdin");
  add->add_option("--name", f.partner.name, "Local name of the partner")->required();
  add->add_option("--org", f.partner.org, "The partner's organisation")->required();
  add->add_option("--url", f.partner.base_url, "The partner's base URL, https://HOST[:PORT]")
      ->required();
  add->add_option("--api-root", f.partner.api_root, "API root (trust group) on the partner")
      ->required();
  add->add_option("--collection", f.partner.collection,
                  "Collection id (default: the Corridor collection of the API root)");
  add->add_option("--public-key", f.partner.public_key,
                  "The partner's Ed25519 public key (64 hex digits), pinned")
      ->required();
  add->add_option("--trust-group", f.partner.trust_group,
                  "Trust group of this exchange (default: the API root)");
  add->callback([&] { status = RunAddPartner(db, json, f.partner); });

  auto* list = sync_cmd->add_subcommand("list", "List partners with their last sync");
  list->callback([&] { status = RunListPartners(db, json); });

  auto* run = sync_cmd->add_subcommand(
      "run", "Pull every partner's collection from its cursor (one transaction per page)");
  run->add_option("--partner", f.partner_name, "Only this partner");
  run->add_option("--page-limit", f.page_limit, "Objects per page")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  run->add_option("--ca-cert", f.ca_cert, "PEM bundle to trust for partners' certificates")
      ->check(CLI::ExistingFile);
  run->add_option("--pause-before-apply-ms", f.pause_ms,
                  "Tests: wait this long before applying each page after the first")
      ->group("");
  run->callback([&] { status = RunSync(db, json, f); });

  auto* preview = sync_cmd->add_subcommand(
      "preview", "Who would receive this object, and why (per partner organisation)");
  preview->add_option("OBJECT-ID", f.object_id, "Incident or assessment id")->required();
  preview->add_option("--api-roots", f.roots, "The API roots served")->delimiter(',');
  preview->callback([&] { status = RunPreview(db, json, f); });

  auto* revoke = app.add_subcommand(
      "revoke",
      "Revoke an incident or assessment this instance originated; past recipients get a "
      "tombstone");
  revoke->add_option("OBJECT-ID", f.object_id, "Incident or assessment id")->required();
  revoke->callback([&] { status = RunRevoke(db, f.object_id); });
}

}  // namespace corridor::cli
