// Per-client limits that remember nobody (public_side/client_limits.h).
#include "corridor/public_side/client_limits.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstdio>

namespace corridor::public_side {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::steady_clock;

TEST(ClientPrefix, IPv6IsItsSlash64AndMappedIPv4IsIPv4) {
  EXPECT_EQ(ClientPrefix("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(ClientPrefix("::ffff:203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(ClientPrefix("2001:db8:1:2::5"), "2001:db8:1:2::/64");
  EXPECT_EQ(ClientPrefix("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_NE(ClientPrefix("2001:db8:1:3::5"), ClientPrefix("2001:db8:1:2::5"));
  EXPECT_EQ(ClientPrefix("not an address"), "not an address");
  EXPECT_EQ(ClientPrefix("fe80::1%eth0"), "fe80::/64");  // the zone id is not the client
  const auto keys = ClientKeysOf("2001:db8:1:2::5");
  EXPECT_EQ(keys.network, "2001:db8:1::/48");
  EXPECT_TRUE(keys.charge_network);
  EXPECT_EQ(ClientKeysOf("203.0.113.7").network, "203.0.0.0/16");
  EXPECT_FALSE(ClientKeysOf("203.0.113.7").charge_network);
}

class ClientLimiterTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_GE(sodium_init(), 0); }
  steady_clock::time_point now_ = steady_clock::time_point() + hours(1000);
  ClientLimiter::Clock clock_ = [this] { return now_; };
};

TEST_F(ClientLimiterTest, EachClientAndKindHasItsOwnAllowanceUntilTheWindowEnds) {
  ClientLimiter limiter(hours(1), 1000, clock_);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("file", "203.0.113.7", 3).allowed) << i;
  now_ += minutes(15);
  const auto refused = limiter.Take("file", "203.0.113.7", 3);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_s, 45 * 60);
  EXPECT_TRUE(limiter.Take("follow", "203.0.113.7", 3).allowed);  // another kind
  EXPECT_TRUE(limiter.Take("file", "203.0.113.8", 3).allowed);    // another client
  // One IPv6 /64 is one client, whichever address within it.
  EXPECT_TRUE(limiter.Take("file", "2001:db8:1:2::5", 2).allowed);
  EXPECT_TRUE(limiter.Take("file", "2001:db8:1:2::6", 2).allowed);
  EXPECT_FALSE(limiter.Take("file", "2001:db8:1:2::7", 2).allowed);
  // When the window ends every count goes, with the salt the keys were made under.
  EXPECT_GT(limiter.tracked(), 0U);
  now_ += minutes(45);
  EXPECT_TRUE(limiter.Take("file", "203.0.113.7", 3).allowed);
  EXPECT_EQ(limiter.tracked(), 1U);
}

TEST_F(ClientLimiterTest, TheTableIsBoundedAndNewcomersPastItShareOneBucket) {
  ClientLimiter limiter(hours(1), 2, clock_);
  EXPECT_TRUE(limiter.Take("file", "198.51.100.1", 1).allowed);
  EXPECT_TRUE(limiter.Take("file", "198.51.100.2", 1).allowed);
  // Full: the next clients share the overflow bucket of ten allowances.
  int allowed = 0;
  for (int i = 3; i < 30; ++i) {
    allowed += limiter.Take("file", "198.51.100." + std::to_string(i), 1).allowed ? 1 : 0;
  }
  EXPECT_EQ(allowed, 10);
  EXPECT_EQ(limiter.tracked(), 3U);
  EXPECT_FALSE(limiter.Take("file", "198.51.100.1", 1).allowed);  // its own count still holds
}

TEST_F(ClientLimiterTest, AnIPv6SlashFortyEightHasSixteenAllowancesForAllItsSlashSixtyFours) {
  ClientLimiter limiter(hours(1), 1000, clock_);
  int allowed = 0;
  for (int i = 0; i < 40; ++i) {
    char address[64];
    std::snprintf(address, sizeof address, "2001:db8:7:%x::1", i);
    allowed += limiter.Take("file", address, 1).allowed ? 1 : 0;
  }
  EXPECT_EQ(allowed, 16);
  EXPECT_TRUE(limiter.Take("file", "2001:db8:8::1", 1).allowed);  // the next /48
}

}  // namespace
}  // namespace corridor::public_side
