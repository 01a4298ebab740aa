// Private helpers shared by the source adapters: column lookup, field parsers
// that say why a value is wrong, and the country tables (docs/formats.md).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/date.h"
#include "corridor/common/result.h"
#include "corridor/ingest/ingest.h"

namespace corridor::ingest::internal {

// Parse outcome: the value, or the reason it is not one (the adapter adds the column).
template <typename T>
using Parsed = tl::expected<T, std::string>;

// Column positions by name (case-insensitive, surrounding spaces ignored).
class Columns {
 public:
  // Finds every name of `required` and `optional` in `header`. kInvalidArgument
  // naming the format and every missing required column otherwise.
  static Result<Columns> Find(std::string_view format, const std::vector<std::string>& header,
                              std::span<const std::string_view> required,
                              std::span<const std::string_view> optional);
  // The position of `name`, or -1 when the header has no such column.
  int Index(std::string_view name) const;
  std::size_t header_size() const { return header_size_; }

 private:
  std::vector<std::pair<std::string, int>> index_;
  std::size_t header_size_ = 0;
};

// A reject for `record` naming `column` and `reason` (file and raw are the caller's).
Reject MakeReject(const CsvRecord& record, std::string_view column, std::string reason);

// The text of column `index` (trimmed), or "" when the column is absent.
std::string_view FieldAt(const CsvRecord& record, int index);

// Base of the adapters that read columns by name (GTD, ACLED): the header's
// columns, the dataset's licence, and the field-count check every row passes
// first. (UCDP has its own count rule: one trailing empty field.)
class ColumnAdapter : public SourceAdapter {
 protected:
  ColumnAdapter(Columns columns, std::string_view dataset);

  std::string_view Get(const CsvRecord& record, std::string_view column) const {
    return FieldAt(record, columns_.Index(column));
  }
  // A reject when the record does not have the header's number of fields.
  std::optional<Reject> CheckFieldCount(const CsvRecord& record) const;

  Columns columns_;
  model::Licence licence_;
};

// An integer in [min, max]; nullopt for an empty field. Accepts "12" and "12.0".
Parsed<std::optional<int>> ParseInt(std::string_view text, int min, int max);
// A decimal number in [min, max]; nullopt for an empty field.
Parsed<std::optional<double>> ParseDouble(std::string_view text, double min, double max);
// "MM/DD/YYYY", "MM/DD/YYYY 00:00:00", "YYYY-MM-DD", "YYYY-MM-DD 00:00:00[.000]".
Parsed<Date> ParseSourceDate(std::string_view text);
// ACLED's "15 March 2019", "15-March-2019", "15 Mar 2019" or ISO "2019-03-15".
Parsed<Date> ParseAcledDate(std::string_view text);
// The last day of the month of `date`'s year and month.
Date LastDayOfMonth(int year, int month);

// ISO 3166-1 alpha-3 for a country name of the region ("Pakistan" -> "PAK"),
// or nullopt when the name is not in the table.
std::optional<std::string> Iso3FromName(std::string_view name);
// ISO 3166-1 numeric ("586") to alpha-3.
std::optional<std::string> Iso3FromNumeric(int code);
// GTD country codes (codebook appendix) to alpha-3.
std::optional<std::string> Iso3FromGtdCode(int code);

// Appends `value` to `list` when it is non-empty and not already there.
void AddUnique(std::vector<std::string>& list, std::string_view value);

// The adapters; kInvalidArgument naming the missing columns.
Result<std::unique_ptr<SourceAdapter>> MakeUcdpAdapter(const std::vector<std::string>& header);
Result<std::unique_ptr<SourceAdapter>> MakeGtdAdapter(const std::vector<std::string>& header);
Result<std::unique_ptr<SourceAdapter>> MakeAcledAdapter(const std::vector<std::string>& header);

}  // namespace corridor::ingest::internal
