// Text renderings of bytes: base32 (node ids, op ids), base64url (invite codes) and hex.
//
// Base32 is RFC 4648 with the lowercase alphabet and no padding, as ARCHITECTURE section 2
// fixes for node ids. Decoders are strict: they reject characters outside the alphabet,
// padding, and non-zero trailing bits, so one byte string has exactly one text form.
#pragma once

#include <string>
#include <string_view>

#include "crdt/bytes.h"
#include "crdt/status.h"

namespace nanse {

std::string Base32Encode(ByteView bytes);
Result<Bytes> Base32Decode(std::string_view text);

std::string Base64UrlEncode(ByteView bytes);
Result<Bytes> Base64UrlDecode(std::string_view text);

std::string HexEncode(ByteView bytes);

// The first 8 base32 characters of a 32-byte key or hash: how ids are shown in tables.
std::string ShortId(ByteView bytes);

// Decodes a base32 text that must hold exactly 32 bytes (a node id, an op id, a network id).
// `field` names the input in the error.
Result<Hash> DecodeId32(std::string_view text, const std::string& field);

}  // namespace nanse
