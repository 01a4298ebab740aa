// A streaming RFC 4180 CSV reader for the real exports Corridor ingests:
// quoted fields with commas, quotes and newlines; CRLF, LF and CR-only line
// ends; UTF-8 with or without BOM; Windows-1252/Latin-1 (declared, or detected
// when the bytes are not valid UTF-8) converted to UTF-8; a trailing empty
// field on every row (as in the UCDP export) tolerated by the caller via
// Record::fields.size().
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"

namespace corridor::ingest {

enum class Encoding { kAuto, kUtf8, kWindows1252 };

struct CsvRecord {
  std::vector<std::string> fields;  // UTF-8
  std::int64_t line = 0;            // first physical line of the record (1-based)
  std::int64_t end_line = 0;        // last physical line
};

class CsvReader {
 public:
  // Reads from `in`, which must outlive the reader. `name` is used in errors.
  CsvReader(std::istream& in, std::string name, Encoding encoding = Encoding::kAuto);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into `record`. Returns true on a record, false at
  // end of input. A malformed record (a quote inside an unquoted field, an
  // unterminated quoted field at end of file, invalid UTF-8 when UTF-8 was
  // declared) returns an Error naming "name:line:column" and the reader moves
  // on to the next record, so the caller may continue.
  Result<bool> Next(CsvRecord& record);

  // The encoding in use (after detection: kAuto resolves on the first
  // non-UTF-8 byte sequence to kWindows1252).
  Encoding encoding() const;
  std::int64_t bytes_read() const;
  const std::string& name() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace corridor::ingest
