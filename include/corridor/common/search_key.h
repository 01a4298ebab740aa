// The one text normalisation for search (issue 17 item 1; WAVE2 "Text
// search"): a query and the text it should find are both reduced to a key,
// and keys are compared byte for byte. Used by the gazetteer, and word by
// word (SearchTokens) by the incident text index.
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

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace corridor {

std::string SearchKey(std::string_view text);

// The words of a text as search keys, for a full-text index and the queries
// against it (WAVE2 "Text search": neither FTS5's unicode61 nor a `simple`
// configuration splits Chinese). A word is a run of letters, digits and
// combining marks; anything else separates words (so does ZWNJ, so that
// اسلام‌آباد and اسلام آباد give the same two words). A word's key is its
// SearchKey. A run of Han characters, which Chinese writes without spaces,
// gives its overlapping bigrams (奎達市 → 奎达, 达市) — a quoted query is
// then a phrase of bigrams and finds the run anywhere inside a longer one; a
// lone Han character is its own token. `begin`/`end` are the byte offsets of
// the token's source in `text`. Invalid UTF-8 bytes separate words.
struct SearchToken {
  std::string key;
  std::size_t begin = 0;
  std::size_t end = 0;
};
std::vector<SearchToken> SearchTokens(std::string_view text);

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
