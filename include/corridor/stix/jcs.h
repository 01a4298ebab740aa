// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form of a JSON
// value that Corridor signs (docs/stix.md, "Signatures").
//
//   * object members sorted by their names as UTF-16 code units, no whitespace
//   * strings: only '"', '\\' and U+0000..U+001F escaped (\b \t \n \f \r, else
//     \u00xx in lower-case hex); everything else as UTF-8
//   * numbers as ECMAScript's Number.prototype.toString (shortest round trip,
//     "1e+21", "1e-7", "0.000001", "-0" written as "0")
//
// Pure and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "corridor/common/result.h"

namespace corridor::stix {

// The canonical form of `value`. kInvalidArgument naming the JSON pointer for
// a value JCS cannot represent (NaN or infinity, invalid UTF-8 in a string or
// a member name, an unsigned integer beyond 2^53 that a double cannot hold exactly).
Result<std::string> Canonicalize(const nlohmann::json& value);

// The canonical form of `object` as if its member "extensions"/`extension_id`
// were removed, and "extensions" too when that leaves it empty (an empty
// "extensions" is left out as well): what a signature covers (signature.h),
// without copying the object.
Result<std::string> CanonicalizeWithoutExtension(const nlohmann::json& object,
                                                 std::string_view extension_id);

// ECMAScript's Number::toString of a finite double (RFC 8785 section 3.2.2.3).
std::string CanonicalNumber(double value);

}  // namespace corridor::stix
