#include "store/cursor.h"

#include <charconv>
#include <vector>

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
  std::string raw;
  if (position.order != IncidentOrder::kNewest) {
    raw.append(IncidentOrderName(position.order)).append("|");
    raw.append(std::to_string(position.key)).append("|");
  }
  raw.append(std::to_string(position.date_start)).append("|").append(position.id.str());
  return Base64UrlEncode(raw);
}

Result<CursorPosition> DecodeCursor(std::string_view cursor, IncidentOrder expected) {
  const auto malformed = [] { return Fail(ErrorCode::kInvalidArgument, "cursor: malformed"); };
  if (cursor.empty() || cursor.size() > kMaxCursorLength) return malformed();
  std::string raw;
  if (!Base64UrlDecode(cursor, raw)) return malformed();
  std::vector<std::string_view> parts;
  for (std::string_view rest = raw;;) {
    const std::size_t bar = rest.find('|');
    parts.push_back(rest.substr(0, bar));
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  CursorPosition position;
  std::size_t at = 0;
  if (parts.size() == 4) {
    auto order = ParseIncidentOrder(parts[0]);
    if (!order || *order == IncidentOrder::kNewest) return malformed();
    position.order = *order;
    const std::string_view key = parts[1];
    auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), position.key);
    if (ec != std::errc() || ptr != key.data() + key.size()) return malformed();
    at = 2;
  } else if (parts.size() != 2) {
    return malformed();
  }
  const std::string_view day = parts[at];
  auto [ptr, ec] = std::from_chars(day.data(), day.data() + day.size(), position.date_start);
  if (ec != std::errc() || ptr != day.data() + day.size()) return malformed();
  auto id = Uuid::Parse(parts[at + 1]);
  if (!id) return malformed();
  position.id = *id;
  // Only the canonical form round-trips; reject anything else.
  if (EncodeCursor(position) != cursor) return malformed();
  if (position.order != expected) {
    return Fail(ErrorCode::kInvalidArgument,
                "cursor: it continues a page sorted by " +
                    std::string(IncidentOrderName(position.order)) + ", not by " +
                    std::string(IncidentOrderName(expected)) + "; start again without a cursor");
  }
  return position;
}

}  // namespace corridor::store
