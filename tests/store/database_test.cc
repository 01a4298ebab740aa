// The contract of store::Database and its transactions (corridor/store/database.h),
// on every backend: commit and rollback, snapshots, one writer, module
// migrations, and the store kinds that never open as each other.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "store/database_backends.h"
#include "store/sql/sql.h"

namespace corridor::store::conformance {
namespace {

const Module& Notes(int versions = 2) {
  static const Module kTwo = {
      "test.notes",
      {{1, "CREATE TABLE notes (id INTEGER PRIMARY KEY NOT NULL, text TEXT NOT NULL)", ""},
       {2, "ALTER TABLE notes ADD COLUMN tag TEXT NOT NULL DEFAULT ''", ""}}};
  static const Module kOne = {"test.notes", {kTwo.migrations[0]}};
  return versions == 2 ? kTwo : kOne;
}

std::int64_t CountNotes(Database& db) {
  auto tx = db.BeginRead();
  EXPECT_TRUE(tx.has_value());
  auto n = sql::Of(**tx).QueryInt("SELECT count(*) FROM notes");
  EXPECT_TRUE(n.has_value()) << (n ? "" : n.error().message);
  return n ? n->value_or(0) : -1;
}

class DatabaseContract : public DatabaseTest {};

TEST_P(DatabaseContract, CommitMakesWritesVisibleAndDestructionRollsBack) {
  auto db = Open({Notes()});
  ASSERT_TRUE(db);
  {
    auto tx = db->BeginWrite();
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE(sql::Of(**tx).Exec("INSERT INTO notes (id, text) VALUES (?, ?)", 1, "kept"));
    ASSERT_TRUE((*tx)->Commit());
  }
  {
    auto tx = db->BeginWrite();
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE(sql::Of(**tx).Exec("INSERT INTO notes (id, text) VALUES (?, ?)", 2, "dropped"));
    // no Commit: rolled back when `tx` goes
  }
  EXPECT_EQ(CountNotes(*db), 1);
  auto failed = InWriteTransaction(*db, [](Transaction& t) -> Result<int> {
    if (auto r = sql::Of(t).Exec("INSERT INTO notes (id, text) VALUES (?, ?)", 3, "x"); !r) {
      return Fail(r.error());
    }
    return Fail(ErrorCode::kConflict, "changed my mind");
  });
  EXPECT_FALSE(failed.has_value());
  EXPECT_EQ(CountNotes(*db), 1);
}

TEST_P(DatabaseContract, TypedArgumentsAndRowsRoundTrip) {
  auto db = Open({Notes()});
  ASSERT_TRUE(db);
  const std::string text = "کوئٹہ 奎达 'quoted' ?";
  ASSERT_TRUE(InWriteTransaction(*db, [&](Transaction& t) -> Result<std::int64_t> {
    return sql::Of(t).Exec("INSERT INTO notes (id, text, tag) VALUES (?, ?, ?)", 7, text,
                           std::optional<std::string>("t"));
  }));
  auto tx = db->BeginRead();
  ASSERT_TRUE(tx.has_value());
  auto row = sql::Of(**tx).QueryOne(
      "SELECT id, text, tag, NULL FROM notes WHERE text = ?",
      [](const sql::Row& r) {
        return std::make_tuple(r.Int(0), r.Text(1), r.Text(2), r.OptInt(3));
      },
      text);
  ASSERT_TRUE(row.has_value()) << row.error().message;
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ(std::get<0>(**row), 7);
  EXPECT_EQ(std::get<1>(**row), text);
  EXPECT_EQ(std::get<2>(**row), "t");
  EXPECT_FALSE(std::get<3>(**row).has_value());
  auto none = sql::Of(**tx).QueryOne(
      "SELECT id FROM notes WHERE id = ?", [](const sql::Row& r) { return r.Int(0); }, 8);
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
  // A wrong number of arguments is a bug the layer names.
  auto wrong = sql::Of(**tx).QueryInt("SELECT count(*) FROM notes WHERE id = ?");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code, ErrorCode::kInternal);
}

TEST_P(DatabaseContract, AReadTransactionSeesOneSnapshotAndCannotWrite) {
  auto db = Open({Notes()});
  ASSERT_TRUE(db);
  auto reader = db->BeginRead();
  ASSERT_TRUE(reader.has_value());
  ASSERT_EQ(sql::Of(**reader).QueryInt("SELECT count(*) FROM notes")->value_or(-1), 0);
  ASSERT_TRUE(InWriteTransaction(*db, [](Transaction& t) -> Result<std::int64_t> {
    return sql::Of(t).Exec("INSERT INTO notes (id, text) VALUES (1, 'a')");
  }));
  EXPECT_EQ(sql::Of(**reader).QueryInt("SELECT count(*) FROM notes")->value_or(-1), 0);
  EXPECT_FALSE(sql::Of(**reader).Exec("INSERT INTO notes (id, text) VALUES (2, 'b')"));
  ASSERT_TRUE((*reader)->Commit());
  EXPECT_EQ(CountNotes(*db), 1);
}

TEST_P(DatabaseContract, WritersAreSerialisedAndNoIncrementIsLost) {
  auto db = Open({Notes()});
  ASSERT_TRUE(db);
  ASSERT_TRUE(InWriteTransaction(*db, [](Transaction& t) -> Result<std::int64_t> {
    return sql::Of(t).Exec("INSERT INTO notes (id, text) VALUES (1, '0')");
  }));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 25; ++k) {
        auto r = InWriteTransaction(*db, [](Transaction& t) -> Result<std::int64_t> {
          auto& tx = sql::Of(t);
          auto v = tx.QueryOne("SELECT text FROM notes WHERE id = 1",
                               [](const sql::Row& r) { return std::stoi(r.Text(0)); });
          if (!v) return Fail(v.error());
          return tx.Exec("UPDATE notes SET text = ? WHERE id = 1", std::to_string(**v + 1));
        });
        if (!r) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto tx = db->BeginRead();
  auto v = sql::Of(**tx).QueryOne("SELECT text FROM notes WHERE id = 1",
                                  [](const sql::Row& r) { return r.Text(0); });
  EXPECT_EQ(v->value_or(""), "100");
}

TEST_P(DatabaseContract, ModulesMigrateOnceAndRefuseANewerVersion) {
  {
    auto db = Open({Notes(1)});
    ASSERT_TRUE(db);
    EXPECT_EQ(db->ModuleVersion("test.notes").value_or(-1), 1);
  }
  {
    auto db = Open({Notes(2)});  // reopened with the next migration
    ASSERT_TRUE(db);
    EXPECT_EQ(db->ModuleVersion("test.notes").value_or(-1), 2);
    EXPECT_EQ(db->ModuleVersion("nothing").value_or(-1), 0);
    ASSERT_TRUE(InWriteTransaction(*db, [](Transaction& t) -> Result<std::int64_t> {
      return sql::Of(t).Exec("INSERT INTO notes (id, text, tag) VALUES (1, 'a', 'b')");
    }));
  }
  {
    auto db = Open({Notes(2)});  // nothing to do; the row stays
    ASSERT_TRUE(db);
    EXPECT_EQ(CountNotes(*db), 1);
  }
  auto older = GetParam().open(dir_.path().string(), "store", StoreKind::kSecurity, {Notes(1)});
  ASSERT_FALSE(older.has_value());
  EXPECT_EQ(older.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(older.error().message.find("newer than this build"), std::string::npos)
      << older.error().message;
}

TEST_P(DatabaseContract, AStoreOfOneSideNeverOpensAsTheOther) {
  ASSERT_TRUE(Open({}, StoreKind::kPublic, "public"));
  ASSERT_TRUE(Open({}, StoreKind::kSecurity, "security"));
  for (const auto& [name, kind] :
       {std::pair{"public", StoreKind::kSecurity}, std::pair{"security", StoreKind::kPublic}}) {
    SCOPED_TRACE(name);
    auto wrong = GetParam().open(dir_.path().string(), name, kind, {});
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(wrong.error().message.find("never share a store"), std::string::npos)
        << wrong.error().message;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseContract, ::testing::ValuesIn(DatabaseBackends()),
                         BackendName);

}  // namespace
}  // namespace corridor::store::conformance
