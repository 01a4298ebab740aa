// Assessments (issue 6): the one way a new assessment is made, shared by the
// API (POST /api/v1/assessments) and the CLI (`corridor assessments add`).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "corridor/auth/policy.h"
#include "corridor/common/result.h"
#include "corridor/model/assessment.h"
#include "corridor/store/store.h"

namespace corridor::api {

// Builds a new assessment written by `author` from `body`:
//   {"title": required, non-empty; "body": Markdown; "incidents": [UUID...];
//    "areas": [P-code...]; "sites": [UUID...]; "marking" (default TLP:AMBER);
//    "distribution"}
// Each referenced incident must be visible to `viewer` (the author's view),
// each site and area must exist. The id is a new UUIDv4, created = modified
// = `now`, version 1. kInvalidArgument naming the JSON pointer (a field set by
// the server, e.g. "/id", is an error too); kPermissionDenied when
// auth::Decide refuses `author` the write (kCreateIncident: filing a report).
Result<model::Assessment> NewAssessment(const store::Store& store, const nlohmann::json& body,
                                        const auth::Principal& author,
                                        const store::Viewer& viewer, const std::string& now);

}  // namespace corridor::api
