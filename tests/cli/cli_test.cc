// Tests of the real `corridor` binary: exit codes, --help, formats, the real
// data end to end, malformed input, crash consistency (kill -9 during an
// import), backup while serving, then restore.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "testing/testing.h"

namespace corridor {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::RunCommand;

std::string Bin() { return (testing::BuildDir() / "corridor").string(); }
std::string Q(const fs::path& p) { return "'" + p.string() + "'"; }
std::string Ocha(int level) {
  return Q(testing::SharedPath("data/ocha-cod-ab-pakistan-2022/pak_admbnda_adm" +
                               std::to_string(level) + "_wfp_20220909.shp"));
}
std::string Ucdp() { return Q(testing::SharedPath("data/ucdp-ged-pakistan/pakistan.csv")); }

// A corridor command on the store `db`, run in `dir`.
testing::CommandResult Corridor(const fs::path& dir, const fs::path& db, const std::string& args) {
  return RunCommand("cd " + Q(dir) + " && " + Bin() + " --db " + Q(db) + " " + args);
}

TEST(CliTest, HelpOnEverySubcommand) {
  const auto top = RunCommand(Bin() + " --help");
  EXPECT_EQ(top.status, 0);
  for (const char* cmd : {"init", "areas", "ingest", "assets", "query", "stats", "serve", "backup",
                          "restore", "data"}) {
    EXPECT_NE(top.out.find(cmd), std::string::npos) << cmd;
  }
  for (const char* cmd : {"init", "areas load", "ingest", "assets import", "query", "stats",
                          "serve", "backup", "restore", "data fetch", "data verify"}) {
    SCOPED_TRACE(cmd);
    const auto r = RunCommand(Bin() + " " + cmd + " --help");
    EXPECT_EQ(r.status, 0);
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << r.out;
  }
}

TEST(CliTest, UsageErrorsExitTwo) {
  testing::TempDir dir;
  const fs::path db = dir / "u.db";
  struct Case {
    const char* args;
    const char* want_in_stderr;
  };
  const Case cases[] = {
      {"", "subcommand"},
      {"frobnicate", "frobnicate"},
      {"ingest "
       "/nonexistent.csv",
       "format"},
      {"ingest --format gdelt /etc/hostname", "--format"},
      {"query --from 2019-13-01", "--from"},
      {"query --near 33,73", "--near"},
      {"query --format xml", "format"},
      {"stats --by ethnicity", "--by"},
      {"areas load --level 5 /etc/hostname", "level"},
      {"serve --listen nowhere", "--listen"},
      {"serve --listen 0.0.0.0:8080", "loopback"},
      {"ingest --format ucdp-ged --encoding ebcdic /etc/hostname", "encoding"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args);
    const auto r = Corridor(dir.path(), db, c.args);
    EXPECT_EQ(r.status, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(c.want_in_stderr), std::string::npos) << r.err;
  }
}

TEST(CliTest, ReadingCommandsNeverCreateAStore) {
  testing::TempDir dir;
  for (const char* cmd : {"query --count", "stats --by year", "backup b.db"}) {
    SCOPED_TRACE(cmd);
    const auto r = Corridor(dir.path(), dir / "typo.db", cmd);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("no store at"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "typo.db"));
  }
}

TEST(CliTest, RejectsOfSeveralFilesAccumulateAndDuplicateIdsAreRejected) {
  testing::TempDir dir;
  const std::string real =
      testing::ReadFile(testing::SharedPath("data/ucdp-ged-pakistan/pakistan.csv"));
  std::istringstream in(real);
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> rows;
  while (rows.size() < 4 && std::getline(in, line)) rows.push_back(line);
  // a/x.csv: rows 0,1 and row 0 again (a duplicate id); b/x.csv: row 2 with a bad date.
  fs::create_directories(dir / "a");
  fs::create_directories(dir / "b");
  testing::WriteFile(dir / "a" / "x.csv",
                     header + "\n" + rows[0] + "\n" + rows[1] + "\n" + rows[0] + "\n");
  testing::WriteFile(dir / "b" / "x.csv",
                     header + "\n" +
                         std::regex_replace(rows[2], std::regex(R"(\d\d/\d\d/\d{4} 00:00:00)"),
                                            "99/99/1990 00:00:00") +
                         "\n");
  const auto r = Corridor(dir.path(), dir / "r.db",
                          "ingest --format ucdp-ged --rejects all.csv a/x.csv b/x.csv");
  EXPECT_EQ(r.status, 3) << r.err;
  const std::string rejects = testing::ReadFile(dir / "all.csv");
  EXPECT_EQ(rejects.rfind("file,line,field,reason,raw\n", 0), 0u);
  EXPECT_EQ(rejects.find("file,line", 1), std::string::npos) << "header written twice";
  EXPECT_NE(rejects.find("a/x.csv,4,id,duplicate source id"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("(first at line 2)"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find("b/x.csv,2,date_start"), std::string::npos) << rejects;
  EXPECT_EQ(Corridor(dir.path(), dir / "r.db", "query --count").out, "2\n");
  // Re-importing is idempotent even though the file repeats an id.
  const auto again = Corridor(dir.path(), dir / "r.db",
                              "ingest --json --format ucdp-ged --rejects again.csv a/x.csv");
  EXPECT_EQ(again.status, 3);
  const json s = json::parse(again.out);
  EXPECT_EQ(s["unchanged"], 2);
  EXPECT_EQ(s["updated"], 0);
}

// Issue 12 #13: stores, their keys, rejects files and backups are private to
// the owner even when the caller's umask would let others read them.
TEST(CliTest, EverythingItWritesIsPrivateToTheOwner) {
  testing::TempDir dir;
  const mode_t old_mask = ::umask(022);
  const std::string real =
      testing::ReadFile(testing::SharedPath("data/ucdp-ged-pakistan/pakistan.csv"));
  const std::string header = real.substr(0, real.find('\n') + 1);
  testing::WriteFile(dir / "in.csv", header + "not,a,row\n");
  const auto r =
      Corridor(dir.path(), dir / "p.db", "ingest --format ucdp-ged --rejects rej.csv in.csv");
  EXPECT_EQ(r.status, 3) << r.err;
  const auto backup = Corridor(dir.path(), dir / "p.db", "backup " + Q(dir / "copy.db"));
  EXPECT_EQ(backup.status, 0) << backup.err;
  ::umask(old_mask);
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename().string();
    if (name == "in.csv") continue;  // written by the test
    struct stat st {};
    ASSERT_EQ(::stat(entry.path().c_str(), &st), 0) << name;
    EXPECT_EQ(st.st_mode & 077, 0u)
        << name << " is readable by others: mode " << std::oct << (st.st_mode & 0777);
    ++checked;
  }
  EXPECT_GE(checked, 3) << "expected at least the store, the rejects file and the backup";
  EXPECT_TRUE(fs::exists(dir / "rej.csv"));
  EXPECT_TRUE(fs::exists(dir / "copy.db"));
}

TEST(CliTest, FailuresExitOneAndNameTheProblem) {
  testing::TempDir dir;
  const fs::path db = dir / "f.db";
  testing::WriteFile(dir / "empty.csv", "");
  testing::WriteFile(dir / "wrong.csv", "a,b,c\n1,2,3\n");
  testing::WriteFile(dir / "not-a-db", "hello, I am not SQLite");
  auto r = Corridor(dir.path(), db, "ingest --format ucdp-ged empty.csv");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("empty.csv"), std::string::npos) << r.err;
  r = Corridor(dir.path(), db, "ingest --format ucdp-ged wrong.csv");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("wrong.csv"), std::string::npos) << r.err;
  r = Corridor(dir.path(), dir / "not-a-db", "query --count");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("not-a-db"), std::string::npos) << r.err;
}

class CliDataTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    db_ = new fs::path(dir_->path() / "corridor.db");
    ASSERT_EQ(Corridor(dir_->path(), *db_, "init").status, 0);
    for (int level = 0; level <= 2; ++level) {
      const auto r = Corridor(dir_->path(), *db_,
                              "areas load --level " + std::to_string(level) + " " + Ocha(level));
      ASSERT_EQ(r.status, 0) << r.err;
    }
    first_ = new testing::CommandResult(
        Corridor(dir_->path(), *db_, "--json ingest --format ucdp-ged " + Ucdp()));
  }
  static void TearDownTestSuite() {
    delete first_;
    delete db_;
    delete dir_;
  }
  static testing::TempDir* dir_;
  static fs::path* db_;
  static testing::CommandResult* first_;
};
testing::TempDir* CliDataTest::dir_ = nullptr;
fs::path* CliDataTest::db_ = nullptr;
testing::CommandResult* CliDataTest::first_ = nullptr;

TEST_F(CliDataTest, ImportsTheRealFileAndReimportChangesNothing) {
  ASSERT_EQ(first_->status, 0) << first_->err;
  const json s = json::parse(first_->out);
  EXPECT_EQ(s["rows"], 5834);
  EXPECT_EQ(s["inserted"], 5834);
  EXPECT_EQ(s["rejected"], 0);
  EXPECT_TRUE(s["rejects_path"].is_null());
  const auto again = Corridor(dir_->path(), *db_, "--json ingest --format ucdp-ged " + Ucdp());
  ASSERT_EQ(again.status, 0) << again.err;
  const json t = json::parse(again.out);
  EXPECT_EQ(t["inserted"], 0);
  EXPECT_EQ(t["updated"], 0);
  EXPECT_EQ(t["unchanged"], 5834);
  EXPECT_EQ(Corridor(dir_->path(), *db_, "query --count").out, "5834\n");
}

TEST_F(CliDataTest, StatsFormats) {
  const auto csv = Corridor(dir_->path(), *db_, "stats --by admin1 --format csv");
  ASSERT_EQ(csv.status, 0) << csv.err;
  std::istringstream lines(csv.out);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "key,count");
  std::int64_t sum = 0;
  int rows = 0;
  while (std::getline(lines, line)) {
    ASSERT_TRUE(std::regex_match(line, std::regex(R"((PK\d|),\d+)"))) << line;
    sum += std::stoll(line.substr(line.find(',') + 1));
    ++rows;
  }
  EXPECT_EQ(sum, 5834);
  EXPECT_GE(rows, 5);
  const auto js = Corridor(dir_->path(), *db_, "stats --by year --format json");
  ASSERT_EQ(js.status, 0);
  const json arr = json::parse(js.out);
  ASSERT_TRUE(arr.is_array());
  EXPECT_EQ(arr.front()["key"], "1989");
  EXPECT_EQ(arr.back()["key"], "2019");
  std::int64_t total = 0;
  for (const auto& kc : arr) total += kc["count"].get<std::int64_t>();
  EXPECT_EQ(total, 5834);
}

TEST_F(CliDataTest, QueryFormatsAgree) {
  const std::string filter = "--area PK528 --from 2009-01-01 --to 2009-12-31";
  const auto count = Corridor(dir_->path(), *db_, "query --count " + filter);
  ASSERT_EQ(count.status, 0);
  const int n = std::stoi(count.out);
  EXPECT_GT(n, 10);  // Peshawar, 2009: a year of heavy violence
  const auto js = Corridor(dir_->path(), *db_, "query --format json " + filter);
  ASSERT_EQ(js.status, 0);
  const json arr = json::parse(js.out);
  EXPECT_EQ(static_cast<int>(arr.size()), n);
  for (const auto& i : arr) {
    EXPECT_EQ(i["admin2"], "PK528");
    EXPECT_LE(i["date_start"].get<std::string>(), "2009-12-31");
    EXPECT_GE(i["date_end"].get<std::string>(), "2009-01-01");
  }
  const auto gj = Corridor(dir_->path(), *db_, "query --format geojson " + filter);
  const json fc = json::parse(gj.out);
  EXPECT_EQ(fc["type"], "FeatureCollection");
  EXPECT_EQ(static_cast<int>(fc["features"].size()), n);
  const auto csv = Corridor(dir_->path(), *db_, "query --format csv " + filter);
  EXPECT_EQ(csv.out.rfind("id,dataset,source_id,date_start", 0), 0u);
  const auto table = Corridor(dir_->path(), *db_, "query " + filter);
  EXPECT_NE(table.out.find(std::to_string(n) + " incidents"), std::string::npos);
  const auto limited = Corridor(dir_->path(), *db_, "query --format json --limit 3 " + filter);
  EXPECT_EQ(json::parse(limited.out).size(), 3u);
  // --sort is the API's order: the deadliest first, and --limit takes the top of that order.
  const json all_sorted = json::parse(
      Corridor(dir_->path(), *db_, "query --format json --sort deaths_desc " + filter).out);
  ASSERT_EQ(static_cast<int>(all_sorted.size()), n);
  int most = -1;
  for (const auto& i : arr) {
    if (i["killed"].is_number()) most = std::max(most, i["killed"].get<int>());
  }
  EXPECT_EQ(all_sorted[0]["killed"].get<int>(), most);
  for (std::size_t k = 1; k < all_sorted.size(); ++k) {
    if (all_sorted[k]["killed"].is_null()) continue;
    ASSERT_TRUE(all_sorted[k - 1]["killed"].is_number()) << k;
    EXPECT_GE(all_sorted[k - 1]["killed"].get<int>(), all_sorted[k]["killed"].get<int>()) << k;
  }
  const json top = json::parse(
      Corridor(dir_->path(), *db_, "query --format json --sort deaths_desc --limit 2 " + filter)
          .out);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0]["id"], all_sorted[0]["id"]);
  EXPECT_EQ(top[1]["id"], all_sorted[1]["id"]);
  const auto bad = Corridor(dir_->path(), *db_, "query --sort deaths " + filter);
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--sort"), std::string::npos) << bad.err;
}

TEST_F(CliDataTest, MalformedFileKeepsGoodRowsAndReportsFileLine) {
  // The first 11 records of the real file (lines 2-12, none quoted), two of them corrupted.
  const std::string real =
      testing::ReadFile(testing::SharedPath("data/ucdp-ged-pakistan/pakistan.csv"));
  std::istringstream in(real);
  std::string header, line, out;
  std::getline(in, header);
  out = header + "\n";
  int written = 0;
  while (written < 11 && std::getline(in, line)) {
    ASSERT_EQ(line.find('"'), std::string::npos) << "expected an unquoted record: " << line;
    std::string fields = line;
    std::string id = fields.substr(0, fields.find(','));
    fields.replace(0, id.size(), std::to_string(90000000 + written));
    if (written == 5)
      fields = std::regex_replace(fields, std::regex(R"(\d\d/\d\d/\d{4} 00:00:00)"),
                                  "31/31/1990 00:00:00");
    if (written == 9) fields += ",extra,fields";
    out += fields + "\n";
    ++written;
  }
  testing::WriteFile(dir_->path() / "bad.csv", out);
  const auto r =
      Corridor(dir_->path(), dir_->path() / "bad.db", "--json ingest --format ucdp-ged bad.csv");
  EXPECT_EQ(r.status, 3) << r.err;
  const json s = json::parse(r.out);
  EXPECT_EQ(s["rejected"], 2);
  EXPECT_EQ(s["inserted"], 9);
  const std::string rejects = testing::ReadFile(s["rejects_path"].get<std::string>());
  EXPECT_NE(rejects.find("bad.csv"), std::string::npos) << rejects;
  EXPECT_NE(rejects.find(",7,"), std::string::npos) << rejects;   // record 6 is on line 7
  EXPECT_NE(rejects.find(",11,"), std::string::npos) << rejects;  // record 10 is on line 11
  EXPECT_NE(rejects.find("date_start"), std::string::npos) << rejects;
}

TEST(CliCrashTest, KillDuringImportLeavesAConsistentStoreAndRerunCompletes) {
  testing::TempDir dir;
  const fs::path big = dir / "big.csv";
  const auto gen = RunCommand("python3 " + Q(testing::TestPath("../tools/scale_ucdp.py")) + " " +
                              Ucdp() + " " + Q(big) + " 150000");
  ASSERT_EQ(gen.status, 0) << gen.err;
  const fs::path db = dir / "crash.db";
  ASSERT_EQ(Corridor(dir.path(), db, "init").status, 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string d = "--db=" + db.string();
    // Small batches: many commits, so the kill lands between two of them.
    execl(Bin().c_str(), "corridor", d.c_str(), "ingest", "--format", "ucdp-ged", "--batch-size",
          "2000", big.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  // Kill it once some batches are committed but before it can finish.
  std::int64_t seen = 0;
  for (int i = 0; i < 600 && seen == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const auto c = Corridor(dir.path(), db, "query --count");
    if (c.status == 0 && !c.out.empty()) seen = std::stoll(c.out);
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the import finished before it could be killed";
  const auto integrity = RunCommand("sqlite3 " + Q(db) + " 'PRAGMA integrity_check'");
  EXPECT_EQ(integrity.out, "ok\n") << integrity.err;
  // The import was a bulk load (indexes dropped); opening the store rebuilds them.
  const auto count_after_crash = Corridor(dir.path(), db, "query --count");
  EXPECT_EQ(count_after_crash.status, 0) << count_after_crash.err;
  const auto indexes = RunCommand(
      "sqlite3 " + Q(db) +
      " \"SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name LIKE 'incidents_%'\"");
  // page, admin1, admin2, latlon, the sync change feed's (modified, id), the
  // web map's covering index (incidents_agg) and the two deaths orders.
  EXPECT_EQ(indexes.out, "8\n") << indexes.err;
  const auto after = Corridor(dir.path(), db, "query --count");
  ASSERT_EQ(after.status, 0) << after.err;
  const std::int64_t partial = std::stoll(after.out);
  EXPECT_GT(partial, 0);
  EXPECT_LT(partial, 150000);
  const auto rerun = Corridor(dir.path(), db, "--json ingest --format ucdp-ged " + Q(big));
  ASSERT_EQ(rerun.status, 0) << rerun.err;
  const json s = json::parse(rerun.out);
  EXPECT_EQ(s["unchanged"].get<std::int64_t>(), partial);
  EXPECT_EQ(s["inserted"].get<std::int64_t>(), 150000 - partial);
  EXPECT_EQ(Corridor(dir.path(), db, "query --count").out, "150000\n");
}

TEST(CliServeTest, BackupWhileServingThenRestore) {
  testing::TempDir dir;
  const fs::path db = dir / "live.db";
  ASSERT_EQ(Corridor(dir.path(), db, "init").status, 0);
  ASSERT_EQ(Corridor(dir.path(), db, "ingest --format ucdp-ged " + Ucdp()).status, 0);
  // Every route but /healthz needs a signed-in user: the readers use a token.
  ASSERT_EQ(Corridor(dir.path(), db, "orgs add PK-A --own").status, 0);
  const auto user = RunCommand("echo 'a long enough password' | " + Bin() + " --db " + Q(db) +
                               " users add reader --org PK-A --role site-security");
  ASSERT_EQ(user.status, 0) << user.err;
  const auto token_out = Corridor(dir.path(), db, "tokens create reader");
  ASSERT_EQ(token_out.status, 0) << token_out.err;
  std::string token = token_out.out.substr(token_out.out.rfind('\n', token_out.out.size() - 2) + 1);
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string d = "--db=" + db.string();
    const std::string log = (dir / "serve.log").string();
    freopen(log.c_str(), "w", stdout);
    execl(Bin().c_str(), "corridor", d.c_str(), "serve", "--listen", "127.0.0.1:0",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int port = 0;
  for (int i = 0; i < 200 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::smatch m;
    const std::string log =
        fs::exists(dir / "serve.log") ? testing::ReadFile(dir / "serve.log") : "";
    if (std::regex_search(log, m, std::regex(R"(127\.0\.0\.1:(\d+)/)"))) port = std::stoi(m[1]);
  }
  ASSERT_GT(port, 0) << "server did not start";
  const std::string url = "http://127.0.0.1:" + std::to_string(port);
  // Readers keep the server busy while the backup runs.
  std::atomic<bool> stop{false};
  std::atomic<int> ok_requests{0};
  std::thread load([&] {
    while (!stop) {
      const auto r = RunCommand("curl -sf -H 'Authorization: Bearer " + token + "' '" + url +
                                "/api/v1/stats?by=year' -o /dev/null");
      if (r.status == 0) ++ok_requests;
    }
  });
  const auto backup = Corridor(dir.path(), db, "backup " + Q(dir / "snap.db"));
  stop = true;
  load.join();
  EXPECT_EQ(backup.status, 0) << backup.err;
  EXPECT_GT(ok_requests.load(), 0);
  const auto health = RunCommand("curl -sf " + url + "/healthz");
  EXPECT_EQ(health.status, 0);
  const auto anonymous =
      RunCommand("curl -s -o /dev/null -w '%{http_code}' " + url + "/api/v1/stats?by=year");
  EXPECT_EQ(anonymous.out, "401");
  kill(child, SIGTERM);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "serve did not stop cleanly";

  // Restore the backup into a fresh store: same contents.
  const fs::path other = dir / "other.db";
  ASSERT_EQ(Corridor(dir.path(), other, "init").status, 0);
  const auto restored = Corridor(dir.path(), other, "restore " + Q(dir / "snap.db"));
  ASSERT_EQ(restored.status, 0) << restored.err;
  EXPECT_EQ(Corridor(dir.path(), other, "query --count").out, "5834\n");
  // Restoring something that is not a Corridor store is refused and changes nothing.
  testing::WriteFile(dir / "junk.db", "junk");
  const auto refused = Corridor(dir.path(), other, "restore " + Q(dir / "junk.db"));
  EXPECT_EQ(refused.status, 1);
  EXPECT_EQ(Corridor(dir.path(), other, "query --count").out, "5834\n");
}

TEST(CliDataFetchTest, VerifySharedDataAgainstTheManifest) {
  const auto r = RunCommand(Bin() + " --json data verify " + Q(testing::SharedPath("data")));
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["missing"], 0);
  EXPECT_EQ(report["mismatched"], 0);
  EXPECT_GT(report["ok"].get<int>(), 20);
}

TEST(CliDataFetchTest, FetchFromAnUnreachableOriginFailsAndLeavesNothing) {
  testing::TempDir dir;
  const auto r =
      RunCommand(Bin() + " data fetch " + Q(dir / "data") + " --base-url http://127.0.0.1:9");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("failed"), std::string::npos);
  for (const auto& e : fs::recursive_directory_iterator(dir.path())) {
    EXPECT_FALSE(e.is_regular_file()) << "left behind: " << e.path();
  }
}

}  // namespace
}  // namespace corridor
