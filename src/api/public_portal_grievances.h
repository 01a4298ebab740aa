// The portal's grievance pages (issue 14 §1): file, receive the receipt and
// passphrase, follow, answer, accept or appeal, all as plain HTML forms that
// work without JavaScript, in Urdu, English and Chinese. Every text escaped.
// Private to src/api.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corridor::api::portal {

// A district the form offers: P-code and name.
using DistrictChoice = std::pair<std::string, std::string>;

struct GrievanceFormValues {
  std::string district, topic, description, contact;
  bool reprisal_fear = false;
};

// The filing form (posts multipart to /{lang}/grievances/new, with an optional file). `error_field`
// (a field's name: "district", "topic", "description", "contact") asks the resident, in their
// language, to check that field; what was typed is kept.
std::string GrievanceForm(std::string_view lang, const std::vector<DistrictChoice>& districts,
                          const GrievanceFormValues& values, const std::string& error_field);
// After filing: the receipt code and passphrase, shown once; `notice` (a text
// key: the file sent with it was added or refused) first.
std::string GrievanceReceipt(std::string_view lang, const std::string& receipt,
                             const std::string& passphrase, const std::string& notice = "");
// The follow form; `not_found` after a wrong receipt or passphrase.
std::string FollowForm(std::string_view lang, bool not_found);
// The page a form post gets past the per-client limit (status 429).
std::string TooManyTries(std::string_view lang, std::int64_t retry_after_s);
// The case as the resident sees it (public_side::ResidentJson), with the
// forms the state allows. `notice`: a confirmation or refusal to show first.
std::string GrievanceStatus(std::string_view lang, const nlohmann::json& view,
                            const std::string& receipt, const std::string& passphrase,
                            const std::string& notice);
// A grievance text by key, unescaped: a state ("s:received"), tier ("t:project"),
// history action ("a:ask"), milestone ("m:update") or topic slug; the key itself
// when there is none (for the staff pages, which show the same names).
std::string GrievanceText(std::string_view lang, const std::string& key);
// The current tier's deadlines of a case (ResidentJson's "milestones") as a
// heading and a table: each due day, done, pending or overdue.
std::string GrievanceDeadlines(std::string_view lang, const nlohmann::json& view);
// The Asia/Karachi day of an RFC 3339 time in the language, escaped.
std::string GrievanceDay(std::string_view lang, const std::string& at);

// Public statistics per district (public_side::GrievanceStatistics).
std::string GrievanceStatisticsPage(std::string_view lang, const nlohmann::json& stats,
                                    const std::vector<DistrictChoice>& names);

}  // namespace corridor::api::portal
