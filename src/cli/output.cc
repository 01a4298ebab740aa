#include "cli/output.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "corridor/model/incident_csv.h"
#include "corridor/model/json.h"

namespace corridor::cli {
namespace {

std::string Opt(const std::optional<int>& v) { return v ? std::to_string(*v) : ""; }
std::string Clip(std::string_view s, std::size_t width) {
  if (s.size() <= width) return std::string(s);
  std::size_t cut = width - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return std::string(s.substr(0, cut)) + "~";
}

}  // namespace

void WriteTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows) {
    width.resize(std::max(width.size(), r.size()), 0);
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  }
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < r.size(); ++c) {
      line += r[c];
      if (c + 1 < r.size()) line += std::string(width[c] - r[c].size() + 2, ' ');
    }
    out << line << "\n";
  }
}

void WriteCsvRows(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < r.size(); ++c) out << (c ? "," : "") << CsvField(r[c]);
    out << "\n";
  }
}

void IncidentWriter::Begin() {
  switch (format_) {
    case OutputFormat::kTable: {
      char line[256];
      std::snprintf(line, sizeof line, "%-8s  %-10s  %-26s  %-6s  %-7s  %6s  %s\n", "id", "date",
                    "category", "admin1", "admin2", "killed", "location");
      out_ << line;
      break;
    }
    case OutputFormat::kCsv:
      out_ << model::IncidentCsvHeader() << "\n";
      break;
    case OutputFormat::kJson:
      out_ << "[";
      break;
    case OutputFormat::kGeoJson:
      out_ << R"({"type":"FeatureCollection","features":[)";
      break;
  }
}

void IncidentWriter::Write(const model::Incident& i) {
  switch (format_) {
    case OutputFormat::kTable: {
      char line[512];
      std::snprintf(line, sizeof line, "%-8s  %-10s  %-26s  %-6s  %-7s  %6s  %s\n",
                    i.id.str().substr(0, 8).c_str(), i.date_start.iso().c_str(),
                    std::string(model::CategoryName(i.category)).c_str(), i.admin1.c_str(),
                    i.admin2.c_str(), Opt(i.killed).c_str(), Clip(i.location, 40).c_str());
      out_ << line;
      break;
    }
    case OutputFormat::kCsv:
      out_ << model::IncidentCsvRow(i) << "\n";
      break;
    case OutputFormat::kJson:
      out_ << (count_ ? ",\n" : "\n") << model::ToJson(i).dump();
      break;
    case OutputFormat::kGeoJson:
      out_ << (count_ ? ",\n" : "\n") << model::ToGeoJsonFeature(i).dump();
      break;
  }
  ++count_;
}

void IncidentWriter::End() {
  switch (format_) {
    case OutputFormat::kTable:
      out_ << count_ << " incidents\n";
      break;
    case OutputFormat::kCsv:
      break;
    case OutputFormat::kJson:
      out_ << "\n]\n";
      break;
    case OutputFormat::kGeoJson:
      out_ << "\n]}\n";
      break;
  }
}

void WriteCounts(std::ostream& out, OutputFormat format, std::string_view key_name,
                 const std::vector<store::KeyCount>& counts) {
  switch (format) {
    case OutputFormat::kCsv:
      out << "key,count\n";
      for (const auto& kc : counts) out << CsvField(kc.key) << ',' << kc.count << "\n";
      break;
    case OutputFormat::kJson:
    case OutputFormat::kGeoJson: {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& kc : counts) arr.push_back({{"key", kc.key}, {"count", kc.count}});
      out << arr.dump() << "\n";
      break;
    }
    case OutputFormat::kTable: {
      char line[128];
      std::snprintf(line, sizeof line, "%-12s %10s\n", std::string(key_name).c_str(), "count");
      out << line;
      std::int64_t total = 0;
      for (const auto& kc : counts) {
        std::snprintf(line, sizeof line, "%-12s %10lld\n",
                      kc.key.empty() ? "(none)" : kc.key.c_str(), static_cast<long long>(kc.count));
        out << line;
        total += kc.count;
      }
      std::snprintf(line, sizeof line, "%-12s %10lld\n", "total", static_cast<long long>(total));
      out << line;
      break;
    }
  }
}

}  // namespace corridor::cli
