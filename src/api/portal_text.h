// A portal page file's texts in Urdu, English and Chinese, looked up by an
// English key. Private to src/api.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace corridor::api::portal {

struct Tr {
  const char* ur;
  const char* en;
  const char* zh;
};
using TextTable = std::map<std::string, Tr>;

// The text of `key` in `lang` (English for an unknown language); the key
// itself when the table lacks it.
std::string Lookup(const TextTable& table, std::string_view lang, const std::string& key);
// The same, escaped for HTML.
std::string LookupHtml(const TextTable& table, std::string_view lang, const std::string& key);

}  // namespace corridor::api::portal
