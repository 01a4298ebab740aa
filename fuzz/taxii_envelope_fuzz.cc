// Any bytes as a TAXII envelope, read as the sync client reads a partner's
// page and the server a partner's POST (sync::ReadEnvelope); every object of
// an accepted envelope is then signed with a partner's pinned key, so that
// the whole ingress rule and the page decoder run past the signature check
// (sync::DecodePage). Never crashes; errors name a JSON pointer; whatever is
// admitted has the signing key's owner as its originator and carries no
// personal identifier in any string.
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "corridor/common/personal_data.h"
#include "corridor/stix/signature.h"
#include "corridor/sync/codec.h"

namespace {

using nlohmann::json;
namespace stix = corridor::stix;
namespace sync = corridor::sync;

constexpr std::string_view kPartner = "CN-MPS";

struct Keys {
  stix::SigningKey signing = stix::NewSigningKey();
  stix::PublicKeys known;
  Keys() {
    stix::KeyInfo k;
    k.key_id = signing.key_id;
    k.public_key = signing.public_key;
    k.created = "2026-01-01T00:00:00.000Z";
    if (!known.Add(k, kPartner)) std::abort();
  }
};

void NoPersonalIdentifier(const json& v) {
  if (v.is_string()) {
    if (corridor::FindPersonalIdentifier(v.get_ref<const std::string&>())) std::abort();
  } else if (v.is_structured()) {
    for (const auto& [key, child] : v.items()) {
      if (v.is_object() && corridor::FindPersonalIdentifier(key)) std::abort();
      NoPersonalIdentifier(child);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Keys keys;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  for (const bool required : {false, true}) {
    auto envelope = sync::ReadEnvelope(body, required);
    if (!envelope) {
      if (envelope.error().message.empty() || envelope.error().message[0] != '/') std::abort();
      continue;
    }
    if (envelope->more && envelope->next.empty()) std::abort();
    if (!required) continue;
    json objects = json::array();
    for (auto& o : envelope->objects) {
      auto s = o.is_object() ? stix::Sign(o, keys.signing) : corridor::Result<json>(o);
      objects.push_back(s ? std::move(*s) : std::move(o));
    }
    auto page = sync::DecodePage(std::move(objects), keys.known, "2026-12-03T00:00:00.000Z");
    if (!page) std::abort();  // an array always decodes to a page
    for (const auto& r : page->incidents) {
      if (r.originator != kPartner) std::abort();
      for (const auto& o : r.objects) NoPersonalIdentifier(o);
    }
    for (const auto& r : page->assessments) {
      if (r.originator != kPartner) std::abort();
      for (const auto& o : r.objects) NoPersonalIdentifier(o);
    }
    for (const auto& f : page->failures) {
      if (f.message.empty()) std::abort();
    }
  }
  return 0;
}
