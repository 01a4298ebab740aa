#include "store/sqlite_schema.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace corridor::store::sqlite {
namespace {

struct Migration {
  int version;
  const char* sql;
};

// Append only: never edit a migration that has shipped; add a new one.
const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, R"sql(
CREATE TABLE incidents (
  id                     TEXT PRIMARY KEY NOT NULL,
  dataset                TEXT NOT NULL,
  dataset_version        TEXT NOT NULL,
  source_id              TEXT NOT NULL,
  source_file            TEXT NOT NULL,
  source_line            INTEGER NOT NULL,
  date_start             INTEGER NOT NULL,
  date_end               INTEGER NOT NULL,
  date_precision         TEXT NOT NULL,
  latitude               REAL,
  longitude              REAL,
  location_precision     TEXT NOT NULL,
  location               TEXT NOT NULL,
  country                TEXT NOT NULL,
  admin1                 TEXT NOT NULL,
  admin2                 TEXT NOT NULL,
  admin_method           TEXT NOT NULL,
  source_admin1          TEXT NOT NULL,
  source_admin2          TEXT NOT NULL,
  category               TEXT NOT NULL,
  source_type            TEXT NOT NULL,
  violence_type          INTEGER NOT NULL,
  target_types           TEXT NOT NULL,
  target_nationalities   TEXT NOT NULL,
  parties                TEXT NOT NULL,
  perpetrators           TEXT NOT NULL,
  killed                 INTEGER,
  killed_low             INTEGER,
  killed_high            INTEGER,
  wounded                INTEGER,
  hostages               INTEGER,
  property_damage        INTEGER,
  headline               TEXT NOT NULL,
  description            TEXT NOT NULL,
  licence_id             TEXT NOT NULL,
  licence_redistribution INTEGER NOT NULL,
  licence_attribution    TEXT NOT NULL,
  revoked                INTEGER NOT NULL,
  created                TEXT NOT NULL,
  modified               TEXT NOT NULL,
  version                INTEGER NOT NULL,
  digest                 TEXT NOT NULL
);
CREATE INDEX incidents_page ON incidents (date_start DESC, id);
CREATE INDEX incidents_admin1 ON incidents (admin1);
CREATE INDEX incidents_admin2 ON incidents (admin2);
CREATE INDEX incidents_latlon ON incidents (latitude, longitude);

CREATE VIRTUAL TABLE incidents_fts USING fts5(
  headline, description, content='incidents', content_rowid='rowid',
  tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER incidents_fts_insert AFTER INSERT ON incidents BEGIN
  INSERT INTO incidents_fts (rowid, headline, description)
  VALUES (new.rowid, new.headline, new.description);
END;
CREATE TRIGGER incidents_fts_delete AFTER DELETE ON incidents BEGIN
  INSERT INTO incidents_fts (incidents_fts, rowid, headline, description)
  VALUES ('delete', old.rowid, old.headline, old.description);
END;
CREATE TRIGGER incidents_fts_update AFTER UPDATE OF headline, description ON incidents BEGIN
  INSERT INTO incidents_fts (incidents_fts, rowid, headline, description)
  VALUES ('delete', old.rowid, old.headline, old.description);
  INSERT INTO incidents_fts (rowid, headline, description)
  VALUES (new.rowid, new.headline, new.description);
END;

CREATE TABLE areas (
  pcode                  TEXT PRIMARY KEY NOT NULL,
  level                  INTEGER NOT NULL,
  name                   TEXT NOT NULL,
  alt_names              TEXT NOT NULL,
  parent_pcode           TEXT NOT NULL,
  geometry               TEXT NOT NULL,
  source                 TEXT NOT NULL,
  licence_id             TEXT NOT NULL,
  licence_redistribution INTEGER NOT NULL,
  licence_attribution    TEXT NOT NULL,
  min_lon                REAL,
  min_lat                REAL,
  max_lon                REAL,
  max_lat                REAL
);
CREATE INDEX areas_level ON areas (level, pcode);

CREATE TABLE sites (
  id                     TEXT PRIMARY KEY NOT NULL,
  name                   TEXT NOT NULL,
  sector                 TEXT NOT NULL,
  status                 TEXT NOT NULL,
  amount_usd             REAL,
  commitment_year        INTEGER,
  start_year             INTEGER,
  completion_year        INTEGER,
  funding_agencies       TEXT NOT NULL,
  receiving_agencies     TEXT NOT NULL,
  implementing_agencies  TEXT NOT NULL,
  geometry               TEXT NOT NULL,
  latitude               REAL NOT NULL,
  longitude              REAL NOT NULL,
  admin1                 TEXT NOT NULL,
  admin2                 TEXT NOT NULL,
  dataset                TEXT NOT NULL,
  dataset_version        TEXT NOT NULL,
  source_id              TEXT NOT NULL,
  source_file            TEXT NOT NULL,
  source_line            INTEGER NOT NULL,
  licence_id             TEXT NOT NULL,
  licence_redistribution INTEGER NOT NULL,
  licence_attribution    TEXT NOT NULL,
  created                TEXT NOT NULL,
  modified               TEXT NOT NULL,
  version                INTEGER NOT NULL,
  digest                 TEXT NOT NULL
);

CREATE TABLE imports (
  id        INTEGER PRIMARY KEY AUTOINCREMENT,
  dataset   TEXT NOT NULL,
  file      TEXT NOT NULL,
  sha256    TEXT NOT NULL,
  rows      INTEGER NOT NULL,
  inserted  INTEGER NOT NULL,
  updated   INTEGER NOT NULL,
  unchanged INTEGER NOT NULL,
  rejected  INTEGER NOT NULL,
  started   TEXT NOT NULL,
  finished  TEXT NOT NULL
);

CREATE TABLE schema_migrations (
  version    INTEGER PRIMARY KEY NOT NULL,
  applied_at TEXT NOT NULL
);
)sql"},
      // Per-row FTS5 maintenance made every upsert statement flush FTS5's
      // pending terms (a virtual-table savepoint per statement): 5x slower
      // bulk imports. Triggers now queue the changed rowids in two plain
      // tables, and the store applies the queue to the FTS index with two
      // set-based statements before each commit (FlushFtsQueueSql()).
      {2, R"sql(
DROP TRIGGER incidents_fts_insert;
DROP TRIGGER incidents_fts_update;
CREATE TABLE incidents_fts_new (
  row INTEGER PRIMARY KEY NOT NULL
);
CREATE TABLE incidents_fts_old (
  row         INTEGER PRIMARY KEY NOT NULL,
  headline    TEXT NOT NULL,
  description TEXT NOT NULL
);
CREATE TRIGGER incidents_fts_insert AFTER INSERT ON incidents BEGIN
  INSERT INTO incidents_fts_new (row) SELECT new.rowid
  WHERE NOT EXISTS (SELECT 1 FROM incidents_fts_new WHERE row = new.rowid);
END;
CREATE TRIGGER incidents_fts_update AFTER UPDATE OF headline, description ON incidents BEGIN
  INSERT INTO incidents_fts_old (row, headline, description)
  SELECT old.rowid, old.headline, old.description
  WHERE NOT EXISTS (SELECT 1 FROM incidents_fts_new WHERE row = old.rowid)
    AND NOT EXISTS (SELECT 1 FROM incidents_fts_old WHERE row = old.rowid);
  INSERT INTO incidents_fts_new (row) SELECT new.rowid
  WHERE NOT EXISTS (SELECT 1 FROM incidents_fts_new WHERE row = new.rowid);
END;
)sql"},
      // Every incident carried its dataset's licence text (about 180 bytes of
      // attribution per row, a quarter of the row): licences are now rows of
      // their own, referenced by incidents.licence_ref.
      {3, R"sql(
CREATE TABLE licences (
  ref            INTEGER PRIMARY KEY,
  licence_id     TEXT NOT NULL,
  redistribution INTEGER NOT NULL,
  attribution    TEXT NOT NULL,
  UNIQUE (licence_id, redistribution, attribution)
);
INSERT OR IGNORE INTO licences (licence_id, redistribution, attribution)
  SELECT DISTINCT licence_id, licence_redistribution, licence_attribution FROM incidents;
ALTER TABLE incidents ADD COLUMN licence_ref INTEGER NOT NULL DEFAULT 0;
UPDATE incidents SET licence_ref = (
  SELECT ref FROM licences l WHERE l.licence_id = incidents.licence_id
    AND l.redistribution = incidents.licence_redistribution
    AND l.attribution = incidents.licence_attribution);
ALTER TABLE incidents DROP COLUMN licence_id;
ALTER TABLE incidents DROP COLUMN licence_redistribution;
ALTER TABLE incidents DROP COLUMN licence_attribution;
)sql"},
      // The security model (issue 3, docs/security.md): each incident's TLP
      // 2.0 marking (tlp 0 CLEAR .. 4 RED, the order of model::Tlp) with its
      // author and distribution, and the tables of organisations, users,
      // tokens, sessions, marking requests and the hash-chained audit log.
      // Incidents imported before this migration are public data: CLEAR.
      {4, R"sql(
ALTER TABLE incidents ADD COLUMN tlp INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN author_org TEXT NOT NULL DEFAULT '';
ALTER TABLE incidents ADD COLUMN dist_users TEXT NOT NULL DEFAULT '[]';
ALTER TABLE incidents ADD COLUMN dist_orgs TEXT NOT NULL DEFAULT '[]';
ALTER TABLE incidents ADD COLUMN dist_trust_group TEXT NOT NULL DEFAULT '';
CREATE TABLE organisations (
  name         TEXT PRIMARY KEY NOT NULL,
  trust_groups TEXT NOT NULL,
  own          INTEGER NOT NULL,
  created      TEXT NOT NULL
);
CREATE TABLE users (
  username       TEXT PRIMARY KEY NOT NULL,
  org            TEXT NOT NULL REFERENCES organisations (name),
  roles          TEXT NOT NULL,
  password_hash  TEXT NOT NULL,
  totp_sealed    TEXT NOT NULL,
  totp_last_step INTEGER NOT NULL,
  disabled       INTEGER NOT NULL,
  created        TEXT NOT NULL
);
CREATE TABLE api_tokens (
  id       TEXT PRIMARY KEY NOT NULL,
  username TEXT NOT NULL REFERENCES users (username),
  digest   TEXT NOT NULL UNIQUE,
  label    TEXT NOT NULL,
  created  TEXT NOT NULL,
  revoked  TEXT NOT NULL
);
CREATE TABLE sessions (
  digest     TEXT PRIMARY KEY NOT NULL,
  username   TEXT NOT NULL REFERENCES users (username),
  csrf_token TEXT NOT NULL,
  mfa        INTEGER NOT NULL,
  created    TEXT NOT NULL,
  last_seen  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (username);
CREATE TABLE marking_requests (
  id        TEXT PRIMARY KEY NOT NULL,
  object    TEXT NOT NULL,
  from_json TEXT NOT NULL,
  to_json   TEXT NOT NULL,
  requester TEXT NOT NULL,
  requested TEXT NOT NULL,
  status    TEXT NOT NULL,
  approver  TEXT NOT NULL,
  decided   TEXT NOT NULL
);
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY NOT NULL,
  time      TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  objects   TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE TABLE audit_checkpoints (
  count      INTEGER PRIMARY KEY NOT NULL,
  head_hash  TEXT NOT NULL,
  time       TEXT NOT NULL,
  public_key TEXT NOT NULL,
  signature  TEXT NOT NULL
);
)sql"},
      // Site alerts (issue 4 section 5, docs/security.md "Alerts"): site-security
      // users' subscriptions to sites with an alert radius, and the alerts the
      // incident upsert records in its own transaction.
      {5, R"sql(
CREATE TABLE site_subscriptions (
  username TEXT NOT NULL REFERENCES users (username),
  site     TEXT NOT NULL REFERENCES sites (id),
  radius_m REAL NOT NULL,
  created  TEXT NOT NULL,
  PRIMARY KEY (username, site)
);
CREATE TABLE alerts (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  username   TEXT NOT NULL,
  site       TEXT NOT NULL,
  incident   TEXT NOT NULL,
  distance_m REAL NOT NULL,
  created    TEXT NOT NULL,
  read_at    TEXT NOT NULL,
  UNIQUE (username, site, incident)
);
CREATE INDEX alerts_user ON alerts (username, read_at, id);
)sql"},
      // Cross-border sharing, part A (issue 6, docs/stix.md): analysts'
      // assessments, marked and distributed like incidents (the same column
      // names, so the one visibility rule of sqlite_query.cc applies), and the
      // version of every STIX object imported, for the upsert-by-modified rule
      // and the record of what came from whom.
      {6, R"sql(
CREATE TABLE assessments (
  id               TEXT PRIMARY KEY NOT NULL,
  title            TEXT NOT NULL,
  body             TEXT NOT NULL,
  incidents        TEXT NOT NULL,
  areas            TEXT NOT NULL,
  sites            TEXT NOT NULL,
  tlp              INTEGER NOT NULL,
  author           TEXT NOT NULL,
  author_org       TEXT NOT NULL,
  dist_users       TEXT NOT NULL,
  dist_orgs        TEXT NOT NULL,
  dist_trust_group TEXT NOT NULL,
  created          TEXT NOT NULL,
  modified         TEXT NOT NULL,
  revoked          INTEGER NOT NULL,
  version          INTEGER NOT NULL
);
CREATE INDEX assessments_modified ON assessments (modified DESC, id);
CREATE TABLE stix_objects (
  id         TEXT PRIMARY KEY NOT NULL,
  type       TEXT NOT NULL,
  modified   TEXT NOT NULL,
  revoked    INTEGER NOT NULL,
  originator TEXT NOT NULL,
  key_id     TEXT NOT NULL,
  source     TEXT NOT NULL,
  received   TEXT NOT NULL
);
)sql"},
      // Partner sync over TAXII 2.1 (issue 6, docs/sync_protocol.md): the
      // change feed's index, the partners this instance pulls from with their
      // cursors, what came from whom, and the sent-to ledger that revocations
      // and tightenings are sent along. (Migration 6 is issue 6 part A's.)
      {7, R"sql(
CREATE INDEX incidents_feed ON incidents (modified, id);
CREATE TABLE sync_partners (
  name         TEXT PRIMARY KEY NOT NULL,
  org          TEXT NOT NULL,
  base_url     TEXT NOT NULL,
  api_root     TEXT NOT NULL,
  collection   TEXT NOT NULL,
  token_sealed TEXT NOT NULL,
  public_key   TEXT NOT NULL,
  trust_group  TEXT NOT NULL,
  cursor_added TEXT NOT NULL,
  cursor_next  TEXT NOT NULL,
  last_sync    TEXT NOT NULL,
  created      TEXT NOT NULL
);
CREATE TABLE sync_received (
  object          TEXT PRIMARY KEY NOT NULL,
  partner         TEXT NOT NULL,
  org             TEXT NOT NULL,
  trust_group     TEXT NOT NULL,
  remote_modified TEXT NOT NULL,
  object_json     TEXT NOT NULL,
  received        TEXT NOT NULL
);
CREATE TABLE sync_sent (
  object    TEXT NOT NULL,
  org       TEXT NOT NULL,
  modified  TEXT NOT NULL,
  tombstone INTEGER NOT NULL,
  sent      TEXT NOT NULL,
  seq       INTEGER PRIMARY KEY AUTOINCREMENT
);
CREATE INDEX sync_sent_object ON sync_sent (object, org, seq);
)sql"},
      // The web application's first view (issue 5). The map's aggregates read
      // a covering index of the columns the grid, the monthly totals, the
      // filters and the visibility rule use: their full scans read ~80 bytes
      // per incident instead of the ~1 KB row (100,000 incidents, sqlite3
      // alone: grid 320 -> 115 ms, months 240 -> 35 ms, max(date_end) 85 ->
      // 9 ms), and date ranges become index searches.
      {8, R"sql(
CREATE INDEX incidents_agg ON incidents (date_start, date_end, latitude, longitude, category,
  killed, tlp, revoked, admin1, admin2, dataset, author_org, dist_trust_group, author, dist_orgs,
  dist_users);
-- The area list without geometry (the web application's first request): its
-- columns after "geometry" made every read walk the 12 MB of boundary text.
CREATE INDEX areas_list ON areas (level, pcode, name, alt_names, parent_pcode, source, licence_id,
  licence_redistribution, licence_attribution);
)sql"},
      // Issue 6: a partner's rotated keys, fetched from its TAXII server and
      // accepted when they chain to the pinned key (docs/sync_protocol.md).
      {9, R"sql(
ALTER TABLE sync_partners ADD COLUMN keys TEXT NOT NULL DEFAULT '';
)sql"},
      // Text search in the corridor's three languages (issue 17 item 1; WAVE2
      // "Text search"): unicode61 kept a run of Chinese as one token (奎达
      // never found 奎达发生爆炸) and told ي from ی and ك from ک. The index
      // is rebuilt with the tokenizer "corridor" (sqlite_functions.h), which
      // every connection of the store registers.
      {10, R"sql(
DROP TABLE incidents_fts;
CREATE VIRTUAL TABLE incidents_fts USING fts5(
  headline, description, content='incidents', content_rowid='rowid', tokenize='corridor');
INSERT INTO incidents_fts (incidents_fts) VALUES ('rebuild');
)sql"},
      // The incident table sorted by deaths (issue 17 item 8): the orders of
      // QueryIncidents, key for key, so a page is an index walk, not a sort
      // of every visible row (100,000 incidents, `corridor query --sort
      // deaths_desc --limit 25`: 1.07 -> 0.10 s, as fast as the date order).
      {11, R"sql(
CREATE INDEX incidents_deaths_desc ON incidents (COALESCE(killed, -1) DESC, date_start DESC, id);
CREATE INDEX incidents_deaths_asc ON incidents (COALESCE(killed, 2147483647), date_start DESC, id);
)sql"},
      // Sites are the physical projects (issue 17 item 3): AidData's financing
      // records, one site each until now, are retired in favour of the project
      // that groups them (Store::ReplaceSites), and stay readable for the
      // assessments that link them.
      {12, R"sql(
ALTER TABLE sites ADD COLUMN superseded_by TEXT NOT NULL DEFAULT '';
)sql"},
      // A page of one area (issue 18 §2): the area's incidents in page order,
      // so `area=PK5&to=…&limit=100` walks about 100 entries of the index
      // instead of reading and sorting every incident of the province (the
      // API's filtered page: 4,556 rows read and sorted for 100 shown).
      {13, R"sql(
DROP INDEX incidents_admin1;
DROP INDEX incidents_admin2;
CREATE INDEX incidents_admin1 ON incidents (admin1, date_start DESC, id);
CREATE INDEX incidents_admin2 ON incidents (admin2, date_start DESC, id);
)sql"},
      // One event, several sources (issue 17 item 11, docs/links.md): a
      // record whose event an analyst confirmed in another source's record
      // is counted in that one; the filters leave it out of every figure
      // across sources, so the covering index carries the column.
      {14, R"sql(
ALTER TABLE incidents ADD COLUMN counted_in TEXT NOT NULL DEFAULT '';
DROP INDEX incidents_agg;
CREATE INDEX incidents_agg ON incidents (date_start, date_end, latitude, longitude, category,
  killed, tlp, revoked, counted_in, admin1, admin2, dataset, author_org, dist_trust_group, author,
  dist_orgs, dist_users);
)sql"},
  };
  return kMigrations;
}

}  // namespace

int LatestSchemaVersion() { return Migrations().back().version; }

std::vector<int> MigrationVersions() {
  std::vector<int> out;
  for (const Migration& m : Migrations()) out.push_back(m.version);
  return out;
}

const char* FlushFtsQueueSql() {
  return "INSERT INTO incidents_fts (incidents_fts, rowid, headline, description) "
         "SELECT 'delete', row, headline, description FROM incidents_fts_old ORDER BY row;"
         "INSERT INTO incidents_fts (rowid, headline, description) "
         "SELECT i.rowid, i.headline, i.description FROM incidents_fts_new n "
         "JOIN incidents i ON i.rowid = n.row ORDER BY n.row;"
         "DELETE FROM incidents_fts_old;"
         "DELETE FROM incidents_fts_new;";
}

const std::vector<IndexDef>& IncidentIndexes() {
  // Keep in step with the indexes the migrations create (docs/schema.md);
  // StoreSchemaTest.IncidentIndexListMatchesTheMigratedSchema fails otherwise.
  static const std::vector<IndexDef> kIndexes = {
      {"incidents_page", "(date_start DESC, id)"},
      {"incidents_admin1", "(admin1, date_start DESC, id)"},
      {"incidents_admin2", "(admin2, date_start DESC, id)"},
      {"incidents_latlon", "(latitude, longitude)"},
      {"incidents_feed", "(modified, id)"},
      {"incidents_agg",
       "(date_start, date_end, latitude, longitude, category, killed, tlp, revoked, counted_in, "
       "admin1, admin2, dataset, author_org, dist_trust_group, author, dist_orgs, dist_users)"},
      {"incidents_deaths_desc", "(COALESCE(killed, -1) DESC, date_start DESC, id)"},
      {"incidents_deaths_asc", "(COALESCE(killed, 2147483647), date_start DESC, id)"},
  };
  return kIndexes;
}

std::string DropIncidentIndexesSql() {
  std::string sql;
  for (const auto& i : IncidentIndexes())
    sql += std::string("DROP INDEX IF EXISTS ") + i.name + ";";
  return sql;
}

std::string CreateIncidentIndexesSql() {
  std::string sql;
  for (const auto& i : IncidentIndexes()) {
    sql += std::string("CREATE INDEX IF NOT EXISTS ") + i.name + " ON incidents " + i.columns + ";";
  }
  return sql;
}

Result<std::vector<std::string>> MissingIncidentIndexes(Connection& conn) {
  auto stmt = conn.Prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'incidents'");
  if (!stmt) return Fail(stmt.error());
  std::set<std::string> present;
  {
    Scope scope(*stmt);
    int rc;
    while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) present.insert(ColumnText(*stmt, 0));
    if (rc != SQLITE_DONE) return Fail(conn.LastError(rc, "list incident indexes"));
  }
  std::vector<std::string> missing;
  for (const auto& i : IncidentIndexes()) {
    if (!present.count(i.name)) missing.emplace_back(i.name);
  }
  return missing;
}

Result<int> CheckCorridorDatabase(Connection& conn) {
  // The first read of the header fails with SQLITE_NOTADB for a non-database file.
  auto app_id = conn.QueryInt("PRAGMA application_id");
  if (!app_id) {
    Error error = app_id.error();
    if (error.code != ErrorCode::kUnavailable) {
      error.code = ErrorCode::kInvalidArgument;
      error.message = "not a Corridor store (" + error.message + ")";
    }
    return Fail(std::move(error));
  }
  auto user_version = conn.QueryInt("PRAGMA user_version");
  if (!user_version) return Fail(user_version.error());
  auto objects = conn.QueryInt("SELECT count(*) FROM sqlite_schema");
  if (!objects) return Fail(objects.error());
  const std::int64_t id = app_id->value_or(0);
  const std::int64_t version = user_version->value_or(0);
  if (id == 0 && version == 0 && objects->value_or(0) == 0) return 0;  // a new, empty file
  if (id == kPublicApplicationId) {
    return Fail(ErrorCode::kInvalidArgument,
                "this is a public-side store; the security side never opens it (the two sides "
                "never share a store)");
  }
  if (id != kApplicationId) {
    return Fail(ErrorCode::kInvalidArgument,
                "not a Corridor store: the SQLite database belongs to another application "
                "(application_id " +
                    std::to_string(id) + ")");
  }
  if (version > LatestSchemaVersion()) {
    return Fail(ErrorCode::kInvalidArgument, "Corridor store schema version " +
                                                 std::to_string(version) +
                                                 " is newer than this build supports (" +
                                                 std::to_string(LatestSchemaVersion()) + ")");
  }
  if (version < 1) {
    return Fail(ErrorCode::kInvalidArgument, "Corridor store without a schema version");
  }
  return static_cast<int>(version);
}

Result<int> Migrate(Connection& conn, int target) {
  for (const Migration& m : Migrations()) {
    if (m.version > target) break;
    if (auto r = conn.Exec("BEGIN IMMEDIATE"); !r) return Fail(r.error());
    auto current = conn.QueryInt("PRAGMA user_version");
    if (!current) {
      (void)conn.Exec("ROLLBACK");
      return Fail(current.error());
    }
    const std::string v = std::to_string(m.version);
    // Applied when recorded: a store at version 7 still gets a migration 6
    // that was merged after it was made (numbers reserved by parallel work).
    bool applied = false;
    if (current->value_or(0) > 0) {
      auto recorded = conn.QueryInt("SELECT count(*) FROM schema_migrations WHERE version = " + v);
      if (!recorded) {
        (void)conn.Exec("ROLLBACK");
        return Fail(recorded.error());
      }
      applied = recorded->value_or(0) > 0;
    }
    if (applied) {
      if (auto r = conn.Exec("COMMIT"); !r) return Fail(r.error());
      continue;
    }
    const std::string user_version =
        std::to_string(std::max<std::int64_t>(current->value_or(0), m.version));
    auto r = conn.Exec(
        std::string(m.sql) + ";\nINSERT INTO schema_migrations (version, applied_at) VALUES (" + v +
        ", strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));\nPRAGMA application_id = " +
        std::to_string(kApplicationId) + ";\nPRAGMA user_version = " + user_version + ";");
    if (!r) {
      (void)conn.Exec("ROLLBACK");
      Error error = r.error();
      error.message = "migration " + v + ": " + error.message;
      return Fail(std::move(error));
    }
    if (auto c = conn.Exec("COMMIT"); !c) {
      (void)conn.Exec("ROLLBACK");
      return Fail(c.error());
    }
  }
  auto version = conn.QueryInt("PRAGMA user_version");
  if (!version) return Fail(version.error());
  return static_cast<int>(version->value_or(0));
}

}  // namespace corridor::store::sqlite
