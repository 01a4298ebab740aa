// Writing incidents and counts as table, CSV, JSON or GeoJSON.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/strings.h"
#include "corridor/model/incident.h"
#include "corridor/store/store.h"

namespace corridor::cli {

enum class OutputFormat { kTable, kCsv, kJson, kGeoJson };

// Rows as an aligned table (first row = header), columns two spaces apart.
void WriteTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows);
// Rows as CSV (first row = header), fields quoted by CsvField.
void WriteCsvRows(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

using corridor::CsvField;  // common/strings.h

// Streams incidents one at a time: Begin, Write per incident, End.
class IncidentWriter {
 public:
  IncidentWriter(std::ostream& out, OutputFormat format) : out_(out), format_(format) {}
  void Begin();
  void Write(const model::Incident& incident);
  void End();

 private:
  std::ostream& out_;
  OutputFormat format_;
  std::int64_t count_ = 0;
};

// `key,count` CSV, a JSON array of {"key","count"}, or an aligned table.
void WriteCounts(std::ostream& out, OutputFormat format, std::string_view key_name,
                 const std::vector<store::KeyCount>& counts);

}  // namespace corridor::cli
