// Cryptographic primitives of the security model (docs/security.md):
// password hashing, bearer tokens, TOTP second factor, the instance's
// signing and sealing keys. libsodium does the cryptography; OpenSSL's
// libcrypto does SHA-256 (Sha256Hex) and the HMAC-SHA1 of TOTP.
//
// Every function here calls InitCrypto() itself on first use. Functions that
// cannot return a Result throw std::runtime_error if libsodium cannot
// initialise (no system CSPRNG): a broken machine, not an expected failure.
// All functions are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "corridor/common/result.h"

namespace corridor::auth {

// Initialises libsodium. Idempotent and thread-safe; returns kInternal if
// libsodium cannot initialise. Call once at start-up to fail early.
Result<void> InitCrypto();

// --- Passwords ---------------------------------------------------------------

inline constexpr std::size_t kMinPasswordChars = 12;
inline constexpr std::size_t kMaxPasswordChars = 1024;

// Accepts a password of kMinPasswordChars..kMaxPasswordChars characters
// (Unicode code points of valid UTF-8, no NUL). kInvalidArgument otherwise;
// the message never repeats the password.
Result<void> CheckPasswordPolicy(std::string_view password);

// Argon2id (crypto_pwhash_str_alg, ALG_ARGON2ID13, OPSLIMIT/MEMLIMIT_INTERACTIVE:
// about 64 MiB and tens of milliseconds). Returns the self-describing
// "$argon2id$v=19$m=...,t=...,p=1$salt$hash" string, with a fresh random salt.
// kUnavailable if the memory cannot be had. Does not apply the policy: call
// CheckPasswordPolicy first where a new password is chosen.
Result<std::string> HashPassword(std::string_view password);

// True iff `password` matches `hash` (a HashPassword result). False for a
// malformed hash. Takes as long as HashPassword.
bool VerifyPassword(std::string_view password, const std::string& hash);

// True if `hash` was made with weaker parameters than HashPassword uses now
// (rehash on the next successful sign-in), or is not an Argon2id hash.
bool PasswordNeedsRehash(const std::string& hash);

// --- Tokens ------------------------------------------------------------------

// `bytes` random bytes from the CSPRNG as base64url without padding
// (32 bytes -> 43 characters). For bearer tokens, session cookies, CSRF tokens.
std::string RandomToken(std::size_t bytes = 32);

// SHA-256 hex of a token: what the store keeps instead of the token. A fast
// hash is right here, unlike for passwords: a RandomToken has 256 bits of
// entropy, so no guessing attack on the digest is feasible however fast the
// hash, while a slow hash would only make every request slow.
std::string TokenDigest(std::string_view token);

// Compares in time that depends only on the lengths (sodium_memcmp). Unequal
// lengths give false after a compare of the same cost, never early on content.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// --- Base32 (RFC 4648 section 6) ---------------------------------------------

// Upper-case alphabet A-Z2-7; pads with '=' to a multiple of 8 when `pad`.
std::string Base32Encode(std::string_view bytes, bool pad = true);
// Accepts upper or lower case, with or without the '=' padding. kInvalidArgument
// (naming the 0-based offset) for any other character or an impossible length.
Result<std::string> Base32Decode(std::string_view text);

// --- TOTP (RFC 6238: HMAC-SHA1, 30-second steps, T0 = 0) ----------------------

inline constexpr std::int64_t kTotpStepSeconds = 30;

// A new TOTP seed: 20 random bytes (RFC 4226's recommended 160 bits) as
// unpadded base32 (32 characters), as authenticator apps expect.
std::string NewTotpSecret();

// The `digits`-digit code (6 to 8, zero-padded) of `base32_secret` at
// `unix_time` (>= 0). kInvalidArgument for a bad secret, digits or time.
Result<std::string> TotpCode(std::string_view base32_secret, std::int64_t unix_time,
                             int digits = 6);

// Checks `code` against the steps floor(unix_time/30) - window ..
// + window. Returns the matched step only if it is greater than
// `last_used_step` (the caller stores it: a code is never accepted twice,
// nor an older one after a newer one). nullopt for a wrong, replayed or
// malformed code (wrong length, non-digits), a bad secret or window < 0.
// Every step in the window is compared, in constant time.
std::optional<std::int64_t> VerifyTotp(std::string_view base32_secret, std::string_view code,
                                       std::int64_t unix_time, std::int64_t last_used_step,
                                       int window = 1, int digits = 6);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
// (Google Authenticator key URI format), issuer and account percent-encoded.
std::string TotpUri(std::string_view issuer, std::string_view account, std::string_view secret);

// --- Instance keys -----------------------------------------------------------

// The instance's own keys. Raw bytes; never log them.
struct InstanceKeys {
  std::string sign_public;           // Ed25519 public key, 32 bytes
  std::string sign_secret;           // Ed25519 secret key, 64 bytes (libsodium's seed||public form)
  std::string box_key;               // crypto_secretbox (XSalsa20-Poly1305) key, 32 bytes
  std::string PublicKeyHex() const;  // 64 lower-case hex characters
};

// Loads the key file at `path`, or creates it with new keys if it does not
// exist. The file is JSON (docs/security.md, "Key files"), mode 0600, created
// atomically (a temporary file opened O_CREAT|O_EXCL, then linked into place,
// so two processes racing to create it end with one set of keys). Errors name
// the path: kInvalidArgument if the file is readable by group or others, not
// a regular file, not owned by this user, or malformed (bad JSON, a missing or
// wrong-length key, a public key that does not belong to the secret key);
// kUnavailable if it cannot be read or written.
Result<InstanceKeys> LoadOrCreateInstanceKeys(const std::string& path);

// Ed25519 detached signature of `message`, 128 lower-case hex characters.
std::string SignHex(const InstanceKeys& keys, std::string_view message);
// True iff `signature_hex` is a valid Ed25519 signature of `message` by the
// key `public_key_hex`. False for malformed hex or wrong lengths.
bool VerifySignatureHex(std::string_view public_key_hex, std::string_view message,
                        std::string_view signature_hex);

// Encrypts and authenticates `plaintext` with the instance's box key
// (crypto_secretbox_easy, random 24-byte nonce). Returns base64 (standard
// alphabet, padded) of nonce || ciphertext. Used for TOTP seeds at rest.
std::string Seal(const InstanceKeys& keys, std::string_view plaintext);
// The inverse of Seal. kInvalidArgument if `sealed` is not base64, too short,
// tampered with, or sealed under another key.
Result<std::string> Open(const InstanceKeys& keys, std::string_view sealed);

// Keyed BLAKE2b-256 of `input`, 64 lower-case hex characters, under a key
// derived from the instance's box key for one purpose (crypto_kdf: `subkey_id`
// and an 8-character `context`, e.g. 1 "partcode", 2 "attachmt"). Different
// purposes never share a key; without the key file a digest cannot be tested
// against a guess.
std::string KeyedDigest(const InstanceKeys& keys, std::uint64_t subkey_id, const char (&context)[9],
                        std::string_view input);

// Lower-case hex of raw bytes, and its inverse (kInvalidArgument on odd length
// or non-hex characters).
std::string ToHex(std::string_view bytes);
Result<std::string> FromHex(std::string_view hex);

}  // namespace corridor::auth
