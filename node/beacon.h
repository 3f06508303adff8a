// LAN discovery beacons (docs/sync.md, "Discovery"): a UDP datagram by which a node says, to
// whoever on the local network holds the same network key, "node N listens on port P".
//
//   beacon = version (1 byte, 1) || nonce (24) || XChaCha20-Poly1305(key, nonce,
//            ad = "nanse-beacon-v1", node id (32) || port (u16be) || sent at (u64be, ms))
//   key    = crypto_kdf(network key, subkey 2, context "nansebcn")
//
// 75 bytes that look random to a stranger: no network id, no node id in the clear, so a
// listener without the key cannot tell which network (or even which node) a beacon is from. A
// forged beacon does not open; a replayed one (anyone may resend what they hear) only makes a
// node dial the replayer's address, where the handshake fails without the network key.
#pragma once

#include <cstdint>

#include "crdt/bytes.h"
#include "crdt/crypto.h"
#include "crdt/status.h"
#include "node/clock.h"

namespace nanse {

inline constexpr size_t kBeaconBytes = 1 + 24 + 32 + 2 + 8 + 16;

struct Beacon {
  PublicKey node{};
  uint16_t port = 0;
  int64_t sent_millis = 0;  // the sender's wall clock (for logs; clocks may be wrong)
};

Bytes SealBeacon(const NetworkKey& network_key, const Beacon& beacon, Random& random);
// Fails (Invalid) for anything but a beacon sealed with this network's key.
Result<Beacon> OpenBeacon(const NetworkKey& network_key, ByteView datagram);

}  // namespace nanse
