// The one personal-identifier detector (issue 12 #4; WAVE2 "#4 personal
// data"): what must never reach the security side in free text. Shared by
// STIX ingress and, later, the public side (issues 9 and 10).
//
// Detected, after Urdu (U+06F0..U+06F9) and Arabic-Indic (U+0660..U+0669)
// digits are read as ASCII digits:
//   phone     +<8..15 digits> or 00<8..15 digits> (international, +92/+86
//             included); Pakistani mobile 03XX XXXXXXX (11 digits); Chinese
//             mobile 1[3-9]X XXXX XXXX (11 digits). Digit groups may be
//             joined by one space, '-', '.', '(' or ')'.
//   cnic      12345-1234567-1, or 13 digits in one run
//   email     local@domain.tld
//   passport  one or two capital letters and 7 or 8 digits as one word
//             (AB1234567, E12345678), or any 6..9 letter/digit word after
//             the word "passport"
//
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace corridor {

enum class PersonalIdentifierKind { kPhone, kCnic, kEmail, kPassport };

// "phone", "cnic", "email", "passport".
std::string_view PersonalIdentifierName(PersonalIdentifierKind kind);

struct PersonalIdentifierMatch {
  PersonalIdentifierKind kind;
  std::size_t offset;  // byte offset in the normalised text (NormaliseDigits)
};

// `text` with Urdu and Arabic-Indic digits replaced by ASCII digits.
std::string NormaliseDigits(std::string_view text);

// The first personal identifier in `text`, or nullopt.
std::optional<PersonalIdentifierMatch> FindPersonalIdentifier(std::string_view text);

}  // namespace corridor
