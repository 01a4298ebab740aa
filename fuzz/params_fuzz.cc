// Any bytes as "<selector byte><raw query string>": the query is decoded as
// the server decodes it (cpp-httplib), checked as the server checks it
// (control characters, UTF-8), then parsed by one use case's parameter schema
// (the incident list, export and stats, and every analysis route). Never
// crashes; an error names a parameter and is clean, valid UTF-8 that JSON can
// carry; accepted parameters pass the same schema's bounds check.
#include <httplib.h>

#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "corridor/common/strings.h"
#include "corridor/service/analyses.h"
#include "corridor/service/incidents.h"

namespace {

namespace service = corridor::service;

void CheckError(const corridor::Error& e) {
  if (e.message.empty() || !corridor::IsValidUtf8(e.message) ||
      corridor::FindControlCharacter(e.message) != std::string_view::npos) {
    std::abort();
  }
  (void)nlohmann::json(e.message).dump();  // throws on invalid UTF-8
}

template <typename P>
void Parse(const service::ParamSchema<P>& schema, const service::QueryPairs& query) {
  auto p = schema.Parse(query);
  if (!p) return CheckError(p.error());
  if (!schema.Check(*p)) std::abort();  // accepted by the parser, refused by the bounds
  if (auto v = p->Validate(); !v) CheckError(v.error());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t selector = data[0];
  const std::string raw(reinterpret_cast<const char*>(data) + 1, size - 1);
  httplib::Params decoded;
  httplib::detail::parse_query_text(raw, decoded);
  service::QueryPairs query;
  for (const auto& [name, value] : decoded) {
    // The server's pre-routing check (server.cc CheckRequestText).
    if (auto ok = corridor::CheckText("query parameter name", name, 256); !ok) {
      CheckError(ok.error());
      return 0;
    }
    if (auto ok = corridor::CheckText(name, value, 8192); !ok) {
      CheckError(ok.error());
      return 0;
    }
    query.emplace_back(name, value);
  }
  const auto& analyses = service::Analyses();
  const std::size_t n = 3 + analyses.size();
  switch (const std::size_t pick = selector % n) {
    case 0:
      Parse(service::ListIncidentsParams::Schema(), query);
      break;
    case 1:
      Parse(service::ExportIncidentsParams::Schema(), query);
      break;
    case 2:
      Parse(service::StatsParams::Schema(), query);
      break;
    default: {
      const auto& a = analyses[pick - 3];
      service::PathParams path;
      if (const auto open = a.path.find('{'); open != std::string::npos) {
        path[a.path.substr(open + 1, a.path.find('}', open) - open - 1)] = raw.substr(0, 40);
      }
      if (auto ok = a.validate(query, path); !ok) CheckError(ok.error());
    }
  }
  return 0;
}
