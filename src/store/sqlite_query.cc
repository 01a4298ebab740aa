#include "store/sqlite_query.h"

#include <algorithm>
#include <cmath>

#include "store/sqlite_db.h"

namespace corridor::store::sqlite {
namespace {

// Lower bounds of the length of one degree on the WGS84 ellipsoid: of
// latitude (at the equator) and of longitude at latitude phi (a·cos phi, the
// ellipsoid's parallel is never shorter). Used for the bbox prefilter of
// `near`, with a small margin, so the prefilter never drops a true match.
constexpr double kKmPerDegreeLatMin = 110.574;
constexpr double kKmPerDegreeLonEquator = 111.3194;
constexpr double kMargin = 1.001;

void And(SqlWhere& where, std::string_view clause) {
  if (!where.sql.empty()) where.sql += " AND ";
  where.sql += clause;
}

}  // namespace

std::string FtsMatchExpression(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size()) break;
    std::size_t j = i;
    while (j < text.size() && !is_space(text[j])) ++j;
    if (!out.empty()) out += ' ';
    out += '"';
    for (char c : text.substr(i, j - i)) {
      if (c == '"') out += '"';  // "" inside an FTS5 string is a literal quote
      out += c;
    }
    out += '"';
    i = j;
  }
  return out;
}

void AppendVisibility(SqlWhere& where, const Viewer& viewer) {
  if (viewer.system) return;
  // One disjunct per marking the viewer may read at all; each names who may
  // see an object of that marking (the table in docs/security.md, the same
  // rule as auth::Decide, checked against it by tests/auth).
  std::string any = "(tlp = 0";
  const int max = model::Strictness(viewer.max_tlp);
  const bool has_org = !viewer.org.empty();
  if (max >= model::Strictness(model::Tlp::kGreen) && has_org) {
    // GREEN: the author's organisation, and every organisation of the trust group.
    any += " OR (tlp = 1 AND (author_org = ?";
    where.args.emplace_back(viewer.org);
    if (!viewer.trust_groups.empty()) {
      any += " OR dist_trust_group IN (";
      for (std::size_t i = 0; i < viewer.trust_groups.size(); ++i) {
        any += i == 0 ? "?" : ", ?";
        where.args.emplace_back(viewer.trust_groups[i]);
      }
      any += ")";
    }
    any += "))";
  }
  if (max >= model::Strictness(model::Tlp::kAmber) && has_org) {
    // AMBER and AMBER+STRICT: the author's organisation and the named ones.
    const int top = std::min(max, model::Strictness(model::Tlp::kAmberStrict));
    any +=
        " OR (tlp BETWEEN 2 AND ? AND (author_org = ? OR EXISTS "
        "(SELECT 1 FROM json_each(dist_orgs) WHERE value = ?)))";
    where.args.emplace_back(std::int64_t{top});
    where.args.emplace_back(viewer.org);
    where.args.emplace_back(viewer.org);
  }
  if (max >= model::Strictness(model::Tlp::kRed) && !viewer.username.empty()) {
    // RED: the author and the named users.
    any +=
        " OR (tlp = 4 AND (author = ? OR EXISTS "
        "(SELECT 1 FROM json_each(dist_users) WHERE value = ?)))";
    where.args.emplace_back(viewer.username);
    where.args.emplace_back(viewer.username);
  }
  any += ")";
  And(where, any);
}

Result<SqlWhere> BuildWhere(const model::IncidentFilter& filter, const Viewer& viewer,
                            AreaColumn area_column) {
  if (auto valid = model::ValidateFilter(filter); !valid) return Fail(valid.error());
  SqlWhere where;
  AppendVisibility(where, viewer);
  if (!filter.include_revoked) And(where, "revoked = 0");
  // One event, several sources (docs/links.md): across sources, a record an
  // analyst confirmed as another's event is counted in that one only; within
  // one dataset every record of it counts.
  if (!filter.include_duplicates && !filter.dataset) And(where, "counted_in = ''");
  if (filter.from) {
    And(where, "date_end >= ?");
    where.args.emplace_back(std::int64_t{filter.from->days()});
  }
  if (filter.to) {
    And(where, "date_start <= ?");
    where.args.emplace_back(std::int64_t{filter.to->days()});
  }
  if (filter.area) {
    switch (area_column) {
      case AreaColumn::kAdmin1:
        And(where, "admin1 = ?");
        break;
      case AreaColumn::kAdmin1Scanned:
        And(where, "+admin1 = ?");  // unary plus: not an index term
        break;
      case AreaColumn::kAdmin2:
        And(where, "admin2 = ?");
        break;
      case AreaColumn::kEither:
        And(where, "(admin1 = ? OR admin2 = ?)");
        where.args.emplace_back(*filter.area);
        break;
    }
    where.args.emplace_back(*filter.area);
  }
  if (filter.bbox) {
    const auto& b = *filter.bbox;
    And(where, "latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?");
    where.args.emplace_back(b.min_lat);
    where.args.emplace_back(b.max_lat);
    where.args.emplace_back(b.min_lon);
    where.args.emplace_back(b.max_lon);
  }
  if (filter.near) {
    const auto& n = *filter.near;
    if (!(n.km > 0) || !std::isfinite(n.km)) {
      return Fail(ErrorCode::kInvalidArgument, "near: km must be a number > 0");
    }
    const double dlat = n.km / kKmPerDegreeLatMin * kMargin + 1e-9;
    const double lat_lo = n.lat - dlat;
    const double lat_hi = n.lat + dlat;
    And(where, "latitude BETWEEN ? AND ?");
    where.args.emplace_back(lat_lo);
    where.args.emplace_back(lat_hi);
    const double phi = std::max(std::abs(lat_lo), std::abs(lat_hi));
    if (phi < 89.0) {
      const double dlon =
          n.km / (kKmPerDegreeLonEquator * std::cos(phi * M_PI / 180.0)) * kMargin + 1e-9;
      // Skip the longitude prefilter when the circle crosses the antimeridian.
      if (n.lon - dlon >= -180.0 && n.lon + dlon <= 180.0) {
        And(where, "longitude BETWEEN ? AND ?");
        where.args.emplace_back(n.lon - dlon);
        where.args.emplace_back(n.lon + dlon);
      }
    }
    And(where, "corridor_geodesic_m(latitude, longitude, ?, ?) <= ?");
    where.args.emplace_back(n.lat);
    where.args.emplace_back(n.lon);
    where.args.emplace_back(n.km * 1000.0);
  }
  if (!filter.categories.empty()) {
    std::string in = "category IN (";
    for (std::size_t i = 0; i < filter.categories.size(); ++i) {
      in += i == 0 ? "?" : ", ?";
      where.args.emplace_back(std::string(model::CategoryName(filter.categories[i])));
    }
    in += ")";
    And(where, in);
  }
  if (filter.text) {
    std::string match = FtsMatchExpression(*filter.text);
    if (!match.empty()) {
      And(where, "rowid IN (SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH ?)");
      where.args.emplace_back(std::move(match));
    }
  }
  if (filter.dataset) {
    And(where, "dataset = ?");
    where.args.emplace_back(*filter.dataset);
  }
  if (filter.organisation) {
    // The organisation's names as the service resolved them from the curated
    // table: a side or perpetrator whose search key is one of them, for the
    // name's dataset (or any, "*"). The raw names are never compared.
    if (filter.organisation_names.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "organisation: '" + *filter.organisation + "' has no names resolved");
    }
    std::string any;
    for (const auto& [dataset, key] : filter.organisation_names) {
      any += any.empty() ? "" : " OR ";
      if (dataset == "*") {
        any += "k = ?";
      } else {
        any += "(dataset = ? AND k = ?)";
        where.args.emplace_back(dataset);
      }
      where.args.emplace_back(key);
    }
    And(where,
        "EXISTS (SELECT 1 FROM (SELECT corridor_search_key(value) AS k FROM json_each(parties) "
        "UNION ALL SELECT corridor_search_key(value) FROM json_each(perpetrators)) WHERE " +
            any + ")");
  }
  if (where.sql.empty()) where.sql = "1";
  return where;
}

const char* GroupKeySql(GroupBy by) {
  switch (by) {
    case GroupBy::kAdmin1:
      return "admin1";
    case GroupBy::kAdmin2:
      return "admin2";
    case GroupBy::kYear:
      return "strftime('%Y', date_start * 86400, 'unixepoch')";
    case GroupBy::kMonth:
      return "strftime('%Y-%m', date_start * 86400, 'unixepoch')";
    case GroupBy::kCategory:
      return "category";
    case GroupBy::kDataset:
      return "dataset";
  }
  return "''";
}

int BindArgs(sqlite3_stmt* stmt, const std::vector<SqlArg>& args, int first) {
  int i = first;
  for (const SqlArg& arg : args) {
    if (const auto* v = std::get_if<std::int64_t>(&arg)) {
      BindInt(stmt, i, *v);
    } else if (const auto* d = std::get_if<double>(&arg)) {
      BindDouble(stmt, i, *d);
    } else {
      BindText(stmt, i, std::get<std::string>(arg));
    }
    ++i;
  }
  return i;
}

}  // namespace corridor::store::sqlite
