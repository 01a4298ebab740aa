#include "corridor/sync/codec.h"

#include <cctype>

#include "corridor/model/json.h"

namespace corridor::sync {
namespace {

using nlohmann::json;

// TLP 2.0 marking-definition ids (../shared/standards/README.md).
const char* TlpMarkingId(model::Tlp tlp) {
  switch (tlp) {
    case model::Tlp::kClear: return "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
    case model::Tlp::kGreen: return "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    case model::Tlp::kAmber: return "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
    case model::Tlp::kAmberStrict:
      return "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
    case model::Tlp::kRed: return "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
  }
  return "";
}

// STIX timestamps need a time zone and at least seconds; the store's are
// already "YYYY-MM-DDTHH:MM:SS.fffZ".
std::string StixTime(const std::string& t) { return t.empty() ? "1970-01-01T00:00:00.000Z" : t; }

}  // namespace

std::string CollectionIdFor(std::string_view root) {
  return RecordId("taxii-collection", root).str();
}

std::string StixIdOf(const Uuid& id) { return "incident--" + id.str(); }

std::string_view StixTypeOf(std::string_view stix_id) {
  const auto sep = stix_id.find("--");
  if (sep == std::string_view::npos || sep == 0) return "";
  return stix_id.substr(0, sep);
}

std::optional<Uuid> UuidOfStixId(std::string_view stix_id) {
  const auto sep = stix_id.find("--");
  if (sep == std::string_view::npos || sep == 0) return std::nullopt;
  return Uuid::Parse(stix_id.substr(sep + 2));
}

json EncodeIncident(const model::Incident& incident) {
  json record = model::ToJson(incident);
  // Local bookkeeping does not travel.
  record.erase("version");
  record.erase("created");
  record.erase("modified");
  std::string name = incident.headline;
  if (name.empty()) name = "Incident of " + incident.date_start.iso();
  return {{"type", "incident"},
          {"spec_version", "2.1"},
          {"id", StixIdOf(incident.id)},
          {"created", StixTime(incident.created)},
          {"modified", StixTime(incident.modified)},
          {"name", name},
          {"object_marking_refs", json::array({TlpMarkingId(incident.marking.tlp)})},
          {"x-corridor-record", record}};
}

json EncodeTombstone(const model::Incident& incident) {
  return {{"type", "incident"},
          {"spec_version", "2.1"},
          {"id", StixIdOf(incident.id)},
          {"modified", StixTime(incident.modified)},
          {"revoked", true}};
}

Result<ReceivedObject> DecodeObject(const json& object, const std::string& pointer) {
  auto bad = [&](const std::string& field, const std::string& why) {
    return Fail(ErrorCode::kInvalidArgument, pointer + field + ": " + why);
  };
  if (!object.is_object()) return bad("", "expected a STIX object");
  for (const char* key : {"type", "id", "modified", "spec_version"}) {
    if (!object.contains(key) || !object[key].is_string()) {
      return bad(std::string("/") + key, "required string");
    }
  }
  if (object["spec_version"] != "2.1") return bad("/spec_version", "expected \"2.1\"");
  const std::string type = object["type"];
  const std::string id = object["id"];
  if (type != "incident") return bad("/type", "unsupported type '" + type + "'");
  if (StixTypeOf(id) != type) return bad("/id", "does not start with '" + type + "--'");
  auto uuid = UuidOfStixId(id);
  if (!uuid) return bad("/id", "not <type>--<UUID>");
  ReceivedObject out;
  out.id = *uuid;
  auto modified = NormaliseTimestamp(object["modified"].get<std::string>());
  if (!modified) return bad("/modified", "not an RFC 3339 UTC timestamp");
  out.modified = *modified;
  if (object.contains("revoked") && !object["revoked"].is_boolean()) {
    return bad("/revoked", "expected true or false");
  }
  if (object.value("revoked", false)) {
    out.tombstone = true;
    return out;
  }
  if (!object.contains("x-corridor-record") || !object["x-corridor-record"].is_object()) {
    return bad("/x-corridor-record", "required object");
  }
  auto incident = model::IncidentFromJson(object["x-corridor-record"]);
  if (!incident) return bad("/x-corridor-record", incident.error().message);
  if (incident->id != *uuid) return bad("/x-corridor-record/id", "differs from /id");
  out.incident = std::move(*incident);
  out.incident.revoked = false;
  return out;
}

std::optional<std::string> NormaliseTimestamp(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.f+]Z
  if (t.size() < 20 || t.back() != 'Z') return std::nullopt;
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(t[i])) != 0;
    if (kShape[i] == 'd' ? !digit : t[i] != kShape[i]) return std::nullopt;
  }
  std::string frac;
  std::string_view rest = t.substr(19, t.size() - 20);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() < 2) return std::nullopt;
    for (char c : rest.substr(1)) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    }
    frac = std::string(rest.substr(1));
  }
  frac = (frac + "000").substr(0, 3);
  return std::string(t.substr(0, 19)) + "." + frac + "Z";
}

}  // namespace corridor::sync
