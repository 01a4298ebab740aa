#include "corridor/stix/ingress.h"

#include <algorithm>
#include <map>

#include "corridor/common/date.h"
#include "corridor/common/personal_data.h"
#include "corridor/common/strings.h"
#include "corridor/stix/mapping.h"

namespace corridor::stix {
namespace {

using nlohmann::json;

// STIX 2.1 common properties of SDOs and SROs (schemas/common/core.json).
#define CORRIDOR_STIX_CORE                                                                     \
  "type", "spec_version", "id", "created_by_ref", "labels", "created", "modified", "revoked",  \
      "confidence", "lang", "external_references", "object_marking_refs", "granular_markings", \
      "extensions"

// Per type: the core and the type's own properties (schemas/sdos, schemas/sros).
// identity's contact_information is defined by STIX but left out on purpose:
// an organisation's contact details are not shared through Corridor.
const std::map<std::string_view, std::vector<std::string_view>>& Allowed() {
  static const auto* const kAllowed = new std::map<std::string_view, std::vector<std::string_view>>{
      {"incident", {CORRIDOR_STIX_CORE, "name", "description"}},
      {"location",
       {CORRIDOR_STIX_CORE, "name", "description", "latitude", "longitude", "precision", "region",
        "country", "administrative_area", "city", "street_address", "postal_code"}},
      {"identity",
       {CORRIDOR_STIX_CORE, "name", "description", "roles", "identity_class", "sectors"}},
      {"report",
       {CORRIDOR_STIX_CORE, "name", "description", "report_types", "published", "object_refs"}},
      {"relationship",
       {CORRIDOR_STIX_CORE, "relationship_type", "description", "source_ref", "target_ref",
        "start_time", "stop_time"}},
      {"grouping", {CORRIDOR_STIX_CORE, "name", "description", "context", "object_refs"}},
      {"note", {CORRIDOR_STIX_CORE, "abstract", "content", "authors", "object_refs"}},
      {"sighting",
       {CORRIDOR_STIX_CORE, "description", "first_seen", "last_seen", "count", "sighting_of_ref",
        "observed_data_refs", "where_sighted_refs", "summary"}},
  };
  return *kAllowed;
}
#undef CORRIDOR_STIX_CORE

// The Corridor record extension (docs/stix/corridor-extension.schema.json).
const std::map<std::string_view, std::vector<std::string_view>>& ExtensionAllowed() {
  static const auto* const kAllowed = new std::map<std::string_view, std::vector<std::string_view>>{
      {"",
       {"extension_type", "incident", "provenance", "licence", "distribution", "author_org",
        "assessment", "organisation", "committee"}},
      {"incident",
       {"admin1",
        "admin2",
        "admin_method",
        "category",
        "country",
        "date_end",
        "date_precision",
        "date_start",
        "description",
        "headline",
        "hostages",
        "killed",
        "killed_high",
        "killed_low",
        "location",
        "location_precision",
        "parties",
        "perpetrators",
        "property_damage",
        "source_admin1",
        "source_admin2",
        "source_type",
        "target_nationalities",
        "target_types",
        "version",
        "violence_type",
        "wounded"}},
      {"provenance", {"dataset", "dataset_version", "file", "line", "source_id"}},
      {"licence", {"attribution", "id", "redistribution"}},
      {"distribution", {"organisations", "trust_group"}},
      {"assessment", {"areas", "incidents", "sites", "version"}},
      {"organisation", {"trust_groups"}},
      {"committee", {"action",       "agenda",
                     "area",         "assessments",
                     "committee",    "date",
                     "deadline",     "decision",
                     "districts",    "due",
                     "end",          "evidence",
                     "findings",     "incidents",
                     "kind",         "legal_basis",
                     "lessons",      "meeting",
                     "members",      "minutes",
                     "moves",        "name",
                     "object",       "objectives",
                     "offence",      "owner_org",
                     "participants", "place",
                     "present",      "reference",
                     "reported",     "request",
                     "requested",    "requested_authority",
                     "requesting",   "requesting_authority",
                     "scenario",     "sites",
                     "start",        "state",
                     "status",       "text",
                     "type",         "urgency",
                     "virtual"}},
  };
  return *kAllowed;
}

// The signature extension (docs/stix/corridor-signature-extension.schema.json).
constexpr std::string_view kSignatureProperties[] = {"extension_type", "algorithm", "key_id",
                                                     "signature"};

bool Contains(const std::vector<std::string_view>& list, std::string_view key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

std::string Escape(std::string_view key) {  // RFC 6901
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// Removes from `object` the keys not in `allowed`, naming each under `base`.
void Keep(json& object, const std::vector<std::string_view>& allowed, const std::string& base,
          std::vector<std::string>& dropped) {
  for (auto it = object.begin(); it != object.end();) {
    if (Contains(allowed, it.key())) {
      ++it;
    } else {
      dropped.push_back(base + "/" + Escape(it.key()));
      it = object.erase(it);
    }
  }
}

void ApplyAllowList(json& object, const std::vector<std::string_view>& allowed,
                    std::vector<std::string>& dropped) {
  Keep(object, allowed, "", dropped);
  const auto ext = object.find("extensions");
  if (ext == object.end()) return;
  if (!ext->is_object()) {
    dropped.push_back("/extensions");
    object.erase(ext);
    return;
  }
  for (auto it = ext->begin(); it != ext->end();) {
    const std::string base = "/extensions/" + Escape(it.key());
    if (it.key() == kCorridorExtensionId && it->is_object()) {
      Keep(*it, ExtensionAllowed().at(""), base, dropped);
      for (auto& [section, value] : it->items()) {
        const auto* list = AllowedExtensionProperties(section);
        if (list != nullptr && !list->empty() && value.is_object() && section != "") {
          Keep(value, *list, base + "/" + section, dropped);
        }
      }
      ++it;
    } else if (it.key() == kSignatureExtensionId && it->is_object()) {
      Keep(*it, {std::begin(kSignatureProperties), std::end(kSignatureProperties)}, base, dropped);
      ++it;
    } else {
      dropped.push_back(base);
      it = ext->erase(it);
    }
  }
  if (ext->empty()) object.erase(ext);
}

// Walks `value` for the size caps; returns the pointer and reason of the first excess.
std::optional<std::string> SizeProblem(const json& value, const std::string& pointer, int depth,
                                       std::size_t& total) {
  if (depth > kMaxDepth) {
    return pointer + ": nested deeper than " + std::to_string(kMaxDepth) + " levels";
  }
  total += 8;
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    total += s.size();
    if (s.size() > kMaxTextBytes) {
      return (pointer.empty() ? "/" : pointer) + ": " + std::to_string(s.size()) +
             " bytes, more than the " + std::to_string(kMaxTextBytes) + " allowed for one field";
    }
  } else if (value.is_object()) {
    for (const auto& [k, v] : value.items()) {
      total += k.size();
      if (k.size() > 256) return pointer + ": a property name longer than 256 bytes";
      if (auto p = SizeProblem(v, pointer + "/" + Escape(k), depth + 1, total)) return p;
    }
  } else if (value.is_array()) {
    std::size_t i = 0;
    for (const auto& v : value) {
      if (auto p = SizeProblem(v, pointer + "/" + std::to_string(i++), depth + 1, total)) return p;
    }
  }
  if (total > kMaxObjectBytes) {
    return "/: more than " + std::to_string(kMaxObjectBytes) + " bytes in one object";
  }
  return std::nullopt;
}

// Keys whose string values are identifiers, times or codes, not free text.
bool IsFreeTextKey(std::string_view key) {
  static constexpr std::string_view kNotText[] = {"id",
                                                  "type",
                                                  "spec_version",
                                                  "created",
                                                  "modified",
                                                  "first_seen",
                                                  "last_seen",
                                                  "published",
                                                  "start_time",
                                                  "stop_time",
                                                  "incidents",
                                                  "sites",
                                                  "key_id",
                                                  "signature",
                                                  "algorithm",
                                                  "extension_type",
                                                  "source_id",
                                                  "date_start",
                                                  "date_end",
                                                  "country",
                                                  "admin1",
                                                  "admin2",
                                                  "areas",
                                                  "relationship_type",
                                                  "identity_class"};
  if (key.size() >= 4 && (key.ends_with("_ref") || key.ends_with("_refs"))) return false;
  return std::find(std::begin(kNotText), std::end(kNotText), key) == std::end(kNotText);
}

std::optional<std::string> PersonalData(const json& value, const std::string& pointer,
                                        bool free_text) {
  if (value.is_string()) {
    if (!free_text) return std::nullopt;
    if (auto m = FindPersonalIdentifier(value.get_ref<const std::string&>())) {
      return pointer + ": looks like a " + std::string(PersonalIdentifierName(m->kind)) +
             " (personal identifier) at byte " + std::to_string(m->offset);
    }
  } else if (value.is_object()) {
    for (const auto& [k, v] : value.items()) {
      if (k == kSignatureExtensionId) continue;
      if (auto p = PersonalData(v, pointer + "/" + Escape(k), IsFreeTextKey(k))) return p;
    }
  } else if (value.is_array()) {
    std::size_t i = 0;
    for (const auto& v : value) {
      if (auto p = PersonalData(v, pointer + "/" + std::to_string(i++), free_text)) return p;
    }
  }
  return std::nullopt;
}

std::string StringAt(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Screening Refuse(std::string kind, std::string reason) {
  Screening s;
  s.kind = std::move(kind);
  s.reason = std::move(reason);
  return s;
}

}  // namespace

const std::vector<std::string_view>* AllowedProperties(std::string_view type) {
  const auto it = Allowed().find(type);
  return it == Allowed().end() ? nullptr : &it->second;
}

const std::vector<std::string_view>* AllowedExtensionProperties(std::string_view section) {
  const auto it = ExtensionAllowed().find(section);
  return it == ExtensionAllowed().end() ? nullptr : &it->second;
}

std::string Fingerprint(const json& object) {
  return Sha256Hex(object.dump(-1, ' ', false, json::error_handler_t::replace));
}

namespace {

Screening ScreenUnhashed(json& object, const PublicKeys& known, std::string_view now,
                         std::string& received_hash) {
  if (!object.is_object()) return Refuse("invalid", "/: not a JSON object");
  // 1. Size, before anything costs in proportion to it.
  std::size_t total = 0;
  if (auto p = SizeProblem(object, "", 0, total)) return Refuse("oversized", *p);
  // 2. Signature: the originator is the owner of the verifying key.
  auto verified = Verify(object, known);
  if (!verified) return Refuse("signature", verified.error().message);
  const std::string originator = known.OwnerOf(verified->key_id);
  if (originator.empty()) {
    return Refuse("signature", "key " + verified->key_id + " belongs to no known organisation");
  }
  // 3. What the object claims about its author.
  const std::string claimed_ref = StringAt(object, "created_by_ref");
  if (!claimed_ref.empty() && claimed_ref != OrganisationIdentityId(originator)) {
    return Refuse("spoofed", "/created_by_ref: " + claimed_ref + " is not the identity of " +
                                 originator + ", whose key signed the object");
  }
  if (const auto ext = object.find("extensions"); ext != object.end() && ext->is_object()) {
    const auto rec = ext->find(std::string(kCorridorExtensionId));
    if (rec != ext->end() && rec->is_object()) {
      const std::string author = StringAt(*rec, "author_org");
      if (!author.empty() && author != originator) {
        return Refuse("spoofed", "/extensions/" + std::string(kCorridorExtensionId) +
                                     "/author_org: claims " + author + ", but the key of " +
                                     originator + " signed the object");
      }
    }
  }
  // 4. The clock: nothing dated beyond now plus the allowed skew.
  const auto now_secs = ParseUnixTimestamp(now);
  if (!now_secs) return Refuse("invalid", "the receiving clock is malformed: " + std::string(now));
  const std::string limit = FormatUnixTimestamp(*now_secs + kMaxClockSkew.count());
  for (const char* key : {"created", "modified"}) {
    const auto it = object.find(key);
    if (it == object.end()) continue;
    if (!it->is_string()) return Refuse("invalid", std::string("/") + key + ": not a timestamp");
    const auto cmp = CompareTimestamps(it->get<std::string>(), limit);
    if (!cmp) {
      return Refuse("invalid", std::string("/") + key + ": not an RFC 3339 UTC timestamp");
    }
    if (*cmp > 0) {
      return Refuse("future", std::string("/") + key + ": " + it->get<std::string>() +
                                  " is later than now plus " +
                                  std::to_string(kMaxClockSkew.count()) + " s (" + limit + ")");
    }
  }
  // 5. The allow-list.
  Screening s;
  const auto* allowed = AllowedProperties(StringAt(object, "type"));
  if (allowed == nullptr) {
    return Refuse("unsupported", "/type: \"" + StringAt(object, "type") + "\" is not imported");
  }
  if (StringAt(object, "type") == "identity") {
    const std::string cls = StringAt(object, "identity_class");
    if (cls != "organization" && cls != "system") {
      return Refuse("unsupported",
                    "/identity_class: only organization and system identities are taken, got \"" +
                        Excerpt(cls, 100) + "\"");
    }
  }
  received_hash = Fingerprint(object);  // before anything is removed
  ApplyAllowList(object, *allowed, s.dropped);
  // 6. Personal identifiers in what is left.
  if (auto p = PersonalData(object, "", true)) return Refuse("personal-data", *p);
  s.admitted = true;
  s.originator = originator;
  s.key_id = verified->key_id;
  return s;
}

}  // namespace

Screening ScreenObject(json& object, const PublicKeys& known, std::string_view now) {
  std::string received_hash;
  Screening s = ScreenUnhashed(object, known, now, received_hash);
  if (!s.admitted) s.sha256 = received_hash.empty() ? Fingerprint(object) : received_hash;
  return s;
}

Result<std::string> OwnOrganisation(const store::Store& store) {
  auto orgs = store.ListOrganisations();
  if (!orgs) return Fail(orgs.error());
  for (const auto& o : *orgs) {
    if (o.own) return o.name;
  }
  return std::string();
}

Result<std::optional<Refusal>> MayChange(const store::Store& store, std::string_view stix_type,
                                         const Uuid& id, std::string_view originator) {
  std::string held_author;
  std::string dataset;
  if (stix_type == "incident") {
    auto held = store.GetIncident(store::SystemViewer(), id);
    if (!held) {
      if (held.error().code == ErrorCode::kNotFound) return std::optional<Refusal>();
      return Fail(held.error());
    }
    held_author = held->marking.author_org;
    dataset = held->provenance.dataset;
  } else if (stix_type == "report") {
    auto held = store.GetAssessment(store::SystemViewer(), id);
    if (!held) {
      if (held.error().code == ErrorCode::kNotFound) return std::optional<Refusal>();
      return Fail(held.error());
    }
    held_author = held->marking.author_org;
  } else {
    return std::optional<Refusal>();
  }
  auto own = OwnOrganisation(store);
  if (!own) return Fail(own.error());
  if (!own->empty() && originator == *own) return std::optional<Refusal>();  // our own key
  const Uuid ids[] = {id};
  auto received = store.GetReceived(ids);
  if (!received) return Fail(received.error());
  auto imported = store.GetStixRecord(std::string(stix_type) + "--" + id.str());
  if (!imported) return Fail(imported.error());
  const bool from_outside = !received->empty() || (*imported && !(*imported)->key_id.empty());
  if (!from_outside) {
    const bool public_dataset = !dataset.empty() && dataset != "manual" && dataset != "stix";
    return std::optional<Refusal>(Refusal{
        "protected",
        public_dataset ? "a record of the public dataset " + dataset +
                             " imported here is never changed from outside (the local import wins)"
                       : "a record of " + (own->empty() ? std::string("this organisation") : *own) +
                             " is never changed from outside"});
  }
  if (held_author != originator) {
    return std::optional<Refusal>(Refusal{
        "conflict", "the record was originated by " +
                        (held_author.empty() ? std::string("no organisation") : held_author) +
                        "; " + std::string(originator) + " may not change it"});
  }
  return std::optional<Refusal>();
}

}  // namespace corridor::stix
