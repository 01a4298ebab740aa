// What is particular to the PostgreSQL driver (store/sql/postgresql_database.h);
// the contract it shares with SQLite is in database_test.cc and the
// aggregates' conformance suites.
#include <gtest/gtest.h>

#include "store/database_backends.h"
#include "store/sql/postgresql_database.h"

namespace corridor::store::postgresql {
namespace {

TEST(PostgresqlDriver, PlaceholdersAreNumberedOutsideQuotesAndComments) {
  int n = 0;
  EXPECT_EQ(NumberPlaceholders("SELECT a FROM t WHERE b = ? AND c = '?' AND \"?\" = ? -- ?\n"
                               "AND d IN (?, /* ? */ ?)",
                               &n),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND \"?\" = $2 -- ?\n"
            "AND d IN ($3, /* ? */ $4)");
  EXPECT_EQ(n, 4);
  // '' inside a literal neither ends it nor hides what follows.
  EXPECT_EQ(NumberPlaceholders("VALUES ('it''s ?', ?)", &n), "VALUES ('it''s ?', $1)");
  EXPECT_EQ(n, 1);
  EXPECT_EQ(NumberPlaceholders("SELECT '?", &n), "SELECT '?");  // unterminated: copied
  EXPECT_EQ(n, 0);
}

TEST(PostgresqlDriver, PasswordsNeverReachAMessage) {
  EXPECT_EQ(RedactLocation("postgresql://corridor:s3cret@db.example:5432/corridor"),
            "postgresql://corridor:***@db.example:5432/corridor");
  EXPECT_EQ(RedactLocation("postgresql:///corridor?host=/tmp/s&password=s3cret&user=u"),
            "postgresql:///corridor?host=/tmp/s&password=***&user=u");
  auto db = OpenDatabase("postgresql://corridor:s3cret@/corridor?host=/nonexistent-socket-dir",
                         StoreKind::kSecurity, {});
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(db.error().message.find("s3cret"), std::string::npos) << db.error().message;
  EXPECT_NE(db.error().message.find("/nonexistent-socket-dir"), std::string::npos);
}

TEST(PostgresqlDriver, AMissingDatabaseIsNotCreatedForAReadOnlyOpen) {
  testing::TempDir dir;
  const std::string location = conformance::PostgresqlLocation(dir.path().string(), "absent");
  auto db = OpenDatabase(location, StoreKind::kPublic, {}, {.create = false});
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code, ErrorCode::kNotFound) << db.error().message;
  // A name that is not a plain identifier is refused before any SQL is sent.
  auto odd = OpenDatabase("postgresql:///bad%20name" + location.substr(location.find('?')),
                          StoreKind::kPublic, {});
  ASSERT_FALSE(odd.has_value());
  EXPECT_EQ(odd.error().code, ErrorCode::kInvalidArgument) << odd.error().message;
}

}  // namespace
}  // namespace corridor::store::postgresql
