#include "corridor/ingest/csv_reader.h"

#include <array>
#include <cstring>
#include <utility>

#include "corridor/common/strings.h"

namespace corridor::ingest {
namespace {

constexpr std::size_t kBlockSize = 1 << 20;

// Bytes that end a run of plain field text.
constexpr std::array<bool, 256> MakeTable(std::string_view specials) {
  std::array<bool, 256> table{};
  for (char c : specials) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> kUnquotedStop = MakeTable(",\"\r\n");
constexpr std::array<bool, 256> kQuotedStop = MakeTable("\"\r\n");

bool IsAscii(const std::string& s) {
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    if (word & 0x8080808080808080ULL) return false;
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    if (static_cast<unsigned char>(*p) >= 0x80) return false;
    ++p;
    --n;
  }
  return true;
}

}  // namespace

struct CsvReader::Impl {
  Impl(std::istream& input, std::string reader_name, Encoding enc)
      : in(input), name(std::move(reader_name)), encoding(enc), buf(new char[kBlockSize]) {}

  std::istream& in;
  std::string name;
  Encoding encoding;
  bool detected_windows1252 = false;  // kAuto met a record that is not UTF-8
  std::unique_ptr<char[]> buf;
  std::size_t pos = 0;
  std::size_t len = 0;
  std::int64_t before = 0;  // stream bytes before buf[0]
  bool started = false;
  bool at_eof = false;
  std::int64_t line = 1;
  std::int64_t line_start = 0;  // stream offset of the current physical line's first byte
  // Start line and column of each field of the current record (for errors).
  std::vector<std::pair<std::int64_t, std::int64_t>> field_pos;

  std::int64_t Offset() const { return before + static_cast<std::int64_t>(pos); }
  std::int64_t Column() const { return Offset() - line_start + 1; }

  // Ensures buf[pos] is readable; false at end of input.
  bool Fill() {
    if (pos < len) return true;
    if (at_eof) return false;
    before += static_cast<std::int64_t>(len);
    pos = 0;
    len = 0;
    in.read(buf.get(), static_cast<std::streamsize>(kBlockSize));
    len = static_cast<std::size_t>(in.gcount());
    if (len == 0) at_eof = true;
    return len > 0;
  }

  void NewLine() {
    ++line;
    line_start = Offset();
  }

  // At a CR or LF: consumes one line end (CRLF counts once).
  void ConsumeLineEnd() {
    const char c = buf[pos++];
    if (c == '\r' && Fill() && buf[pos] == '\n') ++pos;
    NewLine();
  }

  // Skips to just after the next line end (or to the end of input).
  void SkipLine() {
    while (Fill()) {
      const char* start = buf.get() + pos;
      const char* end = buf.get() + len;
      const char* p = start;
      while (p < end && *p != '\n' && *p != '\r') ++p;
      pos = static_cast<std::size_t>(p - buf.get());
      if (p < end) {
        ConsumeLineEnd();
        return;
      }
    }
  }

  Error MakeError(std::int64_t at_line, std::int64_t column, std::string_view reason) const {
    return Error{ErrorCode::kInvalidArgument, name + ":" + std::to_string(at_line) + ":" +
                                                  std::to_string(column) + ": " +
                                                  std::string(reason)};
  }

  Result<bool> Next(CsvRecord& record);
  Result<bool> FinishRecord(CsvRecord& record, std::size_t count);
};

Result<bool> CsvReader::Impl::Next(CsvRecord& record) {
  if (!started) {
    started = true;
    if (Fill() && len >= 3 && std::memcmp(buf.get(), "\xEF\xBB\xBF", 3) == 0) {
      pos = 3;
      line_start = 3;
    }
  }
  // Blank lines between records are not records.
  for (;;) {
    if (!Fill()) return false;
    const char c = buf[pos];
    if (c != '\n' && c != '\r') break;
    ConsumeLineEnd();
  }

  record.line = line;
  field_pos.clear();
  std::size_t count = 0;
  for (;;) {
    if (count == record.fields.size()) record.fields.emplace_back();
    std::string& field = record.fields[count++];
    field.clear();
    field_pos.emplace_back(line, Column());

    if (!Fill()) {  // end of input right after a comma: an empty last field
      record.end_line = line;
      return FinishRecord(record, count);
    }
    if (buf[pos] == '"') {
      const std::int64_t open_line = line;
      const std::int64_t open_column = Column();
      ++pos;
      for (;;) {
        if (!Fill()) {
          record.end_line = line;
          record.fields.resize(count);
          return Fail(
              MakeError(open_line, open_column, "unterminated quoted field at end of input"));
        }
        const char* start = buf.get() + pos;
        const char* end = buf.get() + len;
        const char* p = start;
        while (p < end && !kQuotedStop[static_cast<unsigned char>(*p)]) ++p;
        field.append(start, static_cast<std::size_t>(p - start));
        pos = static_cast<std::size_t>(p - buf.get());
        if (p == end) continue;
        const char c = *p;
        ++pos;
        if (c == '"') {
          if (Fill() && buf[pos] == '"') {
            field.push_back('"');
            ++pos;
            continue;
          }
          break;  // the closing quote
        }
        field.push_back(c);
        if (c == '\r' && Fill() && buf[pos] == '\n') {
          field.push_back('\n');
          ++pos;
        }
        NewLine();
      }
      if (!Fill()) {
        record.end_line = line;
        return FinishRecord(record, count);
      }
      const char c = buf[pos];
      if (c == ',') {
        ++pos;
        continue;
      }
      if (c == '\n' || c == '\r') {
        record.end_line = line;
        ConsumeLineEnd();
        return FinishRecord(record, count);
      }
      const std::int64_t at_line = line;
      const std::int64_t column = Column();
      record.end_line = line;
      record.fields.resize(count);
      SkipLine();
      return Fail(MakeError(at_line, column, "text after the closing quote of a field"));
    }

    // An unquoted field.
    for (;;) {
      if (!Fill()) {
        record.end_line = line;
        return FinishRecord(record, count);
      }
      const char* start = buf.get() + pos;
      const char* end = buf.get() + len;
      const char* p = start;
      while (p < end && !kUnquotedStop[static_cast<unsigned char>(*p)]) ++p;
      field.append(start, static_cast<std::size_t>(p - start));
      pos = static_cast<std::size_t>(p - buf.get());
      if (p < end) break;
    }
    const char c = buf[pos];
    if (c == ',') {
      ++pos;
      continue;
    }
    if (c == '\n' || c == '\r') {
      record.end_line = line;
      ConsumeLineEnd();
      return FinishRecord(record, count);
    }
    // c == '"'
    const std::int64_t at_line = line;
    const std::int64_t column = Column();
    record.end_line = line;
    record.fields.resize(count);
    SkipLine();
    return Fail(MakeError(at_line, column, "quote inside an unquoted field"));
  }
}

Result<bool> CsvReader::Impl::FinishRecord(CsvRecord& record, std::size_t count) {
  record.fields.resize(count);
  if (encoding == Encoding::kWindows1252) {
    for (auto& f : record.fields) {
      if (!IsAscii(f)) f = Windows1252ToUtf8(f);
    }
    return true;
  }
  for (std::size_t i = 0; i < count; ++i) {
    std::string& f = record.fields[i];
    if (IsAscii(f) || IsValidUtf8(f)) continue;
    if (encoding == Encoding::kUtf8) {
      return Fail(MakeError(field_pos[i].first, field_pos[i].second,
                            "invalid UTF-8 in field " + std::to_string(i + 1)));
    }
    // kAuto: a record that is not valid UTF-8 is Windows-1252 (Latin-1 is a
    // subset). The decision is per record, so valid UTF-8 records of a mixed
    // file are kept as they are; detected() reports that it happened.
    detected_windows1252 = true;
    for (auto& g : record.fields) {
      if (!IsAscii(g) && !IsValidUtf8(g)) g = Windows1252ToUtf8(g);
    }
    break;
  }
  return true;
}

CsvReader::CsvReader(std::istream& in, std::string name, Encoding encoding)
    : impl_(std::make_unique<Impl>(in, std::move(name), encoding)) {}
CsvReader::~CsvReader() = default;

Result<bool> CsvReader::Next(CsvRecord& record) { return impl_->Next(record); }
Encoding CsvReader::encoding() const {
  return impl_->detected_windows1252 ? Encoding::kWindows1252 : impl_->encoding;
}
std::int64_t CsvReader::bytes_read() const { return impl_->Offset(); }
const std::string& CsvReader::name() const { return impl_->name; }

std::string CsvEscape(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out;
  out.reserve(field.size() + 2);
  out.push_back('"');
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string CsvLine(std::span<const std::string> fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += CsvEscape(fields[i]);
  }
  return out;
}

}  // namespace corridor::ingest
