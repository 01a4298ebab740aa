#include "corridor/auth/crypto.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "corridor/common/strings.h"

namespace corridor::auth {
namespace {

void EnsureInit() {
  if (!InitCrypto()) throw std::runtime_error("libsodium cannot initialise (no system CSPRNG?)");
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* MutableBytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

std::string RandomBytes(std::size_t n) {
  EnsureInit();
  std::string out(n, '\0');
  if (n > 0) randombytes_buf(out.data(), n);
  return out;
}

std::string ToBase64(std::string_view bytes, int variant) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(), variant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> FromBase64(std::string_view text, int variant) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(MutableBytes(out), out.size(), text.data(), text.size(), nullptr, &len,
                        &end, variant) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

// Counts code points of valid UTF-8 (the caller checked validity).
std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string TotpAtStep(std::string_view key, std::int64_t step, int digits) {
  std::array<unsigned char, 8> counter{};
  auto value = static_cast<std::uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<std::size_t>(i)] = static_cast<unsigned char>(value & 0xFF);
    value >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), counter.data(), counter.size(),
           mac, &mac_len) == nullptr ||
      mac_len != 20) {
    throw std::runtime_error("HMAC-SHA1 failed");
  }
  // RFC 4226 section 5.3 dynamic truncation.
  const unsigned offset = mac[19] & 0x0F;
  const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) |
                               (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(mac[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

Result<std::string> DecodeTotpSecret(std::string_view secret) {
  auto key = Base32Decode(secret);
  if (!key) return Fail(ErrorCode::kInvalidArgument, "TOTP secret: " + key.error().message);
  if (key->empty()) return Fail(ErrorCode::kInvalidArgument, "TOTP secret is empty");
  return key;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

// --- Key file ----------------------------------------------------------------

constexpr std::string_view kKeyFileFormat = "corridor-instance-keys-1";

InstanceKeys NewInstanceKeys() {
  EnsureInit();
  InstanceKeys keys;
  keys.sign_public.assign(crypto_sign_PUBLICKEYBYTES, '\0');
  keys.sign_secret.assign(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_keypair(MutableBytes(keys.sign_public), MutableBytes(keys.sign_secret));
  keys.box_key.assign(crypto_secretbox_KEYBYTES, '\0');
  crypto_secretbox_keygen(MutableBytes(keys.box_key));
  return keys;
}

std::string KeyFileText(const InstanceKeys& keys) {
  nlohmann::ordered_json j;
  j["format"] = kKeyFileFormat;
  j["sign_public"] = ToHex(keys.sign_public);
  j["sign_secret"] = ToHex(keys.sign_secret);
  j["box_key"] = ToHex(keys.box_key);
  return j.dump(2) + "\n";
}

Result<InstanceKeys> ParseKeyFile(const std::string& path, const std::string& text) {
  auto bad = [&](const std::string& what) {
    return Fail(ErrorCode::kInvalidArgument, "instance key file " + path + ": " + what);
  };
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  if (!j.contains("format") || j["format"] != kKeyFileFormat) {
    return bad("/format is not \"" + std::string(kKeyFileFormat) + "\"");
  }
  InstanceKeys keys;
  const struct {
    const char* field;
    std::string* out;
    std::size_t size;
  } fields[] = {{"sign_public", &keys.sign_public, crypto_sign_PUBLICKEYBYTES},
                {"sign_secret", &keys.sign_secret, crypto_sign_SECRETKEYBYTES},
                {"box_key", &keys.box_key, crypto_secretbox_KEYBYTES}};
  for (const auto& f : fields) {
    auto it = j.find(f.field);
    if (it == j.end() || !it->is_string()) return bad(std::string("/") + f.field + " is missing");
    auto raw = FromHex(it->get<std::string>());
    if (!raw || raw->size() != f.size) {
      return bad(std::string("/") + f.field + " is not " + std::to_string(f.size * 2) +
                 " hex characters");
    }
    *f.out = std::move(*raw);
  }
  std::string derived(crypto_sign_PUBLICKEYBYTES, '\0');
  crypto_sign_ed25519_sk_to_pk(MutableBytes(derived), Bytes(keys.sign_secret));
  if (!ConstantTimeEquals(derived, keys.sign_public)) {
    return bad("/sign_public does not belong to /sign_secret");
  }
  return keys;
}

std::string Errno(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Result<InstanceKeys> LoadKeyFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0)
    return Fail(ErrorCode::kUnavailable, Errno("cannot open instance key file", path));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return Fail(ErrorCode::kUnavailable, Errno("cannot stat instance key file", path));
  }
  if (!S_ISREG(st.st_mode)) {
    return Fail(ErrorCode::kInvalidArgument,
                "instance key file " + path + " is not a regular file");
  }
  if (st.st_uid != ::geteuid()) {
    return Fail(ErrorCode::kInvalidArgument,
                "instance key file " + path + " is owned by uid " + std::to_string(st.st_uid) +
                    ", not by this process's uid " + std::to_string(::geteuid()));
  }
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Fail(ErrorCode::kInvalidArgument, "instance key file " + path + " has mode " + mode +
                                                 "; it must be readable by its owner only "
                                                 "(chmod 600 " +
                                                 path + ")");
  }
  std::string text;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail(ErrorCode::kUnavailable, Errno("cannot read instance key file", path));
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > std::size_t{64} * 1024)
      return Fail(ErrorCode::kInvalidArgument, "instance key file " + path + " is too large");
  }
  auto keys = ParseKeyFile(path, text);
  sodium_memzero(text.data(), text.size());
  return keys;
}

// Writes new keys to a temporary file (O_CREAT|O_EXCL, 0600) and links it to
// `path`; link() fails with EEXIST if another process got there first.
Result<bool> CreateKeyFile(const std::string& path) {
  const std::string tmp = path + ".tmp-" + RandomToken(9);
  std::string text = KeyFileText(NewInstanceKeys());
  {
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (fd.get() < 0) {
      sodium_memzero(text.data(), text.size());
      return Fail(ErrorCode::kUnavailable, Errno("cannot create instance key file", tmp));
    }
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(fd.get(), text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      done += static_cast<std::size_t>(n);
    }
    sodium_memzero(text.data(), text.size());
    if (done < text.size() || ::fsync(fd.get()) != 0) {
      auto err = Errno("cannot write instance key file", tmp);
      ::unlink(tmp.c_str());
      return Fail(ErrorCode::kUnavailable, err);
    }
  }
  const int linked = ::link(tmp.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(tmp.c_str());
  if (linked != 0 && link_errno != EEXIST) {
    errno = link_errno;
    return Fail(ErrorCode::kUnavailable, Errno("cannot create instance key file", path));
  }
  return linked == 0;
}

}  // namespace

Result<void> InitCrypto() {
  // sodium_init is itself thread-safe and idempotent (0 first time, 1 after).
  static const int kStatus = sodium_init();
  if (kStatus < 0) return Fail(ErrorCode::kInternal, "libsodium cannot initialise");
  return {};
}

Result<void> CheckPasswordPolicy(std::string_view password) {
  if (!IsValidUtf8(password) || password.find('\0') != std::string_view::npos) {
    return Fail(ErrorCode::kInvalidArgument, "password is not valid UTF-8 text");
  }
  const std::size_t n = CodePoints(password);
  if (n < kMinPasswordChars) {
    return Fail(ErrorCode::kInvalidArgument, "password is too short: " + std::to_string(n) +
                                                 " characters, at least " +
                                                 std::to_string(kMinPasswordChars) + " needed");
  }
  if (n > kMaxPasswordChars) {
    return Fail(ErrorCode::kInvalidArgument, "password is too long: at most " +
                                                 std::to_string(kMaxPasswordChars) + " characters");
  }
  return {};
}

Result<std::string> HashPassword(std::string_view password) {
  EnsureInit();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(ErrorCode::kUnavailable, "password hashing ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  EnsureInit();
  if (hash.size() >= crypto_pwhash_STRBYTES || hash.rfind("$argon2id$", 0) != 0) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(const std::string& hash) {
  EnsureInit();
  if (hash.rfind("$argon2id$", 0) != 0) return true;
  return crypto_pwhash_str_needs_rehash(hash.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

std::string RandomToken(std::size_t bytes) {
  return ToBase64(RandomBytes(bytes), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string TokenDigest(std::string_view token) { return Sha256Hex(token); }

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a.size() == b.size();
  if (a.size() != b.size()) {
    volatile int same_cost = sodium_memcmp(a.data(), a.data(), a.size());
    (void)same_cost;
    return false;
  }
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Base32Encode(std::string_view bytes, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 4) / 5 * 8);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32Alphabet[(buffer >> (bits - 5)) & 0x1F]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 0x1F]);
  if (pad) {
    while (out.size() % 8 != 0) out.push_back('=');
  }
  return out;
}

Result<std::string> Base32Decode(std::string_view text) {
  std::size_t end = text.size();
  while (end > 0 && text[end - 1] == '=') --end;
  if (end != text.size() && text.size() % 8 != 0) {
    return Fail(ErrorCode::kInvalidArgument, "base32: padded text must be a multiple of 8 long");
  }
  // Lengths mod 8 of 1, 3 and 6 cannot come from whole bytes.
  const std::size_t rem = end % 8;
  if (rem == 1 || rem == 3 || rem == 6) {
    return Fail(ErrorCode::kInvalidArgument,
                "base32: " + std::to_string(end) + " characters is not a whole number of bytes");
  }
  std::string out;
  out.reserve(end * 5 / 8);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < end; ++i) {
    char c = text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    const auto pos = kBase32Alphabet.find(c);
    if (pos == std::string_view::npos) {
      return Fail(ErrorCode::kInvalidArgument,
                  "base32: invalid character at offset " + std::to_string(i));
    }
    buffer = (buffer << 5) | static_cast<std::uint32_t>(pos);
    bits += 5;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

std::string NewTotpSecret() { return Base32Encode(RandomBytes(20), /*pad=*/false); }

Result<std::string> TotpCode(std::string_view base32_secret, std::int64_t unix_time, int digits) {
  if (digits < 6 || digits > 8) {
    return Fail(ErrorCode::kInvalidArgument, "TOTP digits must be 6, 7 or 8");
  }
  if (unix_time < 0) return Fail(ErrorCode::kInvalidArgument, "TOTP time is before 1970");
  auto key = DecodeTotpSecret(base32_secret);
  if (!key) return Fail(key.error());
  return TotpAtStep(*key, unix_time / kTotpStepSeconds, digits);
}

std::optional<std::int64_t> VerifyTotp(std::string_view base32_secret, std::string_view code,
                                       std::int64_t unix_time, std::int64_t last_used_step,
                                       int window, int digits) {
  if (digits < 6 || digits > 8 || window < 0 || window > 10 || unix_time < 0) return std::nullopt;
  if (code.size() != static_cast<std::size_t>(digits)) return std::nullopt;
  for (char c : code) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  auto key = DecodeTotpSecret(base32_secret);
  if (!key) return std::nullopt;
  const std::int64_t now = unix_time / kTotpStepSeconds;
  std::optional<std::int64_t> matched;
  for (std::int64_t step = now - window; step <= now + window; ++step) {
    if (step < 0) continue;
    const bool equal = ConstantTimeEquals(TotpAtStep(*key, step, digits), code);
    if (equal && step > last_used_step && !matched) matched = step;
  }
  return matched;
}

std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret) {
  const std::string enc_issuer = PercentEncode(issuer);
  return "otpauth://totp/" + enc_issuer + ":" + PercentEncode(account) +
         "?secret=" + std::string(secret) + "&issuer=" + enc_issuer +
         "&algorithm=SHA1&digits=6&period=30";
}

std::string InstanceKeys::PublicKeyHex() const { return ToHex(sign_public); }

Result<InstanceKeys> LoadOrCreateInstanceKeys(const std::string& path) {
  if (auto ok = InitCrypto(); !ok) return Fail(ok.error());
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno != ENOENT)
      return Fail(ErrorCode::kUnavailable, Errno("cannot stat instance key file", path));
    auto created = CreateKeyFile(path);
    if (!created) return Fail(created.error());
  }
  return LoadKeyFile(path);
}

std::string SignHex(const InstanceKeys& keys, std::string_view message) {
  EnsureInit();
  if (keys.sign_secret.size() != crypto_sign_SECRETKEYBYTES) {
    throw std::invalid_argument("SignHex: instance keys are not loaded");
  }
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(MutableBytes(sig), nullptr, Bytes(message), message.size(),
                       Bytes(keys.sign_secret));
  return ToHex(sig);
}

bool VerifySignatureHex(std::string_view public_key_hex, std::string_view message,
                        std::string_view signature_hex) {
  EnsureInit();
  auto pk = FromHex(public_key_hex);
  auto sig = FromHex(signature_hex);
  if (!pk || !sig || pk->size() != crypto_sign_PUBLICKEYBYTES || sig->size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(Bytes(*sig), Bytes(message), message.size(), Bytes(*pk)) == 0;
}

std::string KeyedDigest(const InstanceKeys& keys, std::uint64_t subkey_id, const char (&context)[9],
                        std::string_view input) {
  (void)InitCrypto();
  std::array<unsigned char, crypto_kdf_KEYBYTES> master{};
  std::copy_n(keys.box_key.begin(), std::min(keys.box_key.size(), master.size()), master.begin());
  std::array<unsigned char, 32> key{};
  crypto_kdf_derive_from_key(key.data(), key.size(), subkey_id, context, master.data());
  std::array<unsigned char, 32> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(input.data()),
                     input.size(), key.data(), key.size());
  sodium_memzero(key.data(), key.size());
  sodium_memzero(master.data(), master.size());
  return ToHex(std::string_view(reinterpret_cast<const char*>(out.data()), out.size()));
}

std::string Seal(const InstanceKeys& keys, std::string_view plaintext) {
  if (keys.box_key.size() != crypto_secretbox_KEYBYTES) {
    throw std::invalid_argument("Seal: instance keys are not loaded");
  }
  std::string out = RandomBytes(crypto_secretbox_NONCEBYTES);
  out.resize(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
  unsigned char* nonce = MutableBytes(out);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, Bytes(plaintext), plaintext.size(),
                        nonce, Bytes(keys.box_key));
  return ToBase64(out, sodium_base64_VARIANT_ORIGINAL);
}

Result<std::string> Open(const InstanceKeys& keys, std::string_view sealed) {
  EnsureInit();
  if (keys.box_key.size() != crypto_secretbox_KEYBYTES) {
    return Fail(ErrorCode::kInternal, "Open: instance keys are not loaded");
  }
  auto raw = FromBase64(sealed, sodium_base64_VARIANT_ORIGINAL);
  if (!raw) return Fail(ErrorCode::kInvalidArgument, "sealed value is not base64");
  if (raw->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Fail(ErrorCode::kInvalidArgument, "sealed value is too short");
  }
  const std::size_t ct_len = raw->size() - crypto_secretbox_NONCEBYTES;
  std::string out(ct_len - crypto_secretbox_MACBYTES, '\0');
  const unsigned char* nonce = Bytes(*raw);
  if (crypto_secretbox_open_easy(MutableBytes(out), nonce + crypto_secretbox_NONCEBYTES, ct_len,
                                 nonce, Bytes(keys.box_key)) != 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "sealed value does not open with this instance's key (altered, or sealed by "
                "another instance)");
  }
  return out;
}

std::string ToHex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), Bytes(bytes), bytes.size());
  out.pop_back();
  return out;
}

Result<std::string> FromHex(std::string_view hex) {
  if (hex.empty()) return std::string();
  if (hex.size() % 2 != 0) return Fail(ErrorCode::kInvalidArgument, "hex text has odd length");
  std::string out(hex.size() / 2, '\0');
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(MutableBytes(out), out.size(), hex.data(), hex.size(), nullptr, &len, &end) !=
          0 ||
      end != hex.data() + hex.size() || len != out.size()) {
    return Fail(ErrorCode::kInvalidArgument, "not hex text");
  }
  return out;
}

}  // namespace corridor::auth
