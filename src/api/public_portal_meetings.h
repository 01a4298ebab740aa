// The portal's meeting pages (issue 14 §2, "Forums and meetings"),
// server-rendered in Urdu, English and Chinese, working without JavaScript:
// the calendar (coming and past meetings) and one meeting with its agenda,
// place, organisations, linked proposals and minutes. Private to src/api.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace corridor::api::portal {

// `list` as public_side::ListMeetingsJson gives it, oldest first; `now` (RFC
// 3339 UTC) splits coming from past.
std::string MeetingList(std::string_view lang, const nlohmann::json& list, const std::string& now);
// `m` as public_side::MeetingJson gives it.
std::string MeetingPage(std::string_view lang, const nlohmann::json& m);
// "10 December 2026, 10:00–12:30" in Pakistan time, in the language.
std::string MeetingWhen(std::string_view lang, const std::string& starts_at,
                        const std::string& ends_at);

}  // namespace corridor::api::portal
