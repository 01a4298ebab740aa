#include "cli/stix_command.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/report.h"
#include "cli/security_command.h"
#include "corridor/api/assessments.h"
#include "corridor/common/date.h"
#include "corridor/model/json.h"
#include "corridor/stix/exchange.h"
#include "corridor/stix/signature.h"
#include "corridor/store/incident_links.h"

namespace corridor::cli {
namespace {

using nlohmann::json;

// The instance's own organisation ("" when none is marked --own).
Result<std::string> OwnOrganisation(const store::Store& store) {
  auto orgs = store.ListOrganisations();
  if (!orgs) return Fail(orgs.error());
  for (const auto& o : *orgs) {
    if (o.own) return o.name;
  }
  return std::string();
}

Result<stix::KeyRing> RingOf(SecureStore& s, const std::string& db) {
  return stix::LoadOrCreateKeyRing(SigningKeysPathFor(db), s.keys, NowTimestamp());
}

int Audit(SecureStore& s, const std::string& actor, const std::string& action,
          std::vector<std::string> objects, const json& detail) {
  if (auto a = s.audit->Record(actor, action, std::move(objects), detail.dump()); !a) {
    std::cerr << "corridor: the audit log cannot be written: " << a.error().message << "\n";
    return kExitFailed;
  }
  return kExitOk;
}

struct KeysFlags {
  std::string key_id;
  std::string from;
};

struct AssessmentFlags {
  std::string title, body, body_file, marking, trust_group, id;
  std::vector<std::string> incidents, areas, sites, orgs;
  int limit = 100;
};

int RunKeysShow(const std::string& db, bool as_json) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto ring = RingOf(**s, db);
  if (!ring) return ReportError(ring.error());
  auto org = OwnOrganisation(*(*s)->store);
  if (!org) return ReportError(org.error());
  if (as_json) {
    json out = ring->keys.ToJson(*org);
    out["current"] = ring->current.key_id;
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << "current key " << ring->current.key_id << "\n  public key (Ed25519, hex) "
            << ring->current.public_key << "\n";
  for (const auto& k : ring->keys.keys()) {
    std::cout << k.key_id << "  created " << k.created;
    if (!k.retired.empty()) std::cout << "  retired " << k.retired;
    if (!k.replaces.empty()) std::cout << "  replaces " << k.replaces;
    if (!k.compromised_from.empty()) std::cout << "  COMPROMISED from " << k.compromised_from;
    std::cout << "\n";
  }
  std::cout << "(partners pin these with `corridor keys show --json`)\n";
  return kExitOk;
}

int RunKeysRotate(const std::string& db, bool as_json) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto before = RingOf(**s, db);
  if (!before) return ReportError(before.error());
  auto ring = stix::RotateKeyRing(SigningKeysPathFor(db), (*s)->keys, NowTimestamp());
  if (!ring) return ReportError(ring.error());
  const stix::KeyInfo* info = ring->keys.Find(ring->current.key_id);
  if (int rc = Audit(**s, "cli-operator", "admin", {},
                     {{"key_rotated", before->current.key_id},
                      {"new_key", ring->current.key_id},
                      {"rotation_signature", info->rotation_signature}});
      rc != kExitOk) {
    return rc;
  }
  if (as_json) {
    std::cout << json{{"old_key", before->current.key_id},
                      {"new_key", ring->current.key_id},
                      {"public_key", ring->current.public_key},
                      {"rotation_signature", info->rotation_signature}}
                     .dump()
              << "\n";
  } else {
    std::cout << "rotated: new key " << ring->current.key_id << " replaces "
              << before->current.key_id
              << " (rotation statement signed by the old key; republish `corridor keys show "
                 "--json` to partners)\n";
  }
  return kExitOk;
}

int RunKeysCompromise(const std::string& db, bool as_json, const KeysFlags& f) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto ring = stix::MarkKeyCompromised(SigningKeysPathFor(db), (*s)->keys, f.key_id, f.from);
  if (!ring) return ReportError(ring.error());
  if (int rc = Audit(**s, "cli-operator", "admin", {},
                     {{"key_compromised", f.key_id}, {"from", f.from}});
      rc != kExitOk) {
    return rc;
  }
  if (as_json) {
    std::cout << json{{"key", f.key_id}, {"compromised_from", f.from}}.dump() << "\n";
  } else {
    std::cout << "key " << f.key_id << " marked compromised from " << f.from
              << ": objects it signed with `modified` from then on are rejected";
    if (ring->current.key_id == f.key_id) std::cout << "; it is the current key: rotate now";
    std::cout << "\n";
  }
  return kExitOk;
}

int RunAssessmentsAdd(const std::string& db, bool as_json, const AssessmentFlags& f) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto identity = CliIdentityOf(**s);
  if (!identity) return ReportError(identity.error());
  if (!identity->principal) {
    std::cerr << "corridor: assessments add: set $CORRIDOR_TOKEN to an analyst's token (an "
                 "assessment has an author and an organisation)\n";
    return kExitUsage;
  }
  json body = {{"title", f.title}};
  std::string text = f.body;
  if (!f.body_file.empty()) {
    std::ifstream in(f.body_file, std::ios::binary);
    if (!in) {
      std::cerr << "corridor: --body-file: cannot read " << f.body_file << "\n";
      return kExitUsage;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    text = buf.str();
  }
  if (!text.empty()) body["body"] = text;
  if (!f.incidents.empty()) body["incidents"] = f.incidents;
  if (!f.areas.empty()) body["areas"] = f.areas;
  if (!f.sites.empty()) body["sites"] = f.sites;
  if (!f.marking.empty()) body["marking"] = f.marking;
  if (!f.orgs.empty() || !f.trust_group.empty()) {
    body["distribution"] = {{"organisations", f.orgs}, {"trust_group", f.trust_group}};
  }
  auto a = api::NewAssessment(*(*s)->store, body, *identity->principal, identity->viewer,
                              NowTimestamp());
  // Errors name the field as the API does: /title is --title, /areas/0 the first --area.
  if (!a) return ReportError(a.error());
  if (int rc = Audit(
          **s, identity->actor, "write", {a->id.str()},
          {{"kind", "assessment"}, {"marking", model::TlpName(a->marking.tlp)}, {"via", "cli"}});
      rc != kExitOk) {
    return rc;
  }
  if (auto ok = (*s)->store->PutAssessment(*a); !ok) return ReportError(ok.error());
  if (as_json) {
    std::cout << model::ToJson(*a).dump() << "\n";
  } else {
    std::cout << "added assessment " << a->id.str() << " (" << model::TlpName(a->marking.tlp)
              << ")\n";
  }
  return kExitOk;
}

int AuditMarkedAssessments(SecureStore& s, const std::string& actor,
                           const std::vector<model::Assessment>& shown) {
  std::vector<std::string> ids;
  for (const auto& a : shown) {
    if (model::Strictness(a.marking.tlp) >= model::Strictness(model::Tlp::kAmber)) {
      ids.push_back(a.id.str());
    }
  }
  if (ids.empty()) return kExitOk;
  return Audit(s, actor, "read", std::move(ids), {{"kind", "assessment"}, {"via", "cli"}});
}

int RunAssessmentsList(const std::string& db, bool as_json, const AssessmentFlags& f) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto identity = CliIdentityOf(**s);
  if (!identity) return ReportError(identity.error());
  auto list = (*s)->store->ListAssessments(identity->viewer, f.limit, /*include_revoked=*/false);
  if (!list) return ReportError(list.error());
  if (int rc = AuditMarkedAssessments(**s, identity->actor, *list); rc != kExitOk) return rc;
  if (as_json) {
    json out = json::array();
    for (const auto& a : *list) out.push_back(model::ToJson(a));
    std::cout << out.dump() << "\n";
    return kExitOk;
  }
  for (const auto& a : *list) {
    std::cout << a.id.str() << "  " << a.modified << "  " << model::TlpName(a.marking.tlp) << "  "
              << (a.marking.author_org.empty() ? "-" : a.marking.author_org) << "  " << a.title
              << "\n";
  }
  return kExitOk;
}

int RunAssessmentsShow(const std::string& db, bool as_json, const AssessmentFlags& f) {
  const auto id = Uuid::Parse(f.id);
  if (!id) {
    std::cerr << "corridor: ID: not a UUID: '" << f.id << "'\n";
    return kExitUsage;
  }
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto identity = CliIdentityOf(**s);
  if (!identity) return ReportError(identity.error());
  auto a = (*s)->store->GetAssessment(identity->viewer, *id);
  if (!a) return ReportError(a.error());
  if (int rc = AuditMarkedAssessments(**s, identity->actor, {*a}); rc != kExitOk) return rc;
  if (as_json) {
    std::cout << model::ToJson(*a).dump(2) << "\n";
    return kExitOk;
  }
  std::cout << a->title << "\n"
            << model::TlpName(a->marking.tlp) << " · "
            << (a->marking.author_org.empty() ? "-" : a->marking.author_org) << " · modified "
            << a->modified << " · version " << a->version << "\n";
  if (!a->incidents.empty()) {
    std::cout << "incidents:";
    for (const auto& i : a->incidents) std::cout << " " << i.str();
    std::cout << "\n";
  }
  if (!a->areas.empty()) {
    std::cout << "areas:";
    for (const auto& p : a->areas) std::cout << " " << p;
    std::cout << "\n";
  }
  if (!a->sites.empty()) {
    std::cout << "sites:";
    for (const auto& i : a->sites) std::cout << " " << i.str();
    std::cout << "\n";
  }
  std::cout << "\n" << a->body << "\n";
  return kExitOk;
}

}  // namespace

std::string SigningKeysPathFor(const std::string& db) {
  std::string path = KeysPathFor(db);
  const std::string suffix = ".keys";
  if (path.size() > suffix.size() &&
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
    path.resize(path.size() - suffix.size());
  }
  return path + ".signing-keys";
}

int RunStixExport(const std::string& db, bool as_json, const model::IncidentFilter& filter,
                  const std::string& output, bool assessments) {
  auto s = OpenSecureStore(db, /*create=*/false);
  if (!s) return ReportError(s.error());
  auto identity = CliIdentityOf(**s);
  if (!identity) return ReportError(identity.error());
  if (auto ok = identity->Check(auth::Action::kExport); !ok) return ReportError(ok.error());
  auto ring = RingOf(**s, db);
  if (!ring) return ReportError(ring.error());
  auto org = OwnOrganisation(*(*s)->store);
  if (!org) return ReportError(org.error());
  stix::BundleExportOptions options;
  options.filter = filter;
  options.assessments = assessments;
  options.context.instance_org = *org;
  // Confirmed links travel as duplicate-of relationships (docs/links.md).
  auto links = store::NewIncidentLinkStore();
  for (int offset = 0;; offset += 10000) {
    auto page = store::InReadTransaction((*s)->store->database(), [&](store::Transaction& tx) {
      return links->List(tx, "confirmed", 10000, offset);
    });
    if (!page) return ReportError(page.error());
    for (const auto& l : *page) {
      auto id = Uuid::Parse(l.id), a = Uuid::Parse(l.a), b = Uuid::Parse(l.b);
      if (!id || !a || !b) continue;
      const bool a_kept = l.kept == l.a;
      options.links.push_back({*id, a_kept ? *b : *a, a_kept ? *a : *b, l.decided_at});
    }
    if (page->size() < 10000) break;
  }
  // Written aside first: nothing leaves until the export is audited.
  const std::string part = output.empty() ? "" : output + ".part";
  std::ostringstream buffer;
  std::ofstream file;
  if (!part.empty()) {
    file.open(part, std::ios::binary | std::ios::trunc);
    if (!file) {
      std::cerr << "corridor: --output: cannot write " << part << "\n";
      return kExitFailed;
    }
  }
  std::ostream& out = part.empty() ? static_cast<std::ostream&>(buffer) : file;
  auto summary = stix::WriteBundle(out, *(*s)->store, identity->viewer, options, ring->current);
  if (file.is_open()) file.close();
  if (!summary || (!part.empty() && !file)) {
    if (!part.empty()) std::remove(part.c_str());
    if (!summary) return ReportError(summary.error());
    std::cerr << "corridor: cannot write " << part << "\n";
    return kExitFailed;
  }
  const json detail = {{"format", "stix"},
                       {"incidents", summary->incidents},
                       {"assessments", summary->assessments},
                       {"links", summary->links},
                       {"objects", summary->objects},
                       {"key_id", ring->current.key_id},
                       {"via", "cli"}};
  int rc = Audit(**s, identity->actor, "export", {}, detail);
  if (rc == kExitOk && !summary->marked_ids.empty()) {
    rc = Audit(**s, identity->actor, "read", summary->marked_ids, detail);
  }
  if (rc != kExitOk) {
    if (!part.empty()) std::remove(part.c_str());
    return rc;
  }
  if (part.empty()) {
    std::cout << buffer.str();
    return kExitOk;
  }
  std::error_code ec;
  std::filesystem::rename(part, output, ec);
  if (ec) {
    std::cerr << "corridor: cannot rename " << part << " to " << output << ": " << ec.message()
              << "\n";
    return kExitFailed;
  }
  if (as_json) {
    std::cout << json{{"file", output},
                      {"incidents", summary->incidents},
                      {"assessments", summary->assessments},
                      {"links", summary->links},
                      {"objects", summary->objects},
                      {"key_id", ring->current.key_id}}
                     .dump()
              << "\n";
  } else {
    std::cout << output << ": STIX 2.1 bundle of " << summary->objects << " objects ("
              << summary->incidents << " incidents, " << summary->assessments << " assessments, "
              << summary->links << " duplicate-of links), signed with key " << ring->current.key_id
              << "\n";
  }
  return kExitOk;
}

int RunStixIngest(const std::string& db, bool as_json, const std::vector<std::string>& files,
                  const std::vector<std::string>& trusted_keys, const std::string& rejects) {
  auto s = OpenSecureStore(db, /*create=*/true);
  if (!s) return ReportError(s.error());
  auto ring = RingOf(**s, db);
  if (!ring) return ReportError(ring.error());
  auto own_org = OwnOrganisation(*(*s)->store);
  if (!own_org) return ReportError(own_org.error());
  stix::PublicKeys known = ring->keys;
  known.SetOwner(*own_org);  // what our own keys signed is ours
  for (const auto& path : trusted_keys) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "corridor: --trusted-keys: cannot read " << path << "\n";
      return kExitUsage;
    }
    const json j = json::parse(in, nullptr, /*allow_exceptions=*/false);
    auto keys = stix::PublicKeys::FromJson(j, path);
    if (!keys) return ReportError(keys.error());
    for (const auto& k : keys->keys()) {
      if (auto ok = known.Add(k, keys->OwnerOf(k.key_id)); !ok) {
        return ReportError(Error{ok.error().code, path + ": " + ok.error().message});
      }
    }
  }
  const std::string actor = "cli-operator";
  int status = kExitOk;
  json reports = json::array();
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "corridor: cannot read " << file << "\n";
      return kExitFailed;
    }
    const std::string source = "file:" + std::filesystem::path(file).filename().string();
    stix::BundleImportOptions options;
    options.source = source;
    options.known = &known;
    options.now = NowTimestamp();
    options.on_reject = [&](const stix::ImportRejection& r) -> Result<void> {
      const json detail = {{"source", source},
                           {"pointer", r.pointer},
                           {"type", r.type},
                           {"kind", r.kind},
                           {"reason", r.reason}};
      auto a = (*s)->audit->Record(
          actor, "import-rejected",
          r.id.empty() ? std::vector<std::string>{} : std::vector<std::string>{r.id},
          detail.dump());
      if (!a) return Fail(a.error());
      return {};
    };
    auto summary = stix::ImportBundleStream(*(*s)->store, in, options);
    if (!summary) {
      std::cerr << "corridor: " << file << ": " << summary.error().message << "\n";
      status = kExitFailed;
      continue;
    }
    const auto& sm = *summary;
    const json counts = {{"objects", sm.objects},
                         {"incidents_inserted", sm.incidents_inserted},
                         {"incidents_updated", sm.incidents_updated},
                         {"assessments_inserted", sm.assessments_inserted},
                         {"assessments_updated", sm.assessments_updated},
                         {"committee_inserted", sm.committee_inserted},
                         {"committee_updated", sm.committee_updated},
                         {"revoked", sm.revoked},
                         {"unchanged", sm.unchanged},
                         {"recorded", sm.recorded},
                         {"constant", sm.constant},
                         {"rejected", sm.rejected}};
    json detail = counts;
    detail["source"] = source;
    if (sm.objects_with_dropped > 0) {
      json dropped = json::array();
      for (const auto& d : sm.dropped) {
        dropped.push_back({{"pointer", d.pointer}, {"id", d.id}, {"dropped", d.pointers}});
      }
      detail["objects_with_dropped_properties"] = sm.objects_with_dropped;
      detail["dropped"] = std::move(dropped);
    }
    if (int rc = Audit(**s, actor, "import", sm.accepted_ids, detail); rc != kExitOk) return rc;
    // Beyond the first kMaxListedRejections, one summary entry with counts by kind.
    if (sm.rejected > static_cast<std::int64_t>(sm.rejections.size())) {
      const json summary = {
          {"source", source},
          {"rejected", sm.rejected},
          {"listed", sm.rejections.size()},
          {"not_listed", sm.rejected - static_cast<std::int64_t>(sm.rejections.size())},
          {"by_kind", sm.rejected_by_kind}};
      if (int rc = Audit(**s, actor, "import-rejected-summary", {}, summary); rc != kExitOk) {
        return rc;
      }
    }
    std::string rejects_path;
    json rejected = json::array();
    for (const auto& r : sm.rejections) {
      rejected.push_back({{"pointer", r.pointer},
                          {"id", r.id},
                          {"type", r.type},
                          {"kind", r.kind},
                          {"reason", r.reason}});
    }
    if (!sm.rejections.empty()) {
      rejects_path =
          std::filesystem::absolute(
              rejects.empty()
                  ? std::filesystem::path(std::filesystem::path(file).filename().string() +
                                          ".rejects.json")
                  : std::filesystem::path(rejects))
              .string();
      // A pointer, a reason and a hash per refused object, never its content
      // (WAVE2 #4); at most kMaxListedRejections of them, then the counts.
      json kept = json::array();
      for (const auto& r : sm.rejections) {
        kept.push_back({{"pointer", r.pointer},
                        {"id", r.id},
                        {"type", r.type},
                        {"kind", r.kind},
                        {"reason", r.reason},
                        {"sha256", r.sha256}});
      }
      const json file_json = {{"format", "corridor-rejects-2"},
                              {"source", source},
                              {"rejected", sm.rejected},
                              {"by_kind", sm.rejected_by_kind},
                              {"rejections", kept}};
      std::ofstream out(rejects_path, std::ios::binary | std::ios::trunc);
      out << file_json.dump(2) << "\n";
      if (!out) {
        std::cerr << "corridor: cannot write " << rejects_path << "\n";
        return kExitFailed;
      }
      if (status == kExitOk) status = kExitPartial;
    }
    if (as_json) {
      json report = counts;
      report["file"] = file;
      report["rejections"] = rejected;
      report["rejects_path"] = rejects_path.empty() ? json(nullptr) : json(rejects_path);
      report["rejected_by_kind"] = sm.rejected_by_kind;
      json dropped = json::array();
      for (const auto& d : sm.dropped) {
        dropped.push_back({{"pointer", d.pointer}, {"id", d.id}, {"dropped", d.pointers}});
      }
      report["dropped"] = std::move(dropped);
      reports.push_back(report);
    } else {
      std::cout << file << ": " << sm.objects << " objects: incidents " << sm.incidents_inserted
                << " new, " << sm.incidents_updated << " updated; assessments "
                << sm.assessments_inserted << " new, " << sm.assessments_updated << " updated; "
                << "committee objects " << sm.committee_inserted << " new, " << sm.committee_updated
                << " updated; " << sm.revoked << " revoked, " << sm.unchanged << " unchanged, "
                << sm.recorded << " recorded, " << sm.rejected << " rejected\n";
      for (const auto& r : sm.rejections) {
        std::cout << "  rejected " << r.pointer << " " << (r.id.empty() ? r.type : r.id) << ": "
                  << r.reason << "\n";
      }
      if (sm.rejected > static_cast<std::int64_t>(sm.rejections.size())) {
        std::cout << "  ... and " << sm.rejected - static_cast<std::int64_t>(sm.rejections.size())
                  << " more rejections, counted by kind in the audit log\n";
      }
      for (const auto& d : sm.dropped) {
        std::cout << "  dropped from " << d.pointer << " " << d.id << ":";
        for (const auto& p : d.pointers) std::cout << " " << p;
        std::cout << "\n";
      }
      if (!rejects_path.empty())
        std::cout << "  rejected objects with reasons: " << rejects_path << "\n";
    }
  }
  if (as_json)
    std::cout << (files.size() == 1 && !reports.empty() ? reports[0] : reports).dump() << "\n";
  return status;
}

void AddStixCommands(CLI::App& app, const std::string& db, const bool& json_flag, int& status) {
  static KeysFlags kf;
  static AssessmentFlags af;
  auto* keys =
      app.add_subcommand("keys", "This instance's signing keys (Ed25519) for STIX objects");
  keys->require_subcommand(1);
  keys->add_subcommand("show", "Show the signing keys (--json: the public key file partners pin)")
      ->callback([&] { status = RunKeysShow(db, json_flag); });
  keys->add_subcommand("rotate",
                       "Make a new signing key; the old one signs the rotation statement and "
                       "stays known for verifying what it signed")
      ->callback([&] { status = RunKeysRotate(db, json_flag); });
  auto* compromise = keys->add_subcommand(
      "compromise",
      "Mark a key compromised from a time: objects it signed from then on are rejected");
  compromise->add_option("KEYID", kf.key_id, "Key id (from keys show)")->required();
  compromise->add_option("--from", kf.from, "RFC 3339 UTC time, e.g. 2026-12-01T00:00:00Z")
      ->required();
  compromise->callback([&] { status = RunKeysCompromise(db, json_flag, kf); });

  auto* assessments = app.add_subcommand("assessments", "Analysts' assessments (reports)");
  assessments->require_subcommand(1);
  auto* add = assessments->add_subcommand(
      "add", "Write an assessment as $CORRIDOR_TOKEN's user (marking defaults to TLP:AMBER)");
  add->add_option("--title", af.title, "Title")->required();
  add->add_option("--body", af.body, "Body in Markdown");
  add->add_option("--body-file", af.body_file, "Read the Markdown body from this file")
      ->check(CLI::ExistingFile);
  add->add_option("--incident", af.incidents, "Referenced incident id (repeat)");
  add->add_option("--area", af.areas, "Referenced province or district P-code (repeat)");
  add->add_option("--site", af.sites, "Referenced site id (repeat)");
  add->add_option("--marking", af.marking,
                  "TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED");
  add->add_option("--org", af.orgs, "Organisation that may read it (AMBER*, repeat)");
  add->add_option("--trust-group", af.trust_group, "Trust group that may read it (GREEN)");
  add->callback([&] { status = RunAssessmentsAdd(db, json_flag, af); });
  auto* list = assessments->add_subcommand("list", "Assessments you may see, newest first");
  list->add_option("--limit", af.limit, "At most this many")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  list->callback([&] { status = RunAssessmentsList(db, json_flag, af); });
  auto* show = assessments->add_subcommand("show", "One assessment");
  show->add_option("ID", af.id, "Assessment id")->required();
  show->callback([&] { status = RunAssessmentsShow(db, json_flag, af); });
}

}  // namespace corridor::cli
