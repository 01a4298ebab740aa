#include "corridor/stix/jcs.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

namespace corridor::stix {
namespace {

using nlohmann::json;

// Decodes UTF-8 into UTF-16 code units. False on invalid UTF-8.
bool ToUtf16(std::string_view s, std::u16string& out) {
  out.clear();
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0;
    int extra = 0;
    if (c < 0x80) {
      cp = c;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      cp = c & 0x1F;
      extra = 1;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      extra = 2;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      cp = c & 0x07;
      extra = 3;
    } else {
      return false;
    }
    if (i + static_cast<std::size_t>(extra) >= s.size() && extra > 0) return false;
    for (int k = 1; k <= extra; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
    i += 1 + extra;
  }
  return true;
}

// True when `s` is valid UTF-8 (the rules of ToUtf16, without decoding).
bool ValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    // A multi-byte sequence: the slow path checks it exactly.
    std::size_t end = i + 1;
    while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
    std::u16string ignored;
    if (!ToUtf16(s.substr(i, end - i), ignored)) return false;
    i = end;
  }
  return true;
}

bool WriteString(std::string_view s, std::string& out) {
  if (!ValidUtf8(s)) return false;
  out.push_back('"');
  std::size_t plain = 0;  // start of the run of bytes copied as they are
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
      }
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out.push_back('"');
  return true;
}

std::string EscapePointerToken(std::string_view key) {
  std::string out;
  for (const char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out.push_back(c);
  }
  return out;
}

// Where a value sits, as a chain to its parent: the JSON pointer is only
// spelled out for an error (building it for every value cost more than the
// canonical form itself).
struct Path {
  const Path* parent = nullptr;
  std::string_view key;   // member name, or
  std::size_t index = 0;  // array index when `key` is null
  bool is_index = false;

  std::string Pointer() const {
    if (parent == nullptr) return "/";
    std::string up = parent->parent == nullptr ? "" : parent->Pointer();
    return up + "/" + (is_index ? std::to_string(index) : EscapePointerToken(key));
  }
};

// What Write leaves out of the top-level object: the member `extension` of
// its "extensions" object, and "extensions" itself when nothing else is in it.
struct Omit {
  std::string_view extension;  // "" = nothing
};

Result<void> Write(const json& v, const Path& path, std::string& out, const Omit* omit);

// Writes the members of object `v` in JCS order: UTF-16 code units. std::map
// already orders its keys bytewise, which is the same order unless a key has a
// code point beyond U+FFFF (a UTF-8 lead byte 0xF0..0xF4 against a surrogate
// pair): only then are the keys converted and sorted.
Result<void> WriteObject(const json& v, const Path& path, std::string& out, const Omit* omit) {
  bool supplementary = false;
  for (auto it = v.begin(); it != v.end() && !supplementary; ++it) {
    for (const char c : it.key()) {
      if (static_cast<unsigned char>(c) >= 0xF0) {
        supplementary = true;
        break;
      }
    }
  }
  std::vector<std::pair<std::u16string, json::const_iterator>> sorted;
  if (supplementary) {
    sorted.reserve(v.size());
    for (auto it = v.begin(); it != v.end(); ++it) {
      std::u16string k;
      if (!ToUtf16(it.key(), k)) {
        return Fail(ErrorCode::kInvalidArgument,
                    path.Pointer() + ": member name is not valid UTF-8");
      }
      sorted.emplace_back(std::move(k), it);
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
  }
  out.push_back('{');
  bool first = true;
  const auto member = [&](const json::const_iterator& it) -> Result<void> {
    const std::string& key = it.key();
    const json* value = &it.value();
    json trimmed;
    if (omit != nullptr && key == "extensions" && value->is_object()) {
      const auto skip = value->find(omit->extension);
      if (skip != value->end()) {
        if (value->size() == 1) return {};  // nothing else: "extensions" goes too
        trimmed = *value;
        trimmed.erase(std::string(omit->extension));
        value = &trimmed;
      } else if (value->empty()) {
        return {};
      }
    }
    if (!first) out.push_back(',');
    first = false;
    if (!WriteString(key, out)) {
      return Fail(ErrorCode::kInvalidArgument, path.Pointer() + ": member name is not valid UTF-8");
    }
    out.push_back(':');
    const Path here{&path, key, 0, false};
    return Write(*value, here, out, nullptr);
  };
  if (supplementary) {
    for (const auto& entry : sorted) {
      if (auto ok = member(entry.second); !ok) return ok;
    }
  } else {
    for (auto it = v.cbegin(); it != v.cend(); ++it) {
      if (auto ok = member(it); !ok) return ok;
    }
  }
  out.push_back('}');
  return {};
}

Result<void> Write(const json& v, const Path& path, std::string& out, const Omit* omit) {
  switch (v.type()) {
    case json::value_t::null:
      out += "null";
      return {};
    case json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return {};
    case json::value_t::number_integer: {
      const auto n = v.get<std::int64_t>();
      if (std::llabs(n) > (std::int64_t{1} << 53)) {
        return Fail(ErrorCode::kInvalidArgument,
                    path.Pointer() + ": integer beyond 2^53 has no exact JCS form");
      }
      out += CanonicalNumber(static_cast<double>(n));
      return {};
    }
    case json::value_t::number_unsigned: {
      const auto n = v.get<std::uint64_t>();
      if (n > (std::uint64_t{1} << 53)) {
        return Fail(ErrorCode::kInvalidArgument,
                    path.Pointer() + ": integer beyond 2^53 has no exact JCS form");
      }
      out += CanonicalNumber(static_cast<double>(n));
      return {};
    }
    case json::value_t::number_float: {
      const double d = v.get<double>();
      if (!std::isfinite(d)) {
        return Fail(ErrorCode::kInvalidArgument,
                    path.Pointer() + ": NaN and infinity have no JSON form");
      }
      // Between 2^53 and 2^64 the canonical form is written without an exponent and a
      // JSON reader takes it back as an integer, which the cases above refuse: the
      // canonical form of a document must itself canonicalize (fuzz_stix found
      // -777777777737e7), so such a number is refused here too.
      if (std::fabs(d) > std::ldexp(1.0, 53) && std::fabs(d) < std::ldexp(1.0, 64)) {
        return Fail(ErrorCode::kInvalidArgument,
                    path.Pointer() +
                        ": number beyond 2^53 written as an integer has no exact "
                        "JCS form");
      }
      out += CanonicalNumber(d);
      return {};
    }
    case json::value_t::string:
      if (!WriteString(v.get_ref<const std::string&>(), out)) {
        return Fail(ErrorCode::kInvalidArgument, path.Pointer() + ": string is not valid UTF-8");
      }
      return {};
    case json::value_t::array: {
      out.push_back('[');
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out.push_back(',');
        const Path here{&path, {}, i, true};
        if (auto ok = Write(v[i], here, out, nullptr); !ok) return ok;
      }
      out.push_back(']');
      return {};
    }
    case json::value_t::object:
      return WriteObject(v, path, out, omit);
    case json::value_t::binary:
    case json::value_t::discarded:
      break;
  }
  return Fail(ErrorCode::kInvalidArgument, path.Pointer() + ": not a JSON value");
}

}  // namespace

std::string CanonicalNumber(double value) {
  if (value == 0) return "0";  // also -0
  std::string out;
  if (value < 0) {
    out.push_back('-');
    value = -value;
  }
  // Shortest round-trip digits in scientific form: d[.ddd]e[+-]x
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  const auto e_pos = sci.find('e');
  std::string digits;
  for (const char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int exp10 = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // value = 0.digits * 10^n
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out.push_back('.');
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out += digits.substr(1);
    }
    out.push_back('e');
    out.push_back(n - 1 >= 0 ? '+' : '-');
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

Result<std::string> Canonicalize(const json& value) {
  std::string out;
  if (auto ok = Write(value, Path{}, out, nullptr); !ok) return Fail(ok.error());
  return out;
}

Result<std::string> CanonicalizeWithoutExtension(const json& object,
                                                 std::string_view extension_id) {
  std::string out;
  const Omit omit{extension_id};
  if (auto ok = Write(object, Path{}, out, object.is_object() ? &omit : nullptr); !ok) {
    return Fail(ok.error());
  }
  return out;
}

}  // namespace corridor::stix
