
#include <algorithm>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "corridor/common/strings.h"
#include "corridor/model/json.h"
#include "store/sqlite_query.h"
#include "store/sqlite_rows.h"
#include "store/sqlite_store.h"

// Areas (boundaries) and sites.
namespace corridor::store {
namespace {

using namespace rows;  // NOLINT(google-build-using-namespace): the rows of this store
using sqlite::BindDouble;
using sqlite::BindInt;
using sqlite::BindOptDouble;
using sqlite::BindOptInt;
using sqlite::BindText;
using sqlite::ColumnOptDouble;
using sqlite::ColumnOptInt;
using sqlite::ColumnText;
using sqlite::Scope;
using sqlite::StepDone;
using sqlite::WriteTransaction;

// ---- areas

// The bounding box of every [lon, lat, ...] position in a GeoJSON geometry.
struct Extent {
  double min_lon = std::numeric_limits<double>::infinity();
  double min_lat = std::numeric_limits<double>::infinity();
  double max_lon = -std::numeric_limits<double>::infinity();
  double max_lat = -std::numeric_limits<double>::infinity();
  bool empty() const { return min_lon > max_lon; }
};

void ExtendExtent(const nlohmann::json& j, Extent& e) {
  if (!j.is_array()) return;
  if (j.size() >= 2 && j[0].is_number() && j[1].is_number()) {
    const double lon = j[0].get<double>();
    const double lat = j[1].get<double>();
    e.min_lon = std::min(e.min_lon, lon);
    e.max_lon = std::max(e.max_lon, lon);
    e.min_lat = std::min(e.min_lat, lat);
    e.max_lat = std::max(e.max_lat, lat);
    return;
  }
  for (const auto& child : j) ExtendExtent(child, e);
}

Result<Extent> GeometryExtent(const std::string& geometry, std::string_view what) {
  Extent extent;
  if (geometry.empty()) return extent;
  const nlohmann::json j = nlohmann::json::parse(geometry, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(what) + ": geometry is not a GeoJSON object");
  }
  if (auto it = j.find("coordinates"); it != j.end()) ExtendExtent(*it, extent);
  if (auto it = j.find("geometries"); it != j.end() && it->is_array()) {
    for (const auto& g : *it) {
      if (auto c = g.find("coordinates"); c != g.end()) ExtendExtent(*c, extent);
    }
  }
  return extent;
}

constexpr char kAreaColumnsNoGeometry[] =
    "level, pcode, name, alt_names, parent_pcode, '' AS geometry, source, licence_id, "
    "licence_redistribution, licence_attribution";
constexpr char kAreaColumns[] =
    "level, pcode, name, alt_names, parent_pcode, geometry, source, licence_id, "
    "licence_redistribution, licence_attribution";

Result<model::Area> ReadArea(sqlite3_stmt* s) {
  model::Area a;
  a.level = sqlite3_column_int(s, 0);
  a.pcode = ColumnText(s, 1);
  a.name = ColumnText(s, 2);
  auto alt = model::StringsFromJson(ColumnText(s, 3));
  if (!alt) return Fail(alt.error());
  a.alt_names = std::move(*alt);
  a.parent_pcode = ColumnText(s, 4);
  a.geometry = ColumnText(s, 5);
  a.source = ColumnText(s, 6);
  a.licence.id = ColumnText(s, 7);
  a.licence.redistribution = sqlite3_column_int(s, 8) != 0;
  a.licence.attribution = ColumnText(s, 9);
  return a;
}

// ---- sites

// sites.superseded_by: '' for a current site, the successor's id for one a
// ReplaceSites superseded, this for one it retired without a successor.
constexpr char kRetiredWithoutSuccessor[] = "-";

constexpr char kSiteColumns[] =
    "id, name, sector, status, amount_usd, commitment_year, start_year, completion_year, "
    "funding_agencies, receiving_agencies, implementing_agencies, geometry, latitude, longitude, "
    "admin1, admin2, dataset, dataset_version, source_id, source_file, source_line, licence_id, "
    "licence_redistribution, licence_attribution";

std::string SiteDigest(const model::Site& site) {
  return Sha256Hex(model::ToJson(site, /*with_geometry=*/false).dump() + "\n" + site.geometry);
}

Result<model::Site> ReadSite(sqlite3_stmt* s) {
  model::Site site;
  int i = 0;
  auto id = Uuid::Parse(ColumnText(s, i++));
  if (!id) return Fail(ErrorCode::kInternal, "stored site id is not a UUID");
  site.id = *id;
  site.name = ColumnText(s, i++);
  site.sector = ColumnText(s, i++);
  site.status = ColumnText(s, i++);
  site.amount_usd = ColumnOptDouble(s, i++);
  site.commitment_year = ColumnOptInt(s, i++);
  site.start_year = ColumnOptInt(s, i++);
  site.completion_year = ColumnOptInt(s, i++);
  for (auto* list :
       {&site.funding_agencies, &site.receiving_agencies, &site.implementing_agencies}) {
    auto values = model::StringsFromJson(ColumnText(s, i++));
    if (!values) return Fail(values.error());
    *list = std::move(*values);
  }
  site.geometry = ColumnText(s, i++);
  site.latitude = sqlite3_column_double(s, i++);
  site.longitude = sqlite3_column_double(s, i++);
  site.admin1 = ColumnText(s, i++);
  site.admin2 = ColumnText(s, i++);
  site.provenance.dataset = ColumnText(s, i++);
  site.provenance.dataset_version = ColumnText(s, i++);
  site.provenance.source_id = ColumnText(s, i++);
  site.provenance.file = ColumnText(s, i++);
  site.provenance.line = sqlite3_column_int64(s, i++);
  site.licence.id = ColumnText(s, i++);
  site.licence.redistribution = sqlite3_column_int(s, i++) != 0;
  site.licence.attribution = ColumnText(s, i++);
  return site;
}

}  // namespace

// ---- areas

Result<void> SqliteStore::ReplaceAreas(int level, std::span<const model::Area> areas) {
  std::lock_guard<std::mutex> lock(write_mu_);
  auto del = writer_->Prepare("DELETE FROM areas WHERE level = ?");
  if (!del) return Fail(del.error());
  auto insert = writer_->Prepare(
      std::string("INSERT INTO areas (") + kAreaColumns +
      ", min_lon, min_lat, max_lon, max_lat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return Fail(insert.error());
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  {
    Scope scope(*del);
    BindInt(*del, 1, level);
    if (auto r = StepDone(*writer_, *del, "delete areas"); !r) return Fail(r.error());
  }
  for (const model::Area& a : areas) {
    if (a.level != level) {
      return Fail(ErrorCode::kInvalidArgument, "area " + a.pcode + ": level " +
                                                   std::to_string(a.level) + " given for level " +
                                                   std::to_string(level));
    }
    auto extent = GeometryExtent(a.geometry, "area " + a.pcode);
    if (!extent) return Fail(extent.error());
    const std::string alt = model::StringsToJson(a.alt_names);
    Scope scope(*insert);
    BindInt(*insert, 1, a.level);
    BindText(*insert, 2, a.pcode);
    BindText(*insert, 3, a.name);
    BindText(*insert, 4, alt);
    BindText(*insert, 5, a.parent_pcode);
    BindText(*insert, 6, a.geometry);
    BindText(*insert, 7, a.source);
    BindText(*insert, 8, a.licence.id);
    BindInt(*insert, 9, a.licence.redistribution ? 1 : 0);
    BindText(*insert, 10, a.licence.attribution);
    if (!extent->empty()) {
      BindDouble(*insert, 11, extent->min_lon);
      BindDouble(*insert, 12, extent->min_lat);
      BindDouble(*insert, 13, extent->max_lon);
      BindDouble(*insert, 14, extent->max_lat);
    }
    if (auto r = StepDone(*writer_, *insert, "insert area " + a.pcode); !r) {
      Error error = r.error();
      if (error.code == ErrorCode::kConflict) error.code = ErrorCode::kInvalidArgument;
      return Fail(std::move(error));
    }
  }
  return txn.Commit();
}

Result<std::vector<model::Area>> SqliteStore::ListAreas(std::optional<int> level,
                                                        bool with_geometry) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  std::string sql = std::string("SELECT ") +
                    (with_geometry ? kAreaColumns : kAreaColumnsNoGeometry) + " FROM areas";
  if (level) sql += " WHERE level = ?";
  sql += " ORDER BY level, pcode";
  auto stmt = (*conn)->Prepare(sql);
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  if (level) BindInt(*stmt, 1, *level);
  std::vector<model::Area> out;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "list areas"));
    auto area = ReadArea(*stmt);
    if (!area) return Fail(area.error());
    out.push_back(std::move(*area));
  }
  return out;
}

Result<model::Area> SqliteStore::GetArea(const std::string& pcode) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt =
      (*conn)->Prepare(std::string("SELECT ") + kAreaColumns + " FROM areas WHERE pcode = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  BindText(*stmt, 1, pcode);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return Fail(ErrorCode::kNotFound, "no area " + pcode);
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "get area " + pcode));
  return ReadArea(*stmt);
}

// ---- sites

Result<UpsertSummary> SqliteStore::UpsertSites(std::span<const model::Site> sites) {
  if (sites.empty()) return UpsertSummary{};
  const std::string now = NowTimestamp();
  std::lock_guard<std::mutex> lock(write_mu_);
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  auto summary = UpsertSitesLocked(sites, now);
  if (!summary) return summary;
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return summary;
}

Result<UpsertSummary> SqliteStore::UpsertSitesLocked(std::span<const model::Site> sites,
                                                     const std::string& now) {
  UpsertSummary summary;
  // A retired site upserted again is current again (superseded_by = ''),
  // even when its content did not change.
  auto stmt = writer_->Prepare(
      std::string("INSERT INTO sites (") + kSiteColumns +
      ", created, modified, version, digest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
      "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?25, 1, ?26) "
      "ON CONFLICT (id) DO UPDATE SET name = excluded.name, sector = excluded.sector, "
      "status = excluded.status, amount_usd = excluded.amount_usd, "
      "commitment_year = excluded.commitment_year, start_year = excluded.start_year, "
      "completion_year = excluded.completion_year, funding_agencies = excluded.funding_agencies, "
      "receiving_agencies = excluded.receiving_agencies, "
      "implementing_agencies = excluded.implementing_agencies, geometry = excluded.geometry, "
      "latitude = excluded.latitude, longitude = excluded.longitude, admin1 = excluded.admin1, "
      "admin2 = excluded.admin2, dataset = excluded.dataset, "
      "dataset_version = excluded.dataset_version, source_id = excluded.source_id, "
      "source_file = excluded.source_file, source_line = excluded.source_line, "
      "licence_id = excluded.licence_id, "
      "licence_redistribution = excluded.licence_redistribution, "
      "licence_attribution = excluded.licence_attribution, modified = excluded.modified, "
      "version = sites.version + 1, digest = excluded.digest, superseded_by = '' "
      "WHERE sites.digest <> excluded.digest OR sites.superseded_by <> '' RETURNING version");
  if (!stmt) return Fail(stmt.error());
  for (const model::Site& site : sites) {
    const std::string id = site.id.str();
    const std::string funding = model::StringsToJson(site.funding_agencies);
    const std::string receiving = model::StringsToJson(site.receiving_agencies);
    const std::string implementing = model::StringsToJson(site.implementing_agencies);
    const std::string digest = SiteDigest(site);
    Scope scope(*stmt);
    int i = 1;
    BindText(*stmt, i++, id);
    BindText(*stmt, i++, site.name);
    BindText(*stmt, i++, site.sector);
    BindText(*stmt, i++, site.status);
    BindOptDouble(*stmt, i++, site.amount_usd);
    BindOptInt(*stmt, i++, site.commitment_year);
    BindOptInt(*stmt, i++, site.start_year);
    BindOptInt(*stmt, i++, site.completion_year);
    BindText(*stmt, i++, funding);
    BindText(*stmt, i++, receiving);
    BindText(*stmt, i++, implementing);
    BindText(*stmt, i++, site.geometry);
    BindDouble(*stmt, i++, site.latitude);
    BindDouble(*stmt, i++, site.longitude);
    BindText(*stmt, i++, site.admin1);
    BindText(*stmt, i++, site.admin2);
    BindText(*stmt, i++, site.provenance.dataset);
    BindText(*stmt, i++, site.provenance.dataset_version);
    BindText(*stmt, i++, site.provenance.source_id);
    BindText(*stmt, i++, site.provenance.file);
    BindInt(*stmt, i++, site.provenance.line);
    BindText(*stmt, i++, site.licence.id);
    BindInt(*stmt, i++, site.licence.redistribution ? 1 : 0);
    BindText(*stmt, i++, site.licence.attribution);
    BindText(*stmt, i++, now);
    BindText(*stmt, i++, digest);
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_ROW) {
      if (sqlite3_column_int(*stmt, 0) == 1) {
        ++summary.inserted;
      } else {
        ++summary.updated;
      }
    } else if (rc == SQLITE_DONE) {
      ++summary.unchanged;
    } else {
      return Fail(writer_->LastError(rc, "upsert site " + id));
    }
  }
  return summary;
}

Result<ReplaceSitesSummary> SqliteStore::ReplaceSites(std::string_view dataset,
                                                      std::span<const model::Site> sites) {
  // Every new site's members (the source ids it took over), checked first.
  std::map<std::string, std::string> successor_of;  // member source_id -> new site id
  std::set<std::string> ids;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const model::Site& site = sites[i];
    const std::string at = "sites[" + std::to_string(i) + "] (" + site.id.str() + ")";
    if (site.provenance.dataset != dataset) {
      return Fail(ErrorCode::kInvalidArgument, at + ": dataset '" + site.provenance.dataset +
                                                   "' is not '" + std::string(dataset) + "'");
    }
    if (!ids.insert(site.id.str()).second) {
      return Fail(ErrorCode::kInvalidArgument, at + ": the id is given twice");
    }
    std::string_view members = site.provenance.source_id;
    while (!members.empty()) {
      const std::size_t comma = members.find(',');
      const std::string_view member = members.substr(0, comma);
      if (!member.empty()) successor_of.emplace(std::string(member), site.id.str());
      members = comma == std::string_view::npos ? std::string_view{} : members.substr(comma + 1);
    }
  }
  const std::string now = NowTimestamp();
  std::lock_guard<std::mutex> lock(write_mu_);
  WriteTransaction txn(*writer_);
  if (auto r = txn.Begin(); !r) return Fail(r.error());
  ReplaceSitesSummary summary;
  auto upserted = UpsertSitesLocked(sites, now);
  if (!upserted) return Fail(upserted.error());
  summary.upserted = *upserted;

  // The current sites of the dataset that are not among the new ones.
  std::vector<std::pair<std::string, std::string>> retiring;  // (id, source_id)
  {
    auto stmt = writer_->Prepare(
        "SELECT id, source_id FROM sites WHERE dataset = ? AND superseded_by = '' ORDER BY id");
    if (!stmt) return Fail(stmt.error());
    Scope scope(*stmt);
    const std::string name(dataset);
    BindText(*stmt, 1, name);
    for (;;) {
      const int rc = sqlite3_step(*stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Fail(writer_->LastError(rc, "list the dataset's sites"));
      std::string id = ColumnText(*stmt, 0);
      if (!ids.contains(id)) retiring.emplace_back(std::move(id), ColumnText(*stmt, 1));
    }
  }
  auto retire = writer_->Prepare(
      "UPDATE sites SET superseded_by = ?2, modified = ?3, version = version + 1 WHERE id = ?1");
  // A subscription moves; when the user already follows the successor the two
  // merge, keeping the wider radius (no alert the user had is lost). An alert
  // moves unless the user has one for the incident on the successor (the
  // duplicate is dropped).
  auto move_subs = writer_->Prepare(
      "INSERT INTO site_subscriptions (username, site, radius_m, created) "
      "SELECT username, ?2, radius_m, created FROM site_subscriptions WHERE site = ?1 "
      "ON CONFLICT (username, site) DO UPDATE SET radius_m = MAX(radius_m, excluded.radius_m)");
  auto drop_subs = writer_->Prepare("DELETE FROM site_subscriptions WHERE site = ?1");
  auto move_alerts = writer_->Prepare("UPDATE OR IGNORE alerts SET site = ?2 WHERE site = ?1");
  auto drop_alerts = writer_->Prepare("DELETE FROM alerts WHERE site = ?1");  // duplicates left
  if (!retire) return Fail(retire.error());
  if (!move_subs) return Fail(move_subs.error());
  if (!drop_subs) return Fail(drop_subs.error());
  if (!move_alerts) return Fail(move_alerts.error());
  if (!drop_alerts) return Fail(drop_alerts.error());
  for (const auto& [id, source_id] : retiring) {
    const auto it = successor_of.find(source_id);
    const std::string successor = it == successor_of.end() ? kRetiredWithoutSuccessor : it->second;
    {
      Scope scope(*retire);
      BindText(*retire, 1, id);
      BindText(*retire, 2, successor);
      BindText(*retire, 3, now);
      if (auto r = StepDone(*writer_, *retire, "retire site " + id); !r) return Fail(r.error());
    }
    ++summary.retired;
    if (it == successor_of.end()) continue;
    ++summary.superseded;
    {
      Scope scope(*move_subs);
      BindText(*move_subs, 1, id);
      BindText(*move_subs, 2, successor);
      if (auto r = StepDone(*writer_, *move_subs, "move subscriptions of " + id); !r) {
        return Fail(r.error());
      }
      summary.subscriptions_moved += sqlite3_changes(writer_->handle());
    }
    for (sqlite3_stmt* s : {*drop_subs, *move_alerts, *drop_alerts}) {
      Scope scope(s);
      BindText(s, 1, id);
      if (s == *move_alerts) BindText(s, 2, successor);
      if (auto r = StepDone(*writer_, s, "move subscriptions and alerts of " + id); !r) {
        return Fail(r.error());
      }
    }
  }
  if (auto r = txn.Commit(); !r) return Fail(r.error());
  return summary;
}

Result<std::vector<model::Site>> SqliteStore::ListSites() const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(std::string("SELECT ") + kSiteColumns +
                               " FROM sites WHERE superseded_by = '' ORDER BY name, id");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  std::vector<model::Site> out;
  for (;;) {
    const int rc = sqlite3_step(*stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "list sites"));
    auto site = ReadSite(*stmt);
    if (!site) return Fail(site.error());
    out.push_back(std::move(*site));
  }
  return out;
}

Result<model::Site> SqliteStore::GetSite(const Uuid& id) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare(std::string("SELECT ") + kSiteColumns + " FROM sites WHERE id = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const std::string key = id.str();
  BindText(*stmt, 1, key);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return Fail(ErrorCode::kNotFound, "no site " + key);
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "get site " + key));
  return ReadSite(*stmt);
}

Result<std::optional<Uuid>> SqliteStore::SiteSuccessor(const Uuid& id) const {
  auto conn = AcquireReader();
  if (!conn) return Fail(conn.error());
  auto stmt = (*conn)->Prepare("SELECT superseded_by FROM sites WHERE id = ?");
  if (!stmt) return Fail(stmt.error());
  Scope scope(*stmt);
  const std::string key = id.str();
  BindText(*stmt, 1, key);
  const int rc = sqlite3_step(*stmt);
  if (rc == SQLITE_DONE) return Fail(ErrorCode::kNotFound, "no site " + key);
  if (rc != SQLITE_ROW) return Fail((*conn)->LastError(rc, "get site " + key));
  const std::string successor = ColumnText(*stmt, 0);
  if (successor.empty() || successor == kRetiredWithoutSuccessor) return std::optional<Uuid>{};
  auto parsed = Uuid::Parse(successor);
  if (!parsed)
    return Fail(ErrorCode::kInternal, "stored successor of site " + key + " is not a UUID");
  return std::optional<Uuid>{*parsed};
}

}  // namespace corridor::store
