// Receipt codes and passphrases (issue 14 §1, WAVE2 "Anonymity"): a resident
// follows a grievance with these two alone. Nothing ties them to a person.
//
// Word lists: 2,048 words per language, read from Debian packages at first use
// (docs/dependencies.md): English and Chinese are BIP-39's lists
// (python3-mnemonic); Urdu's are the 2,048 shortest nouns and adjectives of
// the Apertium Urdu dictionary (apertium-urd), after normalisation, distinct.
// $CORRIDOR_WORDLISTS names a directory of en.txt, ur.txt, zh.txt (one word a
// line) to use instead. A list is used only to make passphrases: checking one
// needs only the normalisation, so a changed list never locks anyone out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "corridor/common/result.h"

namespace corridor::public_side {

inline constexpr int kPassphraseWords = 4;  // 4 × 11 bits, with attempts limited per receipt
inline constexpr std::size_t kWordListSize = 2048;

// The language's list. kUnavailable naming the file when it cannot be read
// or holds fewer than 2,048 distinct words; kInvalidArgument for a language
// other than ur, en, zh.
Result<const std::vector<std::string>*> WordList(std::string_view lang);

// kPassphraseWords words of the language's list, chosen uniformly, separated
// by spaces.
Result<std::string> NewPassphrase(std::string_view lang);

// The form compared: NFC; Arabic and Persian letter variants folded (ي ى→ی,
// ك→ک, ه→ہ); Urdu and Arabic-Indic digits to ASCII; ASCII letters to lower
// case; tatweel, zero-width characters and every kind of space removed.
std::string NormalisePassphrase(std::string_view passphrase);

// A code: `prefix`, then 12 characters of Crockford's base-32 (60 random
// bits) in groups of four after dashes; and its tidy form (upper case, spaces
// and dashes tidied, look-alikes folded: O→0, I L→1), "" when it cannot be one.
std::string NewCode(std::string_view prefix);
std::string NormaliseCode(std::string_view prefix, std::string_view code);

// A receipt code: "GRV-" and 12 characters of Crockford's base-32 (60 random
// bits) in groups of four, e.g. "GRV-7K2M-Q9XD-4T1B".
std::string NewReceipt();
// Upper case, spaces and dashes tidied, Crockford's look-alikes folded
// (O→0, I L→1); "" when it cannot be a receipt.
std::string NormaliseReceipt(std::string_view receipt);
// SHA-256 hex of the normalised receipt: what the store keeps.
std::string ReceiptDigest(std::string_view receipt);

}  // namespace corridor::public_side
