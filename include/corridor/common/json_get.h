// Reads of members of JSON that came from outside (a partner's STIX, a key or
// release file, a request body) that never throw.
//
// nlohmann's `j.value(key, fallback)` throws type_error when `j` is not an
// object or the member exists with another type (fuzz_bodies found
// {"format":["x"]} terminating TrustedKeysFromJson), and `j[key]` on a const
// non-object is undefined. These answer the fallback instead: a member of the
// wrong type is treated as absent, and the caller's validation then refuses
// what is missing. Use them, not `.value`, on anything not written by us.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace corridor {

// The member `key` of `j` when `j` is an object holding it, else null.
inline const nlohmann::json* MemberOf(const nlohmann::json& j, std::string_view key) {
  if (!j.is_object()) return nullptr;
  const auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

inline std::string StringOr(const nlohmann::json& j, std::string_view key,
                            std::string fallback = {}) {
  const auto* m = MemberOf(j, key);
  return m != nullptr && m->is_string() ? m->get<std::string>() : std::move(fallback);
}

inline bool BoolOr(const nlohmann::json& j, std::string_view key, bool fallback) {
  const auto* m = MemberOf(j, key);
  return m != nullptr && m->is_boolean() ? m->get<bool>() : fallback;
}

// The member when it is an array, else an empty array.
inline nlohmann::json ArrayOr(const nlohmann::json& j, std::string_view key) {
  const auto* m = MemberOf(j, key);
  return m != nullptr && m->is_array() ? *m : nlohmann::json::array();
}

// The member when it is an object, else an empty object.
inline nlohmann::json ObjectOr(const nlohmann::json& j, std::string_view key) {
  const auto* m = MemberOf(j, key);
  return m != nullptr && m->is_object() ? *m : nlohmann::json::object();
}

}  // namespace corridor
