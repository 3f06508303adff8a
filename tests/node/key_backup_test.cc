#include "node/key_backup.h"

#include <gtest/gtest.h>

#include <functional>

#include "crdt/text_codec.h"

namespace nanse {
namespace {

constexpr std::string_view kPassphrase = "correct horse battery staple";

// Offsets of the layout in docs/op-format.md ("Key backup files").
constexpr size_t kAlgorithmOffset = 10;
constexpr size_t kOpsOffset = 11;
constexpr size_t kMemOffset = 19;
constexpr size_t kSaltOffset = 27;
constexpr size_t kLengthOffset = 67;
constexpr size_t kHeaderBytes = 71;

KeyBackup SampleBackup() {
  KeyBackup b;
  for (size_t i = 0; i < 32; ++i) {
    b.seed[i] = static_cast<uint8_t>(0xa0 + i);
    b.network_id[i] = static_cast<uint8_t>(i);
    b.network_key[i] = static_cast<uint8_t>(0x50 + i);
  }
  b.network_name = "Réseau d'économie solidaire";
  b.head_seq = 7;
  return b;
}

Bytes Encode(const KeyBackup& b, std::string_view passphrase = kPassphrase, uint64_t seed = 1) {
  SeededRandom random(seed);
  auto bytes = EncodeKeyBackup(b, passphrase, random, TestOnlyKdfLimits());
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : Bytes{};
}

// Recomputes the trailing checksum, as someone altering the file on purpose would.
void Reseal(Bytes& file) {
  const size_t body = file.size() - 32;
  const Hash check = Blake2b256({ByteView(file).first(body)});
  std::copy(check.begin(), check.end(), file.begin() + static_cast<ptrdiff_t>(body));
}

void PutU64(Bytes& file, size_t offset, uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) file[offset + static_cast<size_t>(i)] = v & 0xff;
}

// Every text form of the secrets that an error message might leak.
std::vector<std::string> SecretForms(const KeyBackup& b, std::string_view passphrase) {
  return {std::string(passphrase),    HexEncode(b.seed),        Base64UrlEncode(b.seed),
          Base32Encode(b.seed),       HexEncode(b.network_key), Base64UrlEncode(b.network_key),
          Base32Encode(b.network_key)};
}

// Decoding fails, the error names the file's field and contains `want`, and no secret.
void ExpectRefused(const Bytes& file, const std::string& want,
                   std::string_view passphrase = kPassphrase) {
  const KeyBackup b = SampleBackup();
  auto decoded = DecodeKeyBackup(file, passphrase, "key backup f.key");
  ASSERT_FALSE(decoded.ok()) << "expected an error with '" << want << "'";
  const std::string text = decoded.status().ToString();
  EXPECT_EQ(text.rfind("key backup f.key", 0), 0u) << text;
  EXPECT_NE(text.find(want), std::string::npos) << text;
  for (const std::string& secret : SecretForms(b, passphrase)) {
    if (secret.empty()) continue;
    EXPECT_EQ(text.find(secret), std::string::npos) << "the error holds a secret: " << text;
  }
}

TEST(KeyBackup, RoundTrip) {
  const KeyBackup b = SampleBackup();
  const Bytes file = Encode(b);
  auto decoded = DecodeKeyBackup(file, kPassphrase);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->seed, b.seed);
  EXPECT_EQ(decoded->network_id, b.network_id);
  EXPECT_EQ(decoded->network_name, b.network_name);
  EXPECT_EQ(decoded->network_key, b.network_key);
  EXPECT_EQ(decoded->head_seq, 7u);
  EXPECT_TRUE(CheckKeyBackupFile(file).ok());
}

TEST(KeyBackup, TheFileHasTheDocumentedLayout) {
  const Bytes file = Encode(SampleBackup());
  ASSERT_GE(file.size(), kHeaderBytes + 32);
  EXPECT_EQ(std::string(file.begin(), file.begin() + 10), "NANSEKEY1\n");
  EXPECT_EQ(file[kAlgorithmOffset], 2);  // crypto_pwhash_ALG_ARGON2ID13
  const uint32_t clen = (uint32_t{file[kLengthOffset]} << 24) |
                        (uint32_t{file[kLengthOffset + 1]} << 16) |
                        (uint32_t{file[kLengthOffset + 2]} << 8) | file[kLengthOffset + 3];
  EXPECT_EQ(file.size(), kHeaderBytes + clen + 32);
  // Nothing of the secrets, nor the network's name, appears in clear.
  const std::string text(file.begin(), file.end());
  EXPECT_EQ(text.find("Réseau"), std::string::npos);
  const KeyBackup b = SampleBackup();
  for (const auto& secret : {ByteView(b.seed), ByteView(b.network_key), ByteView(b.network_id)}) {
    EXPECT_EQ(std::search(file.begin(), file.end(), secret.begin(), secret.end()), file.end());
  }
}

TEST(KeyBackup, EachBackupHasItsOwnSaltAndNonce) {
  const Bytes one = Encode(SampleBackup(), kPassphrase, 1);
  const Bytes two = Encode(SampleBackup(), kPassphrase, 2);
  EXPECT_NE(Bytes(one.begin() + kSaltOffset, one.begin() + kLengthOffset),
            Bytes(two.begin() + kSaltOffset, two.begin() + kLengthOffset));
  EXPECT_TRUE(DecodeKeyBackup(two, kPassphrase).ok());
}

TEST(KeyBackup, TheCliLimitsAreLibsodiumsModerate) {
  EXPECT_EQ(ModerateKdfLimits().opslimit, 3u);
  EXPECT_EQ(ModerateKdfLimits().memlimit, 256u << 20);
  EXPECT_LT(TestOnlyKdfLimits().memlimit, ModerateKdfLimits().memlimit);
}

TEST(KeyBackup, AWrongPassphraseIsNamedAsSuch) {
  const Bytes file = Encode(SampleBackup());
  ExpectRefused(file, "wrong passphrase", "correct horse battery stapler");
  ExpectRefused(file, "wrong passphrase", "");
  auto decoded = DecodeKeyBackup(file, "not the passphrase");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), Status::Code::kInvalid);
}

TEST(KeyBackup, ADamagedByteIsCaughtByTheChecksumBeforeAnyKeyDerivation) {
  const Bytes file = Encode(SampleBackup());
  for (size_t i = kAlgorithmOffset; i < file.size(); ++i) {
    if (i >= kLengthOffset && i < kHeaderBytes) continue;  // the length: "truncated" and such
    Bytes tampered = file;
    tampered[i] ^= 0x01;
    ExpectRefused(tampered, "checksum does not match");
  }
}

TEST(KeyBackup, TamperingThatRecomputesTheChecksumStillFailsAuthentication) {
  const Bytes file = Encode(SampleBackup());
  // The ciphertext, and the salt and nonce in the header (authenticated as associated data or
  // feeding the key): none decrypts any more.
  for (size_t i :
       {kSaltOffset, kSaltOffset + 20, kHeaderBytes, kHeaderBytes + 40, file.size() - 33}) {
    Bytes tampered = file;
    tampered[i] ^= 0x80;
    Reseal(tampered);
    ExpectRefused(tampered, "wrong passphrase");
  }
  // A cheaper cost than the writer chose: the key changes, and so does the associated data.
  Bytes cheaper = file;
  PutU64(cheaper, kMemOffset, TestOnlyKdfLimits().memlimit * 2);
  Reseal(cheaper);
  ExpectRefused(cheaper, "wrong passphrase");
}

TEST(KeyBackup, ATruncatedFileIsNamedAsSuch) {
  const Bytes file = Encode(SampleBackup());
  for (size_t cut = 1; cut < file.size(); ++cut) {
    Bytes shorter(file.begin(), file.begin() + static_cast<ptrdiff_t>(cut));
    ExpectRefused(shorter, "truncated");
  }
}

TEST(KeyBackup, BytesAfterTheEndAreRefused) {
  Bytes longer = Encode(SampleBackup());
  longer.push_back('\n');
  ExpectRefused(longer, "1 unexpected bytes after its end");
}

TEST(KeyBackup, AFileOfAnotherKindIsNamedAsSuch) {
  ExpectRefused(Bytes{}, "not a nanse key backup");
  const std::string text = "nanse-node-key-v1 AAAA\n";
  ExpectRefused(Bytes(text.begin(), text.end()), "not a nanse key backup");
  Bytes bundle = Encode(SampleBackup());
  std::copy_n("NANSEBD1", 8, bundle.begin());
  ExpectRefused(bundle, "not a nanse key backup");
}

TEST(KeyBackup, AnotherFormatVersionIsNamed) {
  Bytes file = Encode(SampleBackup());
  file[8] = '2';
  ExpectRefused(file, "format version 2 is not supported");
  file[8] = 0xff;
  ExpectRefused(file, "format version byte 255 is not supported");
}

TEST(KeyBackup, UnknownKeyDerivationParametersAreNamed) {
  const Bytes file = Encode(SampleBackup());
  Bytes algorithm = file;
  algorithm[kAlgorithmOffset] = 1;  // Argon2i
  Reseal(algorithm);
  ExpectRefused(algorithm, "key derivation algorithm 1 is not supported");
  Bytes greedy = file;
  PutU64(greedy, kMemOffset, uint64_t{1} << 40);  // 1 TiB
  Reseal(greedy);
  ExpectRefused(greedy, "memlimit");
  Bytes slow = file;
  PutU64(slow, kOpsOffset, 1000);
  Reseal(slow);
  ExpectRefused(slow, "opslimit");
}

TEST(KeyBackup, AnImpossiblePayloadLengthIsRefused) {
  Bytes file = Encode(SampleBackup());
  file[kLengthOffset] = 0x7f;
  ExpectRefused(file, "impossible payload length");
}

TEST(KeyBackup, APassphraseNeedsTenCharacters) {
  const KeyBackup b = SampleBackup();
  SeededRandom random(1);
  auto short_one = EncodeKeyBackup(b, "123456789", random, TestOnlyKdfLimits());
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.status().field(), "passphrase");
  EXPECT_EQ(short_one.status().ToString().find("123456789"), std::string::npos);
  // Characters, not bytes: nine accented letters are 18 bytes but too short.
  EXPECT_FALSE(EncodeKeyBackup(b, "ééééééééé", random, TestOnlyKdfLimits()).ok());
  auto ten = EncodeKeyBackup(b, "éééééééééé", random, TestOnlyKdfLimits());
  ASSERT_TRUE(ten.ok());
  EXPECT_TRUE(DecodeKeyBackup(*ten, "éééééééééé").ok());
  EXPECT_EQ(PassphraseChars("ñandú ü"), 7u);
}

TEST(KeyBackup, TheWriterRefusesABadNameOrLimits) {
  KeyBackup b = SampleBackup();
  SeededRandom random(1);
  b.network_name = "";
  EXPECT_FALSE(EncodeKeyBackup(b, kPassphrase, random, TestOnlyKdfLimits()).ok());
  b.network_name = "ok";
  EXPECT_FALSE(EncodeKeyBackup(b, kPassphrase, random, {1, 1024}).ok());
}

}  // namespace
}  // namespace nanse
