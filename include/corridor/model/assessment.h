// An analyst's assessment (issue 6): a written report on incidents, areas
// and sites, marked and distributed like an incident. It is what partners
// most want, and travels as a STIX 2.1 `report` (corridor/stix/mapping.h).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "corridor/common/result.h"
#include "corridor/common/uuid.h"
#include "corridor/model/security.h"

namespace corridor::model {

struct Assessment {
  Uuid id;                       // UUIDv4 (a received one keeps its originator's id)
  std::string title;
  std::string body;              // Markdown
  std::vector<Uuid> incidents;   // referenced incidents
  std::vector<std::string> areas;  // province/district P-codes ("PK6", "PK604")
  std::vector<Uuid> sites;       // referenced corridor sites
  Marking marking;
  std::string created;           // RFC 3339 UTC
  std::string modified;
  bool revoked = false;
  int version = 0;               // 1 on creation, +1 on each change
  friend bool operator==(const Assessment&, const Assessment&) = default;
};

// {"id","title","body","incidents":[...],"areas":[...],"sites":[...],
//  "marking":"TLP:AMBER","distribution":{...},"author","author_org",
//  "created","modified","revoked","version"}
nlohmann::json ToJson(const Assessment& assessment);
// Reads the form above; missing bookkeeping fields keep their defaults.
// kInvalidArgument naming the JSON pointer of the first bad field.
Result<Assessment> AssessmentFromJson(const nlohmann::json& json);

}  // namespace corridor::model
