// Operations: the signed unit of change (ARCHITECTURE section 3; bytes in docs/op-format.md).
//
// An op is a header, an Ed25519 signature and a body kept apart. The header is a msgpack
// array in a fixed order:
//   [version=1, author(bin 32), seq(uint >= 1), prev(bin 32 | nil at seq 1), hlc(uint),
//    type(str), body_hash(bin 32, BLAKE2b-256 of the body), body_len(uint)]
// The signature covers "nanse-op-v1" || network id || header bytes (the genesis op, whose id
// becomes the network id, uses 32 zero bytes there). The op id is BLAKE2b-256 of
// header bytes || signature. Headers are kept and forwarded as the exact bytes received;
// decoding also checks they are canonical, so one header has one encoding.
#pragma once

#include <optional>
#include <string>

#include "crdt/bytes.h"
#include "crdt/crypto.h"
#include "crdt/hlc.h"
#include "crdt/status.h"

namespace nanse {

inline constexpr uint64_t kOpVersion = 1;
// Header, signature and body together: any op fits one Noise frame.
inline constexpr size_t kMaxOpBytes = 60 * 1024;
inline constexpr size_t kMaxOpTypeLength = 32;
inline constexpr std::string_view kOpSignatureDomain = "nanse-op-v1";

struct OpHeader {
  uint64_t version = kOpVersion;
  PublicKey author{};
  uint64_t seq = 0;
  std::optional<Hash> prev;  // id of the author's op seq-1; absent exactly when seq == 1
  Hlc hlc;
  std::string type;  // [a-z][a-z0-9_.]*, at most kMaxOpTypeLength
  Hash body_hash{};
  uint64_t body_len = 0;

  bool operator==(const OpHeader&) const = default;
};

// The canonical msgpack encoding of a header.
Bytes EncodeHeader(const OpHeader& header);

// Decodes header bytes strictly: exact types and sizes, version 1, seq >= 1, prev present iff
// seq > 1, a well-formed type, body_len within the op size limit, and canonical encoding.
// Errors name the field ("op.header.seq").
Result<OpHeader> DecodeHeader(ByteView bytes);

// A decoded op. `header_bytes` are the exact bytes that were signed; `body` is absent when
// the body was erased (the header still verifies).
struct SignedOp {
  OpHeader header;
  Bytes header_bytes;
  Signature signature{};
  std::optional<Bytes> body;
  Hash id{};

  bool is_genesis() const { return header.type == "genesis"; }
  // Header, signature and body: what counts against kMaxOpBytes.
  size_t size() const;
};

// The message an op's signature covers.
Bytes OpSigningMessage(const Hash& network_id, ByteView header_bytes);
Hash ComputeOpId(ByteView header_bytes, const Signature& signature);

// Everything needed to author an op except the key.
struct OpDraft {
  uint64_t seq = 1;
  std::optional<Hash> prev;
  Hlc hlc;
  std::string type;
  Bytes body;
};

// Builds, signs and identifies a new op. For a genesis op pass any network id: it is signed
// with zeros, and its id is the new network's id. Fails when the draft breaks a header rule
// or the op would exceed kMaxOpBytes.
Result<SignedOp> SignOp(const SigningKey& key, const Hash& network_id, const OpDraft& draft);

// Checks the signature for `network_id` (zeros for a genesis op, whose id must then equal
// `network_id`), and the body against body_hash and body_len when the body is present.
Status VerifyOp(const SignedOp& op, const Hash& network_id);

// The storage and transfer form of a whole op: msgpack [header bin, signature bin, body bin|nil].
Bytes EncodeOp(const SignedOp& op);

// Decodes the form above: checks the header (DecodeHeader), the signature's size, the body's
// hash and length, and the size limit. Does not check the signature (that needs the network
// id: see VerifyOp).
Result<SignedOp> DecodeOp(ByteView bytes);

// Assembles an op from its parts, with the same checks as DecodeOp.
Result<SignedOp> AssembleOp(ByteView header_bytes, ByteView signature,
                            std::optional<ByteView> body);

}  // namespace nanse
