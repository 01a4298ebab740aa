// Small string helpers shared by the subsystems.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace corridor {

std::string_view Trim(std::string_view s);
std::vector<std::string> Split(std::string_view s, char sep);
std::string ToLower(std::string_view s);
bool IsValidUtf8(std::string_view s);
// Converts Windows-1252 bytes to UTF-8 (undefined bytes 0x81,0x8D,0x8F,0x90,0x9D map
// to the C1 controls, as WHATWG's decoder does).
std::string Windows1252ToUtf8(std::string_view s);
// Lower-case hex SHA-256 of `data` (OpenSSL libcrypto).
std::string Sha256Hex(std::string_view data);

}  // namespace corridor
