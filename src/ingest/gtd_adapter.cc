// GTD (START codebook columns) -> Incident. The mapping table is docs/formats.md, "GTD".
#include <array>
#include <cctype>
#include <string>
#include <utility>

#include "corridor/common/uuid.h"
#include "corridor/datasets/catalog.h"
#include "ingest/adapter_util.h"

namespace corridor::ingest::internal {
namespace {

using model::Category;
using model::DatePrecision;
using model::LocationPrecision;

constexpr std::array<std::string_view, 15> kRequired = {
    "eventid",     "iyear",   "imonth",   "iday",      "country_txt",
    "provstate",   "city",    "latitude", "longitude", "specificity",
    "attacktype1", "suicide", "gname",    "nkill",     "nwound"};
constexpr std::array<std::string_view, 20> kOptional = {
    "extended",      "resolution",    "country",     "attacktype1_txt", "targtype1_txt",
    "targtype2_txt", "targtype3_txt", "natlty1",     "natlty2",         "natlty3",
    "natlty1_txt",   "natlty2_txt",   "natlty3_txt", "gname2",          "gname3",
    "nhostkid",      "property",      "propextent",  "summary",         "location"};

// True for GTD perpetrator entries that describe people rather than name an
// organisation: the codebook's generic labels end in a word such as
// "extremists" or are one such word ("Gunmen", "Tribesmen").
bool IsGenericGtdGroup(std::string_view group) {
  static constexpr std::array<std::string_view, 14> kGenericWords = {
      "extremists", "militants",  "separatists", "gunmen",     "tribesmen",
      "insurgents", "rebels",     "guerrillas",  "assailants", "students",
      "protesters", "villagers", "nationalists", "activists"};
  std::string lower(group);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "other") return true;
  for (const std::string_view word : kGenericWords) {
    if (lower.size() >= word.size() &&
        lower.compare(lower.size() - word.size(), word.size(), word) == 0) {
      return true;
    }
  }
  return false;
}

// attacktype1 codes 1..9 (codebook section 2.4).
constexpr std::array<Category, 10> kAttackTypes = {
    Category::kUnknown,            // 0: not a code
    Category::kAssassination,      // 1 Assassination
    Category::kArmedAssault,       // 2 Armed Assault
    Category::kBombing,            // 3 Bombing/Explosion
    Category::kHijacking,          // 4 Hijacking
    Category::kKidnappingHostage,  // 5 Hostage Taking (Barricade Incident)
    Category::kKidnappingHostage,  // 6 Hostage Taking (Kidnapping)
    Category::kFacilityAttack,     // 7 Facility/Infrastructure Attack
    Category::kUnarmedAssault,     // 8 Unarmed Assault
    Category::kUnknown,            // 9 Unknown
};

class GtdAdapter : public ColumnAdapter {
 public:
  explicit GtdAdapter(Columns columns) : ColumnAdapter(std::move(columns), "gtd") {}

  tl::expected<model::Incident, Reject> Convert(const CsvRecord& record) const override;
};

tl::expected<model::Incident, Reject> GtdAdapter::Convert(const CsvRecord& record) const {
  auto reject = [&](std::string_view column, std::string reason) {
    return tl::make_unexpected(MakeReject(record, column, std::move(reason)));
  };
  if (auto bad = CheckFieldCount(record)) return tl::make_unexpected(std::move(*bad));
  // Parses an integer column or returns its reject from the enclosing function.
#define CORRIDOR_GTD_INT(var, column, min, max)                   \
  auto var##_parsed = ParseInt(Get(record, column), min, max);    \
  if (!var##_parsed) return reject(column, var##_parsed.error()); \
  const std::optional<int> var = *var##_parsed

  model::Incident inc;
  const std::string_view eventid = Get(record, "eventid");
  if (eventid.empty()) return reject("eventid", "missing event id");
  inc.id = RecordId("gtd", eventid);
  inc.provenance.dataset = "gtd";
  inc.provenance.source_id = std::string(eventid);
  inc.provenance.line = record.line;

  // Date: imonth/iday 0 mean unknown (codebook 2.1).
  CORRIDOR_GTD_INT(year, "iyear", 1970, 2100);
  CORRIDOR_GTD_INT(month, "imonth", 0, 12);
  CORRIDOR_GTD_INT(day, "iday", 0, 31);
  if (!year) return reject("iyear", "missing");
  if (!month || *month == 0) {
    inc.date_start = *Date::FromYmd(*year, 1, 1);
    inc.date_end = *Date::FromYmd(*year, 12, 31);
    inc.date_precision = DatePrecision::kYear;
  } else if (!day || *day == 0) {
    inc.date_start = *Date::FromYmd(*year, *month, 1);
    inc.date_end = LastDayOfMonth(*year, *month);
    inc.date_precision = DatePrecision::kMonth;
  } else {
    const auto date = Date::FromYmd(*year, *month, *day);
    if (!date)
      return reject("iday", "not a real date: " + std::to_string(*year) + "-" +
                                std::to_string(*month) + "-" + std::to_string(*day));
    inc.date_start = inc.date_end = *date;
    inc.date_precision = DatePrecision::kDay;
  }
  CORRIDOR_GTD_INT(extended, "extended", 0, 1);
  if (extended.value_or(0) == 1 && inc.date_precision == DatePrecision::kDay &&
      !Get(record, "resolution").empty()) {
    auto resolution = ParseSourceDate(Get(record, "resolution"));
    if (!resolution) return reject("resolution", resolution.error());
    if (*resolution < inc.date_start) return reject("resolution", "before the start date");
    inc.date_end = *resolution;
    inc.date_precision = DatePrecision::kDays;
  }

  // Place.
  auto lat = ParseDouble(Get(record, "latitude"), -90, 90);
  if (!lat) return reject("latitude", lat.error());
  auto lon = ParseDouble(Get(record, "longitude"), -180, 180);
  if (!lon) return reject("longitude", lon.error());
  if (lat->has_value() != lon->has_value()) {
    return reject(lat->has_value() ? "longitude" : "latitude", "missing while the other is given");
  }
  inc.latitude = *lat;
  inc.longitude = *lon;
  CORRIDOR_GTD_INT(specificity, "specificity", 1, 5);
  static constexpr std::array<LocationPrecision, 6> kSpecificity = {
      LocationPrecision::kNone,     LocationPrecision::kNear,     LocationPrecision::kDistrict,
      LocationPrecision::kDistrict, LocationPrecision::kProvince, LocationPrecision::kNone};
  inc.location_precision = kSpecificity[static_cast<std::size_t>(specificity.value_or(0))];
  if (!inc.latitude) inc.location_precision = LocationPrecision::kNone;
  const std::string_view city = Get(record, "city");
  const std::string_view provstate = Get(record, "provstate");
  inc.location = std::string(city);
  inc.source_admin1 = std::string(provstate);
  const std::string_view country_txt = Get(record, "country_txt");
  CORRIDOR_GTD_INT(country_code, "country", 0, 100000);
  inc.country = Iso3FromGtdCode(country_code.value_or(0))
                    .value_or(Iso3FromName(country_txt).value_or(std::string(country_txt)));

  // What happened.
  CORRIDOR_GTD_INT(attack, "attacktype1", 1, 9);
  if (!attack) return reject("attacktype1", "missing");
  CORRIDOR_GTD_INT(suicide, "suicide", 0, 1);
  inc.category = kAttackTypes[static_cast<std::size_t>(*attack)];
  if (inc.category == Category::kBombing && suicide.value_or(0) == 1) {
    inc.category = Category::kSuicideBombing;
  }
  inc.source_type = "gtd:attacktype1=" + std::to_string(*attack);
  for (std::string_view column : {"targtype1_txt", "targtype2_txt", "targtype3_txt"}) {
    const std::string_view t = Get(record, column);
    if (t != ".") AddUnique(inc.target_types, t);
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kNatlty = {
      {{"natlty1", "natlty1_txt"}, {"natlty2", "natlty2_txt"}, {"natlty3", "natlty3_txt"}}};
  for (const auto& [code_column, text_column] : kNatlty) {
    auto code = ParseInt(Get(record, code_column), -9, 100000);
    if (!code) return reject(code_column, code.error());
    const std::string_view text = Get(record, text_column);
    std::optional<std::string> iso;
    if (code->has_value()) iso = Iso3FromGtdCode(**code);
    if (!iso) iso = Iso3FromName(text);
    if (iso) {
      AddUnique(inc.target_nationalities, *iso);
    } else if (text != "." && text != "Unknown") {
      AddUnique(inc.target_nationalities, text);  // outside the table: the name, as given
    }
  }
  for (std::string_view column : {"gname", "gname2", "gname3"}) {
    const std::string_view group = Get(record, column);
    if (group.empty() || group == "Unknown") continue;
    AddUnique(inc.parties, group);
    // Only named organisations become perpetrators (DESIGN.md, first line).
    // GTD also records generic descriptions ("Gunmen", "Tribesmen", "Muslim
    // extremists", "Baloch separatists"): those name no organisation, and some
    // name a religious or ethnic group, so they stay provenance in `parties`.
    if (!IsGenericGtdGroup(group)) AddUnique(inc.perpetrators, group);
  }

  // Consequences. GTD writes unknown counts as blank, and hostages also as -99/-9.
  CORRIDOR_GTD_INT(nkill, "nkill", 0, 1'000'000);
  CORRIDOR_GTD_INT(nwound, "nwound", 0, 1'000'000);
  CORRIDOR_GTD_INT(nhostkid, "nhostkid", -99, 1'000'000);
  if (nhostkid && *nhostkid < 0 && *nhostkid != -99 && *nhostkid != -9) {
    return reject("nhostkid", std::to_string(*nhostkid) + " is neither a count nor -99/-9");
  }
  inc.killed = nkill;
  inc.wounded = nwound;
  if (nhostkid && *nhostkid >= 0) inc.hostages = nhostkid;
  // Property: 1 yes / 0 no / -9 unknown; propextent 1 catastrophic .. 3 minor, 4 unknown.
  CORRIDOR_GTD_INT(property, "property", -9, 1);
  CORRIDOR_GTD_INT(propextent, "propextent", 1, 4);
  if (property && *property != 0 && *property != 1 && *property != -9) {
    return reject("property", std::to_string(*property) + " is not 1, 0 or -9");
  }
  if (property == 0) {
    inc.property_damage = 0;
  } else if (property == 1 && propextent && *propextent <= 3) {
    inc.property_damage = 4 - *propextent;
  }
#undef CORRIDOR_GTD_INT

  const std::string_view attack_text = Get(record, "attacktype1_txt");
  std::string headline(attack_text.empty() ? model::CategoryName(inc.category) : attack_text);
  if (!city.empty() && city != "Unknown") headline += " in " + std::string(city);
  if (!provstate.empty() && provstate != "Unknown") headline += ", " + std::string(provstate);
  inc.headline = std::move(headline);
  inc.description = std::string(Get(record, "summary"));
  inc.licence = licence_;
  inc.marking.tlp = model::Tlp::kClear;  // public datasets import as CLEAR (docs/security.md)
  return inc;
}

}  // namespace

Result<std::unique_ptr<SourceAdapter>> MakeGtdAdapter(const std::vector<std::string>& header) {
  auto columns = Columns::Find("GTD", header, kRequired, kOptional);
  if (!columns) return Fail(columns.error());
  return std::unique_ptr<SourceAdapter>(std::make_unique<GtdAdapter>(std::move(*columns)));
}

}  // namespace corridor::ingest::internal
