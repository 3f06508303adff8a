// The handshake of one peer of the TCP transport as a pure message pump: whole Noise messages
// in, whole Noise messages out, no I/O (the transport frames and moves them; the fuzzer feeds
// them directly).
//
//   initiator                                   responder
//   Start() -> message 1 (psk, e; empty)  --->  Receive(m1) -> message 2 (e, ee, s, es; hello)
//   Receive(m2) -> message 3 (s, se; hello) --> Receive(m3) -> nothing
//   done(): Finish()                            done(): Finish()
//
// The hellos are node/peer_hello.h's: each side checks the other's against the static key the
// handshake authenticated and so learns its node id. A responder that fails message 1 (wrong
// network key, wrong network, not nanse) has produced nothing to send.
#pragma once

#include <optional>
#include <string_view>

#include "crdt/bytes.h"
#include "crdt/crypto.h"
#include "crdt/status.h"
#include "node/clock.h"
#include "node/home.h"
#include "node/noise.h"

namespace nanse {

// What a node proves and knows in a handshake: its Ed25519 identity, its X25519 Noise static
// key, and its network (id for the prologue, key as the psk).
struct PeerIdentity {
  PeerIdentity(SigningKey node_key_in, NoiseStaticKey noise_key_in, const Hash& network_id_in,
               const NetworkKey& network_key_in)
      : node_key(std::move(node_key_in)),
        noise_key(std::move(noise_key_in)),
        network_id(network_id_in),
        network_key(network_key_in) {}

  SigningKey node_key;
  NoiseStaticKey noise_key;
  Hash network_id{};
  NetworkKey network_key{};
};

// The identity of the node in `home`: node.key, network, and noise.key (made with `random` on
// first use, see HomeDir::ReadOrCreateNoiseKey).
Result<PeerIdentity> LoadPeerIdentity(const HomeDir& home, Random& random);

// Why a handshake failed, for counters and logs.
enum class HandshakeFailure {
  kNone,
  kMessage1,  // the responder could not read message 1: wrong network key or network, garbage
  kIdentity,  // a hello did not decode or its signature did not verify
  kProtocol,  // any other bad message or frame (message 2 or 3 malformed or tampered)
  kTimeout,   // the handshake deadline passed
  kClosed,    // the peer closed the connection, or the network failed, mid-handshake
};
std::string_view HandshakeFailureName(HandshakeFailure failure);

// What a finished handshake gives the transport.
struct EstablishedPeer {
  NoiseSession session;
  PublicKey peer_id{};  // the peer's node id, checked against its hello
};

class PeerHandshake {
 public:
  // `identity` and `random` must outlive the handshake.
  static Result<PeerHandshake> Initiator(const PeerIdentity& identity, Random& random);
  static Result<PeerHandshake> Responder(const PeerIdentity& identity, Random& random);

  PeerHandshake(PeerHandshake&&) noexcept = default;
  PeerHandshake& operator=(PeerHandshake&&) noexcept = default;

  // The message to send first: message 1 for the initiator, nothing for the responder.
  // Call once, before Receive.
  Result<std::optional<Bytes>> Start();

  // Reads the peer's next message and returns the reply to send, if any: message 2 after
  // message 1 (responder), message 3 after message 2 (initiator). On failure failure() says
  // which kind, the returned Status says what exactly, and every later call fails.
  Result<std::optional<Bytes>> Receive(ByteView message);

  // True once this side has nothing more to read or write: Finish() may be called. (The
  // initiator is done when it has written message 3; the responder may still refuse it, which
  // the initiator learns when the connection closes.)
  bool done() const { return handshake_.step() == NanseHandshake::Step::kFinish; }

  // The session and the peer's node id. REQUIRES: done(). Wipes the handshake's secrets.
  Result<EstablishedPeer> Finish();

  HandshakeFailure failure() const { return failure_; }

 private:
  PeerHandshake(NanseHandshake handshake, const PeerIdentity& identity)
      : handshake_(std::move(handshake)), identity_(&identity) {}
  Status Fail(HandshakeFailure kind, Status status);

  NanseHandshake handshake_;
  const PeerIdentity* identity_;
  std::optional<PublicKey> peer_id_;
  HandshakeFailure failure_ = HandshakeFailure::kNone;
};

}  // namespace nanse
