// The STIX 2.1 form of what crosses between instances, as the TAXII server
// sends it and the sync client reads it (docs/sync_protocol.md), on top of
// issue 6 part A's mapping (corridor/stix/mapping.h) and object signatures
// (corridor/stix/signature.h).
//
// An incident travels as the objects stix::IncidentToStix makes (the incident
// SDO, and with a point its location, located-at relationship and sighting),
// each signed by its originator. A tombstone is the content-free, signed
// {type, spec_version, id, modified, revoked: true}.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/common/uuid.h"
#include "corridor/model/assessment.h"
#include "corridor/model/incident.h"
#include "corridor/stix/mapping.h"
#include "corridor/stix/signature.h"

namespace corridor::sync {

inline constexpr std::string_view kTaxiiMediaType = "application/taxii+json;version=2.1";
inline constexpr std::string_view kStixMediaType = "application/stix+json;version=2.1";

// The id of the one collection in API root `root`: UUIDv5 in the Corridor
// namespace over "taxii-collection:<root>", the same on every instance.
std::string CollectionIdFor(std::string_view root);

// "incident--<uuid>".
std::string StixIdOf(const Uuid& id);
// The UUID of "<type>--<uuid>", or nullopt when malformed.
std::optional<Uuid> UuidOfStixId(std::string_view stix_id);
// The STIX type of "<type>--<uuid>" ("" when malformed).
std::string_view StixTypeOf(std::string_view stix_id);

// The STIX objects of `incident`, each signed with `key` when given.
// kInvalidArgument when an object has no canonical form (names the pointer).
Result<std::vector<nlohmann::json>> EncodeIncident(const model::Incident& incident,
                                                   const stix::ExportContext& context,
                                                   const stix::SigningKey* key);
// The content-free tombstone of `incident` with its current `modified`,
// signed with `key` when given.
Result<nlohmann::json> EncodeTombstone(const model::Incident& incident,
                                       const stix::SigningKey* key);

// The STIX objects of `assessment` (stix::AssessmentToStix: the report, then
// its area locations), each signed with `key` when given.
Result<std::vector<nlohmann::json>> EncodeAssessment(const model::Assessment& assessment,
                                                     const stix::ExportContext& context,
                                                     const stix::SigningKey* key);
// The content-free tombstone of `assessment` (a revoked `report`).
Result<nlohmann::json> EncodeAssessmentTombstone(const model::Assessment& assessment,
                                                 const stix::SigningKey* key);

// One incident read from a partner's page.
struct ReceivedObject {
  Uuid id;
  std::string stix_id;
  std::string modified;  // the incident SDO's `modified`, in the store's form
  bool tombstone = false;
  model::Incident incident;             // set unless tombstone
  std::string originator;               // the organisation whose key signed it
  std::vector<nlohmann::json> objects;  // the incident's objects, undeclared properties removed
};

// One assessment (STIX report) read from a partner's page.
struct ReceivedAssessment {
  Uuid id;
  std::string stix_id;
  std::string modified;  // the report's `modified`, in the store's form
  bool tombstone = false;
  model::Assessment assessment;  // set unless tombstone
  std::string originator;        // the organisation whose key signed it
  // The report and its locations, undeclared properties removed.
  std::vector<nlohmann::json> objects;
};

struct DecodeFailure {
  std::string id;           // STIX id when readable
  std::string version;      // its modified when readable
  std::string message;      // names the JSON pointer, or the signature problem
  std::string sha256 = {};  // of the refused object (stix::Fingerprint), "" for a consequence
};

// Properties the allow-list removed from one accepted object.
struct DroppedProperties {
  std::string id;
  std::vector<std::string> pointers;  // inside the object
};

struct DecodedPage {
  std::vector<ReceivedObject> incidents;
  std::vector<ReceivedAssessment> assessments;
  std::vector<DecodeFailure> failures;
  std::vector<DroppedProperties> dropped;
};

// Reads a page of STIX objects (a JSON array): every object but the fixed ones
// (TLP marking definitions, Corridor extension definitions) goes through the
// ingress rule (stix::ScreenObject: size caps, a signature that verifies
// against `known`, the pinned keys of partners, whose owner is the object's
// originator, no spoofed author, no date beyond `now` plus the allowed skew,
// undeclared properties removed, no personal identifiers); the companions of
// an incident or report must have its originator; each incident is
// read with its location from the same page; each report is an assessment,
// and the area locations it refers to are its companions. An incident fails
// when it or one of its companion objects (location, relationship, sighting)
// fails, an assessment when its report or one of its locations fails. The
// other objects are not affected by a failure. kInvalidArgument when
// `objects` is not an array.
Result<DecodedPage> DecodePage(nlohmann::json objects, const stix::PublicKeys& known,
                               std::string_view now);

// A TAXII 2.1 envelope as both sides read it (a partner's page on the sync
// client, a partner's POST body on the server).
struct Envelope {
  nlohmann::json objects = nlohmann::json::array();
  bool more = false;
  std::string next;  // when more
};

// Reads `body` as an envelope: a JSON object whose `objects` is an array
// (required when `objects_required`), whose `more` is a boolean when present,
// and whose `next` is a string when `more` is true. kInvalidArgument names the
// JSON pointer; a member of the wrong type is an error, never a default.
Result<Envelope> ReadEnvelope(std::string_view body, bool objects_required);

// A TAXII/STIX timestamp ("2026-12-01T10:00:00Z", any number of fractional
// digits) in the store's form with exactly milliseconds
// ("2026-12-01T10:00:00.000Z"; extra digits are cut, which keeps "after"
// comparisons exact against millisecond timestamps). nullopt when malformed.
std::optional<std::string> NormaliseTimestamp(std::string_view text);

}  // namespace corridor::sync
