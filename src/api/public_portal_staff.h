// The portal's staff pages (issue 14; docs/public.md "Staff pages"): sign-in,
// the grievance officers' case list and case page with the forms of every
// officer action, and the moderators' queue, as plain HTML forms that work
// without JavaScript, in Urdu, English and Chinese. Every text escaped; every
// form carries the session's CSRF token. Private to src/api.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "api/public_portal_grievances.h"

namespace corridor::api::portal {

// Who is signed in, for every staff page's header.
struct StaffFrame {
  std::string account;
  std::vector<std::string> roles;  // public role names
  std::string csrf;                // the session's form token
  bool Has(std::string_view role) const;
};

// The sign-in form; `failed` after a refused sign-in (`name` kept).
std::string StaffSignIn(std::string_view lang, bool failed, const std::string& name);

struct CaseListQuery {
  bool mine = false, overdue = false;
};
// The cases an officer may see (public_side::OfficerJson each), overdue first.
std::string StaffCases(std::string_view lang, const StaffFrame& frame, const nlohmann::json& cases,
                       const CaseListQuery& query, const std::vector<DistrictChoice>& districts);
// One case (public_side::OfficerJson) with its attachments (ListAttachments'
// "items") and the forms its state allows. `notice`: "saved", or an error's
// message to show as refused.
std::string StaffCase(std::string_view lang, const StaffFrame& frame, const nlohmann::json& view,
                      const nlohmann::json& attachments,
                      const std::vector<DistrictChoice>& districts, const std::string& notice,
                      bool refused);
// What is held for moderation (public_side::ModerationQueueJson's "items"),
// each with its decision form.
std::string StaffModeration(std::string_view lang, const StaffFrame& frame,
                            const nlohmann::json& items, const std::vector<std::string>& rules,
                            const std::string& notice, bool refused);
// A staff page's refusal (403: the role is missing; 404: no such case).
std::string StaffRefused(std::string_view lang, const StaffFrame& frame, int status);

}  // namespace corridor::api::portal
