// `corridor-public` (also reached as `corridor public …`): the public side's
// command-line front, a separate executable that links the public store and
// never the security store (tests/public/link_graph_test.cc).
//
//   corridor public [--db PUBLIC_DB|postgresql://…] [--keys FILE] [--json] init
//   corridor public areas load --level 1|2 FILE        (outlines for the portal's map)
//   corridor public projects import FILE [--districts ADM2.geojson] [--review FILE]
//   corridor public projects disclose ID FIELD published|withheld|coarsened [--reason TEXT]
//   corridor public projects approve|reject REQUEST
//   corridor public projects merge ID ID... --reason TEXT
//   corridor public projects split ID --rows AIDDATA_ID,... --reason TEXT
//   corridor public projects decisions
//   corridor public users add NAME --role ROLE… | list | roles NAME --role ROLE… |
//                         disable NAME | token NAME [--days N]
//   corridor public grievances file|follow|respond|list|show|act|statistics|calendar
//                         (cli/public_grievances.cc)
//   corridor public export --format oc4ids|iati [--output FILE]
//   corridor public release --output FILE [--counts FILE] [--previous FILE]
//   corridor public audit verify
//   corridor public serve --listen HOST:PORT
//
// The store is --db, else $CORRIDOR_PUBLIC_DB; there is no default and never
// a fall-back to $CORRIDOR_DB or ./corridor.db. A file is SQLite; a
// postgresql:// URI is a PostgreSQL database (docs/postgresql.md). Keys:
// --keys, else $CORRIDOR_PUBLIC_KEYS, else <public db>.public-keys (a URI
// needs one of the first two).
//
// Who acts: the account of $CORRIDOR_PUBLIC_TOKEN (an API token from `users
// token`), else the operator (the shell holding the store and its key), who
// may administer accounts but makes or approves no disclosure change without
// an editor's token (docs/public.md: whoever issues a token sees it once).
//
// Exit status: 0 done, 1 failed, 2 usage error.
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <tuple>

#include "cli/public_common.h"
#include "cli/public_consultations.h"
#include "cli/public_grievances.h"
#include "cli/public_meetings.h"
#include "cli/public_results.h"
#include "cli/report.h"
#include "cli/secret.h"
#include "corridor/api/public_api.h"
#include "corridor/auth/crypto.h"
#include "corridor/common/date.h"
#include "corridor/public_side/accounts.h"
#include "corridor/public_side/attachments.h"
#include "corridor/public_side/consultations.h"
#include "corridor/public_side/exports.h"
#include "corridor/public_side/grievances.h"
#include "corridor/public_side/service.h"
#include "corridor/release/release.h"
#include "corridor/server/server.h"
#include "corridor/store/public_store.h"

namespace corridor::public_cli {
namespace {

// A disclosure editor's account: the two-person rule needs two named people,
// so the operator cannot stand in.
Result<std::string> EditorOf(const Opened& o) {
  auto caller = CallerOf(o);
  if (!caller) return Fail(caller.error());
  if (!caller->account) {
    return Fail(ErrorCode::kUnauthenticated,
                "a disclosure change is made by a disclosure-editor: set $CORRIDOR_PUBLIC_TOKEN "
                "to the editor's token (corridor public users token NAME)");
  }
  return caller->actor;
}

Result<std::vector<model::PublicRole>> ParseRoles(const std::vector<std::string>& names) {
  std::vector<model::PublicRole> roles;
  for (const auto& n : names) {
    auto r = model::ParsePublicRole(n);
    if (!r) return Fail(ErrorCode::kInvalidArgument, "--role: " + r.error().message);
    roles.push_back(*r);
  }
  return roles;
}

nlohmann::json AccountJson(const model::PublicAccount& a) {
  nlohmann::json roles = nlohmann::json::array();
  for (auto r : a.roles) roles.push_back(std::string(model::PublicRoleName(r)));
  return {{"name", a.name},
          {"roles", roles},
          {"disabled", a.disabled},
          {"created_at", a.created_at},
          {"version", a.version}};
}

void PrintAccount(const Globals& g, const model::PublicAccount& a) {
  if (g.json) {
    std::cout << AccountJson(a).dump() << "\n";
    return;
  }
  std::cout << a.name << "  ";
  for (std::size_t i = 0; i < a.roles.size(); ++i) {
    std::cout << (i ? "," : "") << model::PublicRoleName(a.roles[i]);
  }
  std::cout << (a.disabled ? "  (disabled)" : "") << "\n";
}

enum class UsersOp { kAdd, kRoles, kDisable };

int RunUsers(const Globals& g, UsersOp op, const std::string& name,
             const std::vector<std::string>& role_names) {
  auto roles = ParseRoles(role_names);
  if (!roles) return cli::ReportError(roles.error(), "corridor public");
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto caller = CallerOf(*o);
  if (!caller) return Report(caller.error());
  Result<model::PublicAccount> r = Fail(ErrorCode::kInternal, "no operation");
  switch (op) {
    case UsersOp::kAdd:
      r = public_side::AddAccount(*o->db, *o->audit, *caller, name, *roles);
      break;
    case UsersOp::kRoles:
      r = public_side::SetAccountRoles(*o->db, *o->audit, *caller, name, *roles);
      break;
    case UsersOp::kDisable:
      r = public_side::DisableAccount(*o->db, *o->audit, *caller, name);
      break;
  }
  if (!r) return cli::ReportError(r.error(), "corridor public");
  if (g.json && op == UsersOp::kAdd) {
    std::cout << nlohmann::json{{"id", r->name}}.dump() << "\n";
  } else {
    PrintAccount(g, *r);
  }
  return kExitOk;
}

int RunAreasLoad(const Globals& g, int level, const std::string& file) {
  auto text = ReadAll(file);
  if (!text) return Report(text.error());
  auto o = Open(g, true);
  if (!o) return Report(o.error());
  auto caller = CallerOf(*o);
  if (!caller) return Report(caller.error());
  auto s = public_side::LoadAreas(*o->db, *o->audit, *caller, *text, level);
  if (!s) return Report({s.error().code, file + ": " + s.error().message});
  if (g.json) {
    std::cout << nlohmann::json{{"level", level}, {"areas", s->areas}, {"points", s->points}}.dump()
              << "\n";
  } else {
    std::cout << s->areas << (level == 1 ? " provinces" : " districts") << " loaded for the map ("
              << s->points << " points after simplification)\n";
  }
  return kExitOk;
}

int RunUsersList(const Globals& g) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto caller = CallerOf(*o);
  if (!caller) return Report(caller.error());
  auto all = public_side::ListAccounts(*o->db, *caller);
  if (!all) return cli::ReportError(all.error(), "corridor public");
  if (g.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& a : *all) out.push_back(AccountJson(a));
    std::cout << out.dump() << "\n";
  } else {
    for (const auto& a : *all) PrintAccount(g, a);
  }
  return kExitOk;
}

int RunPassword(const Globals& g, const std::string& name) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto caller = CallerOf(*o);
  if (!caller) return Report(caller.error());
  const std::string password = cli::ReadSecret("Password for " + name + " (12+ characters): ");
  if (auto ok = public_side::SetPassword(*o->db, *o->audit, *caller, name, password); !ok) {
    return cli::ReportError(ok.error(), "corridor public");
  }
  if (g.json) {
    std::cout << nlohmann::json{{"account", name}, {"password_set", true}}.dump() << "\n";
  } else {
    std::cerr << "password set for " << name << ": it signs in at /{ur,en,zh}/staff/sign-in\n";
  }
  return kExitOk;
}

int RunTokens(const Globals& g, const std::string& name) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto caller = CallerOf(*o);
  if (!caller) return Report(caller.error());
  auto tokens = public_side::ListTokens(*o->db, *caller, name);
  if (!tokens) return cli::ReportError(tokens.error(), "corridor public");
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : *tokens) {
    out.push_back({{"digest_prefix", t.digest.substr(0, 12)},
                   {"kind", t.kind},
                   {"created_at", t.created_at},
                   {"expires_at", t.expires_at},
                   {"revoked", t.revoked}});
  }
  if (g.json) {
    std::cout << out.dump() << "\n";
    return kExitOk;
  }
  for (const auto& t : out) {
    std::cout << t["digest_prefix"].get<std::string>() << "  " << t["kind"].get<std::string>()
              << "  " << t["created_at"].get<std::string>() << "  until "
              << t["expires_at"].get<std::string>() << (t["revoked"].get<bool>() ? "  revoked" : "")
              << "\n";
  }
  return kExitOk;
}

int RunRevokeToken(const Globals& g, const std::string& name, const std::string& prefix) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto caller = CallerOf(*o);
  if (!caller) return Report(caller.error());
  if (auto ok = public_side::RevokeToken(*o->db, *o->audit, *caller, name, prefix); !ok) {
    return cli::ReportError(ok.error(), "corridor public");
  }
  if (g.json) {
    std::cout << nlohmann::json{{"account", name}, {"revoked", prefix}}.dump() << "\n";
  } else {
    std::cerr << "revoked the token of " << name << " starting " << prefix << "\n";
  }
  return kExitOk;
}

int RunToken(const Globals& g, const std::string& name, int days) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto caller = CallerOf(*o);
  if (!caller) return Report(caller.error());
  auto t = public_side::IssueToken(*o->db, *o->audit, *caller, name, days);
  if (!t) return cli::ReportError(t.error(), "corridor public");
  if (g.json) {
    std::cout << nlohmann::json{{"token", t->token},
                                {"account", name},
                                {"expires_at", t->stored.expires_at}}
                     .dump()
              << "\n";
  } else {
    std::cout << t->token << "\n";
    std::cerr << "token for " << name << ", valid until " << t->stored.expires_at
              << "; shown once: keep it as $CORRIDOR_PUBLIC_TOKEN\n";
  }
  return kExitOk;
}

// The aggregate release (docs/public.md, "The aggregate release"): the stored
// grievances' counts, or --counts FILE, suppressed, written to `output` and
// signed with the public instance key as `output`.sig.
Result<std::vector<release::Count>> ReleaseCounts(const Opened& o, const std::string& counts_file,
                                                  nlohmann::json& source) {
  if (counts_file.empty()) {
    auto counted = public_side::CountGrievances(*o.db);
    if (!counted) return Fail(counted.error());
    auto consultations = public_side::CountConsultations(*o.db);
    if (!consultations) return Fail(consultations.error());
    std::int64_t proposals = 0;
    for (const auto& c : *consultations) proposals += c.count;
    source = {{"from", "store"},
              {"unplaced", counted->unplaced},
              {"reprisal_withheld", counted->reprisal_withheld},
              {"proposals", proposals}};
    auto all = std::move(counted->counts);
    all.insert(all.end(), consultations->begin(), consultations->end());
    return all;
  }
  auto text = ReadAll(counts_file);
  if (!text) return Fail(text.error());
  const auto counts_json = nlohmann::json::parse(*text, nullptr, false);
  if (counts_json.is_discarded()) {
    return Fail(ErrorCode::kInvalidArgument, counts_file + ": not JSON");
  }
  auto counts = release::CountsFromJson(counts_json);
  if (!counts) return Fail(counts.error().code, counts_file + ": " + counts.error().message);
  source = {{"from", counts_file}};
  return counts;
}

int RunRelease(const Globals& g, const std::string& counts_file, const std::string& previous_file,
               const std::string& output) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  nlohmann::json source;
  auto counts = ReleaseCounts(*o, counts_file, source);
  if (!counts) return Report(counts.error());
  nlohmann::json previous;
  release::Options options;
  options.generated_at = NowTimestamp().substr(0, 19) + "Z";
  if (!previous_file.empty()) {
    auto p = ReadAll(previous_file);
    if (!p) return Report(p.error());
    previous = nlohmann::json::parse(*p, nullptr, false);
    if (previous.is_discarded())
      return Report(Error{ErrorCode::kInvalidArgument, previous_file + ": not JSON"});
    options.previous = &previous;
  }
  auto r = release::MakeRelease(*counts, options);
  if (!r) return Report(r.error());
  // The LP attack on what is about to be published (defence in depth).
  auto protection = release::CheckProtection(*r);
  if (!protection) return Report(protection.error());
  if (!protection->pinned.empty()) {
    return Report(Error{ErrorCode::kInternal,
                        "not written: the margins pin hidden entry " + protection->pinned.front()});
  }
  const std::string bytes = r->document.dump(1) + "\n";
  const std::string sig = release::SignDetached(*o->keys, bytes).dump(1) + "\n";
  for (const auto& [path, content] : {std::pair{output, bytes}, std::pair{output + ".sig", sig}}) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) return Report(Error{ErrorCode::kUnavailable, path + ": cannot be written"});
  }
  const auto& s = r->summary;
  const nlohmann::json summary = {{"output", output},
                                  {"signature", output + ".sig"},
                                  {"cells", s.cells},
                                  {"suppressed", s.suppressed},
                                  {"small", s.small},
                                  {"complementary", s.complementary},
                                  {"share", s.share},
                                  {"totals", s.totals},
                                  {"totals_suppressed", s.totals_suppressed},
                                  {"kept_from_previous", s.kept_from_previous},
                                  {"lp_bounds_checked", protection->checked},
                                  {"counts", source}};
  auto audited = store::InWriteTransaction(*o->db, [&](store::Transaction& tx) -> Result<void> {
    auto e = o->audit->Record(tx, Actor(), "release-written", {}, summary.dump());
    if (!e) return Fail(e.error());
    return {};
  });
  if (!audited) return Report(audited.error());
  if (g.json) {
    std::cout << summary.dump() << "\n";
  } else {
    std::cout << output << ": " << s.cells << " cells, " << s.suppressed << " suppressed ("
              << s.small << " small, " << s.complementary << " complementary; share " << s.share
              << "; LP bounds of " << protection->checked << " hidden entries checked), signed in "
              << output << ".sig\n";
  }
  return kExitOk;
}

int RunKeys(const Globals& g) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  std::cout << release::PublicKeyFile(*o->keys, "corridor-public").dump(1) << "\n";
  return kExitOk;
}

int RunInit(const Globals& g) {
  auto o = Open(g, true);
  if (!o) return Report(o.error());
  if (g.json) {
    std::cout << nlohmann::json{{"db", g.db}, {"kind", "public"}}.dump() << "\n";
  } else {
    std::cout << "public store ready: " << g.db << "\n";
  }
  return kExitOk;
}

int RunImport(const Globals& g, const std::string& file, const std::string& districts,
              const std::string& review_file) {
  auto o = Open(g, true);
  if (!o) return Report(o.error());
  auto text = ReadAll(file);
  if (!text) return Report(text.error());
  std::string districts_text;
  if (!districts.empty()) {
    auto d = ReadAll(districts);
    if (!d) return Report(d.error());
    districts_text = std::move(*d);
  }
  auto s = public_side::ImportProjects(*o->db, *o->audit, Actor(), *text, districts_text);
  if (!s) {
    Error e = s.error();
    e.message = file + e.message.insert(0, ": ");
    return Report(e);
  }
  if (!review_file.empty()) {
    std::ofstream out(review_file);
    out << s->review.dump(2) << "\n";
    if (!out) return Report({ErrorCode::kUnavailable, review_file + ": cannot be written"});
  }
  const nlohmann::json summary = {{"rows", s->rows},
                                  {"projects", s->projects},
                                  {"merged_projects", s->merged_projects},
                                  {"created", s->created},
                                  {"updated", s->updated},
                                  {"removed", s->removed},
                                  {"districts_assigned", s->districts_assigned}};
  if (g.json) {
    std::cout << summary.dump() << "\n";
  } else {
    std::cout << s->rows << " AidData rows -> " << s->projects << " projects ("
              << s->merged_projects << " merged from several rows; " << s->created << " new, "
              << s->updated << " updated, " << s->removed << " removed; " << s->districts_assigned
              << " placed in a district)\n";
    if (review_file.empty()) {
      std::cout << "review of every merge: add --review FILE to write it\n";
    } else {
      std::cout << "review of every merge: " << review_file << "\n";
    }
  }
  return kExitOk;
}

int RunList(const Globals& g) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto all = public_side::AllProjects(*o->db);
  if (!all) return Report(all.error());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : *all) {
    if (g.json) {
      out.push_back({{"id", p.id},
                     {"name", p.name},
                     {"district", p.district_name},
                     {"aiddata_ids", p.aiddata_ids}});
    } else {
      std::cout << p.id << "  " << p.name << "  (" << p.district_name << ")\n";
    }
  }
  if (g.json) std::cout << out.dump() << "\n";
  return kExitOk;
}

int RunDisclose(const Globals& g, const std::string& id, const std::string& field,
                const std::string& state, const std::string& reason) {
  auto d = model::ParseDisclosure(state);
  if (!d) {
    std::cerr << "corridor public: state: expected published, withheld or coarsened\n";
    return kExitUsage;
  }
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto editor = EditorOf(*o);
  if (!editor) return Report(editor.error());
  auto r = public_side::RequestDisclosure(*o->db, *o->audit, *editor, id, {field, *d, reason});
  if (!r) return Report(r.error());
  if (g.json) {
    std::cout << nlohmann::json{{"id", r->id}}.dump() << "\n";
  } else {
    std::cout << "request " << r->id << ": " << field << " " << state
              << " (applies when another editor approves it)\n";
  }
  return kExitOk;
}

int PrintRegroup(const Globals& g, const Result<public_side::ImportSummary>& s, const char* verb) {
  if (!s) return Report(s.error());
  if (g.json) {
    std::cout << public_side::RegroupJson(*s).dump() << "\n";
    return kExitOk;
  }
  std::cout << verb << ": " << s->projects << " projects now";
  for (const auto& id : s->created_ids) std::cout << "\n  new     " << id;
  for (const auto& id : s->removed_ids) std::cout << "\n  removed " << id;
  std::cout << "\n";
  if (s->disclosure_carried > 0) {
    std::cout << s->disclosure_carried
              << " new project(s) keep the withheld or coarsened fields of the projects they "
                 "came from\n";
  }
  return kExitOk;
}

int RunMerge(const Globals& g, const std::vector<std::string>& ids, const std::string& reason) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto editor = EditorOf(*o);
  if (!editor) return Report(editor.error());
  return PrintRegroup(g, public_side::MergeProjects(*o->db, *o->audit, *editor, ids, reason),
                      "merged");
}

int RunSplit(const Globals& g, const std::string& id, const std::vector<std::int64_t>& rows,
             const std::string& reason) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto editor = EditorOf(*o);
  if (!editor) return Report(editor.error());
  return PrintRegroup(g, public_side::SplitProject(*o->db, *o->audit, *editor, id, rows, reason),
                      "split");
}

int RunDecisions(const Globals& g) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto list = public_side::GroupingDecisions(*o->db);
  if (!list) return Report(list.error());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : *list) {
    out.push_back({{"seq", d.seq},
                   {"kind", d.kind},
                   {"aiddata_ids", d.aiddata_ids},
                   {"reason", d.reason},
                   {"decided_by", d.decided_by},
                   {"decided_at", d.decided_at}});
  }
  std::cout << out.dump(g.json ? -1 : 2) << "\n";
  return kExitOk;
}

int RunDecide(const Globals& g, const std::string& request, bool approve) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto editor = EditorOf(*o);
  if (!editor) return Report(editor.error());
  auto r = public_side::DecideDisclosure(*o->db, *o->audit, *editor, request, approve);
  if (!r) return Report(r.error());
  if (g.json) std::cout << nlohmann::json{{"id", request}}.dump() << "\n";
  return kExitOk;
}

int RunRequests(const Globals& g) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  // Every request, a page at a time, in one snapshot.
  auto list = store::InReadTransaction(
      *o->db, [&](store::Transaction& tx) -> Result<std::vector<store::DisclosureRequest>> {
        std::vector<store::DisclosureRequest> all;
        auto requests = store::NewDisclosureRequestStore();
        for (int offset = 0;; offset += 1000) {
          auto page = requests->List(tx, "", 1000, offset);
          if (!page) return Fail(page.error());
          all.insert(all.end(), page->begin(), page->end());
          if (page->size() < 1000) return all;
        }
      });
  if (!list) return Report(list.error());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& q : *list) {
    out.push_back({{"id", q.id},
                   {"project", q.project_id},
                   {"field", q.to.field},
                   {"to", model::DisclosureName(q.to.state)},
                   {"reason", q.to.reason},
                   {"requested_by", q.requested_by},
                   {"state", q.state},
                   {"decided_by", q.decided_by}});
  }
  std::cout << out.dump(g.json ? -1 : 2) << "\n";
  return kExitOk;
}

public_side::Publication PublicationNow(const std::string& base_uri) {
  public_side::Publication pub;
  if (!base_uri.empty()) pub.base_uri = base_uri;
  if (const char* ref = std::getenv("CORRIDOR_PUBLIC_IATI_ORG_REF"); ref && *ref)
    pub.iati_org_ref = ref;
  if (const char* p = std::getenv("CORRIDOR_PUBLIC_OC4IDS_PREFIX"); p && *p) pub.oc4ids_prefix = p;
  pub.published = NowTimestamp().substr(0, 19) + "Z";
  pub.today = pub.published.substr(0, 10);
  return pub;
}

int RunExport(const Globals& g, const std::string& format, const std::string& output,
              const std::string& base_uri) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto all = public_side::AllProjects(*o->db);
  if (!all) return Report(all.error());
  if (all->empty()) {
    return Report({ErrorCode::kInvalidArgument,
                   "the public store has no project (corridor public projects import FILE)"});
  }
  const auto pub = PublicationNow(base_uri);
  std::string text;
  std::size_t skipped = 0;
  if (format == "oc4ids") {
    text = public_side::ExportOc4ids(*all, pub).dump(2) + "\n";
  } else {
    auto x = public_side::ExportIati(*all, pub);
    text = std::move(x.xml);
    skipped = x.skipped.size();
    for (const auto& [id, why] : x.skipped)
      std::cerr << "iati: left out " << id << ": " << why << "\n";
  }
  auto audited = store::InWriteTransaction(*o->db, [&](store::Transaction& tx) -> Result<void> {
    auto e = o->audit->Record(
        tx, Actor(), "export", {},
        nlohmann::json{{"format", format}, {"projects", all->size() - skipped}}.dump());
    if (!e) return Fail(e.error());
    return {};
  });
  if (!audited) return Report(audited.error());
  if (output.empty() || output == "-") {
    std::cout << text;
  } else {
    std::ofstream out(output, std::ios::binary);
    out << text;
    if (!out) return Report({ErrorCode::kUnavailable, output + ": cannot be written"});
    if (!g.json) std::cerr << "wrote " << output << " (" << all->size() - skipped << " projects)\n";
  }
  return kExitOk;
}

int RunVerify(const Globals& g) {
  auto o = Open(g, false);
  if (!o) return Report(o.error());
  auto r = o->audit->Verify();
  if (!r) return Report(r.error());
  std::cout
      << nlohmann::json{{"ok", r->ok}, {"entries", r->entries}, {"problem", r->problem}}.dump()
      << "\n";
  return r->ok ? kExitOk : kExitFailed;
}

int RunServe(const Globals& g, const std::string& listen, const std::string& base_uri,
             const public_side::ClientLimits& limits) {
  auto o = Open(g, true);
  if (!o) return Report(o.error());
  auto address = server::ParseListen(listen);
  if (!address) return Report(address.error());
  public_side::Publication pub;
  pub.base_uri = base_uri.empty() ? "http://" + listen : base_uri;
  if (const char* ref = std::getenv("CORRIDOR_PUBLIC_IATI_ORG_REF"); ref && *ref)
    pub.iati_org_ref = ref;
  api::PublicApi api(*o->db, pub, o->audit.get(), limits);
  server::ServerOptions options;
  options.host = address->first;
  options.port = address->second;
  // Small JSON bodies and forms: 64 KiB; the attachment routes alone take a
  // file (5 MiB, public_side/attachments.h). Bodies are read into memory, and
  // the limit is checked on Content-Length before they are.
  options.max_body_bytes = public_side::kMaxAttachmentBytes + (64 << 10);
  options.body_limit = api::PublicBodyLimit;
  // A receipt code in a path is the resident's: never in the log.
  // (Given the decoded path; compared without case, as a probe may vary it.)
  options.log_target = [](const std::string& path) {
    constexpr std::string_view kPrefix = "/public/api/v1/grievances/";
    std::string lower = path;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.rfind(kPrefix, 0) != 0) return path;
    const auto end = path.find('/', kPrefix.size());
    return std::string(kPrefix) + "(receipt)" +
           (end == std::string::npos ? std::string() : path.substr(end));
  };
  server::Server http(api.routes(), options);
  if (auto ok = http.Bind(); !ok) return Report(ok.error());
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    http.Stop();
  });
  const std::string host =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  std::cout << "Corridor public side is serving " << store::DisplayLocation(g.db) << " at http://"
            << host << ":" << http.port() << "/  (Ctrl-C stops)" << std::endl;
  auto ran = http.Run();
  pthread_kill(waiter.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  waiter.join();
  if (auto c = o->audit->Checkpoint(); !c) spdlog::error("audit checkpoint: {}", c.error().message);
  if (!ran) return Report(ran.error());
  return kExitOk;
}

}  // namespace

int Main(int argc, char** argv) {
  ::umask(077);
  CLI::App app{
      "corridor public: the public side (project disclosures, grievances, the portal). Its own "
      "store and keys; never the security side's."};
  app.name("corridor public");
  app.require_subcommand(1);
  app.fallthrough();
  Globals g;
  if (const char* env = std::getenv("CORRIDOR_PUBLIC_DB"); env != nullptr) g.db = env;
  app.add_option("--db", g.db,
                 "Public store: an SQLite file or a postgresql:// URI (default: "
                 "$CORRIDOR_PUBLIC_DB; no other default)");
  app.add_option("--keys", g.keys,
                 "Public instance key file (default: $CORRIDOR_PUBLIC_KEYS, else "
                 "<db>.public-keys; required with a postgresql:// store)");
  app.add_flag("--json", g.json, "Print summaries as JSON");
  int status = kExitOk;

  app.add_subcommand("init", "Create (or migrate) the public store")->callback([&] {
    status = RunInit(g);
  });

  auto* areas = app.add_subcommand("areas", "Provinces and districts for the portal's map");
  areas->require_subcommand(1);
  auto* areas_load = areas->add_subcommand(
      "load",
      "Load OCHA COD-AB boundaries (GeoJSON) of one level, simplified for a phone; replaces "
      "that level");
  int areas_level = 2;
  std::string areas_file;
  areas_load->add_option("--level", areas_level, "1 provinces, 2 districts")
      ->capture_default_str()
      ->check(CLI::Range(1, 2));
  areas_load->add_option("FILE", areas_file, "OCHA COD-AB GeoJSON of that level")
      ->required()
      ->check(CLI::ExistingFile);
  areas_load->callback([&] { status = RunAreasLoad(g, areas_level, areas_file); });

  auto* projects = app.add_subcommand("projects", "Corridor projects");
  projects->require_subcommand(1);
  auto* import_cmd = projects->add_subcommand(
      "import", "Group AidData GCDF rows into projects and store them (a review of every merge)");
  std::string import_file, districts, review;
  import_cmd->add_option("FILE", import_file, "AidData GCDF GeoJSON")
      ->required()
      ->check(CLI::ExistingFile);
  import_cmd
      ->add_option("--districts", districts,
                   "ADM2 boundaries (OCHA COD-AB GeoJSON) to place projects")
      ->check(CLI::ExistingFile);
  import_cmd->add_option("--review", review, "Write the review report of every merge (JSON) here");
  import_cmd->callback([&] { status = RunImport(g, import_file, districts, review); });

  projects->add_subcommand("list", "Every project: id, name, district")->callback([&] {
    status = RunList(g);
  });

  // Disclosure changes need two editors, each named by their token.
  auto* disclose = projects->add_subcommand(
      "disclose",
      "Propose to publish, withhold (with a public reason) or coarsen a field of a project; "
      "another editor approves it. As the disclosure-editor of $CORRIDOR_PUBLIC_TOKEN");
  std::string d_id, d_field, d_state, d_reason;
  disclose->add_option("ID", d_id, "Project id")->required();
  disclose->add_option("FIELD", d_field, "location, dates, financing or parties")->required();
  disclose->add_option("STATE", d_state, "published, withheld or coarsened")->required();
  disclose->add_option("--reason", d_reason, "The reason shown to the public");
  disclose->callback([&] { status = RunDisclose(g, d_id, d_field, d_state, d_reason); });
  std::string decide_id;
  for (const bool approve : {true, false}) {
    auto* decide = projects->add_subcommand(
        approve ? "approve" : "reject",
        approve ? "Approve (apply) another editor's request, as the editor of "
                  "$CORRIDOR_PUBLIC_TOKEN"
                : "Reject another editor's request, as the editor of $CORRIDOR_PUBLIC_TOKEN");
    decide->add_option("REQUEST", decide_id, "Request id")->required();
    decide->callback([&, approve] { status = RunDecide(g, decide_id, approve); });
  }
  // An editor's corrections of the grouping, applied now and at every re-import.
  auto* merge = projects->add_subcommand(
      "merge",
      "Merge two or more projects into one (they are one physical project), as the "
      "disclosure-editor of $CORRIDOR_PUBLIC_TOKEN; kept and applied again at every import");
  std::vector<std::string> merge_ids;
  std::string merge_reason;
  merge->add_option("ID", merge_ids, "Project ids (two or more)")->required()->expected(-2);
  merge->add_option("--reason", merge_reason, "Why (shown in the review report)")->required();
  merge->callback([&] { status = RunMerge(g, merge_ids, merge_reason); });
  auto* split = projects->add_subcommand(
      "split",
      "Take AidData rows out of a project as a project of their own, as the disclosure-editor of "
      "$CORRIDOR_PUBLIC_TOKEN; kept and applied again at every import");
  std::string split_id, split_reason;
  std::vector<std::int64_t> split_rows;
  split->add_option("ID", split_id, "Project id")->required();
  split->add_option("--rows", split_rows, "AidData ids to take out (comma-separated)")
      ->required()
      ->delimiter(',');
  split->add_option("--reason", split_reason, "Why (shown in the review report)")->required();
  split->callback([&] { status = RunSplit(g, split_id, split_rows, split_reason); });
  projects->add_subcommand("decisions", "Every split and merge, oldest first")->callback([&] {
    status = RunDecisions(g);
  });
  projects->add_subcommand("requests", "Disclosure requests")->callback([&] {
    status = RunRequests(g);
  });

  auto* users = app.add_subcommand(
      "users",
      "Staff accounts of the public role family (moderator, grievance-officer, "
      "disclosure-editor, public-admin): by a public-admin's token or the operator");
  users->require_subcommand(1);
  std::string user_name;
  std::vector<std::string> user_roles;
  for (const auto& [verb, help, op] :
       {std::tuple{"add", "Add an account with its roles", UsersOp::kAdd},
        std::tuple{"roles", "Replace an account's roles", UsersOp::kRoles}}) {
    auto* cmd = users->add_subcommand(verb, help);
    cmd->add_option("NAME", user_name, "Account name (a-z, 0-9, '.', '_', '-')")->required();
    cmd->add_option("--role", user_roles,
                    "moderator, grievance-officer, disclosure-editor or public-admin (repeat)")
        ->required();
    cmd->callback([&, op = op] { status = RunUsers(g, op, user_name, user_roles); });
  }
  auto* disable = users->add_subcommand("disable", "Disable an account and revoke its tokens");
  disable->add_option("NAME", user_name, "Account name")->required();
  disable->callback([&] { status = RunUsers(g, UsersOp::kDisable, user_name, {}); });
  users->add_subcommand("list", "Every account with its roles")->callback([&] {
    status = RunUsersList(g);
  });
  auto* password = users->add_subcommand(
      "password",
      "Set an account's password for the portal's staff pages (read from standard input, "
      "12+ characters)");
  password->add_option("NAME", user_name, "Account name")->required();
  password->callback([&] { status = RunPassword(g, user_name); });
  auto* tokens = users->add_subcommand(
      "tokens", "An account's tokens and staff sessions (digest prefix, created, expires)");
  tokens->add_option("NAME", user_name, "Account name")->required();
  tokens->callback([&] { status = RunTokens(g, user_name); });
  auto* revoke = users->add_subcommand(
      "revoke-token",
      "Revoke one token or staff session (a lost phone, a leaked script token) by the digest "
      "prefix `users tokens` shows");
  revoke->add_option("NAME", user_name, "Account name")->required();
  static std::string revoke_prefix;
  revoke->add_option("DIGEST", revoke_prefix, "The token's digest prefix (8+ hex digits)")
      ->required();
  revoke->callback([&] { status = RunRevokeToken(g, user_name, revoke_prefix); });
  auto* token = users->add_subcommand(
      "token", "Issue an API token for an account (printed once; the store keeps its digest)");
  token->add_option("NAME", user_name, "Account name")->required();
  int token_days = 90;
  token->add_option("--days", token_days, "Days until it expires (1 to 365)")
      ->capture_default_str()
      ->check(CLI::Range(1, 365));
  token->callback([&] { status = RunToken(g, user_name, token_days); });

  auto* export_cmd = app.add_subcommand("export", "Export every project (audited)");
  std::string format, output, base_uri;
  export_cmd->add_option("--format", format, "oc4ids or iati")
      ->required()
      ->check(CLI::IsMember({"oc4ids", "iati"}));
  export_cmd->add_option("--output,-o", output, "Write here (default: stdout)");
  export_cmd->add_option("--base-uri", base_uri, "Where the portal is served (package uri)");
  export_cmd->callback([&] { status = RunExport(g, format, output, base_uri); });

  auto* release_cmd = app.add_subcommand(
      "release", "Write the aggregate release for the security side, signed (FILE.sig)");
  std::string release_output, release_counts, release_previous;
  release_cmd->add_option("--output,-o", release_output, "The release file")->required();
  release_cmd
      ->add_option("--counts", release_counts,
                   "Counts by kind, district, month, topic, channel: {\"counts\": [...]} "
                   "(default: the stored grievances)")
      ->check(CLI::ExistingFile);
  release_cmd
      ->add_option("--previous", release_previous, "The previous release: what it hid stays hidden")
      ->check(CLI::ExistingFile);
  release_cmd->callback(
      [&] { status = RunRelease(g, release_counts, release_previous, release_output); });

  GrievanceArgs grievance_args;
  AddGrievanceCommands(app, g, grievance_args, status);
  ConsultationArgs consultation_args;
  AddConsultationCommands(app, g, consultation_args, status);
  MeetingArgs meeting_args;
  AddMeetingCommands(app, g, meeting_args, status);
  ResultArgs result_args;
  AddResultCommands(app, g, result_args, status);

  app.add_subcommand("keys", "Print the public instance's public key file (for --trusted-keys)")
      ->callback([&] { status = RunKeys(g); });

  auto* audit = app.add_subcommand("audit", "The public side's audit chain");
  audit->require_subcommand(1);
  audit->add_subcommand("verify", "Verify every entry and checkpoint")->callback([&] {
    status = RunVerify(g);
  });

  auto* serve = app.add_subcommand("serve", "Serve the public portal and API");
  std::string listen = "127.0.0.1:8090";
  serve->add_option("--listen", listen, "HOST:PORT")->capture_default_str();
  std::string serve_base;
  serve->add_option("--base-uri", serve_base, "The public address (default: http://LISTEN)");
  static public_side::ClientLimits limits;
  serve
      ->add_option("--filings-per-hour", limits.filings_per_hour,
                   "Grievances one client (an address; an IPv6 /64) may file per hour; past it, "
                   "429 (counted under a salted hash that expires with the hour)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  serve
      ->add_option("--follows-per-hour", limits.follows_per_hour,
                   "Receipt and passphrase checks (follow, answer, accept, appeal) one client may "
                   "make per hour")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  serve
      ->add_option("--comments-per-hour", limits.comments_per_hour,
                   "Comments on proposals one client may post per hour, with a participation "
                   "code or without")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  serve
      ->add_option("--attachments-per-hour", limits.attachments_per_hour,
                   "Files one client may attach to grievances per hour (each also checks a "
                   "passphrase)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  serve
      ->add_option("--sign-ins-per-hour", limits.sign_ins_per_hour,
                   "Staff sign-in attempts (right or wrong) one client may make per hour on the "
                   "portal's staff pages")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  serve->add_option("--trusted-proxy", limits.trusted_proxy,
                    "Address of the TLS proxy in front (e.g. 127.0.0.1): from it only, the client "
                    "for these limits is the last X-Forwarded-For entry, which the proxy must set "
                    "to $remote_addr (not append)");
  serve->callback([&] { status = RunServe(g, listen, serve_base, limits); });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return status;
}  // namespace corridor::public_cli

}  // namespace corridor::public_cli

int main(int argc, char** argv) {
  // The public store holds residents' encrypted contact details: everything
  // written is private to its owner (issue 12 #13).
  ::umask(077);
  try {
    return corridor::public_cli::Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "corridor public: internal error: " << e.what() << "\n";
    return 1;
  }
}
