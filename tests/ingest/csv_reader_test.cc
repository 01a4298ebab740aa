#include "corridor/ingest/csv_reader.h"

#include <gtest/gtest.h>

#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace corridor::ingest {
namespace {

// One outcome of CsvReader::Next: a record or an error message.
struct Outcome {
  std::vector<std::string> fields;
  std::int64_t line = 0;
  std::int64_t end_line = 0;
  std::string error;
  friend bool operator==(const Outcome&, const Outcome&) = default;
};

Outcome Rec(std::vector<std::string> fields, std::int64_t line, std::int64_t end_line = 0) {
  return Outcome{std::move(fields), line, end_line == 0 ? line : end_line, ""};
}
Outcome Err(std::string message) { return Outcome{{}, 0, 0, std::move(message)}; }

void PrintTo(const Outcome& o, std::ostream* os) {
  if (!o.error.empty()) {
    *os << "error(" << o.error << ")";
    return;
  }
  *os << "lines " << o.line << "-" << o.end_line << " [";
  for (std::size_t i = 0; i < o.fields.size(); ++i) {
    *os << (i ? "|" : "") << ::testing::PrintToString(o.fields[i]);
  }
  *os << "]";
}

std::vector<Outcome> ReadAll(const std::string& input, Encoding encoding,
                             Encoding* final_encoding = nullptr) {
  std::istringstream in(input);
  CsvReader reader(in, "t.csv", encoding);
  std::vector<Outcome> out;
  CsvRecord record;
  for (int guard = 0; guard < 1000000; ++guard) {
    auto next = reader.Next(record);
    if (!next) {
      out.push_back(Err(next.error().message));
      EXPECT_EQ(next.error().code, ErrorCode::kInvalidArgument);
      continue;
    }
    if (!*next) break;
    out.push_back(Rec(record.fields, record.line, record.end_line));
  }
  if (final_encoding) *final_encoding = reader.encoding();
  EXPECT_EQ(reader.bytes_read(), static_cast<std::int64_t>(input.size()));
  return out;
}

struct Case {
  std::string name;
  std::string input;
  Encoding encoding;
  std::vector<Outcome> want;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class CsvCaseTest : public ::testing::TestWithParam<Case> {};

TEST_P(CsvCaseTest, ReadsExactly) {
  const Case& c = GetParam();
  EXPECT_EQ(ReadAll(c.input, c.encoding), c.want);
}

const std::vector<Case>& Cases() {
  static const std::vector<Case> kCases = {
      {"SimpleLf", "a,b\n1,2\n", Encoding::kAuto, {Rec({"a", "b"}, 1), Rec({"1", "2"}, 2)}},
      {"Crlf", "a,b\r\n1,2\r\n", Encoding::kAuto, {Rec({"a", "b"}, 1), Rec({"1", "2"}, 2)}},
      {"CrOnly",
       "a,b\rc,d\r\"e\rf\",g\r",
       Encoding::kAuto,
       {Rec({"a", "b"}, 1), Rec({"c", "d"}, 2), Rec({"e\rf", "g"}, 3, 4)}},
      {"MixedLineEnds",
       "a\r\nb\rc\nd",
       Encoding::kAuto,
       {Rec({"a"}, 1), Rec({"b"}, 2), Rec({"c"}, 3), Rec({"d"}, 4)}},
      {"QuotedCommas", "x,\"a,b\",y\n", Encoding::kAuto, {Rec({"x", "a,b", "y"}, 1)}},
      {"DoubledQuotes",
       "\"he said \"\"hi\"\"\",z\n\"\"\"\"\n",
       Encoding::kAuto,
       {Rec({"he said \"hi\"", "z"}, 1), Rec({"\""}, 2)}},
      {"EmbeddedLf",
       "a,\"line1\nline2\",c\nd,e,f\n",
       Encoding::kAuto,
       {Rec({"a", "line1\nline2", "c"}, 1, 2), Rec({"d", "e", "f"}, 3)}},
      {"EmbeddedCrlf",
       "a,\"l1\r\nl2\r\n\r\nl4\"\r\nb,c\r\n",
       Encoding::kAuto,
       {Rec({"a", "l1\r\nl2\r\n\r\nl4"}, 1, 4), Rec({"b", "c"}, 5)}},
      {"Bom",
       "\xEF\xBB\xBFid,name\n1,x\n",
       Encoding::kUtf8,
       {Rec({"id", "name"}, 1), Rec({"1", "x"}, 2)}},
      {"Utf8WithoutBom",
       "city\nK\xC3\xB6ln\n\xE5\x9F\x8E\n",
       Encoding::kUtf8,
       {Rec({"city"}, 1), Rec({"K\xC3\xB6ln"}, 2), Rec({"\xE5\x9F\x8E"}, 3)}},
      {"Windows1252Declared",
       "caf\xE9,\x93q\x94\n\xC3\xA9\n",
       Encoding::kWindows1252,
       // Declared 1252: even bytes that look like UTF-8 are converted.
       {Rec({"caf\xC3\xA9", "\xE2\x80\x9Cq\xE2\x80\x9D"}, 1), Rec({"\xC3\x83\xC2\xA9"}, 2)}},
      {"Windows1252Detected",
       "ok,\xC3\xA9\nna\xEFve,\xC3\xA9\n\x80\n",
       Encoding::kAuto,
       // Per record and field: valid UTF-8 is kept, anything else is 1252.
       {Rec({"ok", "\xC3\xA9"}, 1), Rec({"na\xC3\xAFve", "\xC3\xA9"}, 2),
        Rec({"\xE2\x82\xAC"}, 3)}},
      {"Utf8AfterALatin1RowIsKept",
       "na\xEFve\nPesh\xC4\x81war\n",
       Encoding::kAuto,
       {Rec({"na\xC3\xAFve"}, 1), Rec({"Pesh\xC4\x81war"}, 2)}},
      {"TrailingComma",
       "a,b\n1,2,\n3,4,\n",
       Encoding::kAuto,
       {Rec({"a", "b"}, 1), Rec({"1", "2", ""}, 2), Rec({"3", "4", ""}, 3)}},
      {"EmptyFields", ",,\n\"\"\n", Encoding::kAuto, {Rec({"", "", ""}, 1), Rec({""}, 2)}},
      {"EmptyFile", "", Encoding::kAuto, {}},
      {"BomOnly", "\xEF\xBB\xBF", Encoding::kAuto, {}},
      {"NoFinalNewline", "a,b\nc,\"d\"", Encoding::kAuto, {Rec({"a", "b"}, 1), Rec({"c", "d"}, 2)}},
      {"CommaAtEof", "a,", Encoding::kAuto, {Rec({"a", ""}, 1)}},
      {"BlankLinesSkipped", "a\n\n\r\n\rb\n", Encoding::kAuto, {Rec({"a"}, 1), Rec({"b"}, 5)}},
      {"InvalidUtf8Declared",
       "a,b\nx,\xFF\xFE\ny,z\n",
       Encoding::kUtf8,
       {Rec({"a", "b"}, 1), Err("t.csv:2:3: invalid UTF-8 in field 2"), Rec({"y", "z"}, 3)}},
      {"InvalidUtf8InQuotedFieldOnSecondLine",
       "\"a\nb\",\"c\xC3\"\nok\n",
       Encoding::kUtf8,
       {Err("t.csv:2:4: invalid UTF-8 in field 2"), Rec({"ok"}, 3)}},
      {"UnterminatedQuoteAtEof",
       "a,b\nc,\"open\nmore",
       Encoding::kAuto,
       {Rec({"a", "b"}, 1), Err("t.csv:2:3: unterminated quoted field at end of input")}},
      {"StrayQuote",
       "a,b\nab\"c,d\ne,f\n",
       Encoding::kAuto,
       {Rec({"a", "b"}, 1), Err("t.csv:2:3: quote inside an unquoted field"), Rec({"e", "f"}, 3)}},
      {"TextAfterClosingQuote",
       "\"ab\"x,c\r\nd,e\r\n",
       Encoding::kAuto,
       {Err("t.csv:1:5: text after the closing quote of a field"), Rec({"d", "e"}, 2)}},
      {"ErrorAfterMultilineField",
       "\"a\nb\"c\nd\n",
       Encoding::kAuto,
       {Err("t.csv:2:3: text after the closing quote of a field"), Rec({"d"}, 3)}},
  };
  return kCases;
}

INSTANTIATE_TEST_SUITE_P(Quirks, CsvCaseTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.name;
                         });

TEST(CsvReaderTest, AutoResolvesToWindows1252) {
  Encoding final_encoding = Encoding::kAuto;
  ReadAll("a\nb\xE9\n", Encoding::kAuto, &final_encoding);
  EXPECT_EQ(final_encoding, Encoding::kWindows1252);
  ReadAll("a\nb\xC3\xA9\n", Encoding::kAuto, &final_encoding);
  EXPECT_EQ(final_encoding, Encoding::kAuto);
}

TEST(CsvReaderTest, ErrorKeepsRecordLine) {
  std::istringstream in("h\n\"x\ny\"z\n");
  CsvReader reader(in, "f.csv");
  CsvRecord record;
  ASSERT_TRUE(*reader.Next(record));
  auto r = reader.Next(record);
  ASSERT_FALSE(r);
  EXPECT_EQ(record.line, 2);
  EXPECT_EQ(record.end_line, 3);
  EXPECT_EQ(reader.name(), "f.csv");
}

// Every special sequence read correctly when it straddles the 1 MiB block boundary.
TEST(CsvReaderTest, BlockBoundaries) {
  constexpr std::size_t kBlock = 1 << 20;
  const std::vector<std::pair<std::string, std::vector<std::string>>> kTails = {
      {"\r\nz\r\n", {"z"}},          {"\rz\r", {"z"}},      {",\"q\"\"r\"\nz\n", {"z"}},
      {",\"a\r\nb\",c\nz\n", {"z"}}, {",\"\"\nz\n", {"z"}},
  };
  for (const auto& [tail, last] : kTails) {
    for (std::size_t filler = kBlock - 8; filler <= kBlock + 1; ++filler) {
      const std::string input = std::string(filler, 'x') + tail;
      std::istringstream in(input);
      CsvReader reader(in, "big.csv");
      CsvRecord record;
      std::vector<std::vector<std::string>> records;
      while (true) {
        auto next = reader.Next(record);
        ASSERT_TRUE(next) << next.error().message << " tail " << tail << " filler " << filler;
        if (!*next) break;
        records.push_back(record.fields);
      }
      ASSERT_EQ(records.size(), 2u) << "tail " << ::testing::PrintToString(tail);
      EXPECT_EQ(records[0][0].size(), filler);
      EXPECT_EQ(records[1], last);
      if (tail[1] == '"') {
        const std::string want = tail[2] == 'q' ? "q\"r" : tail[2] == 'a' ? "a\r\nb" : "";
        EXPECT_EQ(records[0][1], want);
      }
    }
  }
}

TEST(CsvReaderTest, ManyRecordsReuseStrings) {
  std::string input;
  for (int i = 0; i < 50000; ++i) {
    input += std::to_string(i) + ",\"q,\"\"" + std::to_string(i) + "\"\"\",\"multi\nline\"\n";
  }
  std::istringstream in(input);
  CsvReader reader(in, "many.csv");
  CsvRecord record;
  int count = 0;
  while (true) {
    auto next = reader.Next(record);
    ASSERT_TRUE(next);
    if (!*next) break;
    ASSERT_EQ(record.fields.size(), 3u);
    ASSERT_EQ(record.fields[0], std::to_string(count));
    ASSERT_EQ(record.fields[1], "q,\"" + std::to_string(count) + "\"");
    ASSERT_EQ(record.line, 1 + 2 * count);
    ++count;
  }
  EXPECT_EQ(count, 50000);
}

TEST(CsvEscapeTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvEscape("plain"), "plain");
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("say \"x\""), "\"say \"\"x\"\"\"");
  EXPECT_EQ(CsvEscape("l1\nl2"), "\"l1\nl2\"");
  const std::vector<std::string> fields = {"1", "a,b", ""};
  EXPECT_EQ(CsvLine(fields), "1,\"a,b\",");
}

}  // namespace
}  // namespace corridor::ingest
