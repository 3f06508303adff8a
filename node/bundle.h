// Bundles: files of ops for USB sticks and e-mail (ARCHITECTURE section 8).
//
// Layout (docs/op-format.md has the details):
//   "NANSEBD1" (8 bytes) | network id (32) | secretstream header (24) | chunks...
//   chunk = ciphertext length (u32, big-endian) | ciphertext (libsodium secretstream
//           XChaCha20-Poly1305, key derived from the network key with crypto_kdf, context
//           "nansebdl", subkey 1)
//   chunk 1 plaintext: msgpack map {"from": node id, "vector": text vector of the sender,
//                      "ops": number of ops}; its associated data is the magic and network id
//   chunks 2..n: msgpack array of ops (each as EncodeOp bytes); the last chunk carries
//                the FINAL tag, so a truncated file is detected.
// Decoding authenticates every byte before returning anything: a tampered, truncated or
// foreign bundle yields an error and no ops.
#pragma once

#include <string>
#include <vector>

#include "crdt/operation.h"
#include "crdt/version_vector.h"
#include "node/home.h"

namespace nanse {

struct Bundle {
  PublicKey from{};           // the node that wrote it
  VersionVector from_vector;  // what that node held when it wrote it
  std::vector<SignedOp> ops;
};

Result<Bytes> EncodeBundle(const NetworkInfo& network, const Bundle& bundle);
Result<Bundle> DecodeBundle(const NetworkInfo& network, ByteView bytes);

// Largest bundle file accepted on import.
inline constexpr size_t kMaxBundleBytes = size_t{1} << 32;

}  // namespace nanse
