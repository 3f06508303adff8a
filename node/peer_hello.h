// The hello: the payload of Noise handshake messages 2 (responder) and 3 (initiator), which
// binds a node's Ed25519 identity to its X25519 Noise static key (ARCHITECTURE.md section 6).
//
//   hello = msgpack array [version, node_id, signature]
//     version    uint, 1
//     node_id    bin 32: the sender's Ed25519 public key (its node id)
//     signature  bin 64: Ed25519 by node_id over "nanse-noise-static" || the sender's X25519
//                static public key (the 32 bytes the handshake authenticated)
//
// The canonical encoding (msgpack's smallest forms) is 102 bytes and is the only one accepted.
// Message 1's payload is empty: it is encrypted under the psk alone, before either side is
// authenticated. Pure: no I/O.
#pragma once

#include <cstdint>
#include <string_view>

#include "crdt/bytes.h"
#include "crdt/crypto.h"
#include "crdt/status.h"
#include "node/noise_crypto.h"

namespace nanse {

inline constexpr uint64_t kPeerHelloVersion = 1;
inline constexpr std::string_view kNoiseStaticContext = "nanse-noise-static";
inline constexpr size_t kPeerHelloSize = 102;

// The hello of the node that holds `node_key` and whose Noise static public key is
// `static_pub`. Never fails today; a Result so a future version can.
Result<Bytes> MakeHello(const SigningKey& node_key, const noise::DhPublicKey& static_pub);

// Checks a peer's hello against the static key its handshake message authenticated
// (NanseHandshake::remote_static()) and returns the peer's node id. Fails, naming the field:
//   Malformed "hello", "hello.version", "hello.node_id", "hello.signature": not the grammar
//     above (wrong type, size, trailing bytes, non-canonical encoding, unknown version);
//   Invalid "hello.signature": the signature does not verify for that node id over that
//     static key (a forged signature, or a node id or static key that does not match).
// `payload` is read during the call only.
Result<PublicKey> CheckHello(ByteView payload, const noise::DhPublicKey& remote_static);

}  // namespace nanse
