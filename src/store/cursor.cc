#include "store/cursor.h"

#include <charconv>

namespace corridor::store {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t kMaxCursorLength = 128;

int DecodeChar(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

std::string Base64UrlEncode(std::string_view in) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : in) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 0x3f]);
  return out;
}

bool Base64UrlDecode(std::string_view in, std::string& out) {
  if (in.size() % 4 == 1) return false;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    const int v = DecodeChar(c);
    if (v < 0) return false;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  // Leftover bits must be zero (canonical encoding only).
  return (buffer & ((1u << bits) - 1)) == 0;
}

}  // namespace

std::string EncodeCursor(const CursorPosition& position) {
  return Base64UrlEncode(std::to_string(position.date_start) + "|" + position.id.str());
}

Result<CursorPosition> DecodeCursor(std::string_view cursor) {
  const auto malformed = [] { return Fail(ErrorCode::kInvalidArgument, "cursor: malformed"); };
  if (cursor.empty() || cursor.size() > kMaxCursorLength) return malformed();
  std::string raw;
  if (!Base64UrlDecode(cursor, raw)) return malformed();
  const std::size_t bar = raw.find('|');
  if (bar == std::string::npos || bar == 0) return malformed();
  CursorPosition position;
  const char* first = raw.data();
  const char* last = raw.data() + bar;
  auto [ptr, ec] = std::from_chars(first, last, position.date_start);
  if (ec != std::errc() || ptr != last) return malformed();
  auto id = Uuid::Parse(std::string_view(raw).substr(bar + 1));
  if (!id) return malformed();
  position.id = *id;
  // Only the canonical form round-trips; reject anything else.
  if (EncodeCursor(position) != cursor) return malformed();
  return position;
}

}  // namespace corridor::store
