// A streaming RFC 4180 CSV reader for the real exports Corridor ingests:
// quoted fields with commas, quotes and newlines; CRLF, LF and CR-only line
// ends; UTF-8 with or without BOM; Windows-1252/Latin-1 (declared, or detected
// when the bytes are not valid UTF-8) converted to UTF-8; a trailing empty
// field on every row (as in the UCDP export) tolerated by the caller via
// Record::fields.size().
//
// Contract details (docs/formats.md, "CSV"):
//   * A UTF-8 byte order mark at the start of the input is dropped.
//   * Line ends inside quoted fields are kept byte for byte ("\r\n" stays
//     "\r\n"); line ends between records are not part of any field.
//   * Physical lines are counted the way editors count them: LF, CRLF and a
//     lone CR each end one line. Record::line is the first physical line of
//     the record, Record::end_line its last.
//   * A blank physical line between records is skipped (it is not a record
//     with one empty field).
//   * Encoding::kAuto decides per record: a record that is valid UTF-8 is kept
//     as it is; in one that is not, each field that is not valid UTF-8 is read
//     as Windows-1252 (of which Latin-1 is a subset) and converted. So neither
//     a Windows-1252 file nor a UTF-8 file with one stray Latin-1 row loses or
//     double-converts text.
//   * Errors name "name:line:column: reason" (column in bytes, 1-based). After
//     a quote error the reader skips to the end of the physical line and goes
//     on from the next line; after an encoding error it goes on with the next
//     record. An unterminated quoted field ends the input.
//   * Reads the stream in 1 MiB blocks; fields are scanned with a byte table
//     and appended in runs, and the record's strings are reused between calls,
//     so steady-state reading does not allocate.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <span>
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
  // end of input (at once for an empty input). A malformed record (a quote
  // inside an unquoted field, text after a closing quote, an unterminated
  // quoted field at end of file, invalid UTF-8 when UTF-8 was declared)
  // returns an Error (kInvalidArgument) naming "name:line:column" and the
  // reader moves on to the next record, so the caller may continue. After an
  // error `record.line` is the malformed record's first line and its fields
  // hold what was read of it (for the rejects file).
  Result<bool> Next(CsvRecord& record);

  // The declared encoding; for kAuto, kWindows1252 once a record needed
  // conversion (kAuto until then).
  Encoding encoding() const;
  // Bytes consumed from the stream so far (BOM included).
  std::int64_t bytes_read() const;
  const std::string& name() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Quotes `field` for a CSV line when it holds a comma, quote, CR or LF
// (doubling quotes); otherwise returns it unchanged.
std::string CsvEscape(std::string_view field);
// The fields as one CSV line (no line end), each CsvEscape'd.
std::string CsvLine(std::span<const std::string> fields);

}  // namespace corridor::ingest
