// The sync protocol's messages (ARCHITECTURE section 7; bytes in docs/wire-format.md).
//
// Each message is one msgpack array whose first element is its kind, and fits one transport
// message (kMaxTransportPayload bytes):
//   Hello      [1, protocol, node id (bin 32), authors, vector digest (bin 32), entries | nil,
//               wall clock (uint, ms since 1970, as the sender's clock says)]
//   WantVector [2]                       the Hello had no entries and the digests differ
//   Vector     [3, entries, last (bool)] the sender's vector in parts, after a WantVector
//   Ops        [4, [op (bin, EncodeOp bytes), ...]]
//   CaughtUp   [5]                       the sender has sent all the peer lacked
//   Bye        [6, reason (str)]         the sender closes, saying why
// where entries = [[author (bin 32), seq (uint >= 1)], ...] sorted by author, no repeats.
//
// Decoding is strict (the peer may be hostile): exact kinds and sizes, every bound checked,
// every error naming the field ("sync.ops[3]: ...").
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "crdt/bytes.h"
#include "crdt/operation.h"
#include "crdt/status.h"
#include "crdt/version_vector.h"

namespace nanse {

inline constexpr uint64_t kSyncProtocol = 1;
// The largest sync message: one Noise transport message's plaintext.
inline constexpr size_t kMaxSyncMessage = 65519;
// Vector entries per Hello or Vector message: 1,000 entries of at most 45 bytes fit.
inline constexpr size_t kMaxVectorEntriesPerMessage = 1000;

struct SyncHello {
  uint64_t protocol = kSyncProtocol;
  PublicKey node{};
  uint64_t authors = 0;                 // entries in the sender's vector
  Hash digest{};                        // VectorDigest of the sender's vector
  std::optional<VersionVector> vector;  // absent when the sender sends the digest first
  // The sender's wall clock when it said Hello: lets the peer report a clock that is off (a
  // Pi without a real-time clock), which the ops themselves hide (their hlc is never behind
  // what their author had seen).
  uint64_t wall_millis = 0;
};
struct SyncWantVector {};
struct SyncVectorPart {
  std::vector<std::pair<PublicKey, uint64_t>> entries;
  bool last = false;
};
struct SyncOps {
  std::vector<SignedOp> ops;
  size_t wire_bytes = 0;  // the encoded ops (decode only), for counters
};
struct SyncCaughtUp {};
struct SyncBye {
  std::string reason;
};

using SyncMessage =
    std::variant<SyncHello, SyncWantVector, SyncVectorPart, SyncOps, SyncCaughtUp, SyncBye>;

// A digest of a vector: BLAKE2b-256 of "nanse-vector-v1" and each entry (author, seq as 8
// bytes big-endian) in author order. Equal vectors, equal digests.
Hash VectorDigest(const VersionVector& vector);

Bytes EncodeSyncHello(const SyncHello& hello);
Bytes EncodeSyncWantVector();
Bytes EncodeSyncVectorPart(const SyncVectorPart& part);
Bytes EncodeSyncCaughtUp();
Bytes EncodeSyncBye(std::string_view reason);

// Ops messages are built incrementally: Add ops while Fits says yes, then Take.
class SyncOpsWriter {
 public:
  // True when an op of `encoded_size` bytes still fits this message (always for the first).
  bool Fits(size_t encoded_size) const;
  void Add(Bytes encoded_op);
  bool empty() const { return ops_.empty(); }
  size_t count() const { return ops_.size(); }
  Bytes Take();

 private:
  std::vector<Bytes> ops_;
  size_t payload_ = 0;
};

// Decodes one message. Ops are decoded (DecodeOp) but not verified: the store does that.
Result<SyncMessage> DecodeSyncMessage(ByteView bytes);

// For logs: "hello", "ops", ...
const char* SyncMessageName(const SyncMessage& message);

}  // namespace nanse
