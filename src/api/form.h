// application/x-www-form-urlencoded bodies (the portal's forms, which work
// without JavaScript) and percent-encoded header values (X-Passphrase: a
// browser refuses non-Latin-1 header values, so UTF-8 travels encoded).
// Private to src/api.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corridor::api {

// Decodes %XX escapes and, when `plus_is_space`, '+' as a space. nullopt for
// a malformed escape ("%G1", a '%' too near the end).
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// name=value pairs in order; nullopt for a malformed escape or more than
// `max_fields` fields.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body,
                                                                          std::size_t max_fields);

// The first value of `name` in a parsed form.
std::optional<std::string> Field(const std::vector<std::pair<std::string, std::string>>& form,
                                 const std::string& name);

}  // namespace corridor::api
