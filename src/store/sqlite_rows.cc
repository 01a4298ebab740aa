#include "store/sqlite_rows.h"

#include <nlohmann/json.hpp>

#include "corridor/common/strings.h"
#include "corridor/model/json.h"

namespace corridor::store::rows {
namespace {

using sqlite::BindDouble;
using sqlite::BindOptDouble;
using sqlite::BindOptInt;
using sqlite::ColumnOptDouble;
using sqlite::ColumnOptInt;
using sqlite::ColumnText;

std::string Join(const char* const* begin, const char* const* end, const char* prefix = "") {
  std::string out;
  for (const char* const* p = begin; p != end; ++p) {
    if (!out.empty()) out += ", ";
    out += prefix;
    out += *p;
  }
  return out;
}

}  // namespace

const std::string& IncidentSelectList() {
  static const std::string kList = [] {
    std::string list;
    for (const char* column : kIncidentContent) {
      if (!list.empty()) list += ", ";
      if (std::string_view(column) == "licence_ref") {
        list +=
            "(SELECT licence_id FROM licences WHERE ref = incidents.licence_ref), "
            "(SELECT redistribution FROM licences WHERE ref = incidents.licence_ref), "
            "(SELECT attribution FROM licences WHERE ref = incidents.licence_ref)";
      } else {
        list += column;
      }
    }
    return list + ", created, modified, version, " + kMarkingColumns;
  }();
  return kList;
}

const std::string& IncidentInsertSql() {
  static const std::string kSql = [] {
    std::string sql = "INSERT INTO incidents (" +
                      Join(kIncidentContent.begin(), kIncidentContent.end()) +
                      ", created, modified, version, digest, " + kMarkingColumns + ") VALUES (";
    for (std::size_t i = 1; i <= kIncidentContent.size(); ++i)
      sql += "?" + std::to_string(i) + ", ";
    const std::string now = "?" + std::to_string(kIncidentContent.size() + 1);
    const std::string digest = "?" + std::to_string(kIncidentContent.size() + 2);
    sql += now + ", " + now + ", 1, " + digest;
    for (std::size_t i = kIncidentContent.size() + 3; i <= kIncidentContent.size() + 8; ++i)
      sql += ", ?" + std::to_string(i);
    sql += ") ON CONFLICT (id) DO NOTHING";
    return sql;
  }();
  return kSql;
}

const std::string& IncidentUpdateSql() {
  static const std::string kSql = [] {
    std::string sql = "UPDATE incidents SET ";
    for (std::size_t i = 1; i < kIncidentContent.size(); ++i) {
      sql += std::string(kIncidentContent[i]) + " = ?" + std::to_string(i + 1) + ", ";
    }
    const std::string now = "?" + std::to_string(kIncidentContent.size() + 1);
    const std::string digest = "?" + std::to_string(kIncidentContent.size() + 2);
    sql += "modified = " + now + ", version = version + 1, digest = " + digest +
           " WHERE id = ?1 AND digest <> " + digest;
    return sql;
  }();
  return kSql;
}

void BindIncidentContent(sqlite3_stmt* s, const model::Incident& inc, IncidentScratch& scratch) {
  scratch.id = inc.id.str();
  scratch.target_types = model::StringsToJson(inc.target_types);
  scratch.target_nationalities = model::StringsToJson(inc.target_nationalities);
  scratch.parties = model::StringsToJson(inc.parties);
  scratch.perpetrators = model::StringsToJson(inc.perpetrators);
  int i = 1;
  BindText(s, i++, scratch.id);
  BindText(s, i++, inc.provenance.dataset);
  BindText(s, i++, inc.provenance.dataset_version);
  BindText(s, i++, inc.provenance.source_id);
  BindText(s, i++, inc.provenance.file);
  BindInt(s, i++, inc.provenance.line);
  BindInt(s, i++, inc.date_start.days());
  BindInt(s, i++, inc.date_end.days());
  BindText(s, i++, model::DatePrecisionName(inc.date_precision));
  BindOptDouble(s, i++, inc.latitude);
  BindOptDouble(s, i++, inc.longitude);
  BindText(s, i++, model::LocationPrecisionName(inc.location_precision));
  BindText(s, i++, inc.location);
  BindText(s, i++, inc.country);
  BindText(s, i++, inc.admin1);
  BindText(s, i++, inc.admin2);
  BindText(s, i++, model::AssignMethodName(inc.admin_method));
  BindText(s, i++, inc.source_admin1);
  BindText(s, i++, inc.source_admin2);
  BindText(s, i++, model::CategoryName(inc.category));
  BindText(s, i++, inc.source_type);
  BindInt(s, i++, inc.violence_type);
  BindText(s, i++, scratch.target_types);
  BindText(s, i++, scratch.target_nationalities);
  BindText(s, i++, scratch.parties);
  BindText(s, i++, scratch.perpetrators);
  BindOptInt(s, i++, inc.killed);
  BindOptInt(s, i++, inc.killed_low);
  BindOptInt(s, i++, inc.killed_high);
  BindOptInt(s, i++, inc.wounded);
  BindOptInt(s, i++, inc.hostages);
  BindOptInt(s, i++, inc.property_damage);
  BindText(s, i++, inc.headline);
  BindText(s, i++, inc.description);
  BindInt(s, i++, scratch.licence_ref);
  BindInt(s, i++, inc.revoked ? 1 : 0);
}

void BindMarking(sqlite3_stmt* s, int first, const model::Marking& m, std::string& users,
                 std::string& orgs) {
  users = model::StringsToJson(m.distribution.users);
  orgs = model::StringsToJson(m.distribution.organisations);
  BindInt(s, first, model::Strictness(m.tlp));
  BindText(s, first + 1, m.author);
  BindText(s, first + 2, m.author_org);
  BindText(s, first + 3, users);
  BindText(s, first + 4, orgs);
  BindText(s, first + 5, m.distribution.trust_group);
}

Result<model::Marking> ReadMarking(sqlite3_stmt* s, int first) {
  model::Marking m;
  const int tlp = sqlite3_column_int(s, first);
  if (tlp < 0 || tlp >= model::kTlpCount) {
    return Fail(ErrorCode::kInternal,
                "stored marking " + std::to_string(tlp) + " is not a TLP level");
  }
  m.tlp = static_cast<model::Tlp>(tlp);
  m.author = ColumnText(s, first + 1);
  m.author_org = ColumnText(s, first + 2);
  auto users = model::StringsFromJson(ColumnText(s, first + 3));
  if (!users) return Fail(users.error());
  auto orgs = model::StringsFromJson(ColumnText(s, first + 4));
  if (!orgs) return Fail(orgs.error());
  m.distribution.users = std::move(*users);
  m.distribution.organisations = std::move(*orgs);
  m.distribution.trust_group = ColumnText(s, first + 5);
  return m;
}

Result<std::vector<std::string>> ReadStrings(sqlite3_stmt* s, int col) {
  return model::StringsFromJson(ColumnText(s, col));
}

Result<model::Incident> ReadIncident(sqlite3_stmt* s) {
  model::Incident inc;
  int i = 0;
  auto id = Uuid::Parse(ColumnText(s, i++));
  if (!id) return Fail(ErrorCode::kInternal, "stored incident id is not a UUID");
  inc.id = *id;
  inc.provenance.dataset = ColumnText(s, i++);
  inc.provenance.dataset_version = ColumnText(s, i++);
  inc.provenance.source_id = ColumnText(s, i++);
  inc.provenance.file = ColumnText(s, i++);
  inc.provenance.line = sqlite3_column_int64(s, i++);
  inc.date_start = Date(sqlite3_column_int(s, i++));
  inc.date_end = Date(sqlite3_column_int(s, i++));
  inc.date_precision =
      model::ParseDatePrecision(ColumnText(s, i++)).value_or(model::DatePrecision::kUnknown);
  inc.latitude = ColumnOptDouble(s, i++);
  inc.longitude = ColumnOptDouble(s, i++);
  inc.location_precision =
      model::ParseLocationPrecision(ColumnText(s, i++)).value_or(model::LocationPrecision::kNone);
  inc.location = ColumnText(s, i++);
  inc.country = ColumnText(s, i++);
  inc.admin1 = ColumnText(s, i++);
  inc.admin2 = ColumnText(s, i++);
  inc.admin_method =
      model::ParseAssignMethod(ColumnText(s, i++)).value_or(model::AssignMethod::kNone);
  inc.source_admin1 = ColumnText(s, i++);
  inc.source_admin2 = ColumnText(s, i++);
  inc.category = model::ParseCategory(ColumnText(s, i++)).value_or(model::Category::kUnknown);
  inc.source_type = ColumnText(s, i++);
  inc.violence_type = sqlite3_column_int(s, i++);
  for (auto* list :
       {&inc.target_types, &inc.target_nationalities, &inc.parties, &inc.perpetrators}) {
    auto values = ReadStrings(s, i++);
    if (!values) return Fail(values.error());
    *list = std::move(*values);
  }
  inc.killed = ColumnOptInt(s, i++);
  inc.killed_low = ColumnOptInt(s, i++);
  inc.killed_high = ColumnOptInt(s, i++);
  inc.wounded = ColumnOptInt(s, i++);
  inc.hostages = ColumnOptInt(s, i++);
  inc.property_damage = ColumnOptInt(s, i++);
  inc.headline = ColumnText(s, i++);
  inc.description = ColumnText(s, i++);
  inc.licence.id = ColumnText(s, i++);
  inc.licence.redistribution = sqlite3_column_int(s, i++) != 0;
  inc.licence.attribution = ColumnText(s, i++);
  inc.revoked = sqlite3_column_int(s, i++) != 0;
  inc.created = ColumnText(s, kColCreated);
  inc.modified = ColumnText(s, kColModified);
  inc.version = sqlite3_column_int(s, kColVersion);
  auto marking = ReadMarking(s, kColMarking);
  if (!marking) return Fail(marking.error());
  inc.marking = std::move(*marking);
  return inc;
}

}  // namespace corridor::store::rows
