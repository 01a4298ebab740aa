#include "store/sqlite_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "corridor/common/strings.h"
#include "corridor/model/json.h"
#include "store/cursor.h"
#include "store/modules.h"
#include "store/sql/sql.h"
#include "store/sqlite_alerts.h"
#include "store/sqlite_functions.h"
#include "store/sqlite_query.h"
#include "store/sqlite_schema.h"

namespace corridor::store {
// An advisory lock (flock) on "<store>.bulk-load", held while a bulk load has
// the secondary indexes dropped. The kernel releases it when the process dies,
// so an opener that can take it knows no bulk load is running.
class BulkLoadLock {
 public:
  explicit BulkLoadLock(const std::string& store_path) : path_(store_path + ".bulk-load") {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~BulkLoadLock() {
    if (fd_ < 0) return;
    ::unlink(path_.c_str());
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
  BulkLoadLock(const BulkLoadLock&) = delete;
  BulkLoadLock& operator=(const BulkLoadLock&) = delete;
  bool acquired() const { return fd_ >= 0; }

 private:
  std::string path_;
  int fd_ = -1;
};

namespace {

using sqlite::BindDouble;
using sqlite::BindInt;
using sqlite::BindOptDouble;
using sqlite::BindOptInt;
using sqlite::BindText;
using sqlite::ColumnOptDouble;
using sqlite::ColumnOptInt;
using sqlite::ColumnText;
using sqlite::Connection;
using sqlite::Scope;
using sqlite::StepDone;
using sqlite::WriteTransaction;

constexpr int kMaxPageLimit = 100'000;  // the GeoJSON route's largest page
constexpr std::size_t kMaxIdleReaders = 8;

// ---- incident columns: the order of binding (1-based) and of reading (0-based).
constexpr std::array<const char*, 36> kIncidentContent = {"id",
                                                          "dataset",
                                                          "dataset_version",
                                                          "source_id",
                                                          "source_file",
                                                          "source_line",
                                                          "date_start",
                                                          "date_end",
                                                          "date_precision",
                                                          "latitude",
                                                          "longitude",
                                                          "location_precision",
                                                          "location",
                                                          "country",
                                                          "admin1",
                                                          "admin2",
                                                          "admin_method",
                                                          "source_admin1",
                                                          "source_admin2",
                                                          "category",
                                                          "source_type",
                                                          "violence_type",
                                                          "target_types",
                                                          "target_nationalities",
                                                          "parties",
                                                          "perpetrators",
                                                          "killed",
                                                          "killed_low",
                                                          "killed_high",
                                                          "wounded",
                                                          "hostages",
                                                          "property_damage",
                                                          "headline",
                                                          "description",
                                                          "licence_ref",
                                                          "revoked"};
constexpr int kColCreated = 38;
constexpr int kColModified = 39;
constexpr int kColVersion = 40;
constexpr int kColMarking = 41;  // tlp, author, author_org, dist_users, dist_orgs, dist_trust_group
constexpr const char* kMarkingColumns =
    "tlp, author, author_org, dist_users, dist_orgs, dist_trust_group";

std::string Join(const char* const* begin, const char* const* end, const char* prefix = "") {
  std::string out;
  for (const char* const* p = begin; p != end; ++p) {
    if (!out.empty()) out += ", ";
    out += prefix;
    out += *p;
  }
  return out;
}

// The content columns with licence_ref expanded into the licence's three
// fields (from the small `licences` table), then created, modified, version.
const std::string& IncidentSelectList() {
  static const std::string kList = [] {
    std::string list;
    for (const char* column : kIncidentContent) {
      if (!list.empty()) list += ", ";
      if (std::string_view(column) == "licence_ref") {
        list +=
            "(SELECT licence_id FROM licences WHERE ref = incidents.licence_ref), "
            "(SELECT redistribution FROM licences WHERE ref = incidents.licence_ref), "
            "(SELECT attribution FROM licences WHERE ref = incidents.licence_ref)";
      } else {
        list += column;
      }
    }
    return list + ", created, modified, version, " + kMarkingColumns;
  }();
  return kList;
}

// Upsert in two statements: a plain insert that does nothing on a known id,
// then, only when it did nothing, an update guarded by the digest. Cheaper than
// one INSERT ... ON CONFLICT DO UPDATE ... RETURNING, whose RETURNING clause
// materialises a result table per row. Both bind ?1..?N content, ?N+1 now,
// ?N+2 digest; the insert also binds the marking at ?N+3..?N+8 (an update
// never changes a marking).
const std::string& IncidentInsertSql() {
  static const std::string kSql = [] {
    std::string sql = "INSERT INTO incidents (" +
                      Join(kIncidentContent.begin(), kIncidentContent.end()) +
                      ", created, modified, version, digest, " + kMarkingColumns + ") VALUES (";
    for (std::size_t i = 1; i <= kIncidentContent.size(); ++i)
      sql += "?" + std::to_string(i) + ", ";
    const std::string now = "?" + std::to_string(kIncidentContent.size() + 1);
    const std::string digest = "?" + std::to_string(kIncidentContent.size() + 2);
    sql += now + ", " + now + ", 1, " + digest;
    for (std::size_t i = kIncidentContent.size() + 3; i <= kIncidentContent.size() + 8; ++i)
      sql += ", ?" + std::to_string(i);
    sql += ") ON CONFLICT (id) DO NOTHING";
    return sql;
  }();
  return kSql;
}

const std::string& IncidentUpdateSql() {
  static const std::string kSql = [] {
    std::string sql = "UPDATE incidents SET ";
    for (std::size_t i = 1; i < kIncidentContent.size(); ++i) {
      sql += std::string(kIncidentContent[i]) + " = ?" + std::to_string(i + 1) + ", ";
    }
    const std::string now = "?" + std::to_string(kIncidentContent.size() + 1);
    const std::string digest = "?" + std::to_string(kIncidentContent.size() + 2);
    sql += "modified = " + now + ", version = version + 1, digest = " + digest +
           " WHERE id = ?1 AND digest <> " + digest;
    return sql;
  }();
  return kSql;
}

// FTS maintenance of UpsertIncidents without the per-row triggers (see
// UpsertIncidents): the update trigger's work for a row indexed before the
// call (its indexed text queued once, the row queued for re-indexing), and the
// set-based indexing of the rows the call inserted (rowid > ?1).
constexpr const char* kChangedRowSql = "SELECT rowid FROM incidents WHERE id = ?1 AND digest <> ?2";
constexpr const char* kQueueOldTextSql =
    "INSERT OR IGNORE INTO incidents_fts_old (row, headline, description) "
    "SELECT rowid, headline, description FROM incidents WHERE rowid = ?1";
constexpr const char* kQueueRowSql = "INSERT OR IGNORE INTO incidents_fts_new (row) VALUES (?1)";
constexpr const char* kIndexInsertedSql =
    "INSERT INTO incidents_fts (rowid, headline, description) "
    "SELECT rowid, headline, description FROM incidents WHERE rowid > ?1 ORDER BY rowid";

// Turns the connection's triggers off while in scope (other connections and
// processes keep them). Toggling expires the connection's prepared
// statements; they re-prepare on their next step.
class TriggersOff {
 public:
  explicit TriggersOff(sqlite3* db) : db_(db) {
    sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  }
  ~TriggersOff() { sqlite3_db_config(db_, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, nullptr); }
  TriggersOff(const TriggersOff&) = delete;
  TriggersOff& operator=(const TriggersOff&) = delete;

 private:
  sqlite3* db_;
};

// The writer's page cache: 16 MB while it serves (audit appends, small
// writes), 256 MB while an import writes a large batch or builds the indexes
// (a 200k-row import: 16.2 -> 11.0 s, random index inserts no longer evicting
// pages each commit re-wrote). Kept at 256 MB always, a server's writer grew
// with the audit log: 84 -> 375 MB after 160,671 audited reads (bench/api.sh).
constexpr const char* kServingCache = "PRAGMA cache_size = -16384";
constexpr std::size_t kLargeBatch = 10'000;

class ImportCache {
 public:
  explicit ImportCache(Connection& writer) : writer_(writer) {
    (void)writer_.Exec("PRAGMA cache_size = -262144");  // only a speed-up if refused
  }
  ~ImportCache() { (void)writer_.Exec(kServingCache); }
  ImportCache(const ImportCache&) = delete;
  ImportCache& operator=(const ImportCache&) = delete;

 private:
  Connection& writer_;
};

// Text the bound statement points at (SQLITE_STATIC) while it runs.
struct IncidentScratch {
  std::string id, target_types, target_nationalities, parties, perpetrators, digest;
  std::string dist_users, dist_orgs;
  std::int64_t licence_ref = 0;  // set by the caller (LicenceRefs) before binding
};

void BindIncidentContent(sqlite3_stmt* s, const model::Incident& inc, IncidentScratch& scratch) {
  scratch.id = inc.id.str();
  scratch.target_types = model::StringsToJson(inc.target_types);
  scratch.target_nationalities = model::StringsToJson(inc.target_nationalities);
  scratch.parties = model::StringsToJson(inc.parties);
  scratch.perpetrators = model::StringsToJson(inc.perpetrators);
  int i = 1;
  BindText(s, i++, scratch.id);
  BindText(s, i++, inc.provenance.dataset);
  BindText(s, i++, inc.provenance.dataset_version);
  BindText(s, i++, inc.provenance.source_id);
  BindText(s, i++, inc.provenance.file);
  BindInt(s, i++, inc.provenance.line);
  BindInt(s, i++, inc.date_start.days());
  BindInt(s, i++, inc.date_end.days());
  BindText(s, i++, model::DatePrecisionName(inc.date_precision));
  BindOptDouble(s, i++, inc.latitude);
  BindOptDouble(s, i++, inc.longitude);
  BindText(s, i++, model::LocationPrecisionName(inc.location_precision));
  BindText(s, i++, inc.location);
  BindText(s, i++, inc.country);
  BindText(s, i++, inc.admin1);
  BindText(s, i++, inc.admin2);
  BindText(s, i++, model::AssignMethodName(inc.admin_method));
  BindText(s, i++, inc.source_admin1);
  BindText(s, i++, inc.source_admin2);
  BindText(s, i++, model::CategoryName(inc.category));
  BindText(s, i++, inc.source_type);
  BindInt(s, i++, inc.violence_type);
  BindText(s, i++, scratch.target_types);
  BindText(s, i++, scratch.target_nationalities);
  BindText(s, i++, scratch.parties);
  BindText(s, i++, scratch.perpetrators);
  BindOptInt(s, i++, inc.killed);
  BindOptInt(s, i++, inc.killed_low);
  BindOptInt(s, i++, inc.killed_high);
  BindOptInt(s, i++, inc.wounded);
  BindOptInt(s, i++, inc.hostages);
  BindOptInt(s, i++, inc.property_damage);
  BindText(s, i++, inc.headline);
  BindText(s, i++, inc.description);
  BindInt(s, i++, scratch.licence_ref);
  BindInt(s, i++, inc.revoked ? 1 : 0);
}

// Binds the marking columns (kMarkingColumns order) from index `first`.
void BindMarking(sqlite3_stmt* s, int first, const model::Marking& m, std::string& users,
                 std::string& orgs) {
  users = model::StringsToJson(m.distribution.users);
  orgs = model::StringsToJson(m.distribution.organisations);
  BindInt(s, first, model::Strictness(m.tlp));
  BindText(s, first + 1, m.author);
  BindText(s, first + 2, m.author_org);
  BindText(s, first + 3, users);
  BindText(s, first + 4, orgs);
  BindText(s, first + 5, m.distribution.trust_group);
}

Result<model::Marking> ReadMarking(sqlite3_stmt* s, int first) {
  model::Marking m;
  const int tlp = sqlite3_column_int(s, first);
  if (tlp < 0 || tlp >= model::kTlpCount) {
    return Fail(ErrorCode::kInternal,
                "stored marking " + std::to_string(tlp) + " is not a TLP level");
  }
  m.tlp = static_cast<model::Tlp>(tlp);
  m.author = ColumnText(s, first + 1);
  m.author_org = ColumnText(s, first + 2);
  auto users = model::StringsFromJson(ColumnText(s, first + 3));
  if (!users) return Fail(users.error());
  auto orgs = model::StringsFromJson(ColumnText(s, first + 4));
  if (!orgs) return Fail(orgs.error());
  m.distribution.users = std::move(*users);
  m.distribution.organisations = std::move(*orgs);
  m.distribution.trust_group = ColumnText(s, first + 5);
  return m;
}

// Finds or adds rows of the `licences` table inside the caller's write
// transaction. Lives for one transaction: a rollback must not leave cached
// refs to rows that no longer exist.
class LicenceRefs {
 public:
  explicit LicenceRefs(Connection& conn) : conn_(conn) {}
  Result<std::int64_t> Get(const model::Licence& licence) {
    for (const auto& [known, ref] : cache_) {
      if (known == licence) return ref;
    }
    if (!insert_) {
      auto insert = conn_.Prepare(
          "INSERT OR IGNORE INTO licences (licence_id, redistribution, attribution) "
          "VALUES (?1, ?2, ?3)");
      if (!insert) return Fail(insert.error());
      insert_ = *insert;
      auto select = conn_.Prepare(
          "SELECT ref FROM licences WHERE licence_id = ?1 AND redistribution = ?2 AND "
          "attribution = ?3");
      if (!select) return Fail(select.error());
      select_ = *select;
    }
    for (sqlite3_stmt* stmt : {insert_, select_}) {
      BindText(stmt, 1, licence.id);
      BindInt(stmt, 2, licence.redistribution ? 1 : 0);
      BindText(stmt, 3, licence.attribution);
    }
    {
      Scope scope(insert_);
      if (auto r = StepDone(conn_, insert_, "add licence " + licence.id); !r)
        return Fail(r.error());
    }
    Scope scope(select_);
    const int rc = sqlite3_step(select_);
    if (rc != SQLITE_ROW) return Fail(conn_.LastError(rc, "find licence " + licence.id));
    const std::int64_t ref = sqlite3_column_int64(select_, 0);
    cache_.emplace_back(licence, ref);
    return ref;
  }

 private:
  Connection& conn_;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* select_ = nullptr;
  std::vector<std::pair<model::Licence, std::int64_t>> cache_;
};

Result<std::vector<std::string>> ReadStrings(sqlite3_stmt* s, int col) {
  return model::StringsFromJson(ColumnText(s, col));
}

Result<model::Incident> ReadIncident(sqlite3_stmt* s) {
  model::Incident inc;
  int i = 0;
  auto id = Uuid::Parse(ColumnText(s, i++));
  if (!id) return Fail(ErrorCode::kInternal, "stored incident id is not a UUID");
  inc.id = *id;
  inc.provenance.dataset = ColumnText(s, i++);
  inc.provenance.dataset_version = ColumnText(s, i++);
  inc.provenance.source_id = ColumnText(s, i++);
  inc.provenance.file = ColumnText(s, i++);
  inc.provenance.line = sqlite3_column_int64(s, i++);
  inc.date_start = Date(sqlite3_column_int(s, i++));
  inc.date_end = Date(sqlite3_column_int(s, i++));
  inc.date_precision =
      model::ParseDatePrecision(ColumnText(s, i++)).value_or(model::DatePrecision::kUnknown);
  inc.latitude = ColumnOptDouble(s, i++);
  inc.longitude = ColumnOptDouble(s, i++);
  inc.location_precision =
      model::ParseLocationPrecision(ColumnText(s, i++)).value_or(model::LocationPrecision::kNone);
  inc.location = ColumnText(s, i++);
  inc.country = ColumnText(s, i++);
  inc.admin1 = ColumnText(s, i++);
  inc.admin2 = ColumnText(s, i++);
  inc.admin_method =
      model::ParseAssignMethod(ColumnText(s, i++)).value_or(model::AssignMethod::kNone);
  inc.source_admin1 = ColumnText(s, i++);
  inc.source_admin2 = ColumnText(s, i++);
  inc.category = model::ParseCategory(ColumnText(s, i++)).value_or(model::Category::kUnknown);
  inc.source_type = ColumnText(s, i++);
  inc.violence_type = sqlite3_column_int(s, i++);
  for (auto* list :
       {&inc.target_types, &inc.target_nationalities, &inc.parties, &inc.perpetrators}) {
    auto values = ReadStrings(s, i++);
    if (!values) return Fail(values.error());
    *list = std::move(*values);
  }
  inc.killed = ColumnOptInt(s, i++);
  inc.killed_low = ColumnOptInt(s, i++);
  inc.killed_high = ColumnOptInt(s, i++);
  inc.wounded = ColumnOptInt(s, i++);
  inc.hostages = ColumnOptInt(s, i++);
  inc.property_damage = ColumnOptInt(s, i++);
  inc.headline = ColumnText(s, i++);
  inc.description = ColumnText(s, i++);
  inc.licence.id = ColumnText(s, i++);
  inc.licence.redistribution = sqlite3_column_int(s, i++) != 0;
  inc.licence.attribution = ColumnText(s, i++);
  inc.revoked = sqlite3_column_int(s, i++) != 0;
  inc.created = ColumnText(s, kColCreated);
  inc.modified = ColumnText(s, kColModified);
  inc.version = sqlite3_column_int(s, kColVersion);
  auto marking = ReadMarking(s, kColMarking);
  if (!marking) return Fail(marking.error());
  inc.marking = std::move(*marking);
  return inc;
}

// ---- areas

// The bounding box of every [lon, lat, ...] position in a GeoJSON geometry.
struct Extent {
  double min_lon = std::numeric_limits<double>::infinity();
  double min_lat = std::numeric_limits<double>::infinity();
  double max_lon = -std::numeric_limits<double>::infinity();
  double max_lat = -std::numeric_limits<double>::infinity();
  bool empty() const { return min_lon > max_lon; }
};

void ExtendExtent(const nlohmann::json& j, Extent& e) {
  if (!j.is_array()) return;
  if (j.size() >= 2 && j[0].is_number() && j[1].is_number()) {
    const double lon = j[0].get<double>();
    const double lat = j[1].get<double>();
    e.min_lon = std::min(e.min_lon, lon);
    e.max_lon = std::max(e.max_lon, lon);
    e.min_lat = std::min(e.min_lat, lat);
    e.max_lat = std::max(e.max_lat, lat);
    return;
  }
  for (const auto& child : j) ExtendExtent(child, e);
}

Result<Extent> GeometryExtent(const std::string& geometry, std::string_view what) {
  Extent extent;
  if (geometry.empty()) return extent;
  const nlohmann::json j = nlohmann::json::parse(geometry, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(what) + ": geometry is not a GeoJSON object");
  }
  if (auto it = j.find("coordinates"); it != j.end()) ExtendExtent(*it, extent);
  if (auto it = j.find("geometries"); it != j.end() && it->is_array()) {
    for (const auto& g : *it) {
      if (auto c = g.find("coordinates"); c != g.end()) ExtendExtent(*c, extent);
    }
  }
  return extent;
}

constexpr char kAreaColumnsNoGeometry[] =
    "level, pcode, name, alt_names, parent_pcode, '' AS geometry, source, licence_id, "
    "licence_redistribution, licence_attribution";
constexpr char kAreaColumns[] =
    "level, pcode, name, alt_names, parent_pcode, geometry, source, licence_id, "
    "licence_redistribution, licence_attribution";

Result<model::Area> ReadArea(sqlite3_stmt* s) {
  model::Area a;
  a.level = sqlite3_column_int(s, 0);
  a.pcode = ColumnText(s, 1);
  a.name = ColumnText(s, 2);
  auto alt = model::StringsFromJson(ColumnText(s, 3));
  if (!alt) return Fail(alt.error());
  a.alt_names = std::move(*alt);
  a.parent_pcode = ColumnText(s, 4);
  a.geometry = ColumnText(s, 5);
  a.source = ColumnText(s, 6);
  a.licence.id = ColumnText(s, 7);
  a.licence.redistribution = sqlite3_column_int(s, 8) != 0;
  a.licence.attribution = ColumnText(s, 9);
  return a;
}

// ---- sites

// sites.superseded_by: '' for a current site, the successor's id for one a
// ReplaceSites superseded, this for one it retired without a successor.
constexpr char kRetiredWithoutSuccessor[] = "-";

constexpr char kSiteColumns[] =
    "id, name, sector, status, amount_usd, commitment_year, start_year, completion_year, "
    "funding_agencies, receiving_agencies, implementing_agencies, geometry, latitude, longitude, "
    "admin1, admin2, dataset, dataset_version, source_id, source_file, source_line, licence_id, "
    "licence_redistribution, licence_attribution";

std::string SiteDigest(const model::Site& site) {
  return Sha256Hex(model::ToJson(site, /*with_geometry=*/false).dump() + "\n" + site.geometry);
}

Result<model::Site> ReadSite(sqlite3_stmt* s) {
  model::Site site;
  int i = 0;
  auto id = Uuid::Parse(ColumnText(s, i++));
  if (!id) return Fail(ErrorCode::kInternal, "stored site id is not a UUID");
  site.id = *id;
  site.name = ColumnText(s, i++);
  site.sector = ColumnText(s, i++);
  site.status = ColumnText(s, i++);
  site.amount_usd = ColumnOptDouble(s, i++);
  site.commitment_year = ColumnOptInt(s, i++);
  site.start_year = ColumnOptInt(s, i++);
  site.completion_year = ColumnOptInt(s, i++);
  for (auto* list :
       {&site.funding_agencies, &site.receiving_agencies, &site.implementing_agencies}) {
    auto values = model::StringsFromJson(ColumnText(s, i++));
    if (!values) return Fail(values.error());
    *list = std::move(*values);
  }
  site.geometry = ColumnText(s, i++);
  site.latitude = sqlite3_column_double(s, i++);
  site.longitude = sqlite3_column_double(s, i++);
  site.admin1 = ColumnText(s, i++);
  site.admin2 = ColumnText(s, i++);
  site.provenance.dataset = ColumnText(s, i++);
  site.provenance.dataset_version = ColumnText(s, i++);
  site.provenance.source_id = ColumnText(s, i++);
  site.provenance.file = ColumnText(s, i++);
  site.provenance.line = sqlite3_column_int64(s, i++);
  site.licence.id = ColumnText(s, i++);
  site.licence.redistribution = sqlite3_column_int(s, i++) != 0;
  site.licence.attribution = ColumnText(s, i++);
  return site;
}

// Checks that `path` is a Corridor store this build can read, opening it read-only.
Result<std::unique_ptr<Connection>> OpenForRestore(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Fail(ErrorCode::kInvalidArgument, "restore: no backup file at " + path);
  }
  auto conn = Connection::Open(path, SQLITE_OPEN_READONLY);
  if (!conn) {
    Error error = conn.error();
    error.code = ErrorCode::kInvalidArgument;
    return Fail(std::move(error));
  }
  auto version = sqlite::CheckCorridorDatabase(**conn);
  if (!version) {
    Error error = version.error();
    error.code = ErrorCode::kInvalidArgument;
    error.message = "restore: " + error.message;
    return Fail(std::move(error));
  }
  if (*version < 1) return Fail(ErrorCode::kInvalidArgument, "restore: " + path + " is empty");
  auto check =
      (*conn)->QueryInt("SELECT count(*) FROM pragma_quick_check WHERE quick_check <> 'ok'");
  if (!check || check->value_or(0) != 0) {
    return Fail(ErrorCode::kInvalidArgument, "restore: " + path + " fails quick_check");
  }
  return conn;
}

}  // namespace

// ---- the read pool

Result<SqliteStore::ReadLease> SqliteStore::AcquireReader() const {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReadLease(this, std::move(conn));
    }
  }
  auto conn = Connection::Open(path_, SQLITE_OPEN_READWRITE);
  if (!conn) return Fail(conn.error());
  if (auto r = sqlite::RegisterStoreFunctions(**conn); !r) return Fail(r.error());
  if (auto r = (*conn)->Exec("PRAGMA query_only = 1"); !r) return Fail(r.error());
  return ReadLease(this, std::move(*conn));
}

void SqliteStore::ReleaseReader(std::unique_ptr<Connection> conn) const {
  std::lock_guard<std::mutex> lock(pool_mu_);
  if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(conn));
}

// ---- open

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  auto conn = Connection::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!conn) return Fail(conn.error());
  Connection& c = **conn;
  if (auto r = sqlite::RegisterStoreFunctions(c); !r) return Fail(r.error());
  auto existing = sqlite::CheckCorridorDatabase(c);
  if (!existing) return Fail(existing.error());
  auto mode = c.Prepare("PRAGMA journal_mode = WAL");
  if (!mode) return Fail(mode.error());
  {
    Scope scope(*mode);
    const int rc = sqlite3_step(*mode);
    if (rc != SQLITE_ROW) return Fail(c.LastError(rc, "enable WAL"));
    if (ColumnText(*mode, 0) != "wal") {
      return Fail(ErrorCode::kUnavailable, "cannot enable WAL mode on " + path);
    }
  }
  if (auto r = c.Exec(std::string("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; ") +
                      kServingCache +
                      "; PRAGMA temp_store = MEMORY; "
                      "PRAGMA wal_autocheckpoint = 16384;");
      !r) {
    return Fail(r.error());
  }
  auto version = sqlite::Migrate(c);
  if (!version) return Fail(version.error());
  // A bulk load that died before EndBulkLoad left secondary indexes dropped:
  // rebuild them, unless a live bulk load (holding the lock) will.
  auto missing = sqlite::MissingIncidentIndexes(c);
  if (!missing) return Fail(missing.error());
  if (!missing->empty()) {
    BulkLoadLock lock(path);
    if (lock.acquired()) {
      if (auto r = c.Exec(sqlite::CreateIncidentIndexesSql()); !r) return Fail(r.error());
    }
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(path, std::move(*conn), *version));
  // The aggregates of the redesign share this file, its writer and its
  // transactions: record the store's kind and apply their migrations.
  if (auto ok = sql::CheckKind(*store->database_, StoreKind::kSecurity, path); !ok) {
    return Fail(ok.error());
  }
  for (const Module& m : SecurityModules()) {
    if (auto ok = sql::MigrateModule(*store->database_, m); !ok) return Fail(ok.error());
  }
  return store;
}

SqliteStore::SqliteStore(std::string path, std::unique_ptr<sqlite::Connection> writer, int version)
    : path_(std::move(path)), writer_(std::move(writer)), schema_version_(version) {
  database_ = std::make_unique<sqlite::SqliteDatabase>(path_, StoreKind::kSecurity, write_mu_,
                                                       *writer_, sqlite::RegisterStoreFunctions);
}

SqliteStore::~SqliteStore() {
  std::lock_guard<std::mutex> lock(pool_mu_);
  idle_readers_.clear();
}

// ---- incidents

Result<UpsertSummary> SqliteStore::UpsertIncidents(std::span<const model::Incident> incidents) {
  if (incidents.empty()) return UpsertSummary{};
  const std::string now = NowTimestamp();
  std::lock_guard<std::mutex> lock(write_mu_);
  // The FTS queue triggers cost as much as the row insert itself (a trigger
  // program per row). Inside this transaction nobody else writes and SQLite
  // gives a new row max(rowid) + 1, so the rows inserted here are exactly those
  // above the largest rowid now: they are indexed with one statement before
  // the commit, and updated rows are queued here as the trigger would.
  const TriggersOff triggers_off(writer_->handle());
  std::optional<ImportCache> import_cache;
  if (incidents.size() >= kLargeBatch) import_cache.emplace(*writer_);
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  auto summary = UpsertLocked(incidents, now);
  if (!summary) return summary;
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return summary;
}

Result<UpsertSummary> SqliteStore::UpsertLocked(std::span<const model::Incident> incidents,
                                                const std::string& now) {
  UpsertSummary summary;
  auto max_rowid = writer_->QueryInt("SELECT max(rowid) FROM incidents");
  if (!max_rowid) return Fail(max_rowid.error());
  const std::int64_t indexed_up_to = max_rowid->value_or(0);
  if (indexed_up_to >
      std::numeric_limits<std::int64_t>::max() - static_cast<std::int64_t>(incidents.size())) {
    // SQLite would pick random rowids past the largest one (never set by this store).
    return Fail(ErrorCode::kInternal, "incident rowids exhausted");
  }
  auto stmt = writer_->Prepare(IncidentInsertSql());
  if (!stmt) return Fail(stmt.error());
  auto update = writer_->Prepare(IncidentUpdateSql());
  if (!update) return Fail(update.error());
  auto changed = writer_->Prepare(kChangedRowSql);
  if (!changed) return Fail(changed.error());
  auto queue_old = writer_->Prepare(kQueueOldTextSql);
  if (!queue_old) return Fail(queue_old.error());
  auto queue_row = writer_->Prepare(kQueueRowSql);
  if (!queue_row) return Fail(queue_row.error());
  IncidentScratch scratch;
  LicenceRefs licences(*writer_);
  auto alerts = sqlite::AlertMatcher::Load(*writer_);
  if (!alerts) return Fail(alerts.error());
  constexpr int kNowIndex = static_cast<int>(kIncidentContent.size()) + 1;
  std::int64_t written = 0;
  for (const model::Incident& inc : incidents) {
    if (upsert_fault_after_ >= 0 && written == upsert_fault_after_) {
      return Fail(ErrorCode::kInternal,
                  "injected fault after " + std::to_string(written) + " rows");
    }
    ++written;
    auto licence_ref = licences.Get(inc.licence);
    if (!licence_ref) return Fail(licence_ref.error());
    scratch.licence_ref = *licence_ref;
    Scope scope(*stmt);
    BindIncidentContent(*stmt, inc, scratch);
    scratch.digest = model::ContentDigest(inc);
    BindText(*stmt, kNowIndex, now);
    BindText(*stmt, kNowIndex + 1, scratch.digest);
    BindMarking(*stmt, kNowIndex + 2, inc.marking, scratch.dist_users, scratch.dist_orgs);
    int rc = sqlite3_step(*stmt);
    if (rc != SQLITE_DONE) return Fail(writer_->LastError(rc, "insert incident " + scratch.id));
    if (sqlite3_changes(writer_->handle()) == 1) {
      ++summary.inserted;
      if (!alerts->empty()) alerts->Match(inc, scratch.id);
      continue;
    }
    // The id exists: update it unless the digest says nothing changed.
    std::int64_t row = 0;
    {
      Scope changed_scope(*changed);
      BindText(*changed, 1, scratch.id);
      BindText(*changed, 2, scratch.digest);
      rc = sqlite3_step(*changed);
      if (rc == SQLITE_DONE) {
        ++summary.unchanged;
        continue;
      }
      if (rc != SQLITE_ROW) return Fail(writer_->LastError(rc, "read incident " + scratch.id));
      row = sqlite3_column_int64(*changed, 0);
    }
    if (row <= indexed_up_to) {  // a row inserted by this call is indexed at the end
      for (sqlite3_stmt* queue : {*queue_old, *queue_row}) {
        Scope queue_scope(queue);
        BindInt(queue, 1, row);
        if (auto r = StepDone(*writer_, queue, "queue incident text " + scratch.id); !r) {
          return Fail(r.error());
        }
      }
    }
    Scope update_scope(*update);
    BindIncidentContent(*update, inc, scratch);
    BindText(*update, kNowIndex, now);
    BindText(*update, kNowIndex + 1, scratch.digest);
    rc = sqlite3_step(*update);
    if (rc != SQLITE_DONE) return Fail(writer_->LastError(rc, "update incident " + scratch.id));
    ++summary.updated;
  }
  if (summary.inserted > 0) {
    auto index = writer_->Prepare(kIndexInsertedSql);
    if (!index) return Fail(index.error());
    Scope index_scope(*index);
    BindInt(*index, 1, indexed_up_to);
    if (auto r = StepDone(*writer_, *index, "index inserted incidents"); !r) return Fail(r.error());
  }
  if (summary.updated > 0) {
    if (auto r = writer_->Exec(sqlite::FlushFtsQueueSql()); !r) return Fail(r.error());
  }
  if (auto r = alerts->Write(*writer_, now); !r) return Fail(r.error());
  return summary;
}

Result<std::optional<model::Marking>> SqliteStore::MarkingLocked(const std::string& key) {
  auto stmt =
      writer_->Prepare(std::string("SELECT ") + kMarkingColumns + " FROM incidents WHERE id = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, key);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return std::optional<model::Marking>();
  if (rc != SQLITE_ROW) return Fail(writer_->LastError(rc, "read marking of " + key));
  auto m = ReadMarking(*stmt, 0);
  if (!m) return Fail(m.error());
  return std::optional<model::Marking>(std::move(*m));
}

Result<std::vector<std::string>> SqliteStore::CancelPendingRequestsLocked(const std::string& key,
                                                                          const std::string& now) {
  std::vector<std::string> ids;
  {
    auto pending = writer_->Prepare(
        "SELECT id FROM marking_requests WHERE object = ? AND status = 'pending' ORDER BY id");
    if (!pending) return Fail(pending.error());
    Scope scope(*pending);
    BindText(*pending, 1, key);
    int rc;
    while ((rc = sqlite3_step(*pending)) == SQLITE_ROW) ids.push_back(ColumnText(*pending, 0));
    if (rc != SQLITE_DONE) return Fail(writer_->LastError(rc, "pending requests of " + key));
  }
  if (ids.empty()) return ids;
  auto cancel = writer_->Prepare(
      "UPDATE marking_requests SET status = 'cancelled', decided = ? "
      "WHERE object = ? AND status = 'pending'");
  if (!cancel) return Fail(cancel.error());
  Scope scope(*cancel);
  BindText(*cancel, 1, now);
  BindText(*cancel, 2, key);
  if (auto r = StepDone(*writer_, *cancel, "cancel requests of " + key); !r) return Fail(r.error());
  return ids;
}

Result<std::vector<std::string>> SqliteStore::WriteMarkingLocked(const std::string& key,
                                                                 const model::Marking& marking,
                                                                 const std::string& now) {
  auto stmt = writer_->Prepare(
      "UPDATE incidents SET tlp = ?1, author = ?2, author_org = ?3, dist_users = ?4, "
      "dist_orgs = ?5, dist_trust_group = ?6, modified = ?7, version = version + 1 WHERE id = ?8");
  if (!stmt) return Fail(stmt.error());
  {
    Scope scope(*stmt);
    std::string users, orgs;
    BindMarking(*stmt, 1, marking, users, orgs);
    BindText(*stmt, 7, now);
    BindText(*stmt, 8, key);
    if (auto r = StepDone(*writer_, *stmt, "set marking of " + key); !r) return Fail(r.error());
    if (sqlite3_changes(writer_->handle()) == 0) {
      return Fail(ErrorCode::kNotFound, "no incident " + key);
    }
  }
  return CancelPendingRequestsLocked(key, now);
}

Result<std::vector<std::string>> SqliteStore::SetMarking(const Uuid& id,
                                                         const model::Marking& marking,
                                                         const model::Marking& expected) {
  const std::string now = NowTimestamp();
  const std::string key = id.str();
  std::lock_guard<std::mutex> lock(write_mu_);
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  auto current = MarkingLocked(key);
  if (!current) return Fail(current.error());
  if (!*current) return Fail(ErrorCode::kNotFound, "no incident " + key);
  if (**current != expected) {
    return Fail(ErrorCode::kConflict, "the marking of " + key + " changed meanwhile (now " +
                                          std::string(model::TlpName((*current)->tlp)) +
                                          "); decide again on the current marking");
  }
  auto cancelled = WriteMarkingLocked(key, marking, now);
  if (!cancelled) return cancelled;
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return cancelled;
}

Result<model::Incident> SqliteStore::GetIncident(const Viewer& viewer, const Uuid& id) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  sqlite::SqlWhere visible;
  sqlite::AppendVisibility(visible, viewer);
  auto stmt = (*conn)->Prepare("SELECT " + IncidentSelectList() + " FROM incidents WHERE id = ?" +
                               (visible.sql.empty() ? "" : " AND " + visible.sql));
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const std::string key = id.str();
  BindText(*stmt, 1, key);
  sqlite::BindArgs(*stmt, visible.args, 2);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return Fail(ErrorCode::kNotFound, "no incident " + key);
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "get incident " + key));
  return ReadIncident(*stmt);
}

namespace {

// How a page order reads in SQL: ORDER BY, and the keyset condition "after
// the cursor" with its placeholders (key, key, date, date, id for a keyed
// order; date, date, id otherwise). Deaths without a figure take `unknown`,
// which sorts them last in either direction.
struct PageOrderSql {
  std::string order_by;
  std::string after;
  bool keyed = false;
  std::int64_t unknown = 0;
};

PageOrderSql PageOrderSqlOf(IncidentOrder order) {
  // Written so that the index range (date_start <= ?) is plain to the planner.
  constexpr const char* kNewestAfter = "(date_start < ? OR (date_start = ? AND id > ?))";
  switch (order) {
    case IncidentOrder::kNewest:
      return {"date_start DESC, id ASC", "date_start <= ? AND (date_start < ? OR id > ?)"};
    case IncidentOrder::kOldest:
      return {"date_start ASC, id ASC", "date_start >= ? AND (date_start > ? OR id > ?)"};
    case IncidentOrder::kMostDeaths: {
      const std::string key = "COALESCE(killed, -1)";
      return {key + " DESC, date_start DESC, id ASC",
              "(" + key + " < ? OR (" + key + " = ? AND " + kNewestAfter + "))", true, -1};
    }
    case IncidentOrder::kFewestDeaths: {
      const std::string key = "COALESCE(killed, 2147483647)";
      return {key + " ASC, date_start DESC, id ASC",
              "(" + key + " > ? OR (" + key + " = ? AND " + kNewestAfter + "))", true, 2147483647};
    }
  }
  return {"date_start DESC, id ASC", "date_start <= ? AND (date_start < ? OR id > ?)"};
}

// The column an area filter compares, from the area's level in the store; either
// column for a P-code the store does not hold (it matches what it matched before).
Result<sqlite::AreaColumn> AreaColumnOf(Connection& conn, const model::IncidentFilter& filter) {
  if (!filter.area) return sqlite::AreaColumn::kEither;
  auto stmt = conn.Prepare("SELECT level FROM areas WHERE pcode = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, *filter.area);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return sqlite::AreaColumn::kEither;
  if (rc != SQLITE_ROW) return Fail(conn.LastError(rc, "read the level of area " + *filter.area));
  switch (sqlite3_column_int(*stmt, 0)) {
    case 1:
      return sqlite::AreaColumn::kAdmin1;
    case 2:
      return sqlite::AreaColumn::kAdmin2;
    default:
      return sqlite::AreaColumn::kEither;
  }
}

// The WHERE clause of a query that reads incident rows in page order.
Result<sqlite::SqlWhere> RowWhere(Connection& conn, const model::IncidentFilter& filter,
                                  const Viewer& viewer) {
  auto column = AreaColumnOf(conn, filter);
  if (!column) return Fail(column.error());
  return sqlite::BuildWhere(filter, viewer, *column);
}

// The WHERE clause of a count or sum: a province is read from the covering
// index (it holds a large share of the rows), a district by its own index.
Result<sqlite::SqlWhere> AggregateWhere(Connection& conn, const model::IncidentFilter& filter,
                                        const Viewer& viewer) {
  auto column = AreaColumnOf(conn, filter);
  if (!column) return Fail(column.error());
  if (*column == sqlite::AreaColumn::kAdmin1) column = sqlite::AreaColumn::kAdmin1Scanned;
  return sqlite::BuildWhere(filter, viewer, *column);
}

}  // namespace

Result<IncidentPage> SqliteStore::QueryIncidents(const Viewer& viewer,
                                                 const model::IncidentFilter& filter,
                                                 const PageRequest& page) const {
  if (page.limit < 1 || page.limit > kMaxPageLimit) {
    return Fail(ErrorCode::kInvalidArgument, "limit: must be between 1 and " +
                                                 std::to_string(kMaxPageLimit) + ", got " +
                                                 std::to_string(page.limit));
  }
  std::optional<CursorPosition> after;
  if (!page.cursor.empty()) {
    auto position = DecodeCursor(page.cursor, page.order);
    if (!position) return Fail(position.error());
    after = *position;
  }
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto where = RowWhere(**conn, filter, viewer);
  if (!where) return Fail(where.error());
  const PageOrderSql order = PageOrderSqlOf(page.order);
  std::string sql = "SELECT " + IncidentSelectList() + " FROM incidents WHERE " + where->sql;
  if (after) sql += " AND " + order.after;
  sql += " ORDER BY " + order.order_by + " LIMIT ?";
  auto stmt = (*conn)->Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  int i = sqlite::BindArgs(*stmt, where->args, 1);
  const std::string after_id = after ? after->id.str() : std::string();
  if (after && order.keyed) {
    sqlite3_bind_int64(*stmt, i++, after->key);
    sqlite3_bind_int64(*stmt, i++, after->key);
  }
  if (after) {
    BindInt(*stmt, i++, after->date_start);
    BindInt(*stmt, i++, after->date_start);
    BindText(*stmt, i++, after_id);
  }
  BindInt(*stmt, i++, page.limit + 1);  // one more tells whether a next page exists

  IncidentPage result;
  result.items.reserve(static_cast<std::size_t>(std::min(page.limit, 1000)));
  bool more = false;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "query incidents"));
    if (static_cast<int>(result.items.size()) == page.limit) {
      more = true;
      break;
    }
    auto inc = ReadIncident(*stmt);
    if (!inc) return Fail(inc.error());
    result.items.push_back(std::move(*inc));
  }
  if (more) {
    const model::Incident& last = result.items.back();
    result.next_cursor =
        EncodeCursor({page.order, order.keyed ? last.killed.value_or(order.unknown) : 0,
                      last.date_start.days(), last.id});
  }
  return result;
}

Result<std::int64_t> SqliteStore::CountIncidents(const Viewer& viewer,
                                                 const model::IncidentFilter& filter) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto where = AggregateWhere(**conn, filter, viewer);
  if (!where) return Fail(where.error());
  auto stmt = (*conn)->Prepare("SELECT count(*) FROM incidents WHERE " + where->sql);
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  sqlite::BindArgs(*stmt, where->args, 1);
  const int rc = sqlite3_step(*stmt);
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "count incidents"));
  return std::int64_t{sqlite3_column_int64(*stmt, 0)};
}

Result<std::vector<KeyCount>> SqliteStore::CountIncidentsBy(const Viewer& viewer,
                                                            const model::IncidentFilter& filter,
                                                            GroupBy by) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto where = AggregateWhere(**conn, filter, viewer);
  if (!where) return Fail(where.error());
  auto stmt = (*conn)->Prepare(std::string("SELECT ") + sqlite::GroupKeySql(by) +
                               " AS k, count(*) FROM incidents WHERE " + where->sql +
                               " GROUP BY k ORDER BY k");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  sqlite::BindArgs(*stmt, where->args, 1);
  std::vector<KeyCount> out;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "count incidents by key"));
    out.push_back(KeyCount{ColumnText(*stmt, 0), sqlite3_column_int64(*stmt, 1)});
  }
  return out;
}

Result<std::vector<GridCategoryCount>> SqliteStore::AggregateIncidents(
    const Viewer& viewer, const model::IncidentFilter& filter, double cell_deg) const {
  if (!(cell_deg >= 0.01 && cell_deg <= 10)) {
    return Fail(ErrorCode::kInvalidArgument, "cell: expected degrees from 0.01 to 10");
  }
  if (filter.near) {
    return Fail(ErrorCode::kInvalidArgument, "near: not supported by grid aggregation");
  }
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto where = AggregateWhere(**conn, filter, viewer);
  if (!where) return Fail(where.error());
  // The rows are read from the covering index incidents_agg and summed here
  // in a hash map: SQLite's GROUP BY sorted every incident in a temporary
  // B-tree, most of the time of the web map's first request (issue 5).
  auto stmt = (*conn)->Prepare(
      "SELECT latitude, longitude, category, killed FROM incidents"
      " WHERE latitude IS NOT NULL AND longitude IS NOT NULL AND (" +
      where->sql + ")");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  sqlite::BindArgs(*stmt, where->args, 1);
  struct Sum {
    std::int64_t count = 0, killed = 0;
    double lat = 0, lon = 0;
  };
  std::vector<std::string> categories;  // a dozen at most: a linear search
  std::unordered_map<std::uint64_t, Sum> sums;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "aggregate incidents on a grid"));
    const double lat = sqlite3_column_double(*stmt, 0);
    const double lon = sqlite3_column_double(*stmt, 1);
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(*stmt, 2));
    const std::string_view category(text ? text : "",
                                    static_cast<std::size_t>(sqlite3_column_bytes(*stmt, 2)));
    std::size_t k = 0;
    while (k < categories.size() && categories[k] != category) ++k;
    if (k == categories.size()) categories.emplace_back(category);
    // latitude + 90 and longitude + 180 are never negative: truncation is floor.
    const auto row = static_cast<std::uint64_t>(static_cast<std::int32_t>((lat + 90) / cell_deg));
    const auto col = static_cast<std::uint64_t>(static_cast<std::int32_t>((lon + 180) / cell_deg));
    Sum& sum = sums[(row << 40) | (col << 16) | k];
    ++sum.count;
    sum.killed += sqlite3_column_int64(*stmt, 3);  // NULL reads as 0
    sum.lat += lat;
    sum.lon += lon;
  }
  std::vector<GridCategoryCount> out;
  out.reserve(sums.size());
  for (const auto& [key, sum] : sums) {
    GridCategoryCount g;
    g.row = static_cast<std::int32_t>(key >> 40);
    g.col = static_cast<std::int32_t>((key >> 16) & 0xffffff);
    g.category = categories[key & 0xffff];
    g.count = sum.count;
    g.killed = sum.killed;
    g.mean_lat = sum.lat / static_cast<double>(sum.count);
    g.mean_lon = sum.lon / static_cast<double>(sum.count);
    out.push_back(std::move(g));
  }
  std::sort(out.begin(), out.end(), [](const GridCategoryCount& a, const GridCategoryCount& b) {
    return std::tie(a.row, a.col, a.category) < std::tie(b.row, b.col, b.category);
  });
  return out;
}

Result<std::vector<MonthTotal>> SqliteStore::MonthlyTotals(
    const Viewer& viewer, const model::IncidentFilter& filter) const {
  if (filter.near) {
    return Fail(ErrorCode::kInvalidArgument, "near: not supported by monthly totals");
  }
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto where = AggregateWhere(**conn, filter, viewer);
  if (!where) return Fail(where.error());
  // Grouped by day (an integer, read from the covering index incidents_agg)
  // and folded into months here: strftime on every row cost several times the
  // scan itself.
  auto stmt = (*conn)->Prepare(
      "SELECT date_start, count(*), coalesce(sum(killed), 0) FROM incidents WHERE " + where->sql +
      " GROUP BY date_start ORDER BY date_start");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  sqlite::BindArgs(*stmt, where->args, 1);
  std::vector<MonthTotal> out;
  int last_year = 0, last_month = 0;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "monthly totals"));
    const Date day(static_cast<std::int32_t>(sqlite3_column_int64(*stmt, 0)));
    const int y = day.year(), m = day.month();
    if (out.empty() || y != last_year || m != last_month) {
      out.push_back(MonthTotal{day.iso().substr(0, 7), 0, 0});
      last_year = y;
      last_month = m;
    }
    out.back().count += sqlite3_column_int64(*stmt, 1);
    out.back().killed += sqlite3_column_int64(*stmt, 2);
  }
  return out;
}

Result<void> SqliteStore::ForEachIncident(
    const Viewer& viewer, const model::IncidentFilter& filter,
    const std::function<bool(const model::Incident&)>& fn) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto where = RowWhere(**conn, filter, viewer);
  if (!where) return Fail(where.error());
  auto stmt = (*conn)->Prepare("SELECT " + IncidentSelectList() + " FROM incidents WHERE " +
                               where->sql + " ORDER BY date_start DESC, id ASC");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  sqlite::BindArgs(*stmt, where->args, 1);
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "stream incidents"));
    auto inc = ReadIncident(*stmt);
    if (!inc) return Fail(inc.error());
    if (!fn(*inc)) break;
  }
  return {};
}

Result<std::int64_t> SqliteStore::UpdateAssignments(std::span<const Assignment> assignments) {
  if (assignments.empty()) return std::int64_t{0};
  const std::string now = NowTimestamp();
  std::lock_guard<std::mutex> lock(write_mu_);
  auto select = writer_->Prepare("SELECT " + IncidentSelectList() + " FROM incidents WHERE id = ?");
  if (!select) return Fail(select.error());
  auto update = writer_->Prepare(
      "UPDATE incidents SET admin1 = ?1, admin2 = ?2, admin_method = ?3, modified = ?4, "
      "version = version + 1, digest = ?5 WHERE id = ?6");
  if (!update) return Fail(update.error());
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  std::int64_t changed = 0;
  for (const Assignment& a : assignments) {
    const std::string key = a.id.str();
    model::Incident inc;
    {
      Scope scope(*select);
      BindText(*select, 1, key);
      const int rc = sqlite3_step(*select);
      if (rc == SQLITE_DONE) continue;  // not in the store: nothing to assign
      if (rc != SQLITE_ROW) return Fail(writer_->LastError(rc, "read incident " + key));
      auto read = ReadIncident(*select);
      if (!read) return Fail(read.error());
      inc = std::move(*read);
    }
    if (inc.admin1 == a.admin1 && inc.admin2 == a.admin2 && inc.admin_method == a.method) continue;
    inc.admin1 = a.admin1;
    inc.admin2 = a.admin2;
    inc.admin_method = a.method;
    const std::string digest = model::ContentDigest(inc);
    Scope scope(*update);
    BindText(*update, 1, inc.admin1);
    BindText(*update, 2, inc.admin2);
    BindText(*update, 3, model::AssignMethodName(inc.admin_method));
    BindText(*update, 4, now);
    BindText(*update, 5, digest);
    BindText(*update, 6, key);
    if (auto r = StepDone(*writer_, *update, "assign incident " + key); !r) return Fail(r.error());
    ++changed;
  }
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return changed;
}

Result<void> SqliteStore::BeginBulkLoad() {
  std::lock_guard<std::mutex> lock(write_mu_);
  if (bulk_lock_) return Fail(ErrorCode::kConflict, "a bulk load is already in progress");
  auto bulk = std::make_unique<BulkLoadLock>(path_);
  if (!bulk->acquired()) {
    return Fail(ErrorCode::kConflict, "another process is bulk-loading " + path_);
  }
  if (auto r = writer_->Exec(sqlite::DropIncidentIndexesSql()); !r) return r;
  bulk_lock_ = std::move(bulk);
  return {};
}

Result<void> SqliteStore::EndBulkLoad() {
  std::lock_guard<std::mutex> lock(write_mu_);
  const ImportCache import_cache(*writer_);
  auto r = writer_->Exec(sqlite::CreateIncidentIndexesSql());
  if (r) bulk_lock_.reset();  // on failure keep the lock: the indexes are still missing
  return r;
}

Result<std::int64_t> SqliteStore::IncidentCount() const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  // max(rowid) is O(log n) and an upper bound; the exact count is what load
  // planning wants, and count(*) on the smallest index is fast enough.
  auto n = (*conn)->QueryInt("SELECT count(*) FROM incidents");
  if (!n) return Fail(n.error());
  return n->value_or(0);
}

Result<std::optional<Date>> SqliteStore::LatestIncidentDate(const Viewer& viewer) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  sqlite::SqlWhere visible;
  sqlite::AppendVisibility(visible, viewer);
  auto stmt = (*conn)->Prepare("SELECT max(date_end) FROM incidents WHERE revoked = 0" +
                               (visible.sql.empty() ? std::string() : " AND " + visible.sql));
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  sqlite::BindArgs(*stmt, visible.args, 1);
  const int rc = sqlite3_step(*stmt);
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "latest incident date"));
  if (sqlite3_column_type(*stmt, 0) == SQLITE_NULL) return std::optional<Date>();
  return std::optional<Date>(Date(static_cast<std::int32_t>(sqlite3_column_int64(*stmt, 0))));
}

// ---- areas

Result<void> SqliteStore::ReplaceAreas(int level, std::span<const model::Area> areas) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto del = writer_->Prepare("DELETE FROM areas WHERE level = ?");
  if (!del) return Fail(del.error());
  auto insert = writer_->Prepare(
      std::string("INSERT INTO areas (") + kAreaColumns +
      ", min_lon, min_lat, max_lon, max_lat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  {
    Scope scope(*del);
    BindInt(*del, 1, level);
    if (auto r = StepDone(*writer_, *del, "delete areas"); !r) return Fail(r.error());
  }
  for (const model::Area& a : areas) {
    if (a.level != level) {
      return Fail(ErrorCode::kInvalidArgument, "area " + a.pcode + ": level " +
                                                   std::to_string(a.level) + " given for level " +
                                                   std::to_string(level));
    }
    auto extent = GeometryExtent(a.geometry, "area " + a.pcode);
    if (!extent) return Fail(extent.error());
    const std::string alt = model::StringsToJson(a.alt_names);
    Scope scope(*insert);
    BindInt(*insert, 1, a.level);
    BindText(*insert, 2, a.pcode);
    BindText(*insert, 3, a.name);
    BindText(*insert, 4, alt);
    BindText(*insert, 5, a.parent_pcode);
    BindText(*insert, 6, a.geometry);
    BindText(*insert, 7, a.source);
    BindText(*insert, 8, a.licence.id);
    BindInt(*insert, 9, a.licence.redistribution ? 1 : 0);
    BindText(*insert, 10, a.licence.attribution);
    if (!extent->empty()) {
      BindDouble(*insert, 11, extent->min_lon);
      BindDouble(*insert, 12, extent->min_lat);
      BindDouble(*insert, 13, extent->max_lon);
      BindDouble(*insert, 14, extent->max_lat);
    }
    if (auto r = StepDone(*writer_, *insert, "insert area " + a.pcode); !r) {
      Error error = r.error();
      if (error.code == ErrorCode::kConflict) error.code = ErrorCode::kInvalidArgument;
      return Fail(std::move(error));
    }
  }
  return txn.Commit();
}

Result<std::vector<model::Area>> SqliteStore::ListAreas(std::optional<int> level,
                                                        bool with_geometry) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  std::string sql = std::string("SELECT ") +
                    (with_geometry ? kAreaColumns : kAreaColumnsNoGeometry) + " FROM areas";
  if (level) sql += " WHERE level = ?";
  sql += " ORDER BY level, pcode";
  auto stmt = (*conn)->Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  if (level) BindInt(*stmt, 1, *level);
  std::vector<model::Area> out;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "list areas"));
    auto area = ReadArea(*stmt);
    if (!area) return Fail(area.error());
    out.push_back(std::move(*area));
  }
  return out;
}

Result<model::Area> SqliteStore::GetArea(const std::string& pcode) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt =
      (*conn)->Prepare(std::string("SELECT ") + kAreaColumns + " FROM areas WHERE pcode = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, pcode);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return Fail(ErrorCode::kNotFound, "no area " + pcode);
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "get area " + pcode));
  return ReadArea(*stmt);
}

// ---- sites

Result<UpsertSummary> SqliteStore::UpsertSites(std::span<const model::Site> sites) {
  if (sites.empty()) return UpsertSummary{};
  const std::string now = NowTimestamp();
  std::lock_guard<std::mutex> lock(write_mu_);
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  auto summary = UpsertSitesLocked(sites, now);
  if (!summary) return summary;
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return summary;
}

Result<UpsertSummary> SqliteStore::UpsertSitesLocked(std::span<const model::Site> sites,
                                                     const std::string& now) {
  UpsertSummary summary;
  // A retired site upserted again is current again (superseded_by = ''),
  // even when its content did not change.
  auto stmt = writer_->Prepare(
      std::string("INSERT INTO sites (") + kSiteColumns +
      ", created, modified, version, digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
      "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?25, 1, ?26) "
      "ON CONFLICT (id) DO UPDATE SET name = excluded.name, sector = excluded.sector, "
      "status = excluded.status, amount_usd = excluded.amount_usd, "
      "commitment_year = excluded.commitment_year, start_year = excluded.start_year, "
      "completion_year = excluded.completion_year, funding_agencies = excluded.funding_agencies, "
      "receiving_agencies = excluded.receiving_agencies, "
      "implementing_agencies = excluded.implementing_agencies, geometry = excluded.geometry, "
      "latitude = excluded.latitude, longitude = excluded.longitude, admin1 = excluded.admin1, "
      "admin2 = excluded.admin2, dataset = excluded.dataset, "
      "dataset_version = excluded.dataset_version, source_id = excluded.source_id, "
      "source_file = excluded.source_file, source_line = excluded.source_line, "
      "licence_id = excluded.licence_id, "
      "licence_redistribution = excluded.licence_redistribution, "
      "licence_attribution = excluded.licence_attribution, modified = excluded.modified, "
      "version = sites.version + 1, digest = excluded.digest, superseded_by = '' "
      "WHERE sites.digest <> excluded.digest OR sites.superseded_by <> '' RETURNING version");
  if (!stmt) return Fail(stmt.error());
  for (const model::Site& site : sites) {
    const std::string id = site.id.str();
    const std::string funding = model::StringsToJson(site.funding_agencies);
    const std::string receiving = model::StringsToJson(site.receiving_agencies);
    const std::string implementing = model::StringsToJson(site.implementing_agencies);
    const std::string digest = SiteDigest(site);
    Scope scope(*stmt);
    int i = 1;
    BindText(*stmt, i++, id);
    BindText(*stmt, i++, site.name);
    BindText(*stmt, i++, site.sector);
    BindText(*stmt, i++, site.status);
    BindOptDouble(*stmt, i++, site.amount_usd);
    BindOptInt(*stmt, i++, site.commitment_year);
    BindOptInt(*stmt, i++, site.start_year);
    BindOptInt(*stmt, i++, site.completion_year);
    BindText(*stmt, i++, funding);
    BindText(*stmt, i++, receiving);
    BindText(*stmt, i++, implementing);
    BindText(*stmt, i++, site.geometry);
    BindDouble(*stmt, i++, site.latitude);
    BindDouble(*stmt, i++, site.longitude);
    BindText(*stmt, i++, site.admin1);
    BindText(*stmt, i++, site.admin2);
    BindText(*stmt, i++, site.provenance.dataset);
    BindText(*stmt, i++, site.provenance.dataset_version);
    BindText(*stmt, i++, site.provenance.source_id);
    BindText(*stmt, i++, site.provenance.file);
    BindInt(*stmt, i++, site.provenance.line);
    BindText(*stmt, i++, site.licence.id);
    BindInt(*stmt, i++, site.licence.redistribution ? 1 : 0);
    BindText(*stmt, i++, site.licence.attribution);
    BindText(*stmt, i++, now);
    BindText(*stmt, i++, digest);
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_ROW) {
      if (sqlite3_column_int(*stmt, 0) == 1) {
        ++summary.inserted;
      } else {
        ++summary.updated;
      }
    } else if (rc == SQLITE_DONE) {
      ++summary.unchanged;
    } else {
      return Fail(writer_->LastError(rc, "upsert site " + id));
    }
  }
  return summary;
}

Result<ReplaceSitesSummary> SqliteStore::ReplaceSites(std::string_view dataset,
                                                      std::span<const model::Site> sites) {
  // Every new site's members (the source ids it took over), checked first.
  std::map<std::string, std::string> successor_of;  // member source_id -> new site id
  std::set<std::string> ids;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const model::Site& site = sites[i];
    const std::string at = "sites[" + std::to_string(i) + "] (" + site.id.str() + ")";
    if (site.provenance.dataset != dataset) {
      return Fail(ErrorCode::kInvalidArgument, at + ": dataset '" + site.provenance.dataset +
                                                   "' is not '" + std::string(dataset) + "'");
    }
    if (!ids.insert(site.id.str()).second) {
      return Fail(ErrorCode::kInvalidArgument, at + ": the id is given twice");
    }
    std::string_view members = site.provenance.source_id;
    while (!members.empty()) {
      const std::size_t comma = members.find(',');
      const std::string_view member = members.substr(0, comma);
      if (!member.empty()) successor_of.emplace(std::string(member), site.id.str());
      members = comma == std::string_view::npos ? std::string_view{} : members.substr(comma + 1);
    }
  }
  const std::string now = NowTimestamp();
  std::lock_guard<std::mutex> lock(write_mu_);
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  ReplaceSitesSummary summary;
  auto upserted = UpsertSitesLocked(sites, now);
  if (!upserted) return Fail(upserted.error());
  summary.upserted = *upserted;

  // The current sites of the dataset that are not among the new ones.
  std::vector<std::pair<std::string, std::string>> retiring;  // (id, source_id)
  {
    auto stmt = writer_->Prepare(
        "SELECT id, source_id FROM sites WHERE dataset = ? AND superseded_by = '' ORDER BY id");
    if (!stmt) return Fail(stmt.error());
    Scope scope(*stmt);
    const std::string name(dataset);
    BindText(*stmt, 1, name);
    for (;;) {
      const int rc = sqlite3_step(*stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Fail(writer_->LastError(rc, "list the dataset's sites"));
      std::string id = ColumnText(*stmt, 0);
      if (!ids.contains(id)) retiring.emplace_back(std::move(id), ColumnText(*stmt, 1));
    }
  }
  auto retire = writer_->Prepare(
      "UPDATE sites SET superseded_by = ?2, modified = ?3, version = version + 1 WHERE id = ?1");
  // A subscription moves; when the user already follows the successor the two
  // merge, keeping the wider radius (no alert the user had is lost). An alert
  // moves unless the user has one for the incident on the successor (the
  // duplicate is dropped).
  auto move_subs = writer_->Prepare(
      "INSERT INTO site_subscriptions (username, site, radius_m, created) "
      "SELECT username, ?2, radius_m, created FROM site_subscriptions WHERE site = ?1 "
      "ON CONFLICT (username, site) DO UPDATE SET radius_m = MAX(radius_m, excluded.radius_m)");
  auto drop_subs = writer_->Prepare("DELETE FROM site_subscriptions WHERE site = ?1");
  auto move_alerts = writer_->Prepare("UPDATE OR IGNORE alerts SET site = ?2 WHERE site = ?1");
  auto drop_alerts = writer_->Prepare("DELETE FROM alerts WHERE site = ?1");  // duplicates left
  if (!retire) return Fail(retire.error());
  if (!move_subs) return Fail(move_subs.error());
  if (!drop_subs) return Fail(drop_subs.error());
  if (!move_alerts) return Fail(move_alerts.error());
  if (!drop_alerts) return Fail(drop_alerts.error());
  for (const auto& [id, source_id] : retiring) {
    const auto it = successor_of.find(source_id);
    const std::string successor = it == successor_of.end() ? kRetiredWithoutSuccessor : it->second;
    {
      Scope scope(*retire);
      BindText(*retire, 1, id);
      BindText(*retire, 2, successor);
      BindText(*retire, 3, now);
      if (auto r = StepDone(*writer_, *retire, "retire site " + id); !r) return Fail(r.error());
    }
    ++summary.retired;
    if (it == successor_of.end()) continue;
    ++summary.superseded;
    {
      Scope scope(*move_subs);
      BindText(*move_subs, 1, id);
      BindText(*move_subs, 2, successor);
      if (auto r = StepDone(*writer_, *move_subs, "move subscriptions of " + id); !r) {
        return Fail(r.error());
      }
      summary.subscriptions_moved += sqlite3_changes(writer_->handle());
    }
    for (sqlite3_stmt* s : {*drop_subs, *move_alerts, *drop_alerts}) {
      Scope scope(s);
      BindText(s, 1, id);
      if (s == *move_alerts) BindText(s, 2, successor);
      if (auto r = StepDone(*writer_, s, "move subscriptions and alerts of " + id); !r) {
        return Fail(r.error());
      }
    }
  }
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return summary;
}

Result<std::vector<model::Site>> SqliteStore::ListSites() const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(std::string("SELECT ") + kSiteColumns +
                               " FROM sites WHERE superseded_by = '' ORDER BY name, id");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  std::vector<model::Site> out;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "list sites"));
    auto site = ReadSite(*stmt);
    if (!site) return Fail(site.error());
    out.push_back(std::move(*site));
  }
  return out;
}

Result<model::Site> SqliteStore::GetSite(const Uuid& id) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(std::string("SELECT ") + kSiteColumns + " FROM sites WHERE id = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const std::string key = id.str();
  BindText(*stmt, 1, key);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return Fail(ErrorCode::kNotFound, "no site " + key);
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "get site " + key));
  return ReadSite(*stmt);
}

Result<std::optional<Uuid>> SqliteStore::SiteSuccessor(const Uuid& id) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare("SELECT superseded_by FROM sites WHERE id = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const std::string key = id.str();
  BindText(*stmt, 1, key);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return Fail(ErrorCode::kNotFound, "no site " + key);
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "get site " + key));
  const std::string successor = ColumnText(*stmt, 0);
  if (successor.empty() || successor == kRetiredWithoutSuccessor) return std::optional<Uuid>{};
  auto parsed = Uuid::Parse(successor);
  if (!parsed)
    return Fail(ErrorCode::kInternal, "stored successor of site " + key + " is not a UUID");
  return std::optional<Uuid>{*parsed};
}

// ---- imports

Result<void> SqliteStore::RecordImport(const ImportRun& run) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare(
      "INSERT INTO imports (dataset, file, sha256, rows, inserted, updated, unchanged, rejected, "
      "started, finished) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, run.dataset);
  BindText(*stmt, 2, run.file);
  BindText(*stmt, 3, run.sha256);
  BindInt(*stmt, 4, run.rows);
  BindInt(*stmt, 5, run.inserted);
  BindInt(*stmt, 6, run.updated);
  BindInt(*stmt, 7, run.unchanged);
  BindInt(*stmt, 8, run.rejected);
  BindText(*stmt, 9, run.started);
  BindText(*stmt, 10, run.finished);
  return StepDone(*writer_, *stmt, "record import");
}

Result<std::vector<ImportRun>> SqliteStore::ListImports() const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(
      "SELECT dataset, file, sha256, rows, inserted, updated, unchanged, rejected, started, "
      "finished FROM imports ORDER BY id");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  std::vector<ImportRun> out;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "list imports"));
    ImportRun run;
    run.dataset = ColumnText(*stmt, 0);
    run.file = ColumnText(*stmt, 1);
    run.sha256 = ColumnText(*stmt, 2);
    run.rows = sqlite3_column_int64(*stmt, 3);
    run.inserted = sqlite3_column_int64(*stmt, 4);
    run.updated = sqlite3_column_int64(*stmt, 5);
    run.unchanged = sqlite3_column_int64(*stmt, 6);
    run.rejected = sqlite3_column_int64(*stmt, 7);
    run.started = ColumnText(*stmt, 8);
    run.finished = ColumnText(*stmt, 9);
    out.push_back(std::move(run));
  }
  return out;
}

// ---- maintenance

Result<void> SqliteStore::Backup(const std::string& path) const {
  const std::string temp = path + ".tmp-backup";
  std::error_code ec;
  std::filesystem::remove(temp, ec);
  auto source = AcquireReader();
  if (!source) return Fail(source.error());
  Result<void> result;
  {
    auto dest = Connection::Open(temp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!dest) return Fail(ErrorCode::kUnavailable, "backup: " + dest.error().message);
    sqlite3_backup* backup =
        sqlite3_backup_init((*dest)->handle(), "main", (*source)->handle(), "main");
    if (backup == nullptr) {
      result = Fail((*dest)->LastError(sqlite3_errcode((*dest)->handle()), "backup init"));
    } else {
      // One step copies every page under one read transaction: a consistent
      // snapshot; writers carry on in the WAL meanwhile.
      const int rc = sqlite3_backup_step(backup, -1);
      const int frc = sqlite3_backup_finish(backup);
      if (rc != SQLITE_DONE) {
        result = Fail((*dest)->LastError(rc, "backup step"));
      } else if (frc != SQLITE_OK) {
        result = Fail((*dest)->LastError(frc, "backup finish"));
      } else {
        // A self-contained single file (no -wal needed to read it).
        result = (*dest)->Exec("PRAGMA journal_mode = DELETE");
      }
    }
  }
  if (result) {
    std::filesystem::rename(temp, path, ec);
    if (ec)
      result = Fail(ErrorCode::kUnavailable, "backup: rename to " + path + ": " + ec.message());
  }
  if (!result) {
    std::filesystem::remove(temp, ec);
    Error error = result.error();
    error.code = ErrorCode::kUnavailable;
    return Fail(std::move(error));
  }
  return {};
}

Result<void> SqliteStore::Restore(const std::string& path) {
  auto source = OpenForRestore(path);
  if (!source) return Fail(source.error());
  std::lock_guard<std::mutex> lock(write_mu_);
  writer_->ClearCache();
  sqlite3_backup* backup =
      sqlite3_backup_init(writer_->handle(), "main", (*source)->handle(), "main");
  if (backup == nullptr) {
    return Fail(writer_->LastError(sqlite3_errcode(writer_->handle()), "restore init"));
  }
  const int rc = sqlite3_backup_step(backup, -1);
  const int frc = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Fail(writer_->LastError(rc, "restore step"));
  if (frc != SQLITE_OK) return Fail(writer_->LastError(frc, "restore finish"));
  // The copied header may say rollback journal: switch back to WAL, then
  // bring an older backup's schema up to date.
  if (auto r = writer_->Exec("PRAGMA journal_mode = WAL"); !r) return Fail(r.error());
  auto version = sqlite::Migrate(*writer_);
  if (!version) return Fail(version.error());
  schema_version_ = *version;
  return {};
}

Result<std::string> SqliteStore::IntegrityCheck() const {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare("PRAGMA integrity_check");
  if (!stmt) return Fail(stmt.error());
  std::string out;
  {
    Scope scope(*stmt);
    for (;;) {
      const int rc = sqlite3_step(*stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Fail(writer_->LastError(rc, "integrity_check"));
      if (!out.empty()) out += '\n';
      out += ColumnText(*stmt, 0);
    }
  }
  // FTS5's own check: the text index matches the incidents table exactly.
  auto fts = writer_->Exec(
      "INSERT INTO incidents_fts (incidents_fts, rank) VALUES ('integrity-check', 1)");
  if (!fts) out += "\nincidents_fts: " + fts.error().message;
  auto queued = writer_->QueryInt(
      "SELECT (SELECT count(*) FROM incidents_fts_new) + (SELECT count(*) FROM incidents_fts_old)");
  if (!queued) return Fail(queued.error());
  if (queued->value_or(0) != 0) out += "\nincidents_fts queue not empty";
  return out;
}

// ---- partner sync: the change feed and a received page (the rest of the
// sync tables are in sqlite_sync.cc)

Result<std::vector<model::Incident>> SqliteStore::ListChanged(const std::string& after_modified,
                                                              const std::string& after_id,
                                                              int limit) const {
  if (limit < 1 || limit > kMaxPageLimit) {
    return Fail(ErrorCode::kInvalidArgument,
                "limit: must be between 1 and " + std::to_string(kMaxPageLimit));
  }
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare("SELECT " + IncidentSelectList() +
                               " FROM incidents WHERE (modified, id) > (?1, ?2) "
                               "ORDER BY modified, id LIMIT ?3");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, after_modified);
  BindText(*stmt, 2, after_id);
  BindInt(*stmt, 3, limit);
  std::vector<model::Incident> out;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "list changed incidents"));
    auto inc = ReadIncident(*stmt);
    if (!inc) return Fail(inc.error());
    out.push_back(std::move(*inc));
  }
  return out;
}

Result<UpsertSummary> SqliteStore::ApplyPartnerPage(const PartnerPage& page) {
  if (page.received.size() != page.incidents.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "a partner page needs one received record per incident");
  }
  if (page.assessments_received.size() != page.assessments.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "a partner page needs one received record per assessment");
  }
  const std::string now = NowTimestamp();
  std::lock_guard<std::mutex> lock(write_mu_);
  const TriggersOff triggers_off(writer_->handle());
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  UpsertSummary summary;
  if (!page.incidents.empty()) {
    auto upserted = UpsertLocked(page.incidents, now);
    if (!upserted) return upserted;
    summary = *upserted;
  }
  // The originator's marking applies to the copy held here (a re-import
  // never changes a marking; a partner's tightening must).
  auto marking = writer_->Prepare(
      "UPDATE incidents SET tlp = ?1, author = ?2, author_org = ?3, dist_users = ?4, "
      "dist_orgs = ?5, dist_trust_group = ?6, modified = ?7, version = version + 1 "
      "WHERE id = ?8 AND NOT (tlp = ?1 AND author = ?2 AND author_org = ?3 AND dist_users = ?4 "
      "AND dist_orgs = ?5 AND dist_trust_group = ?6)");
  if (!marking) return Fail(marking.error());
  auto received = writer_->Prepare(
      "INSERT OR REPLACE INTO sync_received (object, partner, org, trust_group, remote_modified, "
      "object_json, received) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!received) return Fail(received.error());
  auto record_received = [&](const std::string& key, const ReceivedRecord& rec) {
    Scope scope(*received);
    BindText(*received, 1, key);
    BindText(*received, 2, page.partner);
    BindText(*received, 3, rec.org);
    BindText(*received, 4, rec.trust_group);
    BindText(*received, 5, rec.remote_modified);
    BindText(*received, 6, rec.object_json);
    BindText(*received, 7, rec.received.empty() ? now : rec.received);
    return StepDone(*writer_, *received, "record received " + key);
  };
  for (std::size_t i = 0; i < page.incidents.size(); ++i) {
    const model::Incident& inc = page.incidents[i];
    const std::string key = inc.id.str();
    {
      Scope scope(*marking);
      std::string users, orgs;
      BindMarking(*marking, 1, inc.marking, users, orgs);
      BindText(*marking, 7, now);
      BindText(*marking, 8, key);
      if (auto r = StepDone(*writer_, *marking, "set marking of " + key); !r)
        return Fail(r.error());
      const bool moved = sqlite3_changes(writer_->handle()) > 0;
      if (moved && summary.unchanged > 0) {
        --summary.unchanged;
        ++summary.updated;
      }
      // A marking that moved voids every request made against the old one.
      if (moved) {
        if (auto c = CancelPendingRequestsLocked(key, now); !c) return Fail(c.error());
      }
    }
    if (auto r = record_received(key, page.received[i]); !r) return Fail(r.error());
  }
  for (std::size_t i = 0; i < page.assessments.size(); ++i) {
    const model::Assessment& a = page.assessments[i];
    const std::string key = a.id.str();
    if (auto r = PutAssessmentLocked(a); !r) return Fail(r.error());
    if (auto r = record_received(key, page.assessments_received[i]); !r) return Fail(r.error());
  }
  if (!page.move_cursor) {
    if (auto r = txn.Commit(); !r) return Fail(r.error());
    return summary;
  }
  auto cursor = writer_->Prepare(
      "UPDATE sync_partners SET cursor_added = ?1, cursor_next = ?2, "
      "last_sync = CASE WHEN ?3 THEN ?4 ELSE last_sync END WHERE name = ?5");
  if (!cursor) return Fail(cursor.error());
  Scope scope(*cursor);
  BindText(*cursor, 1, page.cursor_added);
  BindText(*cursor, 2, page.cursor_next);
  BindInt(*cursor, 3, page.finished ? 1 : 0);
  BindText(*cursor, 4, now);
  BindText(*cursor, 5, page.partner);
  if (auto r = StepDone(*writer_, *cursor, "move the cursor of " + page.partner); !r) {
    return Fail(r.error());
  }
  if (sqlite3_changes(writer_->handle()) == 0) {
    return Fail(ErrorCode::kNotFound, "no partner " + page.partner);
  }
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return summary;
}

}  // namespace corridor::store
