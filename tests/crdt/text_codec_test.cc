// Tests of crdt/text_codec: base32 and base64url (RFC 4648, strict, unpadded) and hex.
#include "crdt/text_codec.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace nanse {
namespace {

Bytes B(std::string_view s) { return Bytes(s.begin(), s.end()); }

// The RFC 4648 section 10 test vectors, as ARCHITECTURE section 2 renders them: lowercase
// base32 and base64url, both without padding.
const std::vector<std::pair<std::string, std::string>> kBase32Vectors = {
    {"", ""},
    {"f", "my"},
    {"fo", "mzxq"},
    {"foo", "mzxw6"},
    {"foob", "mzxw6yq"},
    {"fooba", "mzxw6ytb"},
    {"foobar", "mzxw6ytboi"},
};
const std::vector<std::pair<std::string, std::string>> kBase64UrlVectors = {
    {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
    {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
};

// Expects `decoded` to be a malformed-input error naming `field`, with an explanation.
void ExpectMalformed(const Result<Bytes>& decoded, const std::string& field) {
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), Status::Code::kMalformed);
  EXPECT_EQ(decoded.status().field(), field);
  EXPECT_FALSE(decoded.status().detail().empty());
}

// Random text over `alphabet`, so that a good share of it decodes.
rc::Gen<std::string> GenTextOver(std::string alphabet) {
  return rc::gen::container<std::string>(
      rc::gen::elementOf(std::vector<char>(alphabet.begin(), alphabet.end())));
}

const std::string kBase32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
const std::string kBase64UrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// --- base32 ---

TEST(Base32, EncodesRfc4648VectorsInLowercaseWithoutPadding) {
  for (const auto& [plain, encoded] : kBase32Vectors) {
    EXPECT_EQ(Base32Encode(AsBytes(plain)), encoded) << "input '" << plain << "'";
  }
}

TEST(Base32, DecodesRfc4648Vectors) {
  for (const auto& [plain, encoded] : kBase32Vectors) {
    auto decoded = Base32Decode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, B(plain)) << encoded;
  }
}

TEST(Base32, UsesTheWholeAlphabetForEveryFiveBitValue) {
  // These 20 bytes are 0, 1, 2, .. 31 in 5-bit groups.
  Bytes all = {0x00, 0x44, 0x32, 0x14, 0xc7, 0x42, 0x54, 0xb6, 0x35, 0xcf,
               0x84, 0x65, 0x3a, 0x56, 0xd7, 0xc6, 0x75, 0xbe, 0x77, 0xdf};
  EXPECT_EQ(Base32Encode(all), kBase32Alphabet);
}

TEST(Base32, RejectsCharactersOutsideTheAlphabet) {
  for (std::string bad : {"m!", "m0", "m1", "m8", "m9", "my ", " my", "m\ny", "my\n", "m-"}) {
    SCOPED_TRACE(bad);
    ExpectMalformed(Base32Decode(bad), "base32");
  }
}

TEST(Base32, RejectsUppercase) {
  for (std::string bad : {"MY", "mY", "MZXW6YTBOI"}) {
    SCOPED_TRACE(bad);
    ExpectMalformed(Base32Decode(bad), "base32");
  }
}

TEST(Base32, RejectsPadding) {
  for (std::string bad : {"my======", "my=", "mzxq====", "="}) {
    SCOPED_TRACE(bad);
    ExpectMalformed(Base32Decode(bad), "base32");
  }
}

TEST(Base32, RejectsNonZeroTrailingBits) {
  // "f" is "my"; "mz" differs only in the 2 unused trailing bits.
  for (std::string bad : {"mz", "m7", "mzxr", "mzxw7", "mzxw6yr", "mzxw6ytboj"}) {
    SCOPED_TRACE(bad);
    ExpectMalformed(Base32Decode(bad), "base32");
  }
}

TEST(Base32, RejectsLengthsNoByteStringEncodesTo) {
  // Unpadded base32 has lengths 0, 2, 4, 5 or 7 mod 8; 1, 3 and 6 cannot occur.
  for (std::string bad : {"m", "mzx", "mzxw6y", "mzxw6ytbo"}) {
    SCOPED_TRACE(bad);
    ExpectMalformed(Base32Decode(bad), "base32");
  }
}

TEST(Base32, ErrorNamesThePositionOfTheBadCharacter) {
  auto decoded = Base32Decode("mzx!");
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().detail().find("position 4"), std::string::npos)
      << decoded.status().ToString();
}

RC_GTEST_PROP(Base32, DecodeInvertsEncode, (const std::vector<uint8_t>& bytes)) {
  std::string text = Base32Encode(bytes);
  auto decoded = Base32Decode(text);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == bytes);
}

RC_GTEST_PROP(Base32, EncodingIsUnpaddedLowercaseOfMinimalLength,
              (const std::vector<uint8_t>& bytes)) {
  std::string text = Base32Encode(bytes);
  RC_ASSERT(text.size() == (bytes.size() * 8 + 4) / 5);
  RC_ASSERT(text.find_first_not_of(kBase32Alphabet) == std::string::npos);
}

RC_GTEST_PROP(Base32, EveryAcceptedTextIsTheEncodingOfWhatItDecodesTo, ()) {
  // Strictness: one byte string has exactly one text form.
  std::string text = *GenTextOver(kBase32Alphabet);
  auto decoded = Base32Decode(text);
  RC_CLASSIFY(decoded.ok());
  if (decoded.ok()) RC_ASSERT(Base32Encode(*decoded) == text);
}

// --- base64url ---

TEST(Base64Url, EncodesRfc4648VectorsWithoutPadding) {
  for (const auto& [plain, encoded] : kBase64UrlVectors) {
    EXPECT_EQ(Base64UrlEncode(AsBytes(plain)), encoded) << "input '" << plain << "'";
  }
}

TEST(Base64Url, DecodesRfc4648Vectors) {
  for (const auto& [plain, encoded] : kBase64UrlVectors) {
    auto decoded = Base64UrlDecode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, B(plain)) << encoded;
  }
}

TEST(Base64Url, UsesDashAndUnderscoreForTheLastTwoSymbols) {
  // Standard base64 would give "+/8".
  EXPECT_EQ(Base64UrlEncode(Bytes{0xfb, 0xff}), "-_8");
  auto decoded = Base64UrlDecode("-_8");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, (Bytes{0xfb, 0xff}));
}

TEST(Base64Url, RejectsTheStandardBase64Symbols) {
  for (std::string bad : {"+_8", "-/8", "Zm9v+g", "Zm/v"}) {
    SCOPED_TRACE(bad);
    ExpectMalformed(Base64UrlDecode(bad), "base64url");
  }
}

TEST(Base64Url, RejectsCharactersOutsideTheAlphabet) {
  for (std::string bad : {"Zg!", "Z g", "Zg\n", " Zg", "Zm9v.g", "Zm9v\xc3\xa9"}) {
    SCOPED_TRACE(bad);
    ExpectMalformed(Base64UrlDecode(bad), "base64url");
  }
}

TEST(Base64Url, RejectsPadding) {
  for (std::string bad : {"Zg==", "Zm8=", "Zg=", "="}) {
    SCOPED_TRACE(bad);
    ExpectMalformed(Base64UrlDecode(bad), "base64url");
  }
}

TEST(Base64Url, RejectsNonZeroTrailingBits) {
  // "f" is "Zg"; "Zh" differs only in the 4 unused trailing bits.
  for (std::string bad : {"Zh", "Zv", "Zm9", "Zm9vYh", "Zm9vYmF"}) {
    SCOPED_TRACE(bad);
    ExpectMalformed(Base64UrlDecode(bad), "base64url");
  }
}

TEST(Base64Url, RejectsLengthsNoByteStringEncodesTo) {
  // Unpadded base64 has lengths 0, 2 or 3 mod 4; 1 cannot occur.
  for (std::string bad : {"Z", "Zm9vY"}) {
    SCOPED_TRACE(bad);
    ExpectMalformed(Base64UrlDecode(bad), "base64url");
  }
}

RC_GTEST_PROP(Base64Url, DecodeInvertsEncode, (const std::vector<uint8_t>& bytes)) {
  std::string text = Base64UrlEncode(bytes);
  auto decoded = Base64UrlDecode(text);
  RC_ASSERT(decoded.ok());
  RC_ASSERT(*decoded == bytes);
}

RC_GTEST_PROP(Base64Url, EncodingIsUnpaddedOfMinimalLength, (const std::vector<uint8_t>& bytes)) {
  std::string text = Base64UrlEncode(bytes);
  RC_ASSERT(text.size() == (bytes.size() * 8 + 5) / 6);
  RC_ASSERT(text.find_first_not_of(kBase64UrlAlphabet) == std::string::npos);
}

RC_GTEST_PROP(Base64Url, EveryAcceptedTextIsTheEncodingOfWhatItDecodesTo, ()) {
  std::string text = *GenTextOver(kBase64UrlAlphabet);
  auto decoded = Base64UrlDecode(text);
  RC_CLASSIFY(decoded.ok());
  if (decoded.ok()) RC_ASSERT(Base64UrlEncode(*decoded) == text);
}

// --- hex, short ids and 32-byte ids ---

TEST(Hex, EncodesLowercaseTwoDigitsPerByte) {
  EXPECT_EQ(HexEncode(Bytes{}), "");
  EXPECT_EQ(HexEncode(Bytes{0x00, 0x01, 0xab, 0xff}), "0001abff");
}

TEST(ShortId, IsTheFirstEightBase32Characters) {
  Hash h{};
  for (size_t i = 0; i < h.size(); ++i) h[i] = static_cast<uint8_t>(i * 7 + 1);
  std::string full = Base32Encode(h);
  ASSERT_EQ(full.size(), 52u);
  EXPECT_EQ(ShortId(h), full.substr(0, 8));
}

TEST(DecodeId32, AcceptsTheBase32OfThirtyTwoBytes) {
  Hash h{};
  for (size_t i = 0; i < h.size(); ++i) h[i] = static_cast<uint8_t>(255 - i);
  auto decoded = DecodeId32(Base32Encode(h), "node id");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, h);
}

TEST(DecodeId32, RejectsOtherLengthsNamingTheField) {
  for (size_t n : {0u, 1u, 31u, 33u, 64u}) {
    SCOPED_TRACE(n);
    auto decoded = DecodeId32(Base32Encode(Bytes(n, 0x5a)), "node id");
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.status().code(), Status::Code::kMalformed);
    EXPECT_EQ(decoded.status().field(), "node id");
    EXPECT_NE(decoded.status().detail().find("32-byte"), std::string::npos);
  }
}

TEST(DecodeId32, RejectsBadCharactersNamingTheField) {
  std::string text = Base32Encode(Hash{});
  text[10] = 'A';
  auto decoded = DecodeId32(text, "op id");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().field(), "op id");
  EXPECT_NE(decoded.status().detail().find("position 11"), std::string::npos)
      << decoded.status().ToString();
}

}  // namespace
}  // namespace nanse
