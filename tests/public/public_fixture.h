// A real public store for the public side's use-case tests: the store in a
// temporary directory, its key file, its audit log, and staff accounts.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "corridor/public_side/accounts.h"
#include "corridor/public_side/service.h"
#include "corridor/store/public_store.h"
#include "testing/testing.h"

namespace corridor::public_side::fixture {

inline const PublicCaller kOperator = PublicCaller::Operator("cli:test");

class PublicStoreTest : public ::testing::Test {
 protected:
  // Opens the store and adds `staff` (name and role) as the operator.
  void OpenWith(const std::vector<std::pair<std::string, model::PublicRole>>& staff) {
    auto db = store::OpenPublicDatabase(path_);
    ASSERT_TRUE(db.has_value()) << db.error().message;
    db_ = std::move(*db);
    auto keys = auth::LoadOrCreateInstanceKeys(path_ + ".public-keys");
    ASSERT_TRUE(keys.has_value());
    keys_ = *keys;  // the audit log keeps a reference
    audit_ = std::make_unique<PublicAuditLog>(*db_, keys_);
    for (const auto& [name, role] : staff) {
      ASSERT_TRUE(AddAccount(*db_, *audit_, kOperator, name, {role}));
    }
  }
  // The account `name` as stored now.
  PublicCaller As(const std::string& name) const {
    auto a = store::InReadTransaction(*db_, [&](store::Transaction& tx) {
      return store::NewPublicAccountStore()->Get(tx, name);
    });
    return PublicCaller::Of(a.value().value());
  }
  corridor::testing::TempDir dir_;
  std::string path_ = (dir_ / "public.db").string();
  std::unique_ptr<store::Database> db_;
  auth::InstanceKeys keys_;
  std::unique_ptr<PublicAuditLog> audit_;
};

}  // namespace corridor::public_side::fixture
