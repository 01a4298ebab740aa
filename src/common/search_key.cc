#include "corridor/common/search_key.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

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
