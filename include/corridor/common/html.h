// Escaping text for HTML and SVG documents the server writes (briefings).
#pragma once

#include <string>
#include <string_view>

namespace corridor {

// `text` with & < > " ' replaced by their character references: safe inside
// an element and inside a quoted attribute value.
std::string HtmlEscape(std::string_view text);

}  // namespace corridor
