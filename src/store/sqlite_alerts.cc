// Site subscriptions and alerts in the SQLite store (docs/security.md,
// "Alerts"; docs/schema.md).
#include "store/sqlite_alerts.h"

#include <map>

#include "store/sqlite_query.h"
#include "store/sqlite_store.h"

namespace corridor::store {
namespace sqlite {

Result<AlertMatcher> AlertMatcher::Load(Connection& conn) {
  AlertMatcher m;
  auto stmt = conn.Prepare(
      "SELECT s.username, s.site, s.radius_m, t.geometry, t.latitude, t.longitude "
      "FROM site_subscriptions s JOIN sites t ON t.id = s.site "
      "JOIN users u ON u.username = s.username WHERE u.disabled = 0 ORDER BY s.site");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  std::map<std::string, std::size_t> by_site;
  int rc;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    Sub sub;
    sub.username = ColumnText(*stmt, 0);
    sub.site = ColumnText(*stmt, 1);
    sub.radius_m = sqlite3_column_double(*stmt, 2);
    auto [it, fresh] = by_site.emplace(sub.site, m.footprints_.size());
    if (fresh) {
      auto f = geo::Footprint::FromGeoJson(ColumnText(*stmt, 3));
      m.footprints_.push_back(f ? std::move(*f)
                                : geo::Footprint::FromPoint(sqlite3_column_double(*stmt, 4),
                                                            sqlite3_column_double(*stmt, 5)));
    }
    sub.footprint = it->second;
    sub.reach = m.footprints_[sub.footprint].SearchBox(sub.radius_m);
    m.subs_.push_back(std::move(sub));
  }
  if (rc != SQLITE_DONE) return Fail(conn.LastError(rc, "read subscriptions"));
  return m;
}

void AlertMatcher::Match(const model::Incident& incident, const std::string& id) {
  if (incident.revoked || !incident.latitude || !incident.longitude) return;
  const double lat = *incident.latitude, lon = *incident.longitude;
  for (std::size_t i = 0; i < subs_.size(); ++i) {
    const Sub& s = subs_[i];
    if (!s.reach.Contains(lat, lon)) continue;
    if (auto d = footprints_[s.footprint].DistanceWithinM(lat, lon, s.radius_m)) {
      hits_.push_back({i, id, *d});
    }
  }
}

Result<void> AlertMatcher::Write(Connection& conn, const std::string& now) {
  if (hits_.empty()) return {};
  auto stmt = conn.Prepare(
      "INSERT OR IGNORE INTO alerts (username, site, incident, distance_m, created, read_at) "
      "VALUES (?, ?, ?, ?, ?, '')");
  if (!stmt) return Fail(stmt.error());
  for (const Hit& h : hits_) {
    Scope scope(*stmt);
    BindText(*stmt, 1, subs_[h.sub].username);
    BindText(*stmt, 2, subs_[h.sub].site);
    BindText(*stmt, 3, h.incident);
    BindDouble(*stmt, 4, h.distance_m);
    BindText(*stmt, 5, now);
    if (auto r = StepDone(conn, *stmt, "record alert"); !r) return r;
  }
  hits_.clear();
  return {};
}

}  // namespace sqlite

using sqlite::BindInt;
using sqlite::BindText;
using sqlite::ColumnText;
using sqlite::Scope;
using sqlite::StepDone;

namespace {

constexpr double kMaxAlertRadiusM = 500'000;

Result<Alert> ReadAlert(sqlite3_stmt* s) {
  Alert a;
  a.id = sqlite3_column_int64(s, 0);
  a.username = ColumnText(s, 1);
  auto site = Uuid::Parse(ColumnText(s, 2));
  auto incident = Uuid::Parse(ColumnText(s, 3));
  if (!site || !incident) return Fail(ErrorCode::kInternal, "stored alert ids are not UUIDs");
  a.site = *site;
  a.incident = *incident;
  a.distance_m = sqlite3_column_double(s, 4);
  a.created = ColumnText(s, 5);
  a.read = ColumnText(s, 6);
  a.site_name = ColumnText(s, 7);
  return a;
}

constexpr const char* kAlertSelect =
    "SELECT a.id, a.username, a.site, a.incident, a.distance_m, a.created, a.read_at, "
    "coalesce(t.name, '') FROM alerts a JOIN incidents ON incidents.id = a.incident "
    "LEFT JOIN sites t ON t.id = a.site WHERE a.username = ? AND incidents.revoked = 0";

}  // namespace

Result<void> SqliteStore::PutSubscription(const Subscription& s) {
  if (!(s.radius_m > 0 && s.radius_m <= kMaxAlertRadiusM)) {
    return Fail(ErrorCode::kInvalidArgument, "radius: expected a distance in (0, 500] km");
  }
  const std::string site = s.site.str();
  std::lock_guard<std::mutex> lock(write_mu_);
  sqlite::WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return r;
  for (const auto& [sql, key, what] :
       {std::tuple{"SELECT 1 FROM sites WHERE id = ? AND superseded_by = ''", site,
                   "no current site " + site},
        std::tuple{"SELECT 1 FROM users WHERE username = ?", s.username,
                   "no user '" + s.username + "'"}}) {
    auto check = writer_->Prepare(sql);
    if (!check) return Fail(check.error());
    Scope scope(*check);
    BindText(*check, 1, key);
    const int rc = sqlite3_step(*check);
    if (rc == SQLITE_DONE) return Fail(ErrorCode::kNotFound, what);
    if (rc != SQLITE_ROW) return Fail(writer_->LastError(rc, what));
  }
  auto stmt = writer_->Prepare(
      "INSERT INTO site_subscriptions (username, site, radius_m, created) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (username, site) DO UPDATE SET radius_m = excluded.radius_m");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, s.username);
  BindText(*stmt, 2, site);
  sqlite::BindDouble(*stmt, 3, s.radius_m);
  BindText(*stmt, 4, s.created);
  if (auto r = StepDone(*writer_, *stmt, "subscribe"); !r) return r;
  return txn.Commit();
}

Result<void> SqliteStore::DeleteSubscription(const std::string& username, const Uuid& site) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto stmt = writer_->Prepare("DELETE FROM site_subscriptions WHERE username = ? AND site = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const std::string key = site.str();
  BindText(*stmt, 1, username);
  BindText(*stmt, 2, key);
  if (auto r = StepDone(*writer_, *stmt, "unsubscribe"); !r) return r;
  if (sqlite3_changes(writer_->handle()) == 0) {
    return Fail(ErrorCode::kNotFound, "no subscription of '" + username + "' to site " + key);
  }
  return {};
}

Result<std::vector<Subscription>> SqliteStore::ListSubscriptions(
    const std::string& username) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(
      "SELECT s.username, s.site, s.radius_m, s.created, coalesce(t.name, '') "
      "FROM site_subscriptions s LEFT JOIN sites t ON t.id = s.site "
      "WHERE ?1 = '' OR s.username = ?1 ORDER BY s.username, t.name, s.site");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, username);
  std::vector<Subscription> out;
  int rc;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    Subscription s;
    s.username = ColumnText(*stmt, 0);
    auto site = Uuid::Parse(ColumnText(*stmt, 1));
    if (!site) return Fail(ErrorCode::kInternal, "stored subscription site is not a UUID");
    s.site = *site;
    s.radius_m = sqlite3_column_double(*stmt, 2);
    s.created = ColumnText(*stmt, 3);
    s.site_name = ColumnText(*stmt, 4);
    out.push_back(std::move(s));
  }
  if (rc != SQLITE_DONE) return Fail((*conn)->LastError(rc, "list subscriptions"));
  return out;
}

Result<std::vector<Alert>> SqliteStore::ListAlerts(const Viewer& viewer,
                                                   const std::string& username, bool unread_only,
                                                   int limit) const {
  if (limit < 1 || limit > 1000) {
    return Fail(ErrorCode::kInvalidArgument, "limit: expected 1..1000");
  }
  sqlite::SqlWhere visible;
  sqlite::AppendVisibility(visible, viewer);
  std::string sql = kAlertSelect;
  if (!visible.sql.empty()) sql += " AND " + visible.sql;
  if (unread_only) sql += " AND a.read_at = ''";
  sql += " ORDER BY a.read_at <> '', a.created DESC, a.id DESC LIMIT ?";
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, username);
  const int next = sqlite::BindArgs(*stmt, visible.args, 2);
  BindInt(*stmt, next, limit);
  std::vector<Alert> out;
  int rc;
  while ((rc = sqlite3_step(*stmt)) == SQLITE_ROW) {
    auto a = ReadAlert(*stmt);
    if (!a) return Fail(a.error());
    out.push_back(std::move(*a));
  }
  if (rc != SQLITE_DONE) return Fail((*conn)->LastError(rc, "list alerts"));
  return out;
}

Result<Alert> SqliteStore::MarkAlertRead(const Viewer& viewer, const std::string& username,
                                         std::int64_t id, const std::string& when) {
  sqlite::SqlWhere visible;
  sqlite::AppendVisibility(visible, viewer);
  std::string sql = std::string(kAlertSelect) + " AND a.id = ?";
  if (!visible.sql.empty()) sql += " AND " + visible.sql;
  std::lock_guard<std::mutex> lock(write_mu_);
  sqlite::WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  Alert alert;
  {
    auto stmt = writer_->Prepare(sql);
    if (!stmt) return Fail(stmt.error());
    Scope scope(*stmt);
    BindText(*stmt, 1, username);
    BindInt(*stmt, 2, id);
    sqlite::BindArgs(*stmt, visible.args, 3);
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) return Fail(ErrorCode::kNotFound, "no alert " + std::to_string(id));
    if (rc != SQLITE_ROW) return Fail(writer_->LastError(rc, "read alert"));
    auto a = ReadAlert(*stmt);
    if (!a) return Fail(a.error());
    alert = std::move(*a);
  }
  if (alert.read.empty()) {
    auto stmt = writer_->Prepare("UPDATE alerts SET read_at = ? WHERE id = ?");
    if (!stmt) return Fail(stmt.error());
    Scope scope(*stmt);
    BindText(*stmt, 1, when);
    BindInt(*stmt, 2, id);
    if (auto r = StepDone(*writer_, *stmt, "mark alert read"); !r) return Fail(r.error());
    alert.read = when;
  }
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return alert;
}

}  // namespace corridor::store
