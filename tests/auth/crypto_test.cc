#include "corridor/auth/crypto.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "testing/testing.h"

namespace corridor::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(CryptoTest, InitIsIdempotent) {
  EXPECT_TRUE(InitCrypto());
  EXPECT_TRUE(InitCrypto());
}

// --- Passwords ---------------------------------------------------------------

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(PasswordTest, HashVerifiesAndIsSalted) {
  auto h1 = HashPassword("correct horse battery");
  auto h2 = HashPassword("correct horse battery");
  ASSERT_TRUE(h1) << h1.error().message;
  ASSERT_TRUE(h2);
  EXPECT_THAT(*h1, ::testing::StartsWith("$argon2id$v=19$"));
  EXPECT_NE(*h1, *h2);  // fresh salt each time
  EXPECT_THAT(*h1, Not(HasSubstr("correct horse")));
  EXPECT_TRUE(VerifyPassword("correct horse battery", *h1));
  EXPECT_TRUE(VerifyPassword("correct horse battery", *h2));
  EXPECT_FALSE(VerifyPassword("correct horse batterY", *h1));
  EXPECT_FALSE(VerifyPassword("", *h1));
  EXPECT_FALSE(PasswordNeedsRehash(*h1));
}

TEST(PasswordTest, MalformedHashNeverVerifies) {
  EXPECT_FALSE(VerifyPassword("anything at all", ""));
  EXPECT_FALSE(VerifyPassword("anything at all", "$argon2id$garbage"));
  EXPECT_FALSE(VerifyPassword("anything at all", "plaintext-password"));
  EXPECT_TRUE(PasswordNeedsRehash("$2b$10$bcrypt-hash"));
}

TEST(PasswordTest, Policy) {
  struct Case {
    const char* name;
    std::string password;
    bool ok;
    const char* message;
  };
  const Case cases[] = {
      {"11 chars", "abcdefghijk", false,
       "password is too short: 11 characters, at least 12 needed"},
      {"12 chars", "abcdefghijkl", true, ""},
      {"12 two-byte chars", Repeat("\xc3\xa9", 12), true, ""},  // é
      {"6 two-byte chars (12 bytes)", Repeat("\xc3\xa9", 6), false,
       "password is too short: 6 characters, at least 12 needed"},
      {"1024 three-byte chars", Repeat("\xe5\xae\x89", 1024), true, ""},  // 安
      {"1024 chars", std::string(1024, 'a'), true, ""},
      {"1025 chars", std::string(1025, 'a'), false,
       "password is too long: at most 1024 characters"},
      {"invalid UTF-8", "abcdefghijkl\xff", false, "password is not valid UTF-8 text"},
      {"NUL inside", std::string("abcdef\0ghijkl", 13), false, "password is not valid UTF-8 text"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = CheckPasswordPolicy(c.password);
    EXPECT_EQ(static_cast<bool>(r), c.ok);
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
      EXPECT_EQ(r.error().message, c.message);
    }
  }
}

// --- Tokens ------------------------------------------------------------------

TEST(TokenTest, RandomTokenIsBase64UrlWithoutPadding) {
  const std::string a = RandomToken();
  const std::string b = RandomToken();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_EQ(RandomToken(16).size(), 22u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
}

TEST(TokenTest, DigestIsSha256Hex) {
  EXPECT_EQ(TokenDigest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(TokenTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("token", "token"));
  EXPECT_FALSE(ConstantTimeEquals("token", "tokem"));
  EXPECT_FALSE(ConstantTimeEquals("token", "token2"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_FALSE(ConstantTimeEquals("x", ""));
}

TEST(HexTest, RoundTripAndErrors) {
  EXPECT_EQ(ToHex(std::string("\x00\xff\x10", 3)), "00ff10");
  EXPECT_EQ(*FromHex("00FF10"), std::string("\x00\xff\x10", 3));
  EXPECT_EQ(*FromHex(""), "");
  EXPECT_FALSE(FromHex("abc"));
  EXPECT_FALSE(FromHex("zz"));
}

// --- Base32: RFC 4648 section 10 test vectors --------------------------------

TEST(Base32Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},
      {"f", "MY======"},
      {"fo", "MZXQ===="},
      {"foo", "MZXW6==="},
      {"foob", "MZXW6YQ="},
      {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI======"},
  };
  for (const auto& [plain, encoded] : cases) {
    SCOPED_TRACE(plain);
    EXPECT_EQ(Base32Encode(plain), encoded);
    auto back = Base32Decode(encoded);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, plain);
  }
  EXPECT_EQ(Base32Encode("foobar", /*pad=*/false), "MZXW6YTBOI");
  EXPECT_EQ(*Base32Decode("mzxw6ytboi"), "foobar");  // lower case, no padding
}

TEST(Base32Test, DecodeErrors) {
  EXPECT_EQ(Base32Decode("MZXW1===").error().message, "base32: invalid character at offset 4");
  EXPECT_EQ(Base32Decode("MZX").error().message,
            "base32: 3 characters is not a whole number of bytes");
  EXPECT_EQ(Base32Decode("MY=").error().message,
            "base32: padded text must be a multiple of 8 long");
}

// --- TOTP: RFC 6238 Appendix B (SHA-1 rows) ----------------------------------

constexpr std::string_view kRfcSecret =
    "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";  // "12345678901234567890"

TEST(TotpTest, Rfc6238AppendixB) {
  ASSERT_EQ(*Base32Decode(kRfcSecret), "12345678901234567890");
  const std::pair<std::int64_t, const char*> cases[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (const auto& [time, code] : cases) {
    SCOPED_TRACE(time);
    auto got = TotpCode(kRfcSecret, time, 8);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(*got, code);
  }
  // Six digits are the last six of the same truncation.
  EXPECT_EQ(*TotpCode(kRfcSecret, 59), "287082");
}

TEST(TotpTest, CodeErrors) {
  EXPECT_EQ(TotpCode(kRfcSecret, 59, 5).error().message, "TOTP digits must be 6, 7 or 8");
  EXPECT_EQ(TotpCode(kRfcSecret, -1).error().message, "TOTP time is before 1970");
  EXPECT_EQ(TotpCode("not base32!", 59).error().message,
            "TOTP secret: base32: 11 characters is not a whole number of bytes");
  EXPECT_EQ(TotpCode("", 59).error().message, "TOTP secret is empty");
}

TEST(TotpTest, VerifyWindowAndReplay) {
  const std::int64_t now = 1111111111;  // step 37037037
  const std::int64_t step = now / 30;
  const std::string code = *TotpCode(kRfcSecret, now);
  EXPECT_EQ(VerifyTotp(kRfcSecret, code, now, 0), step);
  // The previous and the next step are inside the default window of 1.
  EXPECT_EQ(VerifyTotp(kRfcSecret, *TotpCode(kRfcSecret, now - 30), now, 0), step - 1);
  EXPECT_EQ(VerifyTotp(kRfcSecret, *TotpCode(kRfcSecret, now + 30), now, 0), step + 1);
  EXPECT_EQ(VerifyTotp(kRfcSecret, *TotpCode(kRfcSecret, now - 60), now, 0), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcSecret, *TotpCode(kRfcSecret, now - 60), now, 0, 2), step - 2);
  // Replay: once step is used, neither it nor an older step is accepted again.
  EXPECT_EQ(VerifyTotp(kRfcSecret, code, now, step), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcSecret, *TotpCode(kRfcSecret, now - 30), now, step), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcSecret, *TotpCode(kRfcSecret, now + 30), now, step), step + 1);
}

TEST(TotpTest, VerifyRejectsMalformed) {
  const std::int64_t now = 1111111111;
  const std::string code = *TotpCode(kRfcSecret, now);
  EXPECT_EQ(VerifyTotp(kRfcSecret, code + "0", now, 0), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcSecret, code.substr(1), now, 0), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcSecret, "12345a", now, 0), std::nullopt);
  EXPECT_EQ(VerifyTotp("!!!", code, now, 0), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcSecret, code, now, 0, -1), std::nullopt);
  EXPECT_EQ(VerifyTotp(kRfcSecret, *TotpCode(kRfcSecret, now, 8), now, 0, 1, 8), now / 30);
}

TEST(TotpTest, NewSecretIs160BitsOfUnpaddedBase32) {
  const std::string s = NewTotpSecret();
  EXPECT_EQ(s.size(), 32u);
  EXPECT_EQ(Base32Decode(s)->size(), 20u);
  EXPECT_NE(s, NewTotpSecret());
  EXPECT_TRUE(TotpCode(s, 0));
}

TEST(TotpTest, Uri) {
  EXPECT_EQ(TotpUri("Corridor PK-NACTA", "ali@pk", "JBSWY3DPEHPK3PXP"),
            "otpauth://totp/Corridor%20PK-NACTA:ali%40pk?secret=JBSWY3DPEHPK3PXP"
            "&issuer=Corridor%20PK-NACTA&algorithm=SHA1&digits=6&period=30");
}

// --- Instance keys -----------------------------------------------------------

TEST(InstanceKeysTest, CreatesWithMode0600AndReloads) {
  testing::TempDir dir;
  const std::string path = (dir / "instance.key").string();
  auto created = LoadOrCreateInstanceKeys(path);
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->sign_public.size(), 32u);
  EXPECT_EQ(created->sign_secret.size(), 64u);
  EXPECT_EQ(created->box_key.size(), 32u);
  EXPECT_EQ(created->PublicKeyHex().size(), 64u);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = LoadOrCreateInstanceKeys(path);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->sign_secret, created->sign_secret);
  EXPECT_EQ(again->box_key, created->box_key);
  // Only the key file is left behind (no temporary file).
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            1);
}

TEST(InstanceKeysTest, RefusesLoosePermissions) {
  testing::TempDir dir;
  const std::string path = (dir / "instance.key").string();
  ASSERT_TRUE(LoadOrCreateInstanceKeys(path));
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto r = LoadOrCreateInstanceKeys(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, "instance key file " + path +
                                   " has mode 0644; it must be readable by its owner only "
                                   "(chmod 600 " +
                                   path + ")");
}

TEST(InstanceKeysTest, RefusesMalformedFiles) {
  testing::TempDir dir;
  auto keys = LoadOrCreateInstanceKeys((dir / "good.key").string());
  ASSERT_TRUE(keys);
  const std::string other_pub =
      ToHex(LoadOrCreateInstanceKeys((dir / "other.key").string())->sign_public);
  const std::string format = R"("format":"corridor-instance-keys-1")";
  const std::string secret = R"("sign_secret":")" + ToHex(keys->sign_secret) + "\"";
  const std::string box = R"("box_key":")" + ToHex(keys->box_key) + "\"";
  struct Case {
    const char* name;
    std::string text;
    std::string message;
  };
  const Case cases[] = {
      {"not JSON", "{", "not a JSON object"},
      {"no format", "{}", "/format is not \"corridor-instance-keys-1\""},
      {"no public key", "{" + format + "," + secret + "," + box + "}", "/sign_public is missing"},
      {"short box key",
       "{" + format + ",\"sign_public\":\"" + keys->PublicKeyHex() + "\"," + secret +
           ",\"box_key\":\"00\"}",
       "/box_key is not 64 hex characters"},
      {"another public key",
       "{" + format + ",\"sign_public\":\"" + other_pub + "\"," + secret + "," + box + "}",
       "/sign_public does not belong to /sign_secret"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = (dir / "bad.key").string();
    std::filesystem::remove(path);
    testing::WriteFile(path, c.text);
    ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
    auto r = LoadOrCreateInstanceKeys(path);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "instance key file " + path + ": " + c.message);
  }
}

TEST(InstanceKeysTest, RefusesSymlinkAndMissingDirectory) {
  testing::TempDir dir;
  const std::string target = (dir / "real.key").string();
  ASSERT_TRUE(LoadOrCreateInstanceKeys(target));
  const std::string link = (dir / "link.key").string();
  std::filesystem::create_symlink(target, link);
  auto r = LoadOrCreateInstanceKeys(link);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, HasSubstr(link));

  const std::string missing = (dir / "no-such-dir" / "instance.key").string();
  auto m = LoadOrCreateInstanceKeys(missing);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().code, ErrorCode::kUnavailable);
  EXPECT_THAT(m.error().message, HasSubstr(missing));
}

class KeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys_ = *LoadOrCreateInstanceKeys((dir_ / "a.key").string());
    other_ = *LoadOrCreateInstanceKeys((dir_ / "b.key").string());
  }
  testing::TempDir dir_;
  InstanceKeys keys_;
  InstanceKeys other_;
};

TEST_F(KeysTest, SignAndVerify) {
  const std::string sig = SignHex(keys_, "message");
  EXPECT_EQ(sig.size(), 128u);
  EXPECT_TRUE(VerifySignatureHex(keys_.PublicKeyHex(), "message", sig));
  EXPECT_FALSE(VerifySignatureHex(keys_.PublicKeyHex(), "messagE", sig));
  EXPECT_FALSE(VerifySignatureHex(other_.PublicKeyHex(), "message", sig));
  EXPECT_FALSE(VerifySignatureHex(keys_.PublicKeyHex(), "message", sig.substr(2)));
  EXPECT_FALSE(VerifySignatureHex("zz", "message", sig));
}

TEST_F(KeysTest, SealAndOpen) {
  const std::string sealed = Seal(keys_, "JBSWY3DPEHPK3PXP");
  EXPECT_THAT(sealed, Not(HasSubstr("JBSWY3DPEHPK3PXP")));
  EXPECT_NE(sealed, Seal(keys_, "JBSWY3DPEHPK3PXP"));  // random nonce
  auto opened = Open(keys_, sealed);
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(*opened, "JBSWY3DPEHPK3PXP");
  EXPECT_EQ(*Open(keys_, Seal(keys_, "")), "");

  const std::string wrong_key =
      "sealed value does not open with this instance's key (altered, or sealed by another "
      "instance)";
  EXPECT_EQ(Open(other_, sealed).error().message, wrong_key);
  std::string altered = sealed;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Open(keys_, altered).error().message, wrong_key);
  EXPECT_EQ(Open(keys_, "***").error().message, "sealed value is not base64");
  EXPECT_EQ(Open(keys_, "AAAA").error().message, "sealed value is too short");
}

}  // namespace
}  // namespace corridor::auth
