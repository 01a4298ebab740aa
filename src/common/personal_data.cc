#include "corridor/common/personal_data.h"

#include <cctype>

namespace corridor {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsSeparator(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')'; }

bool IsEmailLocal(char c) {
  return IsAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool IsDomainChar(char c) { return IsAlnum(c) || c == '-' || c == '.'; }

// local@domain.tld with a dot in the domain and a letter TLD of 2+.
bool EmailAt(std::string_view t, std::size_t at) {
  if (at == 0 || !IsEmailLocal(t[at - 1])) return false;
  std::size_t end = at + 1;
  while (end < t.size() && IsDomainChar(t[end])) ++end;
  std::string_view domain = t.substr(at + 1, end - at - 1);
  while (!domain.empty() && (domain.back() == '.' || domain.back() == '-')) domain.remove_suffix(1);
  const auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const std::string_view tld = domain.substr(dot + 1);
  if (tld.size() < 2) return false;
  for (char c : tld) {
    if (!IsAlpha(c)) return false;
  }
  return true;
}

// A run of digits starting at `begin` (which is a digit or '+'), groups joined
// by single separators. Returns the digits and where the run ends.
struct DigitRun {
  std::string digits;
  bool plus = false;
  std::size_t end = 0;
  bool cnic_shape = false;  // exactly ddddd-ddddddd-d
};

DigitRun ReadRun(std::string_view t, std::size_t begin) {
  DigitRun run;
  std::size_t i = begin;
  if (t[i] == '+') {
    run.plus = true;
    ++i;
    while (i < t.size() && t[i] == ' ') ++i;
  }
  std::string shape;
  while (i < t.size()) {
    if (IsDigit(t[i])) {
      run.digits.push_back(t[i]);
      shape.push_back('d');
      ++i;
      continue;
    }
    // One or two separators ("-", " (", ") ") between digit groups.
    std::size_t k = i;
    while (k < t.size() && k - i < 2 && IsSeparator(t[k])) ++k;
    if (k > i && k < t.size() && IsDigit(t[k])) {
      shape.append(t.substr(i, k - i));
      i = k;
      continue;
    }
    break;
  }
  run.end = i;
  run.cnic_shape = shape == "ddddd-ddddddd-d";
  return run;
}

std::optional<PersonalIdentifierKind> Classify(const DigitRun& run) {
  const std::string& d = run.digits;
  if (run.cnic_shape) return PersonalIdentifierKind::kCnic;
  if (run.plus) {
    if (d.size() >= 8 && d.size() <= 15) return PersonalIdentifierKind::kPhone;
    return std::nullopt;
  }
  if (d.rfind("00", 0) == 0 && d.size() >= 10 && d.size() <= 17 && d[2] != '0') {
    return PersonalIdentifierKind::kPhone;
  }
  if (d.size() == 11 && d[0] == '0' && d[1] == '3') return PersonalIdentifierKind::kPhone;
  if (d.size() == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9') {
    return PersonalIdentifierKind::kPhone;
  }
  if (d.size() == 13) return PersonalIdentifierKind::kCnic;
  return std::nullopt;
}

bool WordBoundaryBefore(std::string_view t, std::size_t i) { return i == 0 || !IsAlnum(t[i - 1]); }

// AB1234567 / E12345678 as one word.
bool PassportAt(std::string_view t, std::size_t i) {
  if (!WordBoundaryBefore(t, i)) return false;
  std::size_t letters = 0;
  while (i + letters < t.size() && IsUpper(t[i + letters])) ++letters;
  if (letters < 1 || letters > 2) return false;
  std::size_t digits = 0;
  while (i + letters + digits < t.size() && IsDigit(t[i + letters + digits])) ++digits;
  if (digits < 7 || digits > 8) return false;
  const std::size_t end = i + letters + digits;
  return end == t.size() || !IsAlnum(t[end]);
}

// "passport" (any case) then a 6..9 character letter/digit word with a digit.
bool PassportKeywordAt(std::string_view t, std::size_t i) {
  static constexpr std::string_view kWord = "passport";
  if (i + kWord.size() > t.size() || !WordBoundaryBefore(t, i)) return false;
  for (std::size_t k = 0; k < kWord.size(); ++k) {
    if (std::tolower(static_cast<unsigned char>(t[i + k])) != kWord[k]) return false;
  }
  std::size_t j = i + kWord.size();
  if (j < t.size() && (t[j] == 's' || t[j] == 'S')) ++j;
  // Up to three short words ("no.", "number", ":") before the value.
  for (int words = 0; words < 4 && j < t.size(); ++words) {
    while (j < t.size() && (t[j] == ' ' || t[j] == ':' || t[j] == '#' || t[j] == '.')) ++j;
    std::size_t end = j;
    bool digit = false;
    while (end < t.size() && IsAlnum(t[end])) digit = IsDigit(t[end++]) || digit;
    if (end == j) return false;
    if (digit && end - j >= 6 && end - j <= 9) return true;
    j = end;
  }
  return false;
}

}  // namespace

std::string_view PersonalIdentifierName(PersonalIdentifierKind kind) {
  switch (kind) {
    case PersonalIdentifierKind::kPhone: return "phone";
    case PersonalIdentifierKind::kCnic: return "cnic";
    case PersonalIdentifierKind::kEmail: return "email";
    case PersonalIdentifierKind::kPassport: return "passport";
  }
  return "unknown";
}

std::string NormaliseDigits(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c0 = static_cast<unsigned char>(text[i]);
    if (i + 1 < text.size()) {
      const auto c1 = static_cast<unsigned char>(text[i + 1]);
      // U+06F0..U+06F9 (Extended Arabic-Indic, Urdu): DB B0..DB B9.
      if (c0 == 0xDB && c1 >= 0xB0 && c1 <= 0xB9) {
        out.push_back(static_cast<char>('0' + (c1 - 0xB0)));
        ++i;
        continue;
      }
      // U+0660..U+0669 (Arabic-Indic): D9 A0..D9 A9.
      if (c0 == 0xD9 && c1 >= 0xA0 && c1 <= 0xA9) {
        out.push_back(static_cast<char>('0' + (c1 - 0xA0)));
        ++i;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::optional<PersonalIdentifierMatch> FindPersonalIdentifier(std::string_view text) {
  const std::string normal = NormaliseDigits(text);
  const std::string_view t = normal;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '@' && EmailAt(t, i)) {
      std::size_t start = i;
      while (start > 0 && IsEmailLocal(t[start - 1])) --start;
      return PersonalIdentifierMatch{PersonalIdentifierKind::kEmail, start};
    }
    if ((IsDigit(c) || (c == '+' && i + 1 < t.size() && (IsDigit(t[i + 1]) || t[i + 1] == ' '))) &&
        (i == 0 || (!IsAlnum(t[i - 1]) && t[i - 1] != '+'))) {
      const DigitRun run = ReadRun(t, i);
      // A run glued to letters is an identifier of something else (a P-code, a hash).
      const bool glued = run.end < t.size() && IsAlpha(t[run.end]);
      if (!glued) {
        if (auto kind = Classify(run)) return PersonalIdentifierMatch{*kind, i};
      }
      if (run.end > i) i = run.end - 1;
      continue;
    }
    if (IsUpper(c) && PassportAt(t, i)) {
      return PersonalIdentifierMatch{PersonalIdentifierKind::kPassport, i};
    }
    if ((c == 'p' || c == 'P') && PassportKeywordAt(t, i)) {
      return PersonalIdentifierMatch{PersonalIdentifierKind::kPassport, i};
    }
  }
  return std::nullopt;
}

}  // namespace corridor
