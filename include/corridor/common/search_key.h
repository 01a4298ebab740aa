// The one text normalisation for search (issue 17 item 1; WAVE2 "Text
// search"): a query and the text it should find are both reduced to a key,
// and keys are compared byte for byte. Used by the gazetteer; the incident
// text search is to use it too.
//
// SearchKey(text), in order:
//   1. Chinese traditional characters → simplified (ICU "Hant-Hans"), so
//      奎達 and 奎达 give the same key;
//   2. canonical decomposition, every non-spacing mark removed (Latin
//      diacritics: Islāmābād → islamabad; Arabic-script vowel signs, hamza
//      and madda: آ → ا, ئ → ي), lower case, NFC;
//   3. Arabic and Persian letter variants read as the Urdu letter:
//      ي ى → ی, ك → ک, ه ة ە → ہ; Urdu (U+06F0..) and Arabic-Indic (U+0660..)
//      digits → ASCII digits;
//   4. everything that is not a letter or a digit dropped (spaces, hyphens,
//      apostrophes, ZWNJ, tatweel), so "Dera Ismail Khan" = "DeraIsmailKhan"
//      and اسلام آباد = اسلام‌آباد.
// Invalid UTF-8 gives the key of its valid part (ICU replaces bad bytes).
//
// Thread-safe (each thread keeps its own ICU transliterator).
#pragma once

#include <string>
#include <string_view>

namespace corridor {

std::string SearchKey(std::string_view text);

// The script a name is written in, by its letters (digits, spaces and
// punctuation do not count); kMixed when letters of two scripts appear,
// kOther for any other script or no letter at all.
enum class NameScript { kLatin, kArabic, kHan, kMixed, kOther };
NameScript ScriptOf(std::string_view utf8);

// True when an Arabic-script name uses a letter only Urdu (of Arabic, Persian
// and Urdu) writes: ٹ ڈ ڑ ں ہ ے (U+0679 U+0688 U+0691 U+06BA U+06C1 U+06D2).
bool HasUrduOnlyLetter(std::string_view utf8);

// `text` with Chinese traditional characters as simplified ones (ICU).
std::string ToSimplifiedChinese(std::string_view text);

}  // namespace corridor
