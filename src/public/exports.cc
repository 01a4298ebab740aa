#include "corridor/public_side/exports.h"

#include <map>

#include "corridor/common/strings.h"
#include "corridor/public_side/disclosure.h"

namespace corridor::public_side {
namespace {

using nlohmann::json;

struct SectorCodes {
  const char* oc4ids;
  const char* dac;
};

// AidData sector names (title case, as the grouping stores them) to the
// OC4IDS projectSector codelist and the OECD DAC 3-digit sector codes.
const std::map<std::string, SectorCodes>& Sectors() {
  static const std::map<std::string, SectorCodes> kSectors = {
      {"Energy", {"energy", "230"}},
      {"Transport and Storage", {"transport", "210"}},
      {"Education", {"education", "110"}},
      {"Health", {"health", "120"}},
      {"Water Supply and Sanitation", {"waterAndWaste", "140"}},
      {"Government and Civil Society", {"governance", "150"}},
      {"Industry, Mining, Construction", {"economy", "320"}},
      {"Other Social Infrastructure and Services", {"", "160"}},
      {"Emergency Response", {"", "720"}},
  };
  return kSectors;
}

std::string Oc4idsStatus(model::ProjectStatus s) {
  switch (s) {
    case model::ProjectStatus::kPipeline:
      return "preparation";
    case model::ProjectStatus::kImplementation:
      return "implementation";
    case model::ProjectStatus::kCompletion:
      return "completion";
    case model::ProjectStatus::kCancelled:
      return "cancelled";
  }
  return "preparation";
}

// IATI ActivityStatus: 1 pipeline, 2 implementation, 4 closed... (3 finalisation)
std::string IatiStatus(model::ProjectStatus s) {
  switch (s) {
    case model::ProjectStatus::kPipeline:
      return "1";
    case model::ProjectStatus::kImplementation:
      return "2";
    case model::ProjectStatus::kCompletion:
      return "4";
    case model::ProjectStatus::kCancelled:
      return "5";
  }
  return "1";
}

// "2002-03-22" -> "2002-03-22"; a coarsened "2002-03" -> "2002-03-01".
std::string FullDate(const std::string& d) { return d.size() == 7 ? d + "-01" : d; }
std::string DateTime(const std::string& d) { return FullDate(d) + "T00:00:00Z"; }

std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Narrative(std::string_view text) {
  return "<narrative>" + Escape(text) + "</narrative>";
}

std::string FinanceType(const std::string& instrument) {
  if (instrument == "Grant") return "grant";
  if (instrument == "Loan" || instrument.find("Credit") != std::string::npos) return "loan";
  return "";
}

std::string Description(const PublicProject& v) {
  const auto& p = v.project;
  std::string d = p.name + ": " + p.sector + " project";
  if (!p.district_name.empty()) d += " in " + p.district_name + ", " + p.province_name;
  d += ". Financing recorded by AidData's Global Chinese Development Finance Dataset 2.0 "
       "(AidData ids";
  for (auto id : p.aiddata_ids) d += " " + std::to_string(id);
  d += "); amounts in constant 2017 US dollars.";
  for (const auto& n : v.notices) d += " " + n.field + " " + n.state + ": " + n.reason + ".";
  return d;
}

}  // namespace

std::string Oc4idsSector(const std::string& sector) {
  auto it = Sectors().find(sector);
  return it == Sectors().end() ? "" : it->second.oc4ids;
}
std::string DacSector(const std::string& sector) {
  auto it = Sectors().find(sector);
  return it == Sectors().end() ? "" : it->second.dac;
}

json ExportOc4ids(const std::vector<model::Project>& projects, const Publication& pub) {
  json list = json::array();
  for (const auto& source : projects) {
    const PublicProject v = PublicView(source);
    const auto& p = v.project;
    json o = {{"id", pub.oc4ids_prefix + p.id},
              {"title", p.name},
              {"description", Description(v)},
              {"status", Oc4idsStatus(p.status)},
              {"language", "en"}};
    if (auto s = Oc4idsSector(p.sector); !s.empty()) o["sector"] = {s};
    o["additionalClassifications"] = {
        {{"scheme", "AidData sector"}, {"id", ToLower(p.sector)}, {"description", p.sector}}};
    json identifiers = json::array();
    for (auto id : p.aiddata_ids) {
      identifiers.push_back({{"id", std::to_string(id)}, {"scheme", "AidData TUFF 2.0"}});
    }
    o["identifiers"] = identifiers;
    if (v.has_district) {
      json loc = {{"id", "1"},
                  {"description", p.district_name + " district, " + p.province_name},
                  {"address",
                   {{"locality", p.district_name},
                    {"region", p.province_name},
                    {"countryName", "Pakistan"}}}};
      if (v.has_point) loc["geometry"] = json::parse(p.footprint);
      o["locations"] = {loc};
    }
    const std::string start = !p.actual_start.empty() ? p.actual_start : p.planned_start;
    const std::string end =
        !p.actual_completion.empty() ? p.actual_completion : p.planned_completion;
    if (!start.empty() || !end.empty()) {
      json period = json::object();
      if (!start.empty()) period["startDate"] = DateTime(start);
      if (!end.empty() && end >= start) period["endDate"] = DateTime(end);
      o["implementationPeriod"] = period;
    }
    if (!p.parties.empty()) {
      json parties = json::array();
      for (const auto& party : p.parties) {
        parties.push_back({{"id", party.id}, {"name", party.name}, {"roles", party.roles}});
        if (!o.contains("publicAuthority") &&
            std::count(party.roles.begin(), party.roles.end(), "publicAuthority")) {
          o["publicAuthority"] = {{"id", party.id}, {"name", party.name}};
        }
      }
      o["parties"] = parties;
    }
    if (!p.financing.empty()) {
      json finance = json::array();
      for (const auto& f : p.financing) {
        json item = {{"id", std::to_string(f.aiddata_id)}, {"title", f.title}};
        if (f.amount) item["value"] = {{"amount", *f.amount}, {"currency", f.currency}};
        if (auto t = FinanceType(f.instrument); !t.empty()) item["type"] = t;
        if (!f.financiers.empty() && !p.parties.empty()) {
          for (const auto& party : p.parties) {
            if (party.name == f.financiers.front()) {
              item["financingParty"] = {{"id", party.id}, {"name", party.name}};
            }
          }
        }
        if (f.commitment_year > 0) {
          item["period"] = {{"startDate", std::to_string(f.commitment_year) + "-01-01T00:00:00Z"}};
        }
        finance.push_back(std::move(item));
      }
      o["budget"] = {{"description",
                      "Chinese official financing commitments recorded by AidData, in constant "
                      "2017 US dollars; not the full project cost."},
                     {"finance", finance}};
    }
    list.push_back(std::move(o));
  }
  return {{"uri", pub.base_uri + "/public/api/v1/projects.oc4ids.json"},
          {"publishedDate", pub.published},
          {"publisher", {{"name", pub.publisher_name}}},
          {"license", "https://opendatacommons.org/licenses/odbl/1-0/"},
          {"publicationPolicy", pub.base_uri + "/en/about"},
          {"version", "0.9"},
          {"projects", list}};
}

IatiExport ExportIati(const std::vector<model::Project>& projects, const Publication& pub) {
  IatiExport out;
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<iati-activities version=\"2.03\" generated-datetime=\"" + Escape(pub.published) + "\">\n";
  for (const auto& source : projects) {
    const PublicProject v = PublicView(source);
    const auto& p = v.project;
    // Activity dates: actual dates only when not after today, and in order.
    std::vector<std::pair<std::string, std::string>> dates;  // (type, date)
    auto add_date = [&](const char* type, const std::string& d, bool actual) {
      if (d.empty()) return;
      if (actual && !pub.today.empty() && FullDate(d) > pub.today) return;
      dates.emplace_back(type, FullDate(d));
    };
    add_date("1", p.planned_start, false);
    add_date("2", p.actual_start, true);
    add_date("3", p.planned_completion, false);
    add_date("4", p.actual_completion, true);
    auto date_of = [&](const char* type) -> std::string {
      for (const auto& [t, d] : dates) {
        if (t == type) return d;
      }
      return "";
    };
    // Ends before their starts are dropped (the ruleset: dates in order).
    std::erase_if(dates, [&](const auto& td) {
      if (td.first == "3") return !date_of("1").empty() && td.second < date_of("1");
      if (td.first == "4") return !date_of("2").empty() && td.second < date_of("2");
      return false;
    });
    if (dates.empty()) {
      out.skipped.emplace_back(p.id, "no publishable activity date");
      continue;
    }
    if (p.parties.empty()) {
      out.skipped.emplace_back(p.id, "no publishable participating organisation");
      continue;
    }
    x += " <iati-activity last-updated-datetime=\"" + Escape(pub.published) +
         "\" xml:lang=\"en\" default-currency=\"USD\" hierarchy=\"1\">\n";
    x += "  <iati-identifier>" + Escape(pub.iati_org_ref + "-" + p.id) + "</iati-identifier>\n";
    x += "  <reporting-org ref=\"" + Escape(pub.iati_org_ref) + "\" type=\"" +
         Escape(pub.iati_org_type) + "\">" + Narrative(pub.publisher_name) + "</reporting-org>\n";
    x += "  <title>" + Narrative(p.name) + "</title>\n";
    x += "  <description type=\"1\">" + Narrative(Description(v)) + "</description>\n";
    for (const auto& party : p.parties) {
      for (const auto& role : party.roles) {
        // IATI OrganisationRole: 1 funding, 3 extending... 4 implementing; 2 accountable.
        const char* code = role == "funder" ? "1" : role == "administrativeEntity" ? "4" : "2";
        x += "  <participating-org role=\"" + std::string(code) + "\">" + Narrative(party.name) +
             "</participating-org>\n";
      }
    }
    for (auto id : p.aiddata_ids) {
      x += "  <other-identifier ref=\"" + std::to_string(id) + "\" type=\"B9\">" +
           "<owner-org><narrative>AidData</narrative></owner-org></other-identifier>\n";
    }
    x += "  <activity-status code=\"" + IatiStatus(p.status) + "\"/>\n";
    for (const auto& [type, d] : dates) {
      x += "  <activity-date type=\"" + type + "\" iso-date=\"" + d + "\"/>\n";
    }
    x += "  <recipient-country code=\"PK\" percentage=\"100\"/>\n";
    if (v.has_district) {
      x += "  <location>\n   <name>" + Narrative(p.district_name + ", " + p.province_name) +
           "</name>\n";
      if (v.has_point) {
        char pos[64];
        std::snprintf(pos, sizeof pos, "%.6f %.6f", p.lat, p.lon);
        x += "   <point srsName=\"http://www.opengis.net/def/crs/EPSG/0/4326\"><pos>" +
             std::string(pos) + "</pos></point>\n   <exactness code=\"1\"/>\n";
      }
      x += "  </location>\n";
    }
    if (auto dac = DacSector(p.sector); !dac.empty()) {
      x += "  <sector vocabulary=\"2\" code=\"" + dac + "\" percentage=\"100\">" +
           Narrative(p.sector) + "</sector>\n";
    }
    for (const auto& f : p.financing) {
      if (!f.amount || f.commitment_year <= 0) continue;  // IATI needs a value and a date
      const std::string date = std::to_string(f.commitment_year) + "-01-01";
      if (!pub.today.empty() && date > pub.today) continue;
      const bool pledge = f.status.rfind("Pipeline: Pledge", 0) == 0;
      char amount[64];
      std::snprintf(amount, sizeof amount, "%.2f", *f.amount);
      x += "  <transaction ref=\"" + std::to_string(f.aiddata_id) + "\">\n";
      x += "   <transaction-type code=\"" + std::string(pledge ? "13" : "11") + "\"/>\n";
      x += "   <transaction-date iso-date=\"" + date + "\"/>\n";
      x += "   <value currency=\"" + Escape(f.currency) + "\" value-date=\"" + date + "\">" +
           amount + "</value>\n";
      x += "   <description>" + Narrative(f.title) + "</description>\n";
      if (!f.financiers.empty() && !p.parties.empty()) {
        x += "   <provider-org>" + Narrative(f.financiers.front()) + "</provider-org>\n";
      }
      if (f.flow_class == "ODA-like") x += "   <flow-type code=\"10\"/>\n";
      if (f.flow_class == "OOF-like") x += "   <flow-type code=\"20\"/>\n";
      x += "  </transaction>\n";
    }
    x += " </iati-activity>\n";
  }
  x += "</iati-activities>\n";
  out.xml = std::move(x);
  return out;
}

}  // namespace corridor::public_side
