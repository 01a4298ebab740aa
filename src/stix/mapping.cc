#include "corridor/stix/mapping.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <tuple>
#include <utility>

#include "corridor/common/date.h"
#include "corridor/common/json_get.h"
#include "corridor/model/json.h"
#include "corridor/stix/signature.h"

namespace corridor::stix {
namespace {

using nlohmann::json;

constexpr std::string_view kSpecVersion = "2.1";
// Timestamps of the constant objects.
constexpr std::string_view kTlp2Created = "2022-10-01T00:00:00.000Z";
constexpr std::string_view kCorridorDefinitionsCreated = "2026-12-02T00:00:00.000Z";
// A record with no bookkeeping time (never stored) still needs one in STIX.
constexpr std::string_view kEpoch = "1970-01-01T00:00:00.000Z";

struct TlpEntry {
  model::Tlp tlp;
  std::string_view id;
  std::string_view value;  // tlp_2_0
};
constexpr std::array<TlpEntry, 5> kTlpEntries = {{
    {model::Tlp::kClear, "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"},
    {model::Tlp::kGreen, "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"},
    {model::Tlp::kAmber, "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"},
    {model::Tlp::kAmberStrict, "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
     "amber+strict"},
    {model::Tlp::kRed, "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"},
}};

std::string V5Id(std::string_view type, std::string_view name) {
  return std::string(type) + "--" + Uuid::V5(CorridorNamespace(), name).str();
}

std::string OrEpoch(const std::string& timestamp) {
  return timestamp.empty() ? std::string(kEpoch) : timestamp;
}

const std::string kExtPointer = "/extensions/" + std::string(kCorridorExtensionId);

// The Corridor extension of `object`, or nullptr.
const json* CorridorExtension(const json& object) {
  const auto ext = object.find("extensions");
  if (ext == object.end() || !ext->is_object()) return nullptr;
  const auto it = ext->find(std::string(kCorridorExtensionId));
  return it == ext->end() || !it->is_object() ? nullptr : &*it;
}

json DistributionToStix(const model::Distribution& d) {
  // Account names (users) never leave the instance.
  return {{"organisations", d.organisations}, {"trust_group", d.trust_group}};
}

Result<std::string> StringAt(const json& object, const char* key, const std::string& pointer,
                             bool required) {
  const auto it = object.find(key);
  if (it == object.end()) {
    if (required) return Fail(ErrorCode::kInvalidArgument, pointer + "/" + key + ": required");
    return std::string();
  }
  if (!it->is_string()) {
    return Fail(ErrorCode::kInvalidArgument, pointer + "/" + key + ": expected a string");
  }
  return it->get<std::string>();
}

// A required RFC 3339 UTC timestamp (any fraction length) at `key`, worded as the ingress rule
// words it. An empty or malformed one would be stored, then written back as another value.
Result<std::string> TimestampAt(const json& object, const char* key) {
  auto v = StringAt(object, key, "", true);
  if (!v) return Fail(v.error());
  if (!CompareTimestamps(*v, *v)) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string("/") + key + ": not an RFC 3339 UTC timestamp");
  }
  return v;
}

// The `created` and `modified` of an SDO, `modified` not before `created` (STIX 2.1 §3.2).
Result<std::pair<std::string, std::string>> CreatedModified(const json& sdo) {
  auto created = TimestampAt(sdo, "created");
  if (!created) return Fail(created.error());
  auto modified = TimestampAt(sdo, "modified");
  if (!modified) return Fail(modified.error());
  if (*CompareTimestamps(*modified, *created) < 0) {
    return Fail(ErrorCode::kInvalidArgument, "/modified: earlier than created");
  }
  return std::make_pair(std::move(*created), std::move(*modified));
}

// The one TLP marking among object_marking_refs.
Result<model::Tlp> TlpOf(const json& object) {
  const auto refs = object.find("object_marking_refs");
  if (refs == object.end() || !refs->is_array()) {
    return Fail(ErrorCode::kInvalidArgument,
                "/object_marking_refs: required (a TLP 2.0 marking-definition id)");
  }
  std::optional<model::Tlp> found;
  for (std::size_t i = 0; i < refs->size(); ++i) {
    const json& r = (*refs)[i];
    if (!r.is_string()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "/object_marking_refs/" + std::to_string(i) + ": expected a string");
    }
    const auto tlp = TlpFromMarkingId(r.get<std::string>());
    if (!tlp) continue;
    if (found && *found != *tlp) {
      return Fail(ErrorCode::kInvalidArgument, "/object_marking_refs/" + std::to_string(i) +
                                                   ": a second, different TLP marking");
    }
    found = tlp;
  }
  if (!found) {
    return Fail(ErrorCode::kInvalidArgument,
                "/object_marking_refs: no TLP 2.0 marking-definition id");
  }
  return *found;
}

// Common SDO/SRO properties of a record's objects.
json Base(std::string_view type, const std::string& id, const std::string& created,
          const std::string& modified, model::Tlp tlp, const std::string& created_by_ref,
          bool revoked) {
  json o = {{"type", type},
            {"spec_version", kSpecVersion},
            {"id", id},
            {"created", OrEpoch(created)},
            {"modified", OrEpoch(modified.empty() ? created : modified)},
            {"object_marking_refs", json::array({TlpMarkingId(tlp)})}};
  if (!created_by_ref.empty()) o["created_by_ref"] = created_by_ref;
  if (revoked) o["revoked"] = true;
  return o;
}

std::string CreatorRef(const model::Marking& marking, const ExportContext& context) {
  if (!marking.author_org.empty()) return OrganisationIdentityId(marking.author_org);
  if (!context.instance_org.empty()) return OrganisationIdentityId(context.instance_org);
  return "";
}

// Puts `pointer` (an error from model JSON readers) under the extension.
Error UnderExtension(const Error& e, const std::string& section) {
  const std::string& m = e.message;
  for (const char* top : {"/provenance", "/licence", "/distribution"}) {
    if (m.rfind(top, 0) == 0) return Error{e.code, kExtPointer + m};
  }
  return Error{e.code, kExtPointer + section + (m.rfind('/', 0) == 0 ? "" : ": ") + m};
}

// Meters a location precision stands for (STIX location `precision`).
std::optional<double> PrecisionMeters(model::LocationPrecision p) {
  switch (p) {
    case model::LocationPrecision::kExact:
      return 1'000.0;
    case model::LocationPrecision::kNear:
      return 25'000.0;
    case model::LocationPrecision::kDistrict:
      return 100'000.0;
    case model::LocationPrecision::kProvince:
      return 300'000.0;
    case model::LocationPrecision::kCountry:
      return 1'000'000.0;
    case model::LocationPrecision::kNone:
      break;
  }
  return std::nullopt;
}

// ISO 3166-1 alpha-3 to alpha-2 for the corridor's countries (STIX `country`
// is alpha-2); others are sent as given.
std::string CountryAlpha2(const std::string& alpha3) {
  static const std::map<std::string, std::string> kCodes = {
      {"PAK", "PK"}, {"CHN", "CN"}, {"AFG", "AF"}, {"IND", "IN"}, {"IRN", "IR"}};
  const auto it = kCodes.find(alpha3);
  return it == kCodes.end() ? alpha3 : it->second;
}

}  // namespace

// --- Markings ----------------------------------------------------------------

std::string_view TlpMarkingId(model::Tlp tlp) {
  for (const auto& e : kTlpEntries) {
    if (e.tlp == tlp) return e.id;
  }
  return kTlpEntries[4].id;  // unreachable: every Tlp is listed
}

std::optional<model::Tlp> TlpFromMarkingId(std::string_view id) {
  for (const auto& e : kTlpEntries) {
    if (e.id == id) return e.tlp;
  }
  return std::nullopt;
}

json TlpMarkingDefinition(model::Tlp tlp) {
  for (const auto& e : kTlpEntries) {
    if (e.tlp != tlp) continue;
    return {{"type", "marking-definition"},
            {"spec_version", kSpecVersion},
            {"id", e.id},
            {"created", kTlp2Created},
            {"name", model::TlpName(tlp)},
            {"extensions",
             {{std::string(kTlp2ExtensionId),
               {{"extension_type", "property-extension"}, {"tlp_2_0", e.value}}}}}};
  }
  return {};
}

json CorridorProjectIdentity() {
  return {{"type", "identity"},
          {"spec_version", kSpecVersion},
          {"id", kCorridorProjectIdentityId},
          {"created", kCorridorDefinitionsCreated},
          {"modified", kCorridorDefinitionsCreated},
          {"name", "Corridor project"},
          {"identity_class", "organization"}};
}

json CorridorExtensionDefinition() {
  return {{"type", "extension-definition"},
          {"spec_version", kSpecVersion},
          {"id", kCorridorExtensionId},
          {"created", kCorridorDefinitionsCreated},
          {"modified", kCorridorDefinitionsCreated},
          {"created_by_ref", kCorridorProjectIdentityId},
          {"name", "Corridor record"},
          {"description",
           "What STIX 2.1 cannot carry of a Corridor incident, assessment or organisation: "
           "category, parties, perpetrators, casualties, date and location precision, "
           "provenance to the source row, dataset licence, originating organisation and "
           "distribution."},
          {"schema",
           "Corridor source tree: docs/stix/corridor-extension.schema.json (JSON Schema "
           "2020-12); rules in docs/stix.md"},
          {"version", "1.0.0"},
          {"extension_types", json::array({"property-extension"})}};
}

json SignatureExtensionDefinition() {
  return {{"type", "extension-definition"},
          {"spec_version", kSpecVersion},
          {"id", kSignatureExtensionId},
          {"created", kCorridorDefinitionsCreated},
          {"modified", kCorridorDefinitionsCreated},
          {"created_by_ref", kCorridorProjectIdentityId},
          {"name", "Corridor signature"},
          {"description",
           "The originator's detached Ed25519 signature over the RFC 8785 canonical JSON of "
           "the object without this extension, with the signing key's id."},
          {"schema",
           "Corridor source tree: docs/stix/corridor-signature-extension.schema.json (JSON "
           "Schema 2020-12); rules in docs/stix.md"},
          {"version", "1.0.0"},
          {"extension_types", json::array({"property-extension"})}};
}

bool IsFixedObject(const json& object) {
  if (!object.is_object()) return false;
  const auto id = object.find("id");
  if (id == object.end() || !id->is_string()) return false;
  // Built once: every received object is checked against these.
  static const std::map<std::string, json, std::less<>> kFixed = [] {
    std::map<std::string, json, std::less<>> fixed;
    std::vector<json> all = {CorridorExtensionDefinition(), SignatureExtensionDefinition(),
                             CorridorProjectIdentity()};
    for (const auto& e : kTlpEntries) all.push_back(TlpMarkingDefinition(e.tlp));
    for (auto& o : all) fixed.emplace(o.at("id").get<std::string>(), std::move(o));
    return fixed;
  }();
  const auto it = kFixed.find(id->get_ref<const std::string&>());
  return it != kFixed.end() && object == it->second;
}

// --- Identities ----------------------------------------------------------------

std::string OrganisationIdentityId(std::string_view org_name) {
  return V5Id("identity", "organisation:" + std::string(org_name));
}

std::string SystemIdentityId(std::string_view system_name) {
  return V5Id("identity", "system:" + std::string(system_name));
}

json OrganisationToStix(const model::Organisation& org) {
  json ext = {{"extension_type", "property-extension"},
              {"organisation", {{"trust_groups", org.trust_groups}}}};
  return {{"type", "identity"},
          {"spec_version", kSpecVersion},
          {"id", OrganisationIdentityId(org.name)},
          {"created", OrEpoch(org.created)},
          {"modified", OrEpoch(org.created)},
          {"name", org.name},
          {"identity_class", "organization"},
          {"extensions", {{std::string(kCorridorExtensionId), ext}}}};
}

Result<model::Organisation> OrganisationFromStix(const json& identity) {
  if (!identity.is_object()) return Fail(ErrorCode::kInvalidArgument, "/: expected an object");
  auto type = StringAt(identity, "type", "", true);
  if (!type) return Fail(type.error());
  if (*type != "identity") {
    return Fail(ErrorCode::kInvalidArgument, "/type: expected \"identity\", got \"" + *type + "\"");
  }
  auto cls = StringAt(identity, "identity_class", "", true);
  if (!cls) return Fail(cls.error());
  if (*cls != "organization") {
    return Fail(
        ErrorCode::kInvalidArgument,
        "/identity_class: only \"organization\" maps to an organisation, got \"" + *cls + "\"");
  }
  model::Organisation org;
  auto name = StringAt(identity, "name", "", true);
  if (!name) return Fail(name.error());
  org.name = *name;
  auto created = TimestampAt(identity, "created");
  if (!created) return Fail(created.error());
  org.created = *created;
  if (const json* ext = CorridorExtension(identity)) {
    if (const auto o = ext->find("organisation"); o != ext->end()) {
      const auto groups = o->find("trust_groups");
      if (groups != o->end()) {
        auto parsed = model::StringsFromJson(groups->dump());
        if (!parsed) {
          return Fail(ErrorCode::kInvalidArgument,
                      kExtPointer + "/organisation/trust_groups: expected an array of strings");
        }
        org.trust_groups = std::move(*parsed);
      }
    }
  }
  return org;
}

json SystemToStix(std::string_view system_name, std::string_view org_name,
                  std::string_view created) {
  json o = {{"type", "identity"},
            {"spec_version", kSpecVersion},
            {"id", SystemIdentityId(system_name)},
            {"created", std::string(created)},
            {"modified", std::string(created)},
            {"name", std::string(system_name)},
            {"identity_class", "system"}};
  if (!org_name.empty()) o["created_by_ref"] = OrganisationIdentityId(org_name);
  return o;
}

// --- Object index ------------------------------------------------------------

ObjectIndex::ObjectIndex(const json& objects) {
  if (!objects.is_array()) return;
  for (const json& o : objects) Add(o);
}

void ObjectIndex::Add(const json& object) {
  if (!object.is_object()) return;
  const auto id = object.find("id");
  if (id == object.end() || !id->is_string()) return;
  by_id_[id->get<std::string>()] = &object;
  if (StringOr(object, "type") == "relationship") {
    const auto source = object.find("source_ref");
    if (source != object.end() && source->is_string()) {
      relationships_by_source_.emplace(source->get<std::string>(), &object);
    }
  }
}

const json* ObjectIndex::Find(const std::string& id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

std::vector<const json*> ObjectIndex::RelationshipsFrom(const std::string& source_id,
                                                        std::string_view type) const {
  std::vector<const json*> out;
  const auto [begin, end] = relationships_by_source_.equal_range(source_id);
  for (auto it = begin; it != end; ++it) {
    const json& r = *it->second;
    if (StringOr(r, "relationship_type") == type && !BoolOr(r, "revoked", false)) {
      out.push_back(&r);
    }
  }
  return out;
}

// --- Incidents ---------------------------------------------------------------

std::string IncidentStixId(const Uuid& id) { return "incident--" + id.str(); }

json DuplicateOfToStix(const Uuid& link, const Uuid& counted, const Uuid& kept, model::Tlp tlp,
                       const std::string& decided_at, const ExportContext& context) {
  json rel =
      Base("relationship", "relationship--" + link.str(), decided_at, decided_at, tlp,
           context.instance_org.empty() ? "" : OrganisationIdentityId(context.instance_org), false);
  rel["relationship_type"] = "duplicate-of";
  rel["source_ref"] = IncidentStixId(counted);
  rel["target_ref"] = IncidentStixId(kept);
  return rel;
}

std::string IncidentLocationId(const Uuid& id) {
  return V5Id("location", "incident-location:" + id.str());
}

std::vector<json> IncidentToStix(const model::Incident& incident, const ExportContext& context) {
  json fields = model::ToJson(incident);
  for (const char* key :
       {"id", "created", "modified", "revoked", "marking", "distribution", "author", "author_org",
        "licence", "provenance", "latitude", "longitude"}) {
    fields.erase(key);
  }
  json ext = {{"extension_type", "property-extension"},
              {"incident", std::move(fields)},
              {"provenance", model::ToJson(incident)["provenance"]},
              {"licence", model::ToJson(incident.licence)},
              {"distribution", DistributionToStix(incident.marking.distribution)},
              {"author_org", incident.marking.author_org}};
  const std::string creator = CreatorRef(incident.marking, context);
  const std::string id = IncidentStixId(incident.id);
  json sdo = Base("incident", id, incident.created, incident.modified, incident.marking.tlp,
                  creator, incident.revoked);
  std::string name = incident.headline;
  if (name.empty()) {
    name = incident.provenance.source_id.empty()
               ? "Incident of " + incident.date_start.iso()
               : incident.provenance.dataset + " " + incident.provenance.source_id;
  }
  sdo["name"] = name;
  if (!incident.description.empty()) sdo["description"] = incident.description;
  sdo["extensions"] = {{std::string(kCorridorExtensionId), std::move(ext)}};

  std::vector<json> out;
  out.push_back(std::move(sdo));
  const std::string suffix = incident.id.str();
  if (incident.latitude && incident.longitude) {
    const std::string location_id = IncidentLocationId(incident.id);
    json location = Base("location", location_id, incident.created, incident.modified,
                         incident.marking.tlp, creator, incident.revoked);
    location["latitude"] = *incident.latitude;
    location["longitude"] = *incident.longitude;
    if (const auto m = PrecisionMeters(incident.location_precision)) location["precision"] = *m;
    if (!incident.country.empty()) location["country"] = CountryAlpha2(incident.country);
    if (!incident.admin1.empty()) location["administrative_area"] = incident.admin1;
    if (!incident.location.empty()) location["name"] = incident.location;
    out.push_back(std::move(location));

    json rel = Base("relationship", V5Id("relationship", "located-at:" + suffix), incident.created,
                    incident.modified, incident.marking.tlp, creator, incident.revoked);
    rel["relationship_type"] = "located-at";
    rel["source_ref"] = id;
    rel["target_ref"] = location_id;
    out.push_back(std::move(rel));

    json sighting = Base("sighting", V5Id("sighting", "sighting:" + suffix), incident.created,
                         incident.modified, incident.marking.tlp, creator, incident.revoked);
    sighting["sighting_of_ref"] = id;
    sighting["where_sighted_refs"] = json::array({location_id});
    sighting["first_seen"] = incident.date_start.iso() + "T00:00:00Z";
    sighting["last_seen"] = incident.date_end.iso() + "T23:59:59Z";
    sighting["count"] = 1;
    out.push_back(std::move(sighting));
  }
  return out;
}

Result<model::Incident> IncidentFromStix(const json& sdo, const ObjectIndex& index) {
  if (!sdo.is_object()) return Fail(ErrorCode::kInvalidArgument, "/: expected an object");
  auto type = StringAt(sdo, "type", "", true);
  if (!type) return Fail(type.error());
  if (*type != "incident") {
    return Fail(ErrorCode::kInvalidArgument, "/type: expected \"incident\", got \"" + *type + "\"");
  }
  auto id = StringAt(sdo, "id", "", true);
  if (!id) return Fail(id.error());
  const std::string prefix = "incident--";
  const auto uuid =
      id->rfind(prefix, 0) == 0 ? Uuid::Parse(id->substr(prefix.size())) : std::nullopt;
  if (!uuid) return Fail(ErrorCode::kInvalidArgument, "/id: not incident--<uuid>");
  const json* ext = CorridorExtension(sdo);
  if (ext == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                kExtPointer + ": required (a Corridor incident carries its fields there)");
  }
  const auto fields = ext->find("incident");
  if (fields == ext->end() || !fields->is_object()) {
    return Fail(ErrorCode::kInvalidArgument, kExtPointer + "/incident: required object");
  }
  auto tlp = TlpOf(sdo);
  if (!tlp) return Fail(tlp.error());
  json model_json = *fields;
  model_json["id"] = uuid->str();
  for (const char* key : {"provenance", "licence", "distribution"}) {
    if (const auto it = ext->find(key); it != ext->end()) model_json[key] = *it;
  }
  model_json["marking"] = model::TlpName(*tlp);
  auto author_org = StringAt(*ext, "author_org", kExtPointer, false);
  if (!author_org) return Fail(author_org.error());
  model_json["author_org"] = *author_org;
  model_json["author"] = "";
  for (const char* key : {"latitude", "longitude"}) model_json.erase(key);
  auto incident = model::IncidentFromJson(model_json);
  if (!incident) return Fail(UnderExtension(incident.error(), "/incident"));
  auto stamps = CreatedModified(sdo);
  if (!stamps) return Fail(stamps.error());
  incident->created = stamps->first;
  incident->modified = stamps->second;
  const auto revoked = sdo.find("revoked");
  if (revoked != sdo.end() && !revoked->is_boolean()) {
    return Fail(ErrorCode::kInvalidArgument, "/revoked: expected a boolean");
  }
  incident->revoked = revoked != sdo.end() && revoked->get<bool>();
  incident->latitude.reset();
  incident->longitude.reset();
  for (const json* rel : index.RelationshipsFrom(*id, "located-at")) {
    const json* location = index.Find(StringOr(*rel, "target_ref"));
    if (location == nullptr || StringOr(*location, "type") != "location") continue;
    const auto lat = location->find("latitude");
    const auto lon = location->find("longitude");
    if (lat == location->end() || lon == location->end() || !lat->is_number() ||
        !lon->is_number()) {
      continue;
    }
    incident->latitude = lat->get<double>();
    incident->longitude = lon->get<double>();
    break;
  }
  return incident;
}

// --- Assessments -------------------------------------------------------------

std::string ReportStixId(const Uuid& id) { return "report--" + id.str(); }

std::string AreaLocationId(std::string_view pcode) {
  return V5Id("location", "area:" + std::string(pcode));
}

std::vector<json> AssessmentToStix(const model::Assessment& a, const ExportContext& context) {
  const std::string creator = CreatorRef(a.marking, context);
  json report =
      Base("report", ReportStixId(a.id), a.created, a.modified, a.marking.tlp, creator, a.revoked);
  report["name"] = a.title;
  if (!a.body.empty()) report["description"] = a.body;
  report["published"] = OrEpoch(a.created);
  report["report_types"] = json::array({"threat-report"});
  json refs = json::array();
  std::vector<json> locations;
  for (const auto& incident : a.incidents) refs.push_back(IncidentStixId(incident));
  for (const auto& pcode : a.areas) {
    const std::string location_id = AreaLocationId(pcode);
    refs.push_back(location_id);
    json location =
        Base("location", location_id, a.created, a.modified, a.marking.tlp, creator, false);
    location["name"] = pcode;
    location["country"] = pcode.size() >= 2 ? pcode.substr(0, 2) : pcode;
    location["administrative_area"] = pcode;
    locations.push_back(std::move(location));
  }
  if (refs.empty()) {
    refs.push_back(creator.empty() ? std::string(kCorridorProjectIdentityId) : creator);
  }
  report["object_refs"] = std::move(refs);
  json sites = json::array();
  for (const auto& s : a.sites) sites.push_back(s.str());
  json incidents = json::array();
  for (const auto& i : a.incidents) incidents.push_back(i.str());
  report["extensions"] = {
      {std::string(kCorridorExtensionId),
       {{"extension_type", "property-extension"},
        {"assessment",
         {{"incidents", incidents}, {"areas", a.areas}, {"sites", sites}, {"version", a.version}}},
        {"distribution", DistributionToStix(a.marking.distribution)},
        {"author_org", a.marking.author_org}}}};
  std::vector<json> out;
  out.push_back(std::move(report));
  for (auto& l : locations) out.push_back(std::move(l));
  return out;
}

Result<model::Assessment> AssessmentFromStix(const json& report) {
  if (!report.is_object()) return Fail(ErrorCode::kInvalidArgument, "/: expected an object");
  auto type = StringAt(report, "type", "", true);
  if (!type) return Fail(type.error());
  if (*type != "report") {
    return Fail(ErrorCode::kInvalidArgument, "/type: expected \"report\", got \"" + *type + "\"");
  }
  auto id = StringAt(report, "id", "", true);
  if (!id) return Fail(id.error());
  const std::string prefix = "report--";
  const auto uuid =
      id->rfind(prefix, 0) == 0 ? Uuid::Parse(id->substr(prefix.size())) : std::nullopt;
  if (!uuid) return Fail(ErrorCode::kInvalidArgument, "/id: not report--<uuid>");
  auto tlp = TlpOf(report);
  if (!tlp) return Fail(tlp.error());
  auto stamps = CreatedModified(report);
  if (!stamps) return Fail(stamps.error());
  json m = {{"id", uuid->str()},
            {"marking", model::TlpName(*tlp)},
            {"created", stamps->first},
            {"modified", stamps->second}};
  for (const auto& [from, to] : std::vector<std::pair<const char*, const char*>>{
           {"name", "title"}, {"description", "body"}}) {
    auto v = StringAt(report, from, "", std::string(from) != "description");
    if (!v) return Fail(v.error());
    m[to] = *v;
  }
  if (const auto r = report.find("revoked"); r != report.end()) {
    if (!r->is_boolean()) return Fail(ErrorCode::kInvalidArgument, "/revoked: expected a boolean");
    m["revoked"] = *r;
  }
  if (const json* ext = CorridorExtension(report)) {
    if (const auto a = ext->find("assessment"); a != ext->end() && a->is_object()) {
      for (const char* key : {"incidents", "areas", "sites", "version"}) {
        if (const auto it = a->find(key); it != a->end()) m[key] = *it;
      }
    }
    if (const auto d = ext->find("distribution"); d != ext->end()) m["distribution"] = *d;
    auto author_org = StringAt(*ext, "author_org", kExtPointer, false);
    if (!author_org) return Fail(author_org.error());
    m["author_org"] = *author_org;
  } else {
    // A report from another STIX producer: its incident references are what we keep.
    json incidents = json::array();
    for (const auto& ref : ArrayOr(report, "object_refs")) {
      if (ref.is_string() && ref.get<std::string>().rfind("incident--", 0) == 0) {
        incidents.push_back(ref.get<std::string>().substr(10));
      }
    }
    m["incidents"] = incidents;
  }
  auto a = model::AssessmentFromJson(m);
  if (!a) {
    const std::string& msg = a.error().message;
    if (msg.rfind("/title", 0) == 0)
      return Fail(ErrorCode::kInvalidArgument, "/name" + msg.substr(6));
    if (msg.rfind("/body", 0) == 0) {
      return Fail(ErrorCode::kInvalidArgument, "/description" + msg.substr(5));
    }
    if (msg.rfind("/distribution", 0) == 0) {
      return Fail(ErrorCode::kInvalidArgument, kExtPointer + msg);
    }
    return Fail(ErrorCode::kInvalidArgument, kExtPointer + "/assessment" + msg);
  }
  return a;
}

// --- Committee workspace -----------------------------------------------------

namespace {

const std::string kCommitteePointer = kExtPointer + "/committee";

// The object a committee object's fields are in, with its marking's distribution and author.
json CommitteeExtension(json section, const model::Marking& marking) {
  return {{std::string(kCorridorExtensionId),
           {{"extension_type", "property-extension"},
            {"committee", std::move(section)},
            {"distribution", DistributionToStix(marking.distribution)},
            {"author_org", marking.author_org}}}};
}

json CommitteeNote(const std::string& id, const std::string& committee_id,
                   const std::string& created, const std::string& modified,
                   const model::Marking& marking, std::string abstract, std::string content,
                   std::vector<std::string> refs, json section) {
  json note =
      Base("note", CommitteeNoteId(id), created, modified, marking.tlp,
           marking.author_org.empty() ? "" : OrganisationIdentityId(marking.author_org), false);
  note["abstract"] = std::move(abstract);
  note["content"] = std::move(content);
  refs.insert(refs.begin(), CommitteeGroupingId(committee_id));
  note["object_refs"] = std::move(refs);
  section["committee"] = committee_id;
  note["extensions"] = CommitteeExtension(std::move(section), marking);
  return note;
}

// The UUID after `prefix` in `id`, or "".
std::string IdAfter(const std::string& id, std::string_view prefix) {
  if (id.rfind(prefix, 0) != 0) return "";
  const auto uuid = Uuid::Parse(id.substr(prefix.size()));
  return uuid ? uuid->str() : "";
}

// The bounds are the ones the committee service sets on what its users write
// (service/committee.cc): a partner's object gets no more room than a local one.
Result<std::vector<std::string>> StringsAt(const json& section, const char* key,
                                           std::size_t max_items, std::size_t max_bytes) {
  std::vector<std::string> out;
  const auto it = section.find(key);
  if (it == section.end()) return out;
  const std::string pointer = kCommitteePointer + "/" + key;
  if (!it->is_array()) return Fail(ErrorCode::kInvalidArgument, pointer + ": expected an array");
  if (it->size() > max_items) {
    return Fail(ErrorCode::kInvalidArgument,
                pointer + ": at most " + std::to_string(max_items) + " items");
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) {
      return Fail(ErrorCode::kInvalidArgument,
                  pointer + "/" + std::to_string(i) + ": expected a string");
    }
    if ((*it)[i].get_ref<const std::string&>().size() > max_bytes) {
      return Fail(ErrorCode::kInvalidArgument, pointer + "/" + std::to_string(i) +
                                                   ": longer than " + std::to_string(max_bytes) +
                                                   " bytes");
    }
    out.push_back((*it)[i].get<std::string>());
  }
  return out;
}

// A string at `key` of `object` (under `pointer`) of at most `max_bytes`.
Result<std::string> BoundedAt(const json& object, const char* key, const std::string& pointer,
                              bool required, std::size_t max_bytes) {
  auto v = StringAt(object, key, pointer, required);
  if (!v) return Fail(v.error());
  if (v->size() > max_bytes) {
    return Fail(ErrorCode::kInvalidArgument,
                pointer + "/" + key + ": longer than " + std::to_string(max_bytes) + " bytes");
  }
  return v;
}

// A UUID at `key` of the section (required or ""), returned in canonical form.
Result<std::string> UuidAt(const json& section, const char* key, bool required) {
  auto v = StringAt(section, key, kCommitteePointer, required);
  if (!v) return Fail(v.error());
  if (v->empty() && !required) return v;
  const auto uuid = Uuid::Parse(*v);
  if (!uuid) {
    return Fail(ErrorCode::kInvalidArgument, kCommitteePointer + "/" + key + ": expected a UUID");
  }
  return uuid->str();
}

Result<std::string> DateAt(const json& section, const char* key, bool required) {
  auto v = StringAt(section, key, kCommitteePointer, required);
  if (!v) return Fail(v.error());
  if ((required || !v->empty()) && !Date::ParseIso(*v)) {
    return Fail(ErrorCode::kInvalidArgument,
                kCommitteePointer + "/" + key + ": expected a date YYYY-MM-DD");
  }
  return v;
}

// A team's area as it travels: a GeoJSON Polygon or MultiPolygon object
// (WGS84), each ring closed and of at least 4 positions, at most
// kMaxTeamAreaPositions in all, every position a [longitude, latitude] pair
// in range. Returned compact (the form the team store keeps); "" when absent.
constexpr std::size_t kMaxTeamAreaPositions = 10000;

Result<std::string> AreaAt(const json& section) {
  const std::string pointer = kCommitteePointer + "/area";
  const auto it = section.find("area");
  if (it == section.end() || it->is_null()) return std::string();
  const json& g = *it;
  const auto bad = [&](const std::string& where, const std::string& what) {
    return Fail(ErrorCode::kInvalidArgument, pointer + where + ": " + what);
  };
  if (!g.is_object() || !g.contains("type") ||
      (g["type"] != "Polygon" && g["type"] != "MultiPolygon")) {
    return bad("", "expected a GeoJSON Polygon or MultiPolygon geometry");
  }
  const auto coordinates = g.find("coordinates");
  if (coordinates == g.end() || !coordinates->is_array() || coordinates->empty()) {
    return bad("/coordinates", "expected a non-empty array");
  }
  std::vector<std::pair<const json*, std::string>> polygons;
  if (g["type"] == "Polygon") {
    polygons.emplace_back(&*coordinates, "/coordinates");
  } else {
    for (std::size_t i = 0; i < coordinates->size(); ++i) {
      polygons.emplace_back(&(*coordinates)[i], "/coordinates/" + std::to_string(i));
    }
  }
  std::size_t positions = 0;
  for (const auto& [rings, at] : polygons) {
    if (!rings->is_array() || rings->empty()) return bad(at, "expected an array of rings");
    for (std::size_t r = 0; r < rings->size(); ++r) {
      const json& ring = (*rings)[r];
      const std::string ring_at = at + "/" + std::to_string(r);
      if (!ring.is_array() || ring.size() < 4) {
        return bad(ring_at, "a ring has at least 4 positions");
      }
      positions += ring.size();
      if (positions > kMaxTeamAreaPositions) {
        return bad("", "at most " + std::to_string(kMaxTeamAreaPositions) + " positions");
      }
      for (std::size_t k = 0; k < ring.size(); ++k) {
        const json& p = ring[k];
        if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number() ||
            std::abs(p[0].get<double>()) > 180 || std::abs(p[1].get<double>()) > 90) {
          return bad(ring_at + "/" + std::to_string(k),
                     "expected [longitude, latitude] within [-180, 180] and [-90, 90]");
        }
      }
      if (ring.front() != ring.back()) return bad(ring_at, "a ring ends where it starts");
    }
  }
  return json{{"type", g["type"]}, {"coordinates", *coordinates}}.dump();  // nothing else
}

}  // namespace

std::string CommitteeGroupingId(const std::string& committee_id) {
  return "grouping--" + committee_id;
}
std::string CommitteeNoteId(const std::string& object_id) { return "note--" + object_id; }

json CommitteeToStix(const store::Committee& c) {
  json g =
      Base("grouping", CommitteeGroupingId(c.id), c.created, c.created, c.marking.tlp,
           c.marking.author_org.empty() ? "" : OrganisationIdentityId(c.marking.author_org), false);
  g["name"] = c.name;
  g["context"] = "unspecified";
  json refs = json::array();
  for (const auto& m : c.members) refs.push_back(OrganisationIdentityId(m));
  g["object_refs"] = std::move(refs);
  g["extensions"] = CommitteeExtension({{"object", "committee"},
                                        {"name", c.name},
                                        {"kind", store::CommitteeKindName(c.kind)},
                                        {"members", c.members}},
                                       c.marking);
  return g;
}

json MeetingToStix(const store::Meeting& m) {
  std::string abstract = "Meeting on " + m.date + (m.is_virtual ? " (virtual)" : " in " + m.place);
  return CommitteeNote(m.id, m.committee_id, m.created, m.created, m.marking, abstract,
                       m.minutes.empty() ? abstract : m.minutes, {},
                       {{"object", "meeting"},
                        {"date", m.date},
                        {"place", m.place},
                        {"virtual", m.is_virtual},
                        {"agenda", m.agenda},
                        {"present", m.present},
                        {"minutes", m.minutes}});
}

json DecisionToStix(const store::Decision& d) {
  std::vector<std::string> refs;
  if (!d.meeting_id.empty()) refs.push_back(CommitteeNoteId(d.meeting_id));
  for (const auto& i : d.incidents) {
    if (auto uuid = Uuid::Parse(i)) refs.push_back(IncidentStixId(*uuid));
  }
  return CommitteeNote(d.id, d.committee_id, d.created, d.created, d.marking, "Decision", d.text,
                       std::move(refs),
                       {{"object", "decision"},
                        {"meeting", d.meeting_id},
                        {"incidents", d.incidents},
                        {"assessments", d.assessments},
                        {"districts", d.districts}});
}

json ActionToStix(const store::ActionItem& a) {
  std::vector<std::string> refs;
  if (!a.decision_id.empty()) refs.push_back(CommitteeNoteId(a.decision_id));
  return CommitteeNote(a.id, a.committee_id, a.created, a.updated, a.marking,
                       "Action for " + a.owner_org + ", due " + a.due, a.title, std::move(refs),
                       {{"object", "action"},
                        {"decision", a.decision_id},
                        {"owner_org", a.owner_org},
                        {"due", a.due},
                        {"status", store::ActionStatusName(a.status)},
                        {"evidence", a.evidence}});
}

json ProgressToStix(const ActionProgress& p) {
  const store::ActionNote& n = p.note;
  std::string abstract = "Progress on an action";
  if (!n.status.empty()) abstract += ": now " + n.status;
  json section = {{"object", "progress"}, {"action", n.action_id}, {"text", n.text}};
  if (!n.status.empty()) section["status"] = n.status;
  // STIX requires a content; a note that only moves the status says so.
  return CommitteeNote(n.id, p.committee_id, n.at, n.at, p.marking, abstract,
                       n.text.empty() ? abstract : n.text, {CommitteeNoteId(n.action_id)},
                       std::move(section));
}

json ExerciseToStix(const SharedExercise& x) {
  const store::Exercise& e = x.exercise;
  std::string modified = e.created;
  const auto later = [&](const std::string& t) {
    if (!t.empty() && CompareTimestamps(t, modified).value_or(0) > 0) modified = t;
  };
  later(e.reported);
  std::vector<std::string> refs;
  json lessons = json::array();
  for (const auto& l : x.lessons) {
    later(l.created);
    refs.push_back(CommitteeNoteId(l.action_id));
    lessons.push_back({{"seq", l.seq}, {"text", l.text}, {"action", l.action_id}});
  }
  const std::string kind(store::ExerciseKindName(e.kind));
  return CommitteeNote(e.id, e.committee_id, e.created, modified, e.marking,
                       (kind == "training" ? "Training course, " : "Joint exercise, ") + e.start +
                           (e.end.empty() || e.end == e.start ? "" : " to " + e.end),
                       e.title, std::move(refs),
                       {{"object", "exercise"},
                        {"kind", kind},
                        {"scenario", e.scenario},
                        {"start", e.start},
                        {"end", e.end},
                        {"participants", e.participants},
                        {"objectives", e.objectives},
                        {"districts", e.districts},
                        {"sites", e.sites},
                        {"findings", e.findings},
                        {"reported", e.reported},
                        {"lessons", std::move(lessons)}});
}

json TeamToStix(const store::JointTeam& t) {
  json area = nullptr;
  if (!t.area.empty()) area = json::parse(t.area, nullptr, false);
  if (area.is_discarded()) area = nullptr;
  return CommitteeNote(t.id, t.committee_id, t.created, t.created, t.marking,
                       "Joint security team " + t.name, t.mandate, {},
                       {{"object", "team"},
                        {"name", t.name},
                        {"members", t.members},
                        {"districts", t.districts},
                        {"area", std::move(area)},
                        {"sites", t.sites},
                        {"start", t.start},
                        {"end", t.end}});
}

json JudicialToStix(const JudicialPart& p) {
  const store::JudicialRequest& r = p.request;
  std::string modified = r.created;
  json moves = json::array();
  for (const auto& m : p.moves) {
    if (CompareTimestamps(m.at, modified).value_or(0) > 0) modified = m.at;
    moves.push_back({{"at", m.at}, {"from", m.from}, {"to", m.to}, {"note", m.note}});
  }
  std::vector<std::string> refs;
  for (const auto& i : r.incidents) {
    if (auto uuid = Uuid::Parse(i)) refs.push_back(IncidentStixId(*uuid));
  }
  const std::string& org = r.marking.author_org;
  json note = Base("note", CommitteeNoteId(p.id), r.created, modified, r.marking.tlp,
                   org.empty() ? "" : OrganisationIdentityId(org), false);
  std::string abstract = "Judicial-assistance request " + r.reference + " (" + r.type + ", " +
                         r.requesting_org + " to " + r.requested_org + "): " + r.state;
  note["abstract"] = abstract;
  note["content"] = std::move(abstract);
  refs.insert(refs.begin(), OrganisationIdentityId(org.empty() ? r.requesting_org : org));
  note["object_refs"] = std::move(refs);
  note["extensions"] = CommitteeExtension({{"object", "judicial"},
                                           {"request", r.id},
                                           {"reference", r.reference},
                                           {"type", r.type},
                                           {"requesting", r.requesting_org},
                                           {"requested", r.requested_org},
                                           {"requesting_authority", r.requesting_authority},
                                           {"requested_authority", r.requested_authority},
                                           {"legal_basis", r.legal_basis},
                                           {"offence", r.offence},
                                           {"incidents", r.incidents},
                                           {"urgency", r.urgency},
                                           {"deadline", r.deadline},
                                           {"state", r.state},
                                           {"moves", std::move(moves)}},
                                          r.marking);
  return note;
}

namespace {

bool IsJudicialState(const std::string& s) {
  return std::find(store::kJudicialStates.begin(), store::kJudicialStates.end(), s) !=
         store::kJudicialStates.end();
}

// The judicial section of a note (CommitteeObjectFromStix), with the bounds
// the judicial service sets on what its users write.
Result<JudicialPart> JudicialFromSection(const json& section, const std::string& id,
                                         const model::Marking& marking,
                                         const std::pair<std::string, std::string>& stamps) {
  JudicialPart p;
  p.id = id;
  store::JudicialRequest& r = p.request;
  auto request = UuidAt(section, "request", true);
  if (!request) return Fail(request.error());
  r.id = *request;
  const auto one_of = [&](const char* key, const std::vector<std::string>& allowed,
                          std::string* field) -> Result<void> {
    auto v = StringAt(section, key, kCommitteePointer, true);
    if (!v) return Fail(v.error());
    if (std::find(allowed.begin(), allowed.end(), *v) != allowed.end()) {
      *field = *v;
      return {};
    }
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    return Fail(ErrorCode::kInvalidArgument,
                kCommitteePointer + "/" + key + ": expected one of " + list);
  };
  for (auto r1 : {one_of("type", store::kJudicialTypes, &r.type),
                  one_of("legal_basis", store::kLegalBases, &r.legal_basis),
                  one_of("urgency", store::kUrgencies, &r.urgency)}) {
    if (!r1) return Fail(r1.error());
  }
  for (auto [key, field, max, required] :
       {std::tuple{"reference", &r.reference, std::size_t{500}, false},
        std::tuple{"requesting", &r.requesting_org, std::size_t{200}, true},
        std::tuple{"requested", &r.requested_org, std::size_t{200}, true},
        std::tuple{"requesting_authority", &r.requesting_authority, std::size_t{500}, false},
        std::tuple{"requested_authority", &r.requested_authority, std::size_t{500}, false},
        std::tuple{"offence", &r.offence, std::size_t{100}, true}}) {
    auto v = BoundedAt(section, key, kCommitteePointer, required, max);
    if (!v) return Fail(v.error());
    if (required && v->empty()) {
      return Fail(ErrorCode::kInvalidArgument, kCommitteePointer + "/" + key + ": empty");
    }
    *field = *v;
  }
  if (r.requesting_org == r.requested_org) {
    return Fail(ErrorCode::kInvalidArgument,
                kCommitteePointer + "/requested: the requested state must differ");
  }
  auto incidents = StringsAt(section, "incidents", 1000, 64);
  if (!incidents) return Fail(incidents.error());
  r.incidents = std::move(*incidents);
  auto deadline = DateAt(section, "deadline", false);
  if (!deadline) return Fail(deadline.error());
  r.deadline = *deadline;
  auto state = StringAt(section, "state", kCommitteePointer, true);
  if (!state) return Fail(state.error());
  if (!IsJudicialState(*state)) {
    return Fail(ErrorCode::kInvalidArgument, kCommitteePointer + "/state: not a request's state");
  }
  r.state = *state;
  const json moves = section.value("moves", json::array());
  if (!moves.is_array() || moves.size() > store::kMaxJudicialMoves) {
    return Fail(ErrorCode::kInvalidArgument, kCommitteePointer + "/moves: an array of at most " +
                                                 std::to_string(store::kMaxJudicialMoves) +
                                                 " moves");
  }
  for (std::size_t i = 0; i < moves.size(); ++i) {
    const std::string at = kCommitteePointer + "/moves/" + std::to_string(i);
    const json& m = moves[i];
    if (!m.is_object()) return Fail(ErrorCode::kInvalidArgument, at + ": expected an object");
    store::StateChange c;
    c.request_id = r.id;
    for (auto [key, field, max] :
         {std::tuple{"at", &c.at, std::size_t{64}}, std::tuple{"from", &c.from, std::size_t{64}},
          std::tuple{"to", &c.to, std::size_t{64}},
          std::tuple{"note", &c.note, std::size_t{6000}}}) {
      auto v = BoundedAt(m, key, at, std::string_view(key) != "note", max);
      if (!v) return Fail(v.error());
      *field = *v;
    }
    if (!CompareTimestamps(c.at, c.at)) {
      return Fail(ErrorCode::kInvalidArgument, at + "/at: expected an RFC 3339 timestamp");
    }
    if (!store::IsJudicialStep(c.from, c.to)) {
      return Fail(ErrorCode::kInvalidArgument,
                  at + ": " + c.from + " → " + c.to + " is not a step of the workflow");
    }
    p.moves.push_back(std::move(c));
  }
  std::stable_sort(p.moves.begin(), p.moves.end(),
                   [](const store::StateChange& a, const store::StateChange& b) {
                     return CompareTimestamps(a.at, b.at).value_or(0) < 0;
                   });
  r.marking = marking;
  r.created = stamps.first;
  r.updated = stamps.second;
  return p;
}

}  // namespace

bool IsCommitteeObject(const json& object) {
  if (!object.is_object()) return false;
  const std::string type = StringOr(object, "type");
  if (type != "grouping" && type != "note") return false;
  const json* ext = CorridorExtension(object);
  return ext != nullptr && ext->contains("committee");
}

Result<CommitteeObject> CommitteeObjectFromStix(const json& object) {
  if (!IsCommitteeObject(object)) {
    return Fail(ErrorCode::kInvalidArgument,
                kCommitteePointer + ": required (a grouping or note of a committee)");
  }
  const json& ext = *CorridorExtension(object);
  const json& section = ext["committee"];
  if (!section.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, kCommitteePointer + ": expected an object");
  }
  const std::string type = StringOr(object, "type");
  auto tlp = TlpOf(object);
  if (!tlp) return Fail(tlp.error());
  auto stamps = CreatedModified(object);
  if (!stamps) return Fail(stamps.error());
  model::Marking marking;
  marking.tlp = *tlp;
  if (const auto d = ext.find("distribution"); d != ext.end()) {
    if (!d->is_object()) {
      return Fail(ErrorCode::kInvalidArgument, kExtPointer + "/distribution: expected an object");
    }
    marking.distribution.trust_group = StringOr(*d, "trust_group");
    for (const auto& o : ArrayOr(*d, "organisations")) {
      if (!o.is_string()) {
        return Fail(ErrorCode::kInvalidArgument,
                    kExtPointer + "/distribution/organisations: expected strings");
      }
      marking.distribution.organisations.push_back(o.get<std::string>());
    }
  }
  auto author_org = StringAt(ext, "author_org", kExtPointer, false);
  if (!author_org) return Fail(author_org.error());
  marking.author_org = *author_org;
  auto kind = StringAt(section, "object", kCommitteePointer, true);
  if (!kind) return Fail(kind.error());
  const std::string id = IdAfter(StringOr(object, "id"), type + "--");
  if (id.empty()) return Fail(ErrorCode::kInvalidArgument, "/id: not " + type + "--<uuid>");
  if ((type == "grouping") != (*kind == "committee")) {
    return Fail(ErrorCode::kInvalidArgument,
                kCommitteePointer + "/object: a committee is a grouping, its other objects notes");
  }
  CommitteeObject out;
  out.modified = stamps->second;
  if (*kind == "judicial") {
    auto part = JudicialFromSection(section, id, marking, *stamps);
    if (!part) return Fail(part.error());
    out.value = std::move(*part);
    return out;
  }
  if (*kind == "committee") {
    store::Committee c;
    c.id = id;
    auto name = BoundedAt(section, "name", kCommitteePointer, true, 200);
    if (!name) return Fail(name.error());
    c.name = *name;
    auto k = store::ParseCommitteeKind(StringOr(section, "kind"));
    if (!k) {
      return Fail(ErrorCode::kInvalidArgument,
                  kCommitteePointer + "/kind: expected bilateral, regional or un");
    }
    c.kind = *k;
    auto members = StringsAt(section, "members", 100, 200);
    if (!members) return Fail(members.error());
    c.members = std::move(*members);
    std::sort(c.members.begin(), c.members.end());
    c.members.erase(std::unique(c.members.begin(), c.members.end()), c.members.end());
    c.marking = marking;
    c.created = stamps->first;
    out.value = std::move(c);
    return out;
  }
  auto committee = UuidAt(section, "committee", true);
  if (!committee) return Fail(committee.error());
  // A decision's text or an action's title (a meeting's is a summary).
  auto content = BoundedAt(object, "content", "", true,
                           *kind == "action" || *kind == "exercise" ? 500 : 20000);
  if (!content) return Fail(content.error());
  if (*kind == "progress") {
    ActionProgress p;
    p.committee_id = *committee;
    p.note.id = id;
    auto action = UuidAt(section, "action", true);
    if (!action) return Fail(action.error());
    p.note.action_id = *action;
    auto text = BoundedAt(section, "text", kCommitteePointer, false, 20000);
    if (!text) return Fail(text.error());
    p.note.text = *text;
    p.note.status = StringOr(section, "status");
    if (!p.note.status.empty() && !store::ParseActionStatus(p.note.status)) {
      return Fail(ErrorCode::kInvalidArgument,
                  kCommitteePointer + "/status: expected open, in_progress, done or dropped");
    }
    p.note.at = stamps->first;
    p.note.org = marking.author_org;  // as claimed; the receiver sets the verified one
    p.marking = marking;
    out.value = std::move(p);
    return out;
  }
  if (*kind == "meeting") {
    store::Meeting m;
    m.id = id;
    m.committee_id = *committee;
    auto date = DateAt(section, "date", true);
    if (!date) return Fail(date.error());
    m.date = *date;
    for (auto [key, field, max] : {std::tuple{"place", &m.place, std::size_t{200}},
                                   std::tuple{"minutes", &m.minutes, std::size_t{20000}}}) {
      auto v = BoundedAt(section, key, kCommitteePointer, false, max);
      if (!v) return Fail(v.error());
      *field = *v;
    }
    m.is_virtual = BoolOr(section, "virtual", false);
    for (auto [key, field, max] : {std::tuple{"agenda", &m.agenda, std::size_t{2000}},
                                   std::tuple{"present", &m.present, std::size_t{200}}}) {
      auto v = StringsAt(section, key, 100, max);
      if (!v) return Fail(v.error());
      *field = std::move(*v);
    }
    m.marking = marking;
    m.created = stamps->first;
    out.value = std::move(m);
  } else if (*kind == "decision") {
    store::Decision d;
    d.id = id;
    d.committee_id = *committee;
    auto meeting = UuidAt(section, "meeting", false);
    if (!meeting) return Fail(meeting.error());
    d.meeting_id = *meeting;
    d.text = *content;
    for (auto [key, field, max] : {std::tuple{"incidents", &d.incidents, std::size_t{64}},
                                   std::tuple{"assessments", &d.assessments, std::size_t{64}},
                                   std::tuple{"districts", &d.districts, std::size_t{32}}}) {
      auto v = StringsAt(section, key, 1000, max);
      if (!v) return Fail(v.error());
      *field = std::move(*v);
    }
    d.marking = marking;
    d.created = stamps->first;
    out.value = std::move(d);
  } else if (*kind == "action") {
    store::ActionItem a;
    a.id = id;
    a.committee_id = *committee;
    auto decision = UuidAt(section, "decision", false);
    if (!decision) return Fail(decision.error());
    a.decision_id = *decision;
    a.title = *content;
    auto owner = BoundedAt(section, "owner_org", kCommitteePointer, true, 200);
    if (!owner) return Fail(owner.error());
    a.owner_org = *owner;
    auto due = DateAt(section, "due", true);
    if (!due) return Fail(due.error());
    a.due = *due;
    auto status = store::ParseActionStatus(StringOr(section, "status"));
    if (!status) {
      return Fail(ErrorCode::kInvalidArgument,
                  kCommitteePointer + "/status: expected open, in_progress, done or dropped");
    }
    a.status = *status;
    auto evidence = StringsAt(section, "evidence", 100, 2000);
    if (!evidence) return Fail(evidence.error());
    a.evidence = std::move(*evidence);
    a.marking = marking;
    a.created = stamps->first;
    a.updated = stamps->second;
    out.value = std::move(a);
  } else if (*kind == "exercise") {
    SharedExercise x;
    store::Exercise& e = x.exercise;
    e.id = id;
    e.committee_id = *committee;
    auto k = store::ParseExerciseKind(StringOr(section, "kind"));
    if (!k) {
      return Fail(ErrorCode::kInvalidArgument,
                  kCommitteePointer + "/kind: expected training or exercise");
    }
    e.kind = *k;
    e.title = *content;
    for (auto [key, field, max] : {std::tuple{"scenario", &e.scenario, std::size_t{20000}},
                                   std::tuple{"findings", &e.findings, std::size_t{20000}}}) {
      auto v = BoundedAt(section, key, kCommitteePointer, false, max);
      if (!v) return Fail(v.error());
      *field = *v;
    }
    auto start = DateAt(section, "start", true);
    if (!start) return Fail(start.error());
    e.start = *start;
    auto end = DateAt(section, "end", false);
    if (!end) return Fail(end.error());
    e.end = end->empty() ? e.start : *end;
    if (e.end < e.start) {
      return Fail(ErrorCode::kInvalidArgument, kCommitteePointer + "/end: before /start");
    }
    for (auto [key, field, items, max] :
         {std::tuple{"participants", &e.participants, std::size_t{100}, std::size_t{200}},
          std::tuple{"objectives", &e.objectives, std::size_t{100}, std::size_t{2000}},
          std::tuple{"districts", &e.districts, std::size_t{500}, std::size_t{32}},
          std::tuple{"sites", &e.sites, std::size_t{500}, std::size_t{64}}}) {
      auto v = StringsAt(section, key, items, max);
      if (!v) return Fail(v.error());
      *field = std::move(*v);
    }
    if (e.participants.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  kCommitteePointer + "/participants: at least one member organisation");
    }
    auto reported = StringAt(section, "reported", kCommitteePointer, false);
    if (!reported) return Fail(reported.error());
    if (!reported->empty() && !CompareTimestamps(*reported, *reported)) {
      return Fail(ErrorCode::kInvalidArgument,
                  kCommitteePointer + "/reported: expected an RFC 3339 timestamp");
    }
    if (reported->empty() != e.findings.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  kCommitteePointer + "/reported: given exactly when there are findings");
    }
    e.reported = *reported;
    const json lessons = section.value("lessons", json::array());
    if (!lessons.is_array() || lessons.size() > store::kMaxSharedLessons) {
      return Fail(ErrorCode::kInvalidArgument,
                  kCommitteePointer + "/lessons: an array of at most " +
                      std::to_string(store::kMaxSharedLessons) + " lessons");
    }
    if (!lessons.empty() && e.findings.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  kCommitteePointer + "/lessons: lessons come with findings");
    }
    for (std::size_t i = 0; i < lessons.size(); ++i) {
      const std::string at = kCommitteePointer + "/lessons/" + std::to_string(i);
      const json& l = lessons[i];
      if (!l.is_object()) return Fail(ErrorCode::kInvalidArgument, at + ": expected an object");
      store::ExerciseLesson lesson;
      lesson.exercise_id = id;
      lesson.seq = static_cast<int>(i) + 1;
      auto text = BoundedAt(l, "text", at, true, 500);
      if (!text) return Fail(text.error());
      if (text->empty()) return Fail(ErrorCode::kInvalidArgument, at + "/text: empty");
      lesson.text = *text;
      auto action = StringAt(l, "action", at, true);
      if (!action) return Fail(action.error());
      const auto uuid = Uuid::Parse(*action);
      if (!uuid) return Fail(ErrorCode::kInvalidArgument, at + "/action: expected a UUID");
      lesson.action_id = uuid->str();
      lesson.created = stamps->second;
      x.lessons.push_back(std::move(lesson));
    }
    e.marking = marking;
    e.created = stamps->first;
    out.value = std::move(x);
  } else if (*kind == "team") {
    store::JointTeam t;
    t.id = id;
    t.committee_id = *committee;
    auto name = BoundedAt(section, "name", kCommitteePointer, true, 200);
    if (!name) return Fail(name.error());
    if (name->empty()) return Fail(ErrorCode::kInvalidArgument, kCommitteePointer + "/name: empty");
    t.name = *name;
    t.mandate = *content;
    for (auto [key, field, items, max] :
         {std::tuple{"members", &t.members, std::size_t{100}, std::size_t{200}},
          std::tuple{"districts", &t.districts, std::size_t{500}, std::size_t{32}},
          std::tuple{"sites", &t.sites, std::size_t{500}, std::size_t{64}}}) {
      auto v = StringsAt(section, key, items, max);
      if (!v) return Fail(v.error());
      *field = std::move(*v);
    }
    if (t.members.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  kCommitteePointer + "/members: at least one member organisation");
    }
    auto area = AreaAt(section);
    if (!area) return Fail(area.error());
    t.area = *area;
    if (t.districts.empty() && t.area.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  kCommitteePointer + "/districts: a team covers districts, an area, or both");
    }
    auto start = DateAt(section, "start", true);
    if (!start) return Fail(start.error());
    t.start = *start;
    auto end = DateAt(section, "end", false);
    if (!end) return Fail(end.error());
    t.end = *end;
    if (!t.end.empty() && t.end < t.start) {
      return Fail(ErrorCode::kInvalidArgument, kCommitteePointer + "/end: before /start");
    }
    t.marking = marking;
    t.created = stamps->first;
    out.value = std::move(t);
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                kCommitteePointer +
                    "/object: expected committee, meeting, decision, action, progress, exercise, "
                    "team or judicial");
  }
  return out;
}

// --- Bundles -------------------------------------------------------------------

json MakeBundle(std::vector<json> objects) {
  json array = json::array();
  for (auto& o : objects) array.push_back(std::move(o));
  return {{"type", "bundle"}, {"id", "bundle--" + Uuid::V4().str()}, {"objects", std::move(array)}};
}

ObjectOrigin OriginOf(const json& object) {
  ObjectOrigin origin;
  if (!object.is_object()) return origin;
  origin.created_by_ref = StringOr(object, "created_by_ref");
  if (auto tlp = TlpOf(object)) origin.tlp = *tlp;
  if (const json* ext = CorridorExtension(object)) {
    const auto org = ext->find("author_org");
    if (org != ext->end() && org->is_string()) origin.originator_org = org->get<std::string>();
    const auto licence = ext->find("licence");
    if (licence != ext->end() && licence->is_object()) {
      origin.has_licence = true;
      origin.licence.id = StringOr(*licence, "id");
      const auto r = licence->find("redistribution");
      origin.licence.redistribution = r != licence->end() && r->is_boolean() && r->get<bool>();
      origin.licence.attribution = StringOr(*licence, "attribution");
    }
  }
  return origin;
}

}  // namespace corridor::stix
