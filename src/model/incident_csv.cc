#include "corridor/model/incident_csv.h"

#include <cstdio>
#include <optional>
#include <vector>

#include "corridor/common/strings.h"
#include "corridor/model/security.h"

namespace corridor::model {
namespace {

std::string Opt(const std::optional<int>& v) { return v ? std::to_string(*v) : ""; }

std::string Coord(const std::optional<double>& v) {
  if (!v) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", *v);
  return buf;
}

std::string Joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : "; ") + v;
  return out;
}

// Untrusted text a spreadsheet must not evaluate.
std::string Text(std::string_view s) {
  if (!s.empty() &&
      (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r')) {
    return "'" + std::string(s);
  }
  return std::string(s);
}

}  // namespace

std::string_view IncidentCsvHeader() {
  return "id,dataset,source_id,date_start,date_end,date_precision,latitude,longitude,"
         "location_precision,location,country,admin1,admin2,admin_method,category,source_type,"
         "killed,killed_low,killed_high,wounded,hostages,property_damage,perpetrators,parties,"
         "headline,description,marking,licence,attribution";
}

std::string IncidentCsvRow(const Incident& i) {
  const std::string fields[] = {i.id.str(),
                                i.provenance.dataset,
                                Text(i.provenance.source_id),
                                i.date_start.iso(),
                                i.date_end.iso(),
                                std::string(DatePrecisionName(i.date_precision)),
                                Coord(i.latitude),
                                Coord(i.longitude),
                                std::string(LocationPrecisionName(i.location_precision)),
                                Text(i.location),
                                i.country,
                                i.admin1,
                                i.admin2,
                                std::string(AssignMethodName(i.admin_method)),
                                std::string(CategoryName(i.category)),
                                Text(i.source_type),
                                Opt(i.killed),
                                Opt(i.killed_low),
                                Opt(i.killed_high),
                                Opt(i.wounded),
                                Opt(i.hostages),
                                Opt(i.property_damage),
                                Text(Joined(i.perpetrators)),
                                Text(Joined(i.parties)),
                                Text(i.headline),
                                Text(i.description),
                                std::string(TlpName(i.marking.tlp)),
                                i.licence.id,
                                i.licence.attribution};
  std::string out;
  bool first = true;
  for (const auto& f : fields) {
    if (!first) out += ',';
    out += CsvField(f);
    first = false;
  }
  return out;
}

}  // namespace corridor::model
