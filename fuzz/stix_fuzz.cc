// Any bytes as a STIX object or bundle: reading incidents, reports, key
// files and the ingress rule (stix/ingress.h) never crashes; errors name a JSON
// pointer; an accepted incident or report maps back to the same STIX and
// the same model; JCS is idempotent.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "corridor/common/personal_data.h"
#include "corridor/stix/ingress.h"
#include "corridor/stix/jcs.h"
#include "corridor/stix/mapping.h"
#include "corridor/stix/signature.h"

namespace {

using nlohmann::json;
namespace stix = corridor::stix;

void CheckPointer(const corridor::Error& e) {
  if (e.message.empty() || e.message[0] != '/') std::abort();
}

void One(const json& object, const stix::ObjectIndex& index) {
  {
    // The ingress rule on any object: it never crashes (and, with no keys,
    // never admits anything).
    json copy = object;
    const stix::PublicKeys none;
    if (stix::ScreenObject(copy, none, "2026-12-03T00:00:00Z").admitted) std::abort();
    if (object.is_string()) (void)corridor::FindPersonalIdentifier(object.get<std::string>());
  }
  (void)stix::OriginOf(object);
  if (auto incident = stix::IncidentFromStix(object, index)) {
    const auto again_objects = stix::IncidentToStix(*incident);
    json array = json::array();
    for (const auto& o : again_objects) array.push_back(o);
    stix::ObjectIndex again_index(array);
    auto again = stix::IncidentFromStix(array[0], again_index);
    if (!again || !(*again == *incident)) std::abort();
  } else {
    CheckPointer(incident.error());
  }
  if (auto report = stix::AssessmentFromStix(object)) {
    auto again = stix::AssessmentFromStix(stix::AssessmentToStix(*report)[0]);
    if (!again || !(*again == *report)) std::abort();
  } else {
    CheckPointer(report.error());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto j = json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;
  if (auto canonical = stix::Canonicalize(j)) {
    const auto reparsed = json::parse(*canonical, nullptr, false);
    if (reparsed.is_discarded()) std::abort();
    auto twice = stix::Canonicalize(reparsed);
    if (!twice || *twice != *canonical) std::abort();
  } else {
    CheckPointer(canonical.error());
  }
  (void)stix::PublicKeys::FromJson(j, "fuzz");
  const json& objects = j.is_object() && j.contains("objects") ? j["objects"] : json::array({j});
  const stix::ObjectIndex index(objects);
  if (objects.is_array()) {
    for (const auto& o : objects) One(o, index);
  }
  return 0;
}
