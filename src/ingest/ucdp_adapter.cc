// UCDP GED (web export) -> Incident. The mapping table is docs/formats.md, "UCDP GED".
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

constexpr std::array<std::string_view, 21> kRequired = {"id",
                                                        "type_of_violence",
                                                        "dyad_name",
                                                        "side_a",
                                                        "side_b",
                                                        "source_headline",
                                                        "source_original",
                                                        "where_prec",
                                                        "where_coordinates",
                                                        "where_description",
                                                        "adm_1",
                                                        "adm_2",
                                                        "latitude",
                                                        "longitude",
                                                        "country",
                                                        "date_prec",
                                                        "date_start",
                                                        "date_end",
                                                        "best_est",
                                                        "high_est",
                                                        "low_est"};

class UcdpAdapter : public SourceAdapter {
 public:
  explicit UcdpAdapter(Columns columns)
      : columns_(std::move(columns)),
        licence_(datasets::LicenceOf("ucdp-ged")),
        id_(columns_.Index("id")),
        type_(columns_.Index("type_of_violence")),
        dyad_(columns_.Index("dyad_name")),
        side_a_(columns_.Index("side_a")),
        side_b_(columns_.Index("side_b")),
        headline_(columns_.Index("source_headline")),
        original_(columns_.Index("source_original")),
        where_prec_(columns_.Index("where_prec")),
        where_coordinates_(columns_.Index("where_coordinates")),
        where_description_(columns_.Index("where_description")),
        adm1_(columns_.Index("adm_1")),
        adm2_(columns_.Index("adm_2")),
        latitude_(columns_.Index("latitude")),
        longitude_(columns_.Index("longitude")),
        country_(columns_.Index("country")),
        date_prec_(columns_.Index("date_prec")),
        date_start_(columns_.Index("date_start")),
        date_end_(columns_.Index("date_end")),
        best_(columns_.Index("best_est")),
        high_(columns_.Index("high_est")),
        low_(columns_.Index("low_est")) {}

  tl::expected<model::Incident, Reject> Convert(const CsvRecord& record) const override;

 private:
  Columns columns_;
  model::Licence licence_;
  int id_, type_, dyad_, side_a_, side_b_, headline_, original_, where_prec_, where_coordinates_,
      where_description_, adm1_, adm2_, latitude_, longitude_, country_, date_prec_, date_start_,
      date_end_, best_, high_, low_;
};

tl::expected<model::Incident, Reject> UcdpAdapter::Convert(const CsvRecord& record) const {
  auto reject = [&](std::string_view column, std::string reason) {
    return tl::make_unexpected(MakeReject(record, column, std::move(reason)));
  };
  // The web export ends every data row with a comma: exactly one extra, empty
  // field is accepted (and so is a row without it).
  const std::size_t n = columns_.header_size();
  const std::size_t got = record.fields.size();
  if (got != n && !(got == n + 1 && record.fields.back().empty())) {
    return reject("", "expected " + std::to_string(n) + " fields (or " + std::to_string(n + 1) +
                          " with an empty last one), got " + std::to_string(got));
  }

  model::Incident inc;
  const std::string_view id = FieldAt(record, id_);
  if (id.empty()) return reject("id", "missing event id");
  if (id.find_first_not_of("0123456789") != std::string_view::npos) {
    return reject("id", "not a UCDP event id: \"" + std::string(id) + "\"");
  }
  inc.id = RecordId("ucdp-ged", id);
  inc.provenance.dataset = "ucdp-ged";
  inc.provenance.dataset_version = "20.1";
  inc.provenance.source_id = std::string(id);
  inc.provenance.line = record.line;

  auto type = ParseInt(FieldAt(record, type_), 1, 3);
  if (!type) return reject("type_of_violence", type.error());
  if (!*type) return reject("type_of_violence", "missing");
  inc.violence_type = **type;
  inc.category =
      inc.violence_type == 3 ? Category::kViolenceAgainstCivilians : Category::kArmedClash;
  inc.source_type = "ucdp:type_of_violence=" + std::to_string(inc.violence_type);

  auto start = ParseSourceDate(FieldAt(record, date_start_));
  if (!start) return reject("date_start", start.error());
  auto end = ParseSourceDate(FieldAt(record, date_end_));
  if (!end) return reject("date_end", end.error());
  if (*end < *start) return reject("date_end", "before date_start");
  inc.date_start = *start;
  inc.date_end = *end;
  auto date_prec = ParseInt(FieldAt(record, date_prec_), 1, 5);
  if (!date_prec) return reject("date_prec", date_prec.error());
  static constexpr std::array<DatePrecision, 6> kDatePrec = {
      DatePrecision::kUnknown, DatePrecision::kDay,   DatePrecision::kDays,
      DatePrecision::kWeek,    DatePrecision::kMonth, DatePrecision::kYear};
  inc.date_precision = kDatePrec[static_cast<std::size_t>(date_prec->value_or(0))];

  auto lat = ParseDouble(FieldAt(record, latitude_), -90, 90);
  if (!lat) return reject("latitude", lat.error());
  auto lon = ParseDouble(FieldAt(record, longitude_), -180, 180);
  if (!lon) return reject("longitude", lon.error());
  if (lat->has_value() != lon->has_value()) {
    return reject(lat->has_value() ? "longitude" : "latitude", "missing while the other is given");
  }
  inc.latitude = *lat;
  inc.longitude = *lon;
  auto where_prec = ParseInt(FieldAt(record, where_prec_), 1, 7);
  if (!where_prec) return reject("where_prec", where_prec.error());
  static constexpr std::array<LocationPrecision, 8> kWherePrec = {
      LocationPrecision::kNone,     LocationPrecision::kExact,    LocationPrecision::kNear,
      LocationPrecision::kDistrict, LocationPrecision::kProvince, LocationPrecision::kProvince,
      LocationPrecision::kCountry,  LocationPrecision::kNone};
  inc.location_precision = kWherePrec[static_cast<std::size_t>(where_prec->value_or(0))];
  if (!inc.latitude) inc.location_precision = LocationPrecision::kNone;

  const std::string_view where_description = FieldAt(record, where_description_);
  inc.location = std::string(FieldAt(record, where_coordinates_));
  if (inc.location.empty()) inc.location = std::string(where_description);
  inc.source_admin1 = std::string(FieldAt(record, adm1_));
  inc.source_admin2 = std::string(FieldAt(record, adm2_));
  const std::string_view country = FieldAt(record, country_);
  inc.country = Iso3FromName(country).value_or(std::string(country));

  const std::string_view side_a = FieldAt(record, side_a_);
  AddUnique(inc.parties, side_a);
  AddUnique(inc.parties, FieldAt(record, side_b_));
  if (inc.violence_type == 3) AddUnique(inc.perpetrators, side_a);

  auto best = ParseInt(FieldAt(record, best_), 0, 1'000'000);
  if (!best) return reject("best_est", best.error());
  auto low = ParseInt(FieldAt(record, low_), 0, 1'000'000);
  if (!low) return reject("low_est", low.error());
  auto high = ParseInt(FieldAt(record, high_), 0, 1'000'000);
  if (!high) return reject("high_est", high.error());
  inc.killed = *best;
  inc.killed_low = *low;
  inc.killed_high = *high;

  inc.headline = std::string(FieldAt(record, headline_));
  // A short description from the place, the dyad and the source (formats.md).
  std::string description(where_description);
  const std::string_view dyad = FieldAt(record, dyad_);
  if (!dyad.empty()) {
    if (!description.empty()) description += "; ";
    description += dyad;
  }
  const std::string_view original = FieldAt(record, original_);
  if (!original.empty()) {
    if (!description.empty()) description += "; ";
    description += "source: ";
    description += original;
  }
  inc.description = std::move(description);
  inc.licence = licence_;
  inc.marking.tlp = model::Tlp::kClear;  // public datasets import as CLEAR (docs/security.md)
  return inc;
}

}  // namespace

Result<std::unique_ptr<SourceAdapter>> MakeUcdpAdapter(const std::vector<std::string>& header) {
  auto columns = Columns::Find("UCDP GED", header, kRequired, {});
  if (!columns) return Fail(columns.error());
  return std::unique_ptr<SourceAdapter>(std::make_unique<UcdpAdapter>(std::move(*columns)));
}

}  // namespace corridor::ingest::internal
