// ACLED (standard export columns) -> Incident. The mapping table is docs/formats.md, "ACLED".
#include <array>
#include <utility>

#include "corridor/common/uuid.h"
#include "corridor/datasets/catalog.h"
#include "ingest/adapter_util.h"

namespace corridor::ingest::internal {
namespace {

using model::Category;
using model::DatePrecision;
using model::LocationPrecision;

constexpr std::array<std::string_view, 18> kRequired = {
    "event_id_cnty", "event_date",    "time_precision", "event_type",    "sub_event_type",
    "actor1",        "assoc_actor_1", "actor2",         "assoc_actor_2", "country",
    "admin1",        "admin2",        "location",       "latitude",      "longitude",
    "geo_precision", "notes",         "fatalities"};
constexpr std::array<std::string_view, 2> kOptional = {"iso", "civilian_targeting"};

// sub_event_type -> category (ACLED codebook 2019-2023 event types).
struct SubEvent {
  std::string_view name;
  Category category;
};
constexpr std::array<SubEvent, 25> kSubEvents{{
    // Battles
    {"Armed clash", Category::kArmedClash},
    {"Government regains territory", Category::kArmedClash},
    {"Non-state actor overtakes territory", Category::kArmedClash},
    // Explosions/Remote violence
    {"Chemical weapon", Category::kRemoteViolence},
    {"Air/drone strike", Category::kRemoteViolence},
    {"Suicide bomb", Category::kSuicideBombing},
    {"Shelling/artillery/missile attack", Category::kRemoteViolence},
    {"Remote explosive/landmine/IED", Category::kBombing},
    {"Grenade", Category::kBombing},
    // Violence against civilians
    {"Sexual violence", Category::kViolenceAgainstCivilians},
    {"Attack", Category::kViolenceAgainstCivilians},
    {"Abduction/forced disappearance", Category::kKidnappingHostage},
    // Protests
    {"Peaceful protest", Category::kUnknown},
    {"Protest with intervention", Category::kUnknown},
    {"Excessive force against protesters", Category::kViolenceAgainstCivilians},
    // Riots
    {"Violent demonstration", Category::kUnarmedAssault},
    {"Mob violence", Category::kUnarmedAssault},
    // Strategic developments
    {"Agreement", Category::kUnknown},
    {"Arrests", Category::kUnknown},
    {"Change to group/activity", Category::kUnknown},
    {"Disrupted weapons use", Category::kUnknown},
    {"Headquarters or base established", Category::kUnknown},
    {"Looting/property destruction", Category::kFacilityAttack},
    {"Non-violent transfer of territory", Category::kUnknown},
    {"Other", Category::kUnknown},
}};

class AcledAdapter : public ColumnAdapter {
 public:
  explicit AcledAdapter(Columns columns) : ColumnAdapter(std::move(columns), "acled") {}

  tl::expected<model::Incident, Reject> Convert(const CsvRecord& record) const override;
};

tl::expected<model::Incident, Reject> AcledAdapter::Convert(const CsvRecord& record) const {
  auto reject = [&](std::string_view column, std::string reason) {
    return tl::make_unexpected(MakeReject(record, column, std::move(reason)));
  };
  if (auto bad = CheckFieldCount(record)) return tl::make_unexpected(std::move(*bad));

  model::Incident inc;
  const std::string_view event_id = Get(record, "event_id_cnty");
  if (event_id.empty()) return reject("event_id_cnty", "missing event id");
  inc.id = RecordId("acled", event_id);
  inc.provenance.dataset = "acled";
  inc.provenance.source_id = std::string(event_id);
  inc.provenance.line = record.line;

  auto date = ParseAcledDate(Get(record, "event_date"));
  if (!date) return reject("event_date", date.error());
  auto time_precision = ParseInt(Get(record, "time_precision"), 1, 3);
  if (!time_precision) return reject("time_precision", time_precision.error());
  inc.date_start = inc.date_end = *date;
  switch (time_precision->value_or(0)) {
    case 1:
      inc.date_precision = DatePrecision::kDay;
      break;
    case 2:
      inc.date_precision = DatePrecision::kWeek;
      break;
    case 3:  // the calendar month the recorded date falls in
      inc.date_precision = DatePrecision::kMonth;
      inc.date_start = *Date::FromYmd(date->year(), date->month(), 1);
      inc.date_end = LastDayOfMonth(date->year(), date->month());
      break;
    default:
      inc.date_precision = DatePrecision::kUnknown;
  }

  auto lat = ParseDouble(Get(record, "latitude"), -90, 90);
  if (!lat) return reject("latitude", lat.error());
  auto lon = ParseDouble(Get(record, "longitude"), -180, 180);
  if (!lon) return reject("longitude", lon.error());
  if (lat->has_value() != lon->has_value()) {
    return reject(lat->has_value() ? "longitude" : "latitude", "missing while the other is given");
  }
  inc.latitude = *lat;
  inc.longitude = *lon;
  auto geo_precision = ParseInt(Get(record, "geo_precision"), 1, 3);
  if (!geo_precision) return reject("geo_precision", geo_precision.error());
  static constexpr std::array<LocationPrecision, 4> kGeoPrecision = {
      LocationPrecision::kNone, LocationPrecision::kExact, LocationPrecision::kNear,
      LocationPrecision::kProvince};
  inc.location_precision = kGeoPrecision[static_cast<std::size_t>(geo_precision->value_or(0))];
  if (!inc.latitude) inc.location_precision = LocationPrecision::kNone;
  const std::string_view location = Get(record, "location");
  inc.location = std::string(location);
  inc.source_admin1 = std::string(Get(record, "admin1"));
  inc.source_admin2 = std::string(Get(record, "admin2"));
  auto iso = ParseInt(Get(record, "iso"), 0, 999);
  if (!iso) return reject("iso", iso.error());
  const std::string_view country = Get(record, "country");
  std::optional<std::string> iso3;
  if (iso->has_value()) iso3 = Iso3FromNumeric(**iso);
  if (!iso3) iso3 = Iso3FromName(country);
  inc.country = iso3.value_or(std::string(country));

  const std::string_view event_type = Get(record, "event_type");
  const std::string_view sub_event_type = Get(record, "sub_event_type");
  inc.category = Category::kUnknown;
  for (const auto& sub : kSubEvents) {
    if (sub.name == sub_event_type) {
      inc.category = sub.category;
      break;
    }
  }
  inc.source_type = "acled:" + std::string(event_type) + "/" + std::string(sub_event_type);
  if (!Get(record, "civilian_targeting").empty()) inc.target_types.emplace_back("Civilians");

  const std::string_view actor1 = Get(record, "actor1");
  for (std::string_view column : {"actor1", "assoc_actor_1", "actor2", "assoc_actor_2"}) {
    AddUnique(inc.parties, Get(record, column));
  }
  if (event_type == "Violence against civilians" || event_type == "Explosions/Remote violence" ||
      event_type == "Strategic developments") {
    AddUnique(inc.perpetrators, actor1);
  }

  auto fatalities = ParseInt(Get(record, "fatalities"), 0, 1'000'000);
  if (!fatalities) return reject("fatalities", fatalities.error());
  inc.killed = *fatalities;

  inc.headline = std::string(sub_event_type);
  if (!location.empty()) inc.headline += " in " + std::string(location);
  inc.description = std::string(Get(record, "notes"));
  inc.licence = licence_;
  inc.marking.tlp = model::Tlp::kClear;  // public datasets import as CLEAR (docs/security.md)
  return inc;
}

}  // namespace

Result<std::unique_ptr<SourceAdapter>> MakeAcledAdapter(const std::vector<std::string>& header) {
  auto columns = Columns::Find("ACLED", header, kRequired, kOptional);
  if (!columns) return Fail(columns.error());
  return std::unique_ptr<SourceAdapter>(std::make_unique<AcledAdapter>(std::move(*columns)));
}

}  // namespace corridor::ingest::internal
