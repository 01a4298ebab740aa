// Any bytes as "<selector byte><JSON>": the JSON bodies partners and the
// public side send: the aggregate release's counts and the release itself
// (release/release.h), a trusted-keys file and a detached signature, an
// assessment and a distribution (the API's bodies). Never crashes (UBSan
// catches an overflowing sum); errors say where; a release built from any
// accepted counts passes the ingest check the other side runs on it.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "corridor/model/assessment.h"
#include "corridor/model/json.h"
#include "corridor/release/release.h"

namespace {

using nlohmann::json;
namespace release = corridor::release;

void CheckError(const corridor::Error& e) {
  if (e.message.empty()) std::abort();
  (void)json(e.message).dump();  // throws on invalid UTF-8
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  switch (data[0] % 5) {
    case 0: {
      auto counts = release::CountsFromJson(j);
      if (!counts) return CheckError(counts.error()), 0;
      if (counts->size() > 64) return 0;  // the suppression's cost, not its correctness
      release::Options options;
      options.generated_at = "2026-12-01T00:00:00Z";
      auto r = release::MakeRelease(*counts, options);
      if (!r) return CheckError(r.error()), 0;
      if (!release::CheckRelease(r->document)) std::abort();  // our own release is refused
      if (r->summary.suppressed > r->summary.cells) std::abort();
      break;
    }
    case 1:
      if (auto ok = release::CheckRelease(j); !ok) CheckError(ok.error());
      break;
    case 2: {
      auto keys = release::TrustedKeysFromJson(j);
      if (!keys) return CheckError(keys.error()), 0;
      if (auto ok = release::VerifyDetached(text, j, *keys); ok) std::abort();  // nothing signed
      break;
    }
    case 3:
      if (auto a = corridor::model::AssessmentFromJson(j); !a) CheckError(a.error());
      break;
    case 4:
      if (auto d = corridor::model::DistributionFromJson(j, "/distribution"); !d) {
        CheckError(d.error());
      }
      break;
  }
  return 0;
}
