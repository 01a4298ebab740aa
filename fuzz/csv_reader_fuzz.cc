// Any bytes: the reader never crashes, always terminates, never returns a
// record whose fields are not valid UTF-8, and line numbers only grow.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "corridor/common/strings.h"
#include "corridor/ingest/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (const auto encoding : {corridor::ingest::Encoding::kAuto, corridor::ingest::Encoding::kUtf8,
                              corridor::ingest::Encoding::kWindows1252}) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    corridor::ingest::CsvReader reader(in, "fuzz.csv", encoding);
    corridor::ingest::CsvRecord record;
    std::int64_t last_line = 0;
    for (int guard = 0; guard < 1'000'000; ++guard) {
      auto next = reader.Next(record);
      if (next && !*next) break;
      if (!next) continue;
      if (record.line < last_line || record.end_line < record.line) std::abort();
      last_line = record.line;
      for (const auto& field : record.fields) {
        if (!corridor::IsValidUtf8(field)) std::abort();
      }
    }
  }
  return 0;
}
