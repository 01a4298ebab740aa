// Small string helpers shared by the subsystems.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"

namespace corridor {

std::string_view Trim(std::string_view s);
std::vector<std::string> Split(std::string_view s, char sep);
std::string ToLower(std::string_view s);
bool IsValidUtf8(std::string_view s);
// The byte offset of the first control character in UTF-8 text (C0 U+0000-001F,
// DEL U+007F, C1 U+0080-009F), or npos. `allow_line_breaks` lets TAB, LF and CR
// through (multi-line text bodies).
std::size_t FindControlCharacter(std::string_view utf8, bool allow_line_breaks = false);
// Checks a field of untrusted text: valid UTF-8, no control character, at most
// `max_bytes`. kInvalidArgument naming `field` (never echoing the text).
Result<void> CheckText(std::string_view field, std::string_view value, std::size_t max_bytes,
                       bool allow_line_breaks = false);
// Untrusted text made safe to echo in a message, a log line or JSON: at most
// `max_bytes` of it, cut on a character boundary (then "…" appended), with
// every invalid byte and control character replaced by U+FFFD. Always valid
// UTF-8, whatever `text` is.
std::string Excerpt(std::string_view text, std::size_t max_bytes);
// Converts Windows-1252 bytes to UTF-8 (undefined bytes 0x81,0x8D,0x8F,0x90,0x9D map
// to the C1 controls, as WHATWG's decoder does).
std::string Windows1252ToUtf8(std::string_view s);
// RFC 4180 quoting: quotes a field when it holds a comma, quote, CR or LF.
std::string CsvField(std::string_view value);
// Lower-case hex SHA-256 of `data` (OpenSSL libcrypto).
std::string Sha256Hex(std::string_view data);

}  // namespace corridor
