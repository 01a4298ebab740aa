// `corridor`: the command-line front over the same library calls as the API.
//
// Exit status: 0 done, 1 failed, 2 usage error, 3 import partly rejected.
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli/briefing_command.h"
#include "cli/caller.h"
#include "cli/committee_command.h"
#include "cli/data_command.h"
#include "cli/gazetteer_command.h"
#include "cli/jobs.h"
#include "cli/links_command.h"
#include "cli/organisations_command.h"
#include "cli/output.h"
#include "cli/progress.h"
#include "cli/release_command.h"
#include "cli/report.h"
#include "cli/risk_command.h"
#include "cli/routing_command.h"
#include "cli/security_command.h"
#include "cli/stix_command.h"
#include "cli/sync_command.h"
#include "corridor/api/api.h"
#include "corridor/common/date.h"
#include "corridor/ingest/ingest.h"
#include "corridor/model/filter.h"
#include "corridor/server/server.h"
#include "corridor/service/incidents.h"
#include "corridor/service/jobs.h"
#include "corridor/stix/signature.h"
#include "corridor/store/store.h"
#include "corridor/sync/client.h"

namespace corridor::cli {
namespace {

struct Globals {
  std::string db;
  bool json = false;
};

// Opens the store; commands that only read pass create = false, so a
// mistyped --db is an error, not a new empty store.
Result<std::unique_ptr<store::Store>> Open(const Globals& g, bool create = true) {
  return store::OpenStore(g.db, {.create = create});
}

// Filter flags shared by query and stats.
struct FilterFlags {
  std::string from, to, area, bbox, near, category, text, dataset, organisation;
  void Add(CLI::App* cmd) {
    cmd->add_option("--from", from, "Start date YYYY-MM-DD (incidents overlapping [from, to])");
    cmd->add_option("--to", to, "End date YYYY-MM-DD (inclusive)");
    cmd->add_option("--area", area, "Province or district P-code, e.g. PK6 or PK604");
    cmd->add_option("--bbox", bbox, "MINLON,MINLAT,MAXLON,MAXLAT (GeoJSON order)");
    cmd->add_option("--near", near, "LAT,LON,KM: within KM km (geodesic) of a point");
    cmd->add_option("--category", category, "Category, or several separated by commas");
    cmd->add_option("--text", text, "Full-text words over headlines and descriptions");
    cmd->add_option("--dataset", dataset, "ucdp-ged, gtd, acled, manual or stix");
    cmd->add_option("--organisation", organisation,
                    "An armed organisation's id (corridor armed-organisations lists them)");
  }
  Result<model::IncidentFilter> Parse() const {
    model::IncidentFilter f;
    const std::pair<const char*, const std::string*> fields[] = {
        {"from", &from}, {"to", &to},           {"area", &area},
        {"bbox", &bbox}, {"near", &near},       {"category", &category},
        {"text", &text}, {"dataset", &dataset}, {"organisation", &organisation}};
    for (const auto& [name, value] : fields) {
      if (value->empty()) continue;
      if (auto ok = model::ParseFilterField(f, name, *value); !ok) {
        return Fail(ErrorCode::kInvalidArgument, "--" + ok.error().message);
      }
    }
    if (auto ok = model::ValidateFilter(f); !ok) return Fail(ok.error());
    if (auto ok = service::ResolveOrganisation(f); !ok) {
      return Fail(ErrorCode::kInvalidArgument, "--" + ok.error().message);
    }
    return f;
  }
};

const std::map<std::string, OutputFormat> kFormats = {{"table", OutputFormat::kTable},
                                                      {"csv", OutputFormat::kCsv},
                                                      {"json", OutputFormat::kJson},
                                                      {"geojson", OutputFormat::kGeoJson}};

int RunInit(const Globals& g) {
  auto store = Open(g);
  if (!store) return ReportFailure(store.error());
  std::cout << "store ready: " << g.db << " (schema version " << (*store)->SchemaVersion() << ")\n";
  return kExitOk;
}

int RunAreasLoad(const Globals& g, int level, const std::string& file) {
  auto store = Open(g);
  if (!store) return ReportFailure(store.error());
  auto summary = LoadAreas(**store, file, level);
  if (!summary) return ReportFailure(summary.error());
  if (g.json) {
    std::cout << nlohmann::json{{"file", file},
                                {"level", summary->level},
                                {"areas", summary->areas},
                                {"incidents_checked", summary->incidents_checked},
                                {"incidents_reassigned", summary->incidents_reassigned},
                                {"sites_reassigned", summary->sites_reassigned}}
                     .dump()
              << "\n";
  } else {
    std::cout << "loaded " << summary->areas << " level-" << level << " areas from " << file
              << "; re-assigned " << summary->incidents_reassigned << " of "
              << summary->incidents_checked << " incidents and " << summary->sites_reassigned
              << " sites\n";
  }
  return kExitOk;
}

int RunIngest(const Globals& g, const std::string& format_name,
              const std::vector<std::string>& files, const std::string& rejects,
              const std::string& encoding_name, int batch_size) {
  ingest::Encoding encoding = ingest::Encoding::kAuto;
  if (encoding_name == "utf-8")
    encoding = ingest::Encoding::kUtf8;
  else if (encoding_name == "windows-1252" || encoding_name == "latin-1") {
    encoding = ingest::Encoding::kWindows1252;
  }
  std::set<std::string> rejects_used;  // a rejects file named twice in one run is appended to
  const auto format = ingest::ParseFormat(format_name);
  if (!format) {
    std::cerr << "corridor: --format: expected ucdp-ged, gtd, acled, stix or public-release, got '"
              << format_name << "'\n";
    return kExitUsage;
  }
  auto store = Open(g);
  if (!store) return ReportFailure(store.error());
  auto index = LoadAreaIndex(**store);
  if (!index) return ReportFailure(index.error());
  if (index->empty() && !g.json) {
    std::cerr << "corridor: note: no boundaries loaded (corridor areas load): incidents stay "
                 "unassigned until they are\n";
  }
  int status = kExitOk;
  nlohmann::json reports = nlohmann::json::array();
  for (const auto& file : files) {
    ProgressBar bar("ingest " + std::filesystem::path(file).filename().string());
    ingest::IngestOptions options;
    options.format = *format;
    const std::filesystem::path rejects_path =
        !rejects.empty() ? std::filesystem::path(rejects)
                         : std::filesystem::path(std::filesystem::path(file).filename().string() +
                                                 ".rejects.csv");
    options.rejects_path = std::filesystem::absolute(rejects_path).string();
    options.append_rejects = !rejects_used.insert(options.rejects_path).second;
    options.encoding = encoding;
    options.batch_size = batch_size;
    options.progress = [&bar](std::int64_t done, std::int64_t total) { bar.Update(done, total); };
    auto summary = ingest::IngestFile(**store, *index, file, options);
    bar.Finish();
    if (!summary) {
      ReportFailure(summary.error());
      status = kExitFailed;
      reports.push_back({{"file", file}, {"error", summary.error().message}});
      continue;
    }
    const auto& s = *summary;
    if (s.rejected > 0 && status == kExitOk) status = kExitPartial;
    if (g.json) {
      reports.push_back({{"file", s.file},
                         {"format", s.format},
                         {"rows", s.rows},
                         {"inserted", s.inserted},
                         {"updated", s.updated},
                         {"unchanged", s.unchanged},
                         {"rejected", s.rejected},
                         {"assigned_inside", s.assigned_inside},
                         {"assigned_snapped", s.assigned_snapped},
                         {"unassigned", s.unassigned},
                         {"rejects_path", s.rejects_path.empty() ? nlohmann::json(nullptr)
                                                                 : nlohmann::json(s.rejects_path)},
                         {"seconds", s.seconds}});
    } else {
      std::cout << s.file << ": " << s.rows << " rows: " << s.inserted << " new, " << s.updated
                << " updated, " << s.unchanged << " unchanged, " << s.rejected << " rejected"
                << "; districts: " << s.assigned_inside << " inside, " << s.assigned_snapped
                << " snapped, " << s.unassigned << " unassigned (" << s.seconds << " s)\n";
      if (s.rejected > 0) {
        std::cout << "  rejected rows, with file:line, field and reason: " << s.rejects_path
                  << "\n";
      }
    }
  }
  if (g.json) std::cout << (files.size() == 1 ? reports[0] : reports).dump() << "\n";
  return status;
}

int RunAssetsImport(const Globals& g, const std::string& file) {
  auto store = Open(g);
  if (!store) return ReportFailure(store.error());
  auto summary = ImportSites(**store, file);
  if (!summary) return ReportFailure(summary.error());
  // AidData rows are financing records; the sites are the projects they paid
  // for, with the ids the public side gives them (projects/identity.h, the one
  // grouping both sides call), so the two sides agree without anything
  // crossing the wall.
  if (g.json) {
    nlohmann::json out = {{"file", file},
                          {"records", summary->records},
                          {"sites", summary->sites},
                          {"inserted", summary->inserted},
                          {"updated", summary->updated},
                          {"unchanged", summary->unchanged},
                          {"retired", summary->retired},
                          {"superseded", summary->superseded},
                          {"subscriptions_moved", summary->subscriptions_moved}};
    if (!summary->projects.empty()) {
      nlohmann::json projects = nlohmann::json::array();
      for (const auto& p : summary->projects) {
        projects.push_back({{"id", p.id}, {"name", p.name}, {"aiddata_ids", p.aiddata_ids}});
      }
      out["projects"] = std::move(projects);
    }
    std::cout << out.dump() << "\n";
    return kExitOk;
  }
  std::cout << file << ": ";
  if (!summary->projects.empty()) {
    std::cout << summary->records << " financing records of " << summary->sites << " projects; ";
  }
  std::cout << summary->sites << " sites: " << summary->inserted << " new, " << summary->updated
            << " updated, " << summary->unchanged << " unchanged\n";
  if (summary->retired > 0) {
    std::cout << "  " << summary->retired << " earlier sites retired (" << summary->superseded
              << " taken over by their project, " << summary->subscriptions_moved
              << " subscriptions moved with them)\n";
  }
  return kExitOk;
}

// `corridor query`: the service's count, or its export (decided and audited
// there, as for the API's exports) written in the chosen format.
int RunQuery(const Globals& g, const FilterFlags& flags, const std::string& format_name,
             bool count_only, std::int64_t limit, store::IncidentOrder order) {
  auto filter = flags.Parse();
  if (!filter) {
    std::cerr << "corridor: " << filter.error().message << "\n";
    return kExitUsage;
  }
  return AsCaller(g.db, /*create=*/false, "query",
                  [&](const service::Context& ctx, const service::Caller& caller) {
                    if (count_only) {
                      auto n = service::CountIncidents(ctx, caller, *filter);
                      if (!n) return ReportError(n.error());
                      std::cout << *n << "\n";
                      return kExitOk;
                    }
                    IncidentWriter writer(std::cout, kFormats.at(format_name));
                    bool begun = false;
                    auto n = service::ExportIncidents(ctx, caller, *filter, limit, order,
                                                      format_name, [&](const model::Incident& i) {
                                                        if (!begun) writer.Begin();
                                                        begun = true;
                                                        writer.Write(i);
                                                      });
                    if (!n) return ReportError(n.error());
                    if (!begun) writer.Begin();
                    writer.End();
                    return kExitOk;
                  });
}

int RunStats(const Globals& g, const FilterFlags& flags, const std::string& by_name,
             const std::string& format_name) {
  auto filter = flags.Parse();
  if (!filter) {
    std::cerr << "corridor: " << filter.error().message << "\n";
    return kExitUsage;
  }
  const auto by = store::ParseGroupBy(by_name);
  if (!by) {
    std::cerr << "corridor: --by: expected admin1, admin2, year, month, category or dataset\n";
    return kExitUsage;
  }
  auto secure = OpenSecureStore(g.db, /*create=*/false);
  if (!secure) return ReportFailure(secure.error());
  auto identity = CliIdentityOf(**secure);
  if (!identity) return ReportFailure(identity.error());
  auto counts = (*secure)->store->CountIncidentsBy(identity->viewer, *filter, *by);
  if (!counts) return ReportFailure(counts.error());
  WriteCounts(std::cout, kFormats.at(format_name), by_name, *counts);
  return kExitOk;
}

// "90s", "5m", "1h" (a bare number is seconds); nullopt when malformed or not positive.
std::optional<std::chrono::seconds> ParseInterval(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  const std::string unit = text.substr(used);
  long long scale = 0;
  if (unit.empty() || unit == "s")
    scale = 1;
  else if (unit == "m")
    scale = 60;
  else if (unit == "h")
    scale = 3600;
  if (scale == 0 || n <= 0) return std::nullopt;
  return std::chrono::seconds(n * scale);
}

struct ServeFlags {
  std::string sync_every;
  std::vector<std::string> taxii_roots = {"bilateral", "regional", "un"};
  std::size_t max_body_bytes = 1 << 20;
  std::optional<std::string> web;  // nullopt: web/dist when built
};

int RunServe(const Globals& g, const std::string& listen, int threads, const std::string& tls_cert,
             const std::string& tls_key, const ServeFlags& flags) {
  std::optional<std::chrono::seconds> sync_every;
  if (!flags.sync_every.empty()) {
    sync_every = ParseInterval(flags.sync_every);
    if (!sync_every) {
      std::cerr << "corridor: --sync-every: expected a positive interval such as 30s, 5m or 1h, "
                   "got '"
                << flags.sync_every << "'\n";
      return kExitUsage;
    }
  }
  auto address = server::ParseListen(listen);
  if (!address) {
    std::cerr << "corridor: " << address.error().message << "\n";
    return kExitUsage;
  }
  if (tls_cert.empty() != tls_key.empty()) {
    std::cerr << "corridor: --tls-cert and --tls-key go together\n";
    return kExitUsage;
  }
  // Session cookies and passwords cross the network: beyond loopback, only over HTTPS.
  const std::string& bind_host = address->first;
  const bool loopback = bind_host == "127.0.0.1" || bind_host == "localhost" ||
                        bind_host == "::1" || bind_host.rfind("127.", 0) == 0;
  if (!loopback && tls_cert.empty()) {
    std::cerr << "corridor: --listen " << listen
              << ": serving beyond loopback needs HTTPS (--tls-cert FILE --tls-key FILE), or a "
                 "TLS-terminating proxy such as nginx in front of a loopback address\n";
    return kExitUsage;
  }
  auto secure = OpenSecureStore(g.db, /*create=*/false);
  if (!secure) return ReportFailure(secure.error());
  SecureStore& s = **secure;
  api::TaxiiOptions taxii;
  // Objects leave signed with the current key of the instance's key ring
  // (issue 6 part A, docs/stix.md "Signatures").
  auto ring = stix::LoadOrCreateKeyRing(g.db + ".signing-keys", s.keys, NowTimestamp());
  if (!ring) return ReportFailure(ring.error());
  taxii.signing_key = ring->current;
  if (auto orgs = s.store->ListOrganisations()) {
    for (const auto& o : *orgs) {
      if (o.own) {
        taxii.public_keys = ring->keys.ToJson(o.name);
        taxii.public_keys["current"] = ring->current.key_id;
      }
    }
  }
  taxii.api_roots = flags.taxii_roots;
  taxii.max_content_length = flags.max_body_bytes;
  api::Api api(*s.store, *s.accounts, *s.audit, taxii);
  server::ServerOptions options;
  options.max_body_bytes = flags.max_body_bytes;
  options.host = address->first;
  options.port = address->second;
  options.threads = threads;
  options.tls_cert = tls_cert;
  options.tls_key = tls_key;
  options.web_root = flags.web ? *flags.web : server::DefaultWebRoot();
  if (!options.web_root.empty() &&
      !std::filesystem::is_regular_file(std::filesystem::path(options.web_root) / "index.html")) {
    std::cerr << "corridor: --web " << options.web_root
              << ": no index.html there (build it with: bash scripts/web.sh)\n";
    return kExitUsage;
  }
  server::Server http(api.routes(), options);
  if (auto ok = http.Bind(); !ok) return ReportFailure(ok.error());
  // SIGINT/SIGTERM stop the server cleanly: a thread waits for them. Block
  // them before any other thread starts, so every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // Analyses submitted as jobs (POST /api/v1/jobs) run here, one at a time;
  // several servers on one store share the queue.
  service::JobRunner jobs(api.context(), {}, "serve:" + std::to_string(::getpid()), 1);
  jobs.Start();
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("signal {}: stopping", sig);
    http.Stop();
  });
  const std::string host =
      options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
  std::cout << "Corridor is serving " << g.db << " at " << (tls_cert.empty() ? "http" : "https")
            << "://" << host << ":" << http.port() << "/  (Ctrl-C stops)" << std::endl;
  if (options.web_root.empty()) {
    std::cout << "No web application (build it with: bash scripts/web.sh)" << std::endl;
  } else {
    std::cout << "Web application from " << options.web_root << std::endl;
  }
  // Periodic partner sync: every partner from its cursor, one run at a time.
  std::mutex sync_mu;
  std::condition_variable sync_cv;
  bool stopping = false;
  std::thread syncer;
  if (sync_every) {
    syncer = std::thread([&] {
      std::unique_lock<std::mutex> lock(sync_mu);
      while (!stopping) {
        lock.unlock();
        auto partners = s.store->ListPartners();
        if (!partners) spdlog::error("sync: {}", partners.error().message);
        for (const auto& p : partners ? *partners : std::vector<store::Partner>{}) {
          try {
            auto report = sync::SyncPartner(*s.store, *s.audit, s.keys, p.name);
            if (report) {
              spdlog::info("sync {}: {} objects, {} applied, {} tombstones, {} rejected", p.name,
                           report->objects, report->applied, report->tombstones, report->rejected);
            } else {
              spdlog::error("sync {}: {}", p.name, report.error().message);
            }
          } catch (const std::exception& e) {  // keep serving; report the error
            spdlog::error("sync {}: internal error: {}", p.name, e.what());
          }
        }
        lock.lock();
        sync_cv.wait_for(lock, *sync_every, [&] { return stopping; });
      }
    });
  }
  auto ran = http.Run();
  {
    std::lock_guard<std::mutex> lock(sync_mu);
    stopping = true;
  }
  sync_cv.notify_all();
  if (syncer.joinable()) syncer.join();
  // The waiter sits in sigwait() for SIGINT/SIGTERM: this wakes it; it does not terminate it.
  pthread_kill(waiter.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  waiter.join();
  jobs.Stop();
  // Sign the log's head at shutdown, so a cut tail shows against it.
  if (auto c = s.audit->Checkpoint(); !c) spdlog::error("audit checkpoint: {}", c.error().message);
  if (!ran) return ReportFailure(ran.error());
  return kExitOk;
}

int RunBackup(const Globals& g, const std::string& file) {
  auto store = Open(g, /*create=*/false);
  if (!store) return ReportFailure(store.error());
  if (auto ok = (*store)->Backup(file); !ok) return ReportFailure(ok.error());
  std::cout << "backed up " << g.db << " to " << file << "\n";
  return kExitOk;
}

int RunRestore(const Globals& g, const std::string& file) {
  auto store = Open(g);
  if (!store) return ReportFailure(store.error());
  if (auto ok = (*store)->Restore(file); !ok) return ReportFailure(ok.error());
  std::cout << "restored " << g.db << " from " << file << "\n";
  return kExitOk;
}

}  // namespace

// `corridor public …` is the public side's own executable, corridor-public,
// beside this one: the security CLI never links the public store, nor the
// public CLI the security store (tests/public/link_graph_test.cc).
int ExecPublic(int argc, char** argv) {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::string exe =
      (ec ? std::filesystem::path(argv[0]) : self).parent_path() / "corridor-public";
  std::vector<char*> args;
  std::string name = "corridor-public";
  args.push_back(name.data());
  for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  ::execv(exe.c_str(), args.data());
  std::cerr << "corridor: cannot run " << exe << ": " << std::strerror(errno) << "\n";
  return kExitFailed;
}

int Main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "public") return ExecPublic(argc, argv);
  CLI::App app{
      "Corridor: one trusted picture of violence against a cross-border economic corridor.\n"
      "Incidents, areas and sites live in one store (SQLite file by default).\n"
      "The public side is `corridor public --help` (its own store and process)."};
  app.require_subcommand(1);
  // Global flags (--db, --json) may also follow the subcommand: `corridor ingest --json ...`.
  app.fallthrough();
  Globals g;
  const char* env_db = std::getenv("CORRIDOR_DB");
  g.db = env_db != nullptr ? env_db : "corridor.db";
  app.add_option("--db", g.db, "Store file (default: $CORRIDOR_DB or ./corridor.db)")
      ->capture_default_str();
  app.add_flag("--json", g.json, "Print summaries as JSON (for scripts)");

  int status = kExitOk;

  auto* init = app.add_subcommand("init", "Create (or migrate) the store");
  init->callback([&] { status = RunInit(g); });

  auto* areas = app.add_subcommand("areas", "Administrative boundaries");
  areas->require_subcommand(1);
  auto* areas_load = areas->add_subcommand(
      "load",
      "Load boundaries of one level (GeoJSON, Shapefile or GeoPackage) and re-assign "
      "incidents and sites");
  int level = -1;
  std::string areas_file;
  areas_load->add_option("--level", level, "0 country, 1 province, 2 district")
      ->required()
      ->check(CLI::Range(0, 2));
  areas_load->add_option("FILE", areas_file, "Boundary file")->required()->check(CLI::ExistingFile);
  areas_load->callback([&] { status = RunAreasLoad(g, level, areas_file); });

  auto* ingest_cmd = app.add_subcommand(
      "ingest", "Import incidents from source exports (bad rows go to a rejects file)");
  std::string format_name;
  std::vector<std::string> ingest_files;
  std::string rejects;
  ingest_cmd
      ->add_option("--format", format_name,
                   "ucdp-ged, gtd, acled, stix (a STIX 2.1 bundle) or public-release (the public "
                   "side's signed aggregate release)")
      ->required();
  std::vector<std::string> trusted_keys;
  ingest_cmd
      ->add_option("--trusted-keys", trusted_keys,
                   "stix: a partner's public key file (`corridor keys show --json`) whose "
                   "signatures are accepted (repeat); this instance's own keys always are")
      ->check(CLI::ExistingFile);
  ingest_cmd->add_option("--rejects", rejects,
                         "Rejected rows file (default: <input name>.rejects.csv here)");
  std::string encoding_name = "auto";
  ingest_cmd
      ->add_option("--encoding", encoding_name,
                   "auto (UTF-8, and Windows-1252 for records that are not), utf-8 (invalid "
                   "bytes are rejected) or windows-1252/latin-1")
      ->check(CLI::IsMember({"auto", "utf-8", "windows-1252", "latin-1"}))
      ->capture_default_str();
  int batch_size = ingest::IngestOptions{}.batch_size;
  ingest_cmd
      ->add_option("--batch-size", batch_size,
                   "Incidents per transaction: an interrupted import keeps every committed batch")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  ingest_cmd
      ->add_option("FILE", ingest_files, "CSV export(s), or STIX bundle(s) with --format stix")
      ->required()
      ->check(CLI::ExistingFile);
  ingest_cmd->callback([&] {
    if (format_name == "stix") {
      status = RunStixIngest(g.db, g.json, ingest_files, trusted_keys, rejects);
      return;
    }
    if (format_name == "public-release") {
      status = RunReleaseIngest(g.db, g.json, ingest_files, trusted_keys);
      return;
    }
    if (!trusted_keys.empty()) {
      std::cerr << "corridor: --trusted-keys goes with --format stix or public-release\n";
      status = kExitUsage;
      return;
    }
    status = RunIngest(g, format_name, ingest_files, rejects, encoding_name, batch_size);
  });

  auto* assets = app.add_subcommand("assets", "Corridor sites");
  assets->require_subcommand(1);
  auto* assets_import =
      assets->add_subcommand("import",
                             "Import sites from GeoJSON/GeoPackage. AidData GCDF rows are "
                             "financing records: they are grouped into the physical projects "
                             "they paid for, one site each, which replace the dataset's "
                             "earlier sites (their subscriptions move with them). Any other "
                             "file: one site per feature with a name");
  std::string assets_file;
  assets_import->add_option("FILE", assets_file, "Sites file")
      ->required()
      ->check(CLI::ExistingFile);
  assets_import->callback([&] { status = RunAssetsImport(g, assets_file); });

  auto* query = app.add_subcommand("query", "List incidents matching filters");
  FilterFlags query_filters;
  query_filters.Add(query);
  std::string query_format = "table";
  bool count_only = false;
  std::int64_t limit = 0;
  query->add_option("--format", query_format, "table, csv, json or geojson")
      ->check(CLI::IsMember({"table", "csv", "json", "geojson"}))
      ->capture_default_str();
  query->add_flag("--count", count_only, "Print only the number of matching incidents");
  query->add_option("--limit", limit, "At most this many incidents (0 = all)")
      ->check(CLI::NonNegativeNumber);
  std::string query_sort = "date_desc";
  query
      ->add_option("--sort", query_sort,
                   "date_desc, date_asc, deaths_desc or deaths_asc (best estimate; unknown last; "
                   "the API's sort)")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(store::kIncidentOrderNames),
                                                     std::end(store::kIncidentOrderNames))))
      ->capture_default_str();
  query->callback([&] {
    status = RunQuery(g, query_filters, query_format, count_only, limit,
                      *store::ParseIncidentOrder(query_sort));
  });

  auto* stats = app.add_subcommand("stats", "Count incidents by area, year, month, ...");
  FilterFlags stats_filters;
  stats_filters.Add(stats);
  std::string by;
  std::string stats_format = "table";
  stats->add_option("--by", by, "admin1, admin2, year, month, category or dataset")->required();
  stats->add_option("--format", stats_format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  stats->callback([&] { status = RunStats(g, stats_filters, by, stats_format); });

  auto* serve = app.add_subcommand("serve", "Serve the HTTP API (and web application)");
  std::string listen = "127.0.0.1:8080";
  int threads = server::ServerOptions{}.threads;
  serve->add_option("--listen", listen, "HOST:PORT")->capture_default_str();
  serve
      ->add_option("--threads", threads,
                   "Worker threads; each open connection (idle keep-alive included) holds one")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  std::string tls_cert, tls_key;
  serve->add_option("--tls-cert", tls_cert, "Serve HTTPS with this PEM certificate (chain)")
      ->check(CLI::ExistingFile);
  serve->add_option("--tls-key", tls_key, "The certificate's PEM private key")
      ->check(CLI::ExistingFile);
  ServeFlags serve_flags;
  serve->add_option("--sync-every", serve_flags.sync_every,
                    "Pull every partner's collection at this interval (30s, 5m, 1h)");
  serve
      ->add_option("--taxii-roots", serve_flags.taxii_roots, "TAXII API roots, one per trust group")
      ->delimiter(',')
      ->capture_default_str();
  serve
      ->add_option("--max-body", serve_flags.max_body_bytes,
                   "Largest request body in bytes (413 above; TAXII max_content_length)")
      ->check(CLI::Range(1024, 1 << 30))
      ->capture_default_str();
  serve->add_option("--web", serve_flags.web,
                    "Serve the web application from this directory (default: web/dist of the "
                    "source tree when built; \"\" serves none)");
  serve->callback([&] { status = RunServe(g, listen, threads, tls_cert, tls_key, serve_flags); });

  auto* backup = app.add_subcommand("backup",
                                    "Write a consistent copy of the store (safe while "
                                    "serving)");
  std::string backup_file;
  backup->add_option("FILE", backup_file, "Backup file to write")->required();
  backup->callback([&] { status = RunBackup(g, backup_file); });

  auto* restore = app.add_subcommand("restore", "Replace the store's contents with a backup");
  std::string restore_file;
  restore->add_option("FILE", restore_file, "Backup file")->required()->check(CLI::ExistingFile);
  restore->callback([&] { status = RunRestore(g, restore_file); });

  auto* export_cmd = app.add_subcommand("export", "Export in an exchange format");
  export_cmd->require_subcommand(1);
  auto* export_stix = export_cmd->add_subcommand(
      "stix",
      "A signed STIX 2.1 bundle of the incidents (filters as for query) and assessments "
      "you may read; audited as an export");
  FilterFlags export_filters;
  export_filters.Add(export_stix);
  std::string export_output;
  bool no_assessments = false;
  export_stix->add_option("--output,-o", export_output, "Write the bundle here (default: stdout)");
  export_stix->add_flag("--no-assessments", no_assessments, "Incidents only");
  export_stix->callback([&] {
    auto filter = export_filters.Parse();
    if (!filter) {
      std::cerr << "corridor: " << filter.error().message << "\n";
      status = kExitUsage;
      return;
    }
    status = RunStixExport(g.db, g.json, *filter, export_output, !no_assessments);
  });

  AddDataCommands(app, g.json, status);
  AddStixCommands(app, g.db, g.json, status);
  AddRiskCommands(app, g.db, g.json, status);
  AddSecurityCommands(app, g.db, g.json, status);
  AddCommitteeCommands(app, g.db, g.json, status);
  AddRoutingCommands(app, g.db, g.json, status);
  AddGazetteerCommands(app, g.db, g.json, status);
  AddOrganisationCommands(app, g.db, g.json, status);
  AddLinkCommands(app, g.db, g.json, status);
  AddBriefingCommand(app, g.db, g.json, status);
  AddSyncCommands(app, g.db, g.json, status);

  // CLI11 reports an unknown command only as "a subcommand is required": name it.
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--db") {
      ++i;
      continue;
    }
    if (arg.rfind('-', 0) == 0) continue;
    bool known = false;
    for (const auto* sub : app.get_subcommands({})) known = known || sub->check_name(arg);
    if (!known) {
      std::cerr << "corridor: unknown command '" << arg << "' (see corridor --help)\n";
      return kExitUsage;
    }
    break;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  return status;
}

}  // namespace corridor::cli

int main(int argc, char** argv) {
  // Everything Corridor writes (stores, keys, rejects files, backups,
  // exports) is private to its owner unless the owner widens it.
  ::umask(077);
  try {
    return corridor::cli::Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "corridor: internal error: " << e.what() << "\n";
    return 1;
  }
}
