#include "corridor/public_side/passphrase.h"

#include <sodium.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "corridor/auth/crypto.h"
#include "corridor/common/personal_data.h"

namespace corridor::public_side {
namespace {

constexpr const char* kMnemonicDir = "/usr/lib/python3/dist-packages/mnemonic/wordlist/";
constexpr const char* kApertiumUrdu = "/usr/share/apertium/apertium-urd/apertium-urd.urd.dix";

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(ErrorCode::kUnavailable,
                path + ": cannot read the passphrase word list (docs/dependencies.md)");
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Whether every code point is an Urdu letter (Arabic block letters, without
// tatweel, diacritics or digits).
bool UrduLetters(const icu::UnicodeString& w) {
  for (int32_t i = 0; i < w.length(); ++i) {
    const char16_t c = w.charAt(i);
    const bool letter = (c >= 0x0621 && c <= 0x063A) || (c >= 0x0641 && c <= 0x064A) ||
                        (c >= 0x0679 && c <= 0x06D3);
    if (!letter) return false;
  }
  return true;
}

// The Urdu list from the Apertium dictionary: lemmas of nouns and adjectives,
// 3 to 6 letters, by (length, normalised bytes), distinct after normalisation.
Result<std::vector<std::string>> UrduFromApertium(const std::string& dix) {
  std::map<std::pair<int32_t, std::string>, bool> chosen;
  std::set<std::string> seen;
  std::size_t pos = 0;
  while ((pos = dix.find("<e lm=\"", pos)) != std::string::npos) {
    pos += 7;
    const auto end = dix.find('"', pos);
    const auto close = dix.find("</e>", pos);
    if (end == std::string::npos || close == std::string::npos) break;
    const std::string lemma = dix.substr(pos, end - pos);
    const auto par = dix.find("<par n=\"", end);
    if (par == std::string::npos || par > close) continue;
    const auto par_end = dix.find('"', par + 8);
    const std::string paradigm = dix.substr(par + 8, par_end - par - 8);
    const std::string kind =
        paradigm.substr(paradigm.rfind("__") == std::string::npos ? 0 : paradigm.rfind("__") + 2);
    if (kind != "n" && kind != "n_m" && kind != "n_f" && kind != "adj") continue;
    const std::string word = NormalisePassphrase(lemma);
    const auto u = icu::UnicodeString::fromUTF8(word);
    if (u.length() < 3 || u.length() > 6 || !UrduLetters(u)) continue;
    if (seen.insert(word).second) chosen[{u.length(), word}] = true;
  }
  std::vector<std::string> out;
  for (const auto& [key, unused] : chosen) {
    if (out.size() == kWordListSize) break;
    out.push_back(key.second);
  }
  return out;
}

Result<std::vector<std::string>> LoadList(const std::string& lang) {
  std::string path;
  bool apertium = false;
  if (const char* dir = std::getenv("CORRIDOR_WORDLISTS"); dir != nullptr && *dir != '\0') {
    path = std::string(dir) + "/" + lang + ".txt";
  } else if (lang == "ur") {
    path = kApertiumUrdu;
    apertium = true;
  } else {
    path = std::string(kMnemonicDir) + (lang == "en" ? "english.txt" : "chinese_simplified.txt");
  }
  auto text = ReadFile(path);
  if (!text) return Fail(text.error());
  std::vector<std::string> words;
  if (apertium) {
    auto ur = UrduFromApertium(*text);
    if (!ur) return Fail(ur.error());
    words = std::move(*ur);
  } else {
    std::set<std::string> seen;
    std::istringstream in(*text);
    for (std::string line; std::getline(in, line);) {
      const std::string w = NormalisePassphrase(line);
      if (!w.empty() && seen.insert(w).second) words.push_back(w);
      if (words.size() == kWordListSize) break;
    }
  }
  if (words.size() < kWordListSize) {
    return Fail(ErrorCode::kUnavailable, path + ": " + std::to_string(words.size()) +
                                             " distinct words; a passphrase list needs 2048");
  }
  return words;
}

// Folds Arabic and Persian letter variants to the Urdu letters.
char32_t FoldLetter(char32_t c) {
  switch (c) {
    case 0x064A:      // ARABIC LETTER YEH
    case 0x0649:      // ARABIC LETTER ALEF MAKSURA
      return 0x06CC;  // FARSI YEH (Urdu choti ye)
    case 0x0643:      // ARABIC LETTER KAF
      return 0x06A9;  // KEHEH
    case 0x0647:      // ARABIC LETTER HEH
      return 0x06C1;  // HEH GOAL
    default:
      return c;
  }
}

bool Dropped(char32_t c) {
  return c == 0x0640 /* tatweel */ || c == 0x200B || c == 0x200C || c == 0x200D || c == 0xFEFF ||
         c == 0x00AD || u_isUWhiteSpace(static_cast<UChar32>(c)) != 0 ||
         u_isspace(static_cast<UChar32>(c)) != 0;
}

}  // namespace

std::string NormalisePassphrase(std::string_view passphrase) {
  UErrorCode status = U_ZERO_ERROR;
  const auto* nfc = icu::Normalizer2::getNFCInstance(status);
  auto text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(passphrase.data(), static_cast<int32_t>(passphrase.size())));
  icu::UnicodeString folded;
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    if (Dropped(static_cast<char32_t>(c))) continue;
    folded.append(static_cast<UChar32>(FoldLetter(static_cast<char32_t>(c))));
  }
  icu::UnicodeString normal = U_SUCCESS(status) ? nfc->normalize(folded, status) : folded;
  if (U_FAILURE(status)) normal = folded;
  std::string out;
  normal.toUTF8String(out);
  out = NormaliseDigits(out);
  for (auto& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}

Result<const std::vector<std::string>*> WordList(std::string_view lang) {
  if (lang != "ur" && lang != "en" && lang != "zh") {
    return Fail(ErrorCode::kInvalidArgument, "lang: expected ur, en or zh");
  }
  static std::mutex mutex;
  static std::map<std::string, std::vector<std::string>> lists;
  std::lock_guard lock(mutex);
  auto it = lists.find(std::string(lang));
  if (it == lists.end()) {
    auto loaded = LoadList(std::string(lang));
    if (!loaded) return Fail(loaded.error());
    it = lists.emplace(std::string(lang), std::move(*loaded)).first;
  }
  return &it->second;
}

Result<std::string> NewPassphrase(std::string_view lang) {
  auto list = WordList(lang);
  if (!list) return Fail(list.error());
  if (auto init = auth::InitCrypto(); !init) return Fail(init.error());
  std::string out;
  for (int i = 0; i < kPassphraseWords; ++i) {
    if (i > 0) out += ' ';
    out += (**list)[randombytes_uniform(static_cast<std::uint32_t>(kWordListSize))];
  }
  return out;
}

std::string NewCode(std::string_view prefix) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  (void)auth::InitCrypto();
  std::string out(prefix);
  for (int i = 0; i < 12; ++i) {
    if (i % 4 == 0) out += '-';
    out += kAlphabet[randombytes_uniform(32)];
  }
  return out;
}

std::string NormaliseCode(std::string_view prefix, std::string_view code) {
  std::string chars;
  for (const char c : code) {
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (u == '-' || u == ' ') continue;
    chars += u == 'O' ? '0' : (u == 'I' || u == 'L') ? '1' : u;
  }
  // (The prefix's own letters are not folded: "PC" and "GRV" have none that fold.)
  const std::size_t n = prefix.size();
  if (chars.size() != n + 12 || chars.compare(0, n, prefix) != 0) return "";
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  for (std::size_t i = n; i < chars.size(); ++i) {
    if (kAlphabet.find(chars[i]) == std::string_view::npos) return "";
  }
  return std::string(prefix) + "-" + chars.substr(n, 4) + "-" + chars.substr(n + 4, 4) + "-" +
         chars.substr(n + 8, 4);
}

std::string NewReceipt() { return NewCode("GRV"); }

std::string NormaliseReceipt(std::string_view receipt) { return NormaliseCode("GRV", receipt); }

std::string ReceiptDigest(std::string_view receipt) {
  return auth::TokenDigest(NormaliseReceipt(receipt));
}

}  // namespace corridor::public_side
