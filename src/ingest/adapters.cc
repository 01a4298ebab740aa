#include <array>
#include <utility>

#include "corridor/ingest/ingest.h"
#include "ingest/adapter_util.h"

namespace corridor::ingest {
namespace {

constexpr std::array<std::pair<Format, std::string_view>, 3> kFormats{{
    {Format::kUcdpGed, "ucdp-ged"},
    {Format::kGtd, "gtd"},
    {Format::kAcled, "acled"},
}};

}  // namespace

std::optional<Format> ParseFormat(std::string_view name) {
  for (const auto& [format, text] : kFormats) {
    if (text == name) return format;
  }
  return std::nullopt;
}

std::string_view FormatName(Format f) {
  for (const auto& [format, text] : kFormats) {
    if (format == f) return text;
  }
  return "unknown";
}

Result<std::unique_ptr<SourceAdapter>> MakeAdapter(Format format,
                                                   const std::vector<std::string>& header) {
  switch (format) {
    case Format::kUcdpGed:
      return internal::MakeUcdpAdapter(header);
    case Format::kGtd:
      return internal::MakeGtdAdapter(header);
    case Format::kAcled:
      return internal::MakeAcledAdapter(header);
  }
  return Fail(ErrorCode::kInternal, "unknown format");
}

}  // namespace corridor::ingest
