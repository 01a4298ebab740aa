// The partner sync tables in the SQLite store (docs/sync_protocol.md,
// docs/schema.md): partners with their cursors, the received-from table and
// the sent-to ledger. The change feed and ApplyPartnerPage, which need the
// incident row code, are in sqlite_store.cc.
#include <algorithm>

#include "corridor/common/date.h"
#include "store/sqlite_store.h"

namespace corridor::store {
namespace {

using sqlite::BindInt;
using sqlite::BindText;
using sqlite::ColumnText;
using sqlite::Scope;
using sqlite::StepDone;

constexpr const char* kPartnerColumns =
    "name, org, base_url, api_root, collection, token_sealed, public_key, trust_group, "
    "cursor_added, cursor_next, last_sync, created, keys";

Partner ReadPartner(sqlite3_stmt* s) {
  Partner p;
  p.name = ColumnText(s, 0);
  p.org = ColumnText(s, 1);
  p.base_url = ColumnText(s, 2);
  p.api_root = ColumnText(s, 3);
  p.collection = ColumnText(s, 4);
  p.token_sealed = ColumnText(s, 5);
  p.public_key = ColumnText(s, 6);
  p.trust_group = ColumnText(s, 7);
  p.cursor_added = ColumnText(s, 8);
  p.cursor_next = ColumnText(s, 9);
  p.last_sync = ColumnText(s, 10);
  p.created = ColumnText(s, 11);
  p.keys_json = ColumnText(s, 12);
  return p;
}

// "?, ?, ..." with n placeholders.
std::string Placeholders(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ", ?";
  return out;
}

// SQLite's default limit on bound parameters is 32766; stay well below.
constexpr std::size_t kIdChunk = 500;

}  // namespace

Result<void> SqliteStore::AddPartner(const Partner& partner) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto exists = writer_->Prepare("SELECT 1 FROM sync_partners WHERE name = ?");
  if (!exists) return Fail(exists.error());
  {
    Scope scope(*exists);
    BindText(*exists, 1, partner.name);
    if (sqlite3_step(*exists) == SQLITE_ROW) {
      return Fail(ErrorCode::kConflict, "a partner named " + partner.name + " exists");
    }
  }
  auto stmt = writer_->Prepare(std::string("INSERT INTO sync_partners (") + kPartnerColumns +
                               ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  int i = 1;
  for (const std::string* v :
       {&partner.name, &partner.org, &partner.base_url, &partner.api_root, &partner.collection,
        &partner.token_sealed, &partner.public_key, &partner.trust_group, &partner.cursor_added,
        &partner.cursor_next, &partner.last_sync}) {
    BindText(*stmt, i++, *v);
  }
  const std::string created = partner.created.empty() ? NowTimestamp() : partner.created;
  BindText(*stmt, i++, created);
  BindText(*stmt, i, partner.keys_json);
  return StepDone(*writer_, *stmt, "add partner " + partner.name);
}

Result<void> SqliteStore::SetPartnerKeys(const std::string& name, const std::string& keys_json) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare("UPDATE sync_partners SET keys = ? WHERE name = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, keys_json);
  BindText(*stmt, 2, name);
  if (auto r = StepDone(*writer_, *stmt, "set the keys of partner " + name); !r) return r;
  if (sqlite3_changes(writer_->handle()) == 0) {
    return Fail(ErrorCode::kNotFound, "no partner " + name);
  }
  return {};
}

Result<std::vector<Partner>> SqliteStore::ListPartners() const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(std::string("SELECT ") + kPartnerColumns +
                               " FROM sync_partners ORDER BY name");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  std::vector<Partner> out;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "list partners"));
    out.push_back(ReadPartner(*stmt));
  }
  return out;
}

Result<Partner> SqliteStore::GetPartner(const std::string& name) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(std::string("SELECT ") + kPartnerColumns +
                               " FROM sync_partners WHERE name = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, name);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return Fail(ErrorCode::kNotFound, "no partner " + name);
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "get partner " + name));
  return ReadPartner(*stmt);
}

Result<std::vector<ReceivedRecord>> SqliteStore::GetReceived(std::span<const Uuid> ids) const {
  std::vector<ReceivedRecord> out;
  if (ids.empty()) return out;
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  for (std::size_t start = 0; start < ids.size(); start += kIdChunk) {
    const std::size_t n = std::min(kIdChunk, ids.size() - start);
    auto stmt = (*conn)->Prepare(
        "SELECT object, partner, org, trust_group, remote_modified, object_json, received "
        "FROM sync_received WHERE object IN (" +
        Placeholders(n) + ")");
    if (!stmt) return Fail(stmt.error());
    Scope scope(*stmt);
    std::vector<std::string> keys;
    keys.reserve(n);
    for (std::size_t i = 0; i < n; ++i) keys.push_back(ids[start + i].str());
    for (std::size_t i = 0; i < n; ++i) BindText(*stmt, static_cast<int>(i + 1), keys[i]);
    for (;;) {
      const int rc = sqlite3_step(*stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "read received-from records"));
      ReceivedRecord r;
      auto id = Uuid::Parse(ColumnText(*stmt, 0));
      if (!id) return Fail(ErrorCode::kInternal, "stored object id is not a UUID");
      r.object = *id;
      r.partner = ColumnText(*stmt, 1);
      r.org = ColumnText(*stmt, 2);
      r.trust_group = ColumnText(*stmt, 3);
      r.remote_modified = ColumnText(*stmt, 4);
      r.object_json = ColumnText(*stmt, 5);
      r.received = ColumnText(*stmt, 6);
      out.push_back(std::move(r));
    }
  }
  return out;
}

Result<void> SqliteStore::RecordSent(std::span<const SentRecord> records) {
  if (records.empty()) return {};
  std::lock_guard<std::mutex> lock(write_mu_);
  sqlite::WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return r;
  auto stmt = writer_->Prepare(
      "INSERT INTO sync_sent (object, org, modified, tombstone, sent) VALUES (?, ?, ?, ?, ?)");
  if (!stmt) return Fail(stmt.error());
  const std::string now = NowTimestamp();
  for (const SentRecord& rec : records) {
    Scope scope(*stmt);
    const std::string key = rec.object.str();
    BindText(*stmt, 1, key);
    BindText(*stmt, 2, rec.org);
    BindText(*stmt, 3, rec.modified);
    BindInt(*stmt, 4, rec.tombstone ? 1 : 0);
    BindText(*stmt, 5, rec.sent.empty() ? now : rec.sent);
    if (auto r = StepDone(*writer_, *stmt, "record sent " + key); !r) return r;
  }
  return txn.Commit();
}

Result<std::vector<SentRecord>> SqliteStore::ListSent(const Uuid& object) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(
      "SELECT org, modified, tombstone, sent FROM sync_sent WHERE object = ? ORDER BY seq");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const std::string key = object.str();
  BindText(*stmt, 1, key);
  std::vector<SentRecord> out;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "list sent " + key));
    SentRecord r;
    r.object = object;
    r.org = ColumnText(*stmt, 0);
    r.modified = ColumnText(*stmt, 1);
    r.tombstone = sqlite3_column_int(*stmt, 2) != 0;
    r.sent = ColumnText(*stmt, 3);
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<Uuid>> SqliteStore::HeldBy(const std::string& org,
                                              std::span<const Uuid> ids) const {
  std::vector<Uuid> out;
  if (ids.empty()) return out;
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  for (std::size_t start = 0; start < ids.size(); start += kIdChunk) {
    const std::size_t n = std::min(kIdChunk, ids.size() - start);
    // The latest ledger row per object for this organisation, kept when it
    // sent the object itself (not a tombstone).
    auto stmt = (*conn)->Prepare(
        "SELECT s.object FROM sync_sent s WHERE s.org = ?1 AND s.tombstone = 0 AND s.seq = "
        "(SELECT max(seq) FROM sync_sent t WHERE t.object = s.object AND t.org = ?1) "
        "AND s.object IN (" +
        Placeholders(n) + ")");
    if (!stmt) return Fail(stmt.error());
    Scope scope(*stmt);
    BindText(*stmt, 1, org);
    std::vector<std::string> keys;
    keys.reserve(n);
    for (std::size_t i = 0; i < n; ++i) keys.push_back(ids[start + i].str());
    for (std::size_t i = 0; i < n; ++i) BindText(*stmt, static_cast<int>(i + 2), keys[i]);
    for (;;) {
      const int rc = sqlite3_step(*stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "read the sent-to ledger"));
      auto id = Uuid::Parse(ColumnText(*stmt, 0));
      if (!id) return Fail(ErrorCode::kInternal, "stored object id is not a UUID");
      out.push_back(*id);
    }
  }
  return out;
}

}  // namespace corridor::store
