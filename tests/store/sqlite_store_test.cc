// The conformance suite on SQLite, plus what only SQLite has: the file
// format checks, migrations, online backup under load, crash consistency.
#include "store/sqlite_store.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "corridor/store/incident_links.h"
#include "store/sqlite_schema.h"
#include "store/store_conformance.h"

namespace corridor::store {
namespace {

using conformance::D;
using conformance::MakeIncident;

std::unique_ptr<Store> OpenSqlite(const std::string& dir) {
  auto store = OpenStore(dir + "/corridor.db");
  if (!store) {
    ADD_FAILURE() << store.error().message;
    return nullptr;
  }
  return std::move(*store);
}

}  // namespace

namespace conformance {
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
                         ::testing::Values(StoreBackend{"sqlite", &OpenSqlite}), StoreBackendName);
}  // namespace conformance

namespace {

std::unique_ptr<SqliteStore> MustOpen(const std::string& path) {
  auto store = SqliteStore::Open(path);
  if (!store) {
    ADD_FAILURE() << store.error().message;
    return nullptr;
  }
  return std::move(*store);
}

// Runs `sql` on `path` through a separate raw connection (to set up files
// the store must refuse, and to look at the file from outside).
std::string RawSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string out;
  char* error = nullptr;
  auto collect = [](void* arg, int n, char** values, char**) {
    auto* o = static_cast<std::string*>(arg);
    for (int i = 0; i < n; ++i) {
      if (!o->empty()) *o += '|';
      *o += values[i] ? values[i] : "NULL";
    }
    return 0;
  };
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), collect, &out, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
  return out;
}

std::vector<model::Incident> Batch(int b, int size) {
  std::vector<model::Incident> out;
  out.reserve(static_cast<std::size_t>(size));
  for (int i = 0; i < size; ++i) {
    const int n = b * size + i;
    auto inc = MakeIncident("crash" + std::to_string(n), D(2000, 1, 1 + n % 28));
    inc.latitude = 24.0 + (n % 1000) * 0.01;
    inc.longitude = 62.0 + (n % 700) * 0.015;
    inc.headline = "Batch " + std::to_string(b) + " attack " + std::to_string(n);
    out.push_back(std::move(inc));
  }
  return out;
}

TEST(SqliteStoreTest, NewFileIsMigratedToTheLatestSchemaOnce) {
  corridor::testing::TempDir dir;
  const std::string path = (dir / "c.db").string();
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->SchemaVersion(), sqlite::LatestSchemaVersion());
    ASSERT_TRUE(store->UpsertIncidents(std::vector{MakeIncident("1", D(2020, 1, 1))}));
  }
  EXPECT_EQ(RawSql(path, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(RawSql(path, "PRAGMA application_id"), std::to_string(sqlite::kApplicationId));
  EXPECT_EQ(RawSql(path, "PRAGMA user_version"), std::to_string(sqlite::LatestSchemaVersion()));
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(*store->CountIncidents(store::SystemViewer(), {}), 1);
    EXPECT_EQ(*store->IntegrityCheck(), "ok");
  }
  EXPECT_EQ(RawSql(path, "SELECT count(*) FROM schema_migrations"),
            std::to_string(sqlite::MigrationVersions().size()));
}

TEST(SqliteStoreTest, UpgradesAVersion1Store) {
  corridor::testing::TempDir dir;
  const std::string path = (dir / "v1.db").string();
  {
    auto conn = sqlite::Connection::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(conn.has_value());
    ASSERT_EQ(*sqlite::CheckCorridorDatabase(**conn), 0);
    auto v = sqlite::Migrate(**conn, 1);
    ASSERT_TRUE(v.has_value()) << v.error().message;
    EXPECT_EQ(*v, 1);
  }
  EXPECT_EQ(RawSql(path, "PRAGMA user_version"), "1");
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), sqlite::LatestSchemaVersion());
  auto inc = MakeIncident("1", D(2020, 1, 1));
  inc.headline = "upgraded";
  ASSERT_TRUE(store->UpsertIncidents(std::vector{inc}));
  model::IncidentFilter f;
  f.text = "upgraded";
  EXPECT_EQ(*store->CountIncidents(store::SystemViewer(), f), 1);
  EXPECT_EQ(*store->IntegrityCheck(), "ok");
  std::string all;
  for (int v : sqlite::MigrationVersions()) all += (all.empty() ? "" : ",") + std::to_string(v);
  EXPECT_EQ(RawSql(path, "SELECT group_concat(version) FROM schema_migrations"), all);
}

TEST(SqliteStoreTest, Version3MovesLicencesOutOfIncidentsKeepingThem) {
  corridor::testing::TempDir dir;
  const std::string path = (dir / "v2.db").string();
  {
    auto conn = sqlite::Connection::Open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(conn.has_value());
    ASSERT_EQ(*sqlite::CheckCorridorDatabase(**conn), 0);
    ASSERT_EQ(*sqlite::Migrate(**conn, 2), 2);
  }
  // Two incidents in the version-2 layout, with the licence in each row.
  const std::string id1 = RecordId("ucdp-ged", "1").str(), id2 = RecordId("gtd", "2").str();
  for (const auto& [id, lic, redist, attr] :
       {std::tuple{id1, "CC-BY-4.0", 1, "UCDP"}, std::tuple{id2, "GTD-terms", 0, "START"}}) {
    RawSql(path,
           "INSERT INTO incidents (id, dataset, dataset_version, source_id, source_file, "
           "source_line, date_start, date_end, date_precision, location_precision, location, "
           "country, admin1, admin2, admin_method, source_admin1, source_admin2, category, "
           "source_type, violence_type, target_types, target_nationalities, parties, "
           "perpetrators, headline, description, licence_id, licence_redistribution, "
           "licence_attribution, revoked, created, modified, version, digest) VALUES ('" +
               id +
               "', 'd', '', '1', 'f', 2, 100, 100, 'day', 'exact', '', 'PAK', '', '', "
               "'none', '', '', 'unknown', '', 0, '[]', '[]', '[]', '[]', 'h', 'd', '" +
               lic + "', " + std::to_string(redist) + ", '" + attr + "', 0, 't', 't', 1, 'x')");
  }
  RawSql(path, sqlite::FlushFtsQueueSql());  // as the store does before each commit
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(RawSql(path, "SELECT count(*) FROM licences"), "2");
  const auto a = store->GetIncident(store::SystemViewer(), *Uuid::Parse(id1));
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->licence, (model::Licence{"CC-BY-4.0", true, "UCDP"}));
  const auto b = store->GetIncident(store::SystemViewer(), *Uuid::Parse(id2));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->licence, (model::Licence{"GTD-terms", false, "START"}));
  EXPECT_EQ(*store->IntegrityCheck(), "ok");
  // Migration 10 rebuilt the text index of the rows already stored.
  model::IncidentFilter f;
  f.text = "H";
  EXPECT_EQ(*store->CountIncidents(store::SystemViewer(), f), 2);
}

TEST(SqliteStoreTest, TextSearchFindsUrduAndChineseAsTheyAreWritten) {
  corridor::testing::TempDir dir;
  auto store = MustOpen((dir / "t.db").string());
  ASSERT_NE(store, nullptr);
  auto urdu = MakeIncident("u", D(2020, 1, 1));
  urdu.headline = "کوئٹہ میں دھماکہ";  // blast in Quetta, as Urdu writes it
  auto chinese = MakeIncident("c", D(2020, 1, 2));
  chinese.headline = "瓜達爾港附近發生襲擊";  // traditional characters
  auto latin = MakeIncident("l", D(2020, 1, 3));
  latin.headline = "Attack near Islāmābād";
  ASSERT_TRUE(store->UpsertIncidents(std::vector{urdu, chinese, latin}));
  auto count = [&](const char* text) {
    model::IncidentFilter f;
    f.text = text;
    auto n = store->CountIncidents(store::SystemViewer(), f);
    EXPECT_TRUE(n.has_value()) << text << ": " << (n ? "" : n.error().message);
    return n ? *n : -1;
  };
  EXPECT_EQ(count("کوئٹہ"), 1);
  EXPECT_EQ(count("كوئٹه"), 1);        // Arabic kaf and heh, as an Arabic keyboard types
  EXPECT_EQ(count("瓜达尔港"), 1);     // simplified, inside a longer run
  EXPECT_EQ(count("袭击"), 1);         // the last two characters of the run
  EXPECT_EQ(count("瓜达尔 袭击"), 1);  // two words, both present
  EXPECT_EQ(count("瓜达尔 喀什"), 0);  // one absent
  EXPECT_EQ(count("达瓜"), 0);         // the characters, but not in this order
  EXPECT_EQ(count("islamabad ATTACK"), 1);
  EXPECT_EQ(count("\"quoted\" نہیں"), 0);  // quotes are text, never FTS syntax
  EXPECT_EQ(*store->IntegrityCheck(), "ok");
  // Updating the text moves the index with it.
  chinese.headline = "喀什";
  ASSERT_TRUE(store->UpsertIncidents(std::vector{chinese}));
  EXPECT_EQ(count("瓜达尔港"), 0);
  EXPECT_EQ(count("喀什"), 1);
}

TEST(SqliteStoreTest, IndexesDroppedByADeadBulkLoadComeBackOnOpen) {
  corridor::testing::TempDir dir;
  const std::string path = (dir.path() / "bulk.db").string();
  const std::string indexes =
      "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema WHERE type = 'index' "
      "AND tbl_name = 'incidents' AND name NOT LIKE 'sqlite_%' ORDER BY name)";
  {
    auto store = MustOpen(path);
    ASSERT_TRUE(store);
    EXPECT_EQ(RawSql(path, indexes),
              "incidents_admin1,incidents_admin2,incidents_agg,incidents_deaths_asc,"
              "incidents_deaths_desc,incidents_feed,incidents_latlon,incidents_page");
    ASSERT_TRUE(store->BeginBulkLoad());
    EXPECT_EQ(RawSql(path, indexes), "NULL");
    // The process "dies" here: no EndBulkLoad.
  }
  auto reopened = MustOpen(path);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(RawSql(path, indexes),
            "incidents_admin1,incidents_admin2,incidents_agg,incidents_deaths_asc,"
            "incidents_deaths_desc,incidents_feed,incidents_latlon,incidents_page");
}

// Issue 12 #11: after kill -9 at the end of a bulk load incidents_agg stayed
// missing, because the check at open counted five named indexes. Each index
// of the one list, missing alone, comes back on open; and the list is exactly
// the indexes the migrations give `incidents`.
TEST(SqliteStoreTest, AnyOneMissingIndexComesBackOnOpen) {
  corridor::testing::TempDir dir;
  const std::string path = (dir.path() / "one.db").string();
  const std::string indexes =
      "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema WHERE type = 'index' "
      "AND tbl_name = 'incidents' AND name NOT LIKE 'sqlite_%' ORDER BY name)";
  std::string all;
  {
    auto store = MustOpen(path);
    ASSERT_TRUE(store);
    all = RawSql(path, indexes);
  }
  std::vector<std::string> listed;
  for (const auto& i : sqlite::IncidentIndexes()) listed.emplace_back(i.name);
  std::sort(listed.begin(), listed.end());
  std::string joined;
  for (const auto& n : listed) joined += (joined.empty() ? "" : ",") + n;
  EXPECT_EQ(all, joined) << "sqlite::IncidentIndexes() differs from the migrated schema";
  for (const auto& i : sqlite::IncidentIndexes()) {
    RawSql(path, std::string("DROP INDEX ") + i.name);
    ASSERT_NE(RawSql(path, indexes), all) << i.name;
    {
      auto reopened = MustOpen(path);
      ASSERT_TRUE(reopened);
    }
    EXPECT_EQ(RawSql(path, indexes), all) << i.name << " did not come back";
  }
}

TEST(SqliteStoreTest, AnEmptyFileBecomesAStore) {
  corridor::testing::TempDir dir;
  corridor::testing::WriteFile(dir / "empty.db", "");
  auto store = OpenStore((dir / "empty.db").string());
  ASSERT_TRUE(store.has_value()) << store.error().message;
  EXPECT_EQ((*store)->SchemaVersion(), sqlite::LatestSchemaVersion());
}

TEST(SqliteStoreTest, RefusesFilesThatAreNotCorridorStores) {
  corridor::testing::TempDir dir;
  // Not SQLite at all.
  corridor::testing::WriteFile(dir / "text.db", std::string(8192, 'x'));
  // Another application's SQLite database.
  RawSql((dir / "other.db").string(),
         "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi')");
  // A Corridor store from a newer build.
  { ASSERT_NE(MustOpen((dir / "newer.db").string()), nullptr); }
  RawSql((dir / "newer.db").string(), "PRAGMA user_version = 999");
  // A foreign application id.
  RawSql((dir / "foreign.db").string(), "PRAGMA application_id = 1234; CREATE TABLE t (x)");

  struct Case {
    const char* file;
    const char* message_has;
  };
  for (const Case& c :
       {Case{"text.db", "not a Corridor store"}, Case{"other.db", "another application"},
        Case{"newer.db", "newer"}, Case{"foreign.db", "another application"}}) {
    SCOPED_TRACE(c.file);
    auto store = OpenStore((dir / c.file).string());
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(store.error().message.find(c.message_has), std::string::npos)
        << store.error().message;
  }
  // The refused files are left as they were.
  EXPECT_EQ(RawSql((dir / "other.db").string(), "SELECT body FROM notes"), "hi");
  EXPECT_EQ(corridor::testing::ReadFile(dir / "text.db"), std::string(8192, 'x'));

  auto prefixed = OpenStore("sqlite:" + (dir / "prefixed.db").string());
  ASSERT_TRUE(prefixed.has_value()) << prefixed.error().message;
  EXPECT_TRUE(std::filesystem::exists(dir / "prefixed.db"));
  auto missing_dir = OpenStore((dir / "no" / "such" / "dir.db").string());
  ASSERT_FALSE(missing_dir.has_value());
  EXPECT_EQ(missing_dir.error().code, ErrorCode::kUnavailable);
  // Restore refuses a newer store too.
  auto store = MustOpen((dir / "ok.db").string());
  ASSERT_NE(store, nullptr);
  auto restored = store->Restore((dir / "newer.db").string());
  ASSERT_FALSE(restored.has_value());
  EXPECT_EQ(restored.error().code, ErrorCode::kInvalidArgument);
  restored = store->Restore((dir / "other.db").string());
  ASSERT_FALSE(restored.has_value());
  EXPECT_EQ(restored.error().code, ErrorCode::kInvalidArgument);
}

TEST(SqliteStoreTest, FailedUpsertRollsBackTheWholeBatch) {
  corridor::testing::TempDir dir;
  auto store = MustOpen((dir / "c.db").string());
  ASSERT_NE(store, nullptr);
  auto first = Batch(0, 10);
  ASSERT_TRUE(store->UpsertIncidents(std::span(first).first(3)));
  for (auto& inc : first) inc.killed = 99;  // 3 updates + 7 inserts
  store->SetUpsertFaultForTesting(6);
  auto failed = store->UpsertIncidents(first);
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(*store->CountIncidents(store::SystemViewer(), {}), 3);
  for (int i = 0; i < 3; ++i) {
    auto inc = store->GetIncident(store::SystemViewer(), first[static_cast<std::size_t>(i)].id);
    ASSERT_TRUE(inc.has_value());
    EXPECT_EQ(inc->killed, 2);
    EXPECT_EQ(inc->version, 1);
  }
  model::IncidentFilter f;
  f.text = "attack";
  EXPECT_EQ(*store->CountIncidents(store::SystemViewer(), f), 3);
  store->SetUpsertFaultForTesting(-1);
  auto ok = store->UpsertIncidents(first);
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(ok->inserted, 7);
  EXPECT_EQ(ok->updated, 3);
  EXPECT_EQ(*store->IntegrityCheck(), "ok");
}

TEST(SqliteStoreTest, TextIndexFollowsRepeatedChangesInOneBatch) {
  corridor::testing::TempDir dir;
  auto store = MustOpen((dir / "c.db").string());
  ASSERT_NE(store, nullptr);
  auto a = MakeIncident("a", D(2020, 1, 1));
  a.headline = "alpha";
  auto b = MakeIncident("b", D(2020, 1, 1));
  b.headline = "bravo";
  ASSERT_TRUE(store->UpsertIncidents(std::vector{a}));
  // a updated twice, b inserted then updated, all in one batch.
  auto a2 = a, a3 = a, b2 = b;
  a2.headline = "charlie";
  a3.headline = "delta";
  b2.headline = "echo";
  auto r = store->UpsertIncidents(std::vector{a2, b, a3, b2});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->inserted, 1);
  EXPECT_EQ(r->updated, 3);
  EXPECT_EQ(*store->IntegrityCheck(), "ok");
  auto count = [&](const char* text) {
    model::IncidentFilter f;
    f.text = text;
    return *store->CountIncidents(store::SystemViewer(), f);
  };
  EXPECT_EQ(count("alpha"), 0);
  EXPECT_EQ(count("bravo"), 0);
  EXPECT_EQ(count("charlie"), 0);
  EXPECT_EQ(count("delta"), 1);
  EXPECT_EQ(count("echo"), 1);
  EXPECT_EQ(store->GetIncident(store::SystemViewer(), a.id)->version, 3);
  EXPECT_EQ(store->GetIncident(store::SystemViewer(), b.id)->version, 2);
}

// One event, several sources (docs/links.md): a confirmed link counts the
// other record in the kept one, in the link's transaction; figures across
// sources count the event once, figures of one dataset keep all its records,
// and a chain of confirmations ends in one record.
TEST(SqliteStoreTest, AConfirmedLinkCountsTheEventOnceAcrossSources) {
  testing::TempDir dir;
  auto store = MustOpen((dir / "corridor.db").string());
  ASSERT_NE(store, nullptr);
  auto ucdp = MakeIncident("u", D(2019, 3, 15));
  auto gtd = MakeIncident("g", D(2019, 3, 15));
  gtd.provenance.dataset = "gtd";
  auto acled = MakeIncident("a", D(2019, 3, 16));
  acled.provenance.dataset = "acled";
  ASSERT_TRUE(store->UpsertIncidents(std::vector<model::Incident>{ucdp, gtd, acled}));
  const Viewer all = SystemViewer();
  auto count = [&](std::optional<std::string> dataset, bool duplicates = false) {
    model::IncidentFilter f;
    f.dataset = std::move(dataset);
    f.include_duplicates = duplicates;
    auto n = store->CountIncidents(all, f);
    EXPECT_TRUE(n.has_value());
    return n.value_or(-1);
  };
  ASSERT_EQ(count(std::nullopt), 3);
  auto links = NewIncidentLinkStore();
  auto link = [&](const model::Incident& x, const model::Incident& y, const model::Incident& kept) {
    IncidentLink l;
    l.a = std::min(x.id.str(), y.id.str());
    l.b = std::max(x.id.str(), y.id.str());
    l.id = LinkId(l.a, l.b);
    l.score = 0.9;
    ASSERT_TRUE(InWriteTransaction(store->database(), [&](Transaction& tx) {
      return links->PutCandidates(tx, std::vector<IncidentLink>{l}, "t");
    }));
    auto decided = InWriteTransaction(store->database(), [&](Transaction& tx) {
      return links->Decide(tx, {l.id, "confirmed", kept.id.str(), "ayesha", "t", ""});
    });
    ASSERT_TRUE(decided.has_value() && *decided) << (decided ? "" : decided.error().message);
  };
  link(ucdp, gtd, ucdp);
  EXPECT_EQ(count(std::nullopt), 2);
  EXPECT_EQ(count("ucdp-ged"), 1);
  EXPECT_EQ(count("gtd"), 1);  // one dataset's own figures keep every record of it
  EXPECT_EQ(count(std::nullopt, true), 3);
  EXPECT_EQ(RawSql((dir / "corridor.db").string(),
                   "SELECT counted_in FROM incidents WHERE id = '" + gtd.id.str() + "'"),
            ucdp.id.str());
  // ACLED's record of the same event is kept over GTD's: the group (UCDP's and
  // GTD's) is counted in ACLED's, and the event still counts once.
  link(gtd, acled, acled);
  EXPECT_EQ(count(std::nullopt), 1);
  EXPECT_EQ(RawSql((dir / "corridor.db").string(),
                   "SELECT count(*) FROM incidents WHERE counted_in = '" + acled.id.str() + "'"),
            "2");
  // A re-import of the records changes nothing of it.
  ASSERT_TRUE(store->UpsertIncidents(std::vector<model::Incident>{ucdp, gtd, acled}));
  EXPECT_EQ(count(std::nullopt), 1);
}

TEST(SqliteStoreTest, BackupWhileWritingThenRestore) {
  corridor::testing::TempDir dir;
  auto store = MustOpen((dir / "live.db").string());
  ASSERT_NE(store, nullptr);
  constexpr int kBatchSize = 100;
  ASSERT_TRUE(store->UpsertIncidents(Batch(0, kBatchSize)));
  std::atomic<bool> stop{false};
  std::atomic<int> batches{1};
  std::atomic<int> errors{0};
  std::thread writer([&] {
    for (int b = 1; !stop && b < 200; ++b) {
      if (!store->UpsertIncidents(Batch(b, kBatchSize))) ++errors;
      batches = b + 1;
    }
  });
  std::thread reader([&] {
    while (!stop) {
      if (!store->QueryIncidents(store::SystemViewer(), {}, PageRequest{50, ""})) ++errors;
    }
  });
  while (batches < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::string backup = (dir / "backup.db").string();
  auto b = store->Backup(backup);
  ASSERT_TRUE(b.has_value()) << b.error().message;
  while (batches < 6) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  std::int64_t in_backup = 0;
  {
    auto copy = MustOpen((dir / "copy.db").string());
    ASSERT_NE(copy, nullptr);
    auto restored = copy->Restore(backup);  // a backup restores into any store
    ASSERT_TRUE(restored.has_value()) << restored.error().message;
    EXPECT_EQ(*copy->IntegrityCheck(), "ok");
    in_backup = *copy->CountIncidents(store::SystemViewer(), {});
  }
  EXPECT_GT(in_backup, 0);
  EXPECT_EQ(in_backup % kBatchSize, 0) << "the backup holds a partial transaction";
  EXPECT_FALSE(std::filesystem::exists(backup + ".tmp-backup"));

  // Restore into the live store while the reader keeps reading.
  stop = true;
  writer.join();
  auto restored = store->Restore(backup);
  ASSERT_TRUE(restored.has_value()) << restored.error().message;
  reader.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(*store->CountIncidents(store::SystemViewer(), {}), in_backup);
  EXPECT_EQ(*store->IntegrityCheck(), "ok");
  model::IncidentFilter f;
  f.text = "attack";
  EXPECT_EQ(*store->CountIncidents(store::SystemViewer(), f), in_backup);
  // A second handle on the same file sees the restored content.
  auto other = MustOpen((dir / "live.db").string());
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(*other->CountIncidents(store::SystemViewer(), {}), in_backup);
}

TEST(SqliteStoreTest, KillDuringImportLeavesAConsistentStore) {
  corridor::testing::TempDir dir;
  const std::string path = (dir / "crash.db").string();
  constexpr int kBatches = 20;
  constexpr int kBatchSize = 400;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    auto store = SqliteStore::Open(path);
    if (!store) _exit(2);
    for (int round = 0;; ++round) {  // loops until killed
      for (int b = 0; b < kBatches; ++b) {
        if (!(*store)->UpsertIncidents(Batch(b, kBatchSize))) _exit(3);
        const char one = 'b';
        if (write(fds[1], &one, 1) != 1) _exit(4);
      }
      if (round > 1000) _exit(5);
    }
  }
  close(fds[1]);
  char buffer[3];
  std::size_t got = 0;
  while (got < sizeof(buffer)) {
    const ssize_t n = read(fds[0], buffer + got, sizeof(buffer) - got);
    ASSERT_GT(n, 0) << "the child died before committing";
    got += static_cast<std::size_t>(n);
  }
  ASSERT_EQ(kill(child, SIGKILL), 0);  // mid-way through the next batch
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  close(fds[0]);

  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->IntegrityCheck(), "ok");
  const std::int64_t count = *store->CountIncidents(store::SystemViewer(), {});
  EXPECT_GE(count, 3 * kBatchSize);
  EXPECT_EQ(count % kBatchSize, 0);
  model::IncidentFilter f;
  f.text = "attack";
  EXPECT_EQ(*store->CountIncidents(store::SystemViewer(), f),
            count);  // the text index is as consistent

  UpsertSummary total;
  for (int b = 0; b < kBatches; ++b) {
    auto r = store->UpsertIncidents(Batch(b, kBatchSize));
    ASSERT_TRUE(r.has_value()) << r.error().message;
    total.inserted += r->inserted;
    total.updated += r->updated;
    total.unchanged += r->unchanged;
  }
  EXPECT_EQ(total.unchanged, count);
  EXPECT_EQ(total.updated, 0);
  EXPECT_EQ(total.inserted, std::int64_t{kBatches} * kBatchSize - count);
  EXPECT_EQ(*store->CountIncidents(store::SystemViewer(), {}), std::int64_t{kBatches} * kBatchSize);
}

}  // namespace
}  // namespace corridor::store
