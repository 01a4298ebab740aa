// The portal's consultation pages (issue 14 §2), server-rendered in Urdu,
// English and Chinese, working without JavaScript: the list, one
// consultation with its proposals, and the forms to propose and support
// with a participation code. Private to src/api.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace corridor::api::portal {

// `list` as public_side::ListConsultationsJson gives it.
std::string ConsultationList(std::string_view lang, const nlohmann::json& list);
// `c` as public_side::ConsultationJson gives it. `notice`: "" or one of
// proposed, supported, already_supported, not_a_code, closed, check_fields.
std::string ConsultationPage(std::string_view lang, const nlohmann::json& c,
                             const std::string& notice);

// The public moderation log (`log` as public_side::ModerationLogJson gives it).
std::string ModerationLogPage(std::string_view lang, const nlohmann::json& log);

}  // namespace corridor::api::portal
