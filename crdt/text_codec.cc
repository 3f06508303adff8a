#include "crdt/text_codec.h"

namespace nanse {
namespace {

constexpr char kBase32Alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
constexpr char kBase64UrlAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int Base32Value(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Decodes text in an alphabet of 2^bits symbols into bytes, strictly: every character in the
// alphabet, and the unused trailing bits zero (otherwise two texts would decode the same).
template <int kBits, typename ValueFn>
Result<Bytes> DecodeBits(std::string_view text, ValueFn value, const char* name) {
  Bytes out;
  out.reserve(text.size() * kBits / 8);
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    int v = value(text[i]);
    if (v < 0) {
      return Status::Malformed(name, "unexpected character at position " + std::to_string(i + 1));
    }
    buffer = (buffer << kBits) | static_cast<uint32_t>(v);
    bits += kBits;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(buffer >> bits));
      buffer &= (1u << bits) - 1;
    }
  }
  if (bits >= kBits || buffer != 0) {
    return Status::Malformed(name, "truncated or has trailing bits");
  }
  return out;
}

template <int kBits>
std::string EncodeBits(ByteView bytes, const char* alphabet) {
  std::string out;
  out.reserve((bytes.size() * 8 + kBits - 1) / kBits);
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= kBits) {
      bits -= kBits;
      out.push_back(alphabet[(buffer >> bits) & ((1u << kBits) - 1)]);
    }
    buffer &= (1u << bits) - 1;
  }
  if (bits > 0) out.push_back(alphabet[(buffer << (kBits - bits)) & ((1u << kBits) - 1)]);
  return out;
}

}  // namespace

std::string Base32Encode(ByteView bytes) { return EncodeBits<5>(bytes, kBase32Alphabet); }

Result<Bytes> Base32Decode(std::string_view text) {
  return DecodeBits<5>(text, Base32Value, "base32");
}

std::string Base64UrlEncode(ByteView bytes) { return EncodeBits<6>(bytes, kBase64UrlAlphabet); }

Result<Bytes> Base64UrlDecode(std::string_view text) {
  return DecodeBits<6>(text, Base64UrlValue, "base64url");
}

std::string HexEncode(ByteView bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string ShortId(ByteView bytes) { return Base32Encode(bytes).substr(0, 8); }

Result<Hash> DecodeId32(std::string_view text, const std::string& field) {
  auto decoded = Base32Decode(text);
  if (!decoded.ok()) {
    return Status::Malformed(
        field, "expected 52 base32 characters (a-z, 2-7): " + decoded.status().detail());
  }
  if (decoded->size() != 32) {
    return Status::Malformed(field, "expected a 32-byte id (52 base32 characters), got " +
                                        std::to_string(text.size()) + " characters");
  }
  return ToArray<32>(*decoded);
}

}  // namespace nanse
