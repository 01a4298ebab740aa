#include "corridor/common/search_key.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <memory>

namespace corridor {
namespace {

// A transliterator for `id`, made once per thread: ICU transliterators keep
// no state between calls but are not documented as safe to share. nullptr if
// ICU lacks the rules (then the text passes unchanged).
std::unique_ptr<icu::Transliterator> Make(const char* id) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse{};
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      icu::UnicodeString::fromUTF8(id), UTRANS_FORWARD, parse, status));
  if (U_FAILURE(status)) return nullptr;
  return t;
}

icu::Transliterator* KeyTransliterator() {
  thread_local const std::unique_ptr<icu::Transliterator> kKey =
      Make("Hant-Hans; NFD; [:Nonspacing Mark:] Remove; Any-Lower; NFC");
  return kKey.get();
}

icu::Transliterator* HantHans() {
  thread_local const std::unique_ptr<icu::Transliterator> kHantHans = Make("Hant-Hans");
  return kHantHans.get();
}

icu::UnicodeString FromUtf8(std::string_view text) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
}

UChar32 FoldLetter(UChar32 c) {
  switch (c) {
    case 0x064A:      // ARABIC LETTER YEH
    case 0x0649:      // ALEF MAKSURA
      return 0x06CC;  // FARSI YEH (Urdu choti ye)
    case 0x0643:      // ARABIC LETTER KAF
      return 0x06A9;  // KEHEH
    case 0x0647:      // HEH
    case 0x0629:      // TEH MARBUTA
    case 0x06D5:      // AE
      return 0x06C1;  // HEH GOAL
    default:
      break;
  }
  if (c >= 0x0660 && c <= 0x0669) return '0' + (c - 0x0660);
  if (c >= 0x06F0 && c <= 0x06F9) return '0' + (c - 0x06F0);
  return c;
}

}  // namespace

std::string SearchKey(std::string_view text) {
  icu::UnicodeString s = FromUtf8(text);
  if (icu::Transliterator* t = KeyTransliterator()) t->transliterate(s);
  icu::UnicodeString out;
  for (std::int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    const UChar32 c = FoldLetter(s.char32At(i));
    if (u_isalnum(c) != 0) out.append(c);
  }
  std::string key;
  out.toUTF8String(key);
  return key;
}

std::string ToSimplifiedChinese(std::string_view text) {
  icu::UnicodeString s = FromUtf8(text);
  if (icu::Transliterator* t = HantHans()) t->transliterate(s);
  std::string out;
  s.toUTF8String(out);
  return out;
}

namespace {

bool IsWordChar(UChar32 c) {
  if (u_isalnum(c) != 0) return true;
  const std::int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK ||
         type == U_ENCLOSING_MARK || c == 0x0640;  // tatweel
}

bool IsHan(UChar32 c) { return u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) != 0; }

// The key of a word: ASCII letters and digits lowered without ICU (most of
// the text, and the index is built for every incident), else SearchKey.
std::string WordKey(std::string_view word) {
  std::string key;
  key.reserve(word.size());
  for (char ch : word) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) return SearchKey(word);
    key += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return key;
}

}  // namespace

std::vector<SearchToken> SearchTokens(std::string_view text) {
  std::vector<SearchToken> out;
  struct Char {
    std::size_t begin, end;
  };
  std::vector<Char> han;  // the current run of Han characters
  std::size_t word_begin = 0, word_end = 0;
  auto flush_word = [&] {
    if (word_end > word_begin) {
      std::string key = WordKey(text.substr(word_begin, word_end - word_begin));
      if (!key.empty()) out.push_back({std::move(key), word_begin, word_end});
    }
    word_begin = word_end = 0;
  };
  auto flush_han = [&] {
    std::vector<std::string> keys;
    keys.reserve(han.size());
    for (const Char& c : han) keys.push_back(SearchKey(text.substr(c.begin, c.end - c.begin)));
    if (han.size() == 1) out.push_back({keys[0], han[0].begin, han[0].end});
    for (std::size_t i = 0; i + 1 < han.size(); ++i) {
      out.push_back({keys[i] + keys[i + 1], han[i].begin, han[i + 1].end});
    }
    han.clear();
  };
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(text.size());
  std::int32_t i = 0;
  while (i < length) {
    const auto begin = static_cast<std::size_t>(i);
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    const auto end = static_cast<std::size_t>(i);
    if (c >= 0 && IsHan(c)) {
      flush_word();
      han.push_back({begin, end});
    } else if (c >= 0 && IsWordChar(c)) {
      if (!han.empty()) flush_han();
      if (word_end == 0) word_begin = begin;
      word_end = end;
    } else {
      flush_word();
      if (!han.empty()) flush_han();
    }
  }
  flush_word();
  if (!han.empty()) flush_han();
  return out;
}

NameScript ScriptOf(std::string_view utf8) {
  const icu::UnicodeString s = FromUtf8(utf8);
  bool latin = false, arabic = false, han = false, other = false;
  for (std::int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    const UChar32 c = s.char32At(i);
    if (u_isalpha(c) == 0) continue;
    UErrorCode status = U_ZERO_ERROR;
    switch (uscript_getScript(c, &status)) {
      case USCRIPT_LATIN:
        latin = true;
        break;
      case USCRIPT_ARABIC:
        arabic = true;
        break;
      case USCRIPT_HAN:
        han = true;
        break;
      default:
        other = true;
        break;
    }
  }
  const int scripts = int{latin} + int{arabic} + int{han} + int{other};
  if (scripts > 1) return NameScript::kMixed;
  if (latin) return NameScript::kLatin;
  if (arabic) return NameScript::kArabic;
  if (han) return NameScript::kHan;
  return NameScript::kOther;
}

bool HasUrduOnlyLetter(std::string_view utf8) {
  const icu::UnicodeString s = FromUtf8(utf8);
  for (std::int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    switch (s.char32At(i)) {
      case 0x0679:
      case 0x0688:
      case 0x0691:
      case 0x06BA:
      case 0x06C1:
      case 0x06D2:
        return true;
      default:
        break;
    }
  }
  return false;
}

}  // namespace corridor
