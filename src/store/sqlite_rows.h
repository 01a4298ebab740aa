// Rows of the SQLite store's `incidents` table, shared by the files that read
// and write them (sqlite_incident_reads.cc, sqlite_incident_writes.cc,
// sqlite_partner_feed.cc, sqlite_store.cc): the column order, the statements,
// binding and reading, and the write-side scopes (triggers off, import cache,
// licence refs). Internal to src/store/.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/incident.h"
#include "store/sqlite_db.h"

namespace corridor::store::rows {

using sqlite::BindInt;
using sqlite::BindText;
using sqlite::Connection;
using sqlite::Scope;
using sqlite::StepDone;

inline constexpr int kMaxPageLimit = 100'000;  // the GeoJSON route's largest page

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

// The content columns with licence_ref expanded into the licence's three
// fields (from the small `licences` table), then created, modified, version.
const std::string& IncidentSelectList();

// Upsert in two statements: a plain insert that does nothing on a known id,
// then, only when it did nothing, an update guarded by the digest. Cheaper than
// one INSERT ... ON CONFLICT DO UPDATE ... RETURNING, whose RETURNING clause
// materialises a result table per row. Both bind ?1..?N content, ?N+1 now,
// ?N+2 digest; the insert also binds the marking at ?N+3..?N+8 (an update
// never changes a marking).
const std::string& IncidentInsertSql();

const std::string& IncidentUpdateSql();

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

void BindIncidentContent(sqlite3_stmt* s, const model::Incident& inc, IncidentScratch& scratch);

// Binds the marking columns (kMarkingColumns order) from index `first`.
void BindMarking(sqlite3_stmt* s, int first, const model::Marking& m, std::string& users,
                 std::string& orgs);

Result<model::Marking> ReadMarking(sqlite3_stmt* s, int first);

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

Result<std::vector<std::string>> ReadStrings(sqlite3_stmt* s, int col);

Result<model::Incident> ReadIncident(sqlite3_stmt* s);

}  // namespace corridor::store::rows
