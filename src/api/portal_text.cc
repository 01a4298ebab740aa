// Portal texts by key and language (api/portal_text.h).
#include "api/portal_text.h"

#include "corridor/common/html.h"

namespace corridor::api::portal {

std::string Lookup(const TextTable& table, std::string_view lang, const std::string& key) {
  auto it = table.find(key);
  if (it == table.end()) return key;
  return lang == "ur" ? it->second.ur : lang == "zh" ? it->second.zh : it->second.en;
}

std::string LookupHtml(const TextTable& table, std::string_view lang, const std::string& key) {
  return HtmlEscape(Lookup(table, lang, key));
}

}  // namespace corridor::api::portal
