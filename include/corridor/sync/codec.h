// The STIX 2.1 form of what crosses between instances, as the TAXII server
// sends it and the sync client reads it (docs/sync_protocol.md).
//
// An incident travels as one STIX `incident` object; a tombstone as the
// content-free {type, spec_version, id, modified, revoked: true}. Until the
// full mapping of issue 6 part A (corridor/stix) is merged, the incident's
// Corridor fields ride in the `x-corridor-record` property; the functions here
// are the one seam where that mapping plugs in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "corridor/common/result.h"
#include "corridor/common/uuid.h"
#include "corridor/model/incident.h"

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

// The STIX object of `incident` (its `modified` is the incident's).
nlohmann::json EncodeIncident(const model::Incident& incident);
// The content-free tombstone of `incident`, carrying its current `modified`.
nlohmann::json EncodeTombstone(const model::Incident& incident);

// One object read from a partner.
struct ReceivedObject {
  Uuid id;
  std::string modified;  // the object's STIX `modified`
  bool tombstone = false;
  model::Incident incident;  // set unless tombstone
};

// Reads one STIX object. kInvalidArgument naming the JSON pointer
// (`pointer` + "/field") of the first bad field.
Result<ReceivedObject> DecodeObject(const nlohmann::json& object, const std::string& pointer);

// A TAXII/STIX timestamp ("2026-12-01T10:00:00Z", any number of fractional
// digits) in the store's form with exactly milliseconds
// ("2026-12-01T10:00:00.000Z"; extra digits are cut, which keeps "after"
// comparisons exact against millisecond timestamps). nullopt when malformed.
std::optional<std::string> NormaliseTimestamp(std::string_view text);

}  // namespace corridor::sync
