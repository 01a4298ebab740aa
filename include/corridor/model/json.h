// JSON forms of the model, as the API, the CLI and the store's array columns
// use them. Field names are the model's (issue 2, docs/api.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "corridor/common/result.h"
#include "corridor/model/area.h"
#include "corridor/model/incident.h"

namespace corridor::model {

nlohmann::json ToJson(const Incident& incident);
// The same text as ToJson(incident).dump() and ToGeoJsonFeature(incident).dump(),
// appended to `out` without building a tree (a page of the API is written by
// concatenation: issue 18 §2). Text that is not UTF-8 is written as the API
// writes it, bad bytes replaced by U+FFFD.
void AppendJson(std::string& out, const Incident& incident);
void AppendGeoJsonFeature(std::string& out, const Incident& incident);
// Reads an incident from its JSON form. kInvalidArgument naming the JSON
// pointer of the first bad field ("/date_start: not a YYYY-MM-DD date").
Result<Incident> IncidentFromJson(const nlohmann::json& json);

// A GeoJSON Feature with a Point geometry (or null geometry when the incident
// has no coordinates) and the incident's fields as properties.
nlohmann::json ToGeoJsonFeature(const Incident& incident);

// `with_geometry` adds "geometry" (parsed GeoJSON) when the area has one.
nlohmann::json ToJson(const Area& area, bool with_geometry);
nlohmann::json ToJson(const Site& site, bool with_geometry);
nlohmann::json ToJson(const Licence& licence);
// {"marking":"TLP:AMBER","distribution":{"users":[],"organisations":[],"trust_group":""},
//  "author":"...","author_org":"..."} merged into an incident's JSON.
nlohmann::json ToJson(const Distribution& distribution);
// Reads "distribution" ({"users":[...],"organisations":[...],"trust_group":"..."}).
// kInvalidArgument naming the JSON pointer of the first bad field.
Result<Distribution> DistributionFromJson(const nlohmann::json& json, const std::string& pointer);

// Arrays of strings as compact JSON text, and back (for store columns).
std::string StringsToJson(const std::vector<std::string>& values);
Result<std::vector<std::string>> StringsFromJson(const std::string& text);

}  // namespace corridor::model
