// The Noise handshake and session of nanse's transport (ARCHITECTURE.md section 6):
// Noise_XXpsk0_25519_ChaChaPoly_BLAKE2b, psk = the network key, prologue = "nanse/1" || the
// network id (NoisePrologue).
//
//   -> psk, e          message 1, initiator: proves it holds the network key; no identity
//   <- e, ee, s, es    message 2, responder: its static key, encrypted
//   -> s, se           message 3, initiator: its static key, encrypted
//
// psk0 lets the responder reject a stranger at message 1 (the payload does not decrypt) before
// it reveals anything. Message 1's payload is encrypted under the psk alone, without forward
// secrecy and before either side is authenticated: send it empty. Messages 2 and 3 carry each
// side's Ed25519 node id and its signature over the static key (the transport's business).
//
// Pure state machines: bytes in, bytes out, no I/O; the Asio transport moves the messages and
// frames each with a 2-byte big-endian length. Randomness comes in as a Random&. Secrets (the
// static private key copy, ephemeral keys, ck, k, the psk) are wiped when they are no longer
// needed, on failure, and in destructors. Not thread-safe: one owner at a time.
//
//   NanseHandshake a = NanseHandshake::Initiator(my_key, network.key, prologue, random).value();
//   NanseHandshake b = NanseHandshake::Responder(its_key, network.key, prologue, random).value();
//   Bytes m1 = *a.WriteMessage1({});       b.ReadMessage1(m1);
//   Bytes m2 = *b.WriteMessage2(hello_b);  Bytes p2 = *a.ReadMessage2(m2);
//   Bytes m3 = *a.WriteMessage3(hello_a);  Bytes p3 = *b.ReadMessage3(m3);
//   NoiseSession sa = a.Finish().value(), sb = b.Finish().value();
//   Bytes wire = *sa.Seal(ops);            Bytes ops2 = *sb.Open(wire);
#pragma once

#include <optional>
#include <string_view>

#include "crdt/bytes.h"
#include "crdt/status.h"
#include "node/clock.h"
#include "node/noise_cipher.h"
#include "node/noise_crypto.h"
#include "node/noise_handshake.h"

namespace nanse {

inline constexpr std::string_view kNanseNoiseProtocol = "Noise_XXpsk0_25519_ChaChaPoly_BLAKE2b";
using noise::kMaxNoiseMessage;      // 65535: every message, handshake or transport
using noise::kMaxTransportPayload;  // 65519: the plaintext of one transport message
// The largest payload of each handshake message: 65535 minus its keys and tags.
inline constexpr size_t kMaxNoisePayload1 = kMaxNoiseMessage - 32 - 16;       // 65487
inline constexpr size_t kMaxNoisePayload2 = kMaxNoiseMessage - 32 - 48 - 16;  // 65439
inline constexpr size_t kMaxNoisePayload3 = kMaxNoiseMessage - 48 - 16;       // 65471

// A node's Noise static key: X25519, separate from its Ed25519 identity.
using NoiseStaticKey = noise::DhKeyPair;

// "nanse/1" || network_id: the prologue both sides hash first, so nodes of different networks
// (or protocol versions) fail at message 1.
Bytes NoisePrologue(const Hash& network_id);

// The transport phase: one CipherState per direction. Messages are at most 65535 bytes, with an
// empty associated data. Seal and Open each count their own nonce up from 0.
class NoiseSession {
 public:
  NoiseSession(NoiseSession&&) noexcept = default;
  NoiseSession& operator=(NoiseSession&&) noexcept = default;

  // Encrypts one message of at most kMaxTransportPayload bytes (Usage error beyond). Fails
  // (Invalid "nonce") after 2^64-1 messages.
  Result<Bytes> Seal(ByteView plaintext);
  // Decrypts the peer's next message. Each message must arrive exactly once and in order: a
  // replayed, reordered, dropped-before, altered or foreign message fails (Invalid), and so
  // does every Open after it: the transport drops such a peer.
  Result<Bytes> Open(ByteView message);

  // Rekey() of the sending or the receiving cipher (spec 11.3). The peer must rekey the other
  // direction at the same point of the stream, or its next Open fails.
  Status RekeySend() { return send_.Rekey(); }
  Status RekeyReceive() { return receive_.Rekey(); }

  // The nonce the next Seal / Open uses: the number of messages sealed / opened so far.
  uint64_t send_nonce() const { return send_.nonce(); }
  uint64_t receive_nonce() const { return receive_.nonce(); }
  // h at the end of the handshake: equal on both sides, unique to this session.
  const noise::HandshakeHash& handshake_hash() const { return handshake_hash_; }
  // The peer's Noise static key, authenticated by the handshake.
  const noise::DhPublicKey& remote_static() const { return remote_static_; }

 private:
  friend class NanseHandshake;
  NoiseSession(noise::CipherState send, noise::CipherState receive,
               const noise::HandshakeHash& handshake_hash, const noise::DhPublicKey& remote);

  noise::CipherState send_;
  noise::CipherState receive_;
  noise::HandshakeHash handshake_hash_{};
  noise::DhPublicKey remote_static_{};
  bool receive_failed_ = false;
};

class NanseHandshake {
 public:
  enum class Step {
    kWriteMessage1,  // initiator
    kReadMessage1,   // responder
    kWriteMessage2,  // responder
    kReadMessage2,   // initiator
    kWriteMessage3,  // initiator
    kReadMessage3,   // responder
    kFinish,         // both: message 3 is done, call Finish()
    kDone,           // Finish() has handed over the session
    kFailed,         // a step failed: failure() says why; drop the connection
  };

  // Copies `static_key` and `psk` into the handshake (wiped when it ends). `prologue` is
  // usually NoisePrologue(network id); `random` draws the ephemeral key and must outlive the
  // handshake.
  static Result<NanseHandshake> Initiator(const NoiseStaticKey& static_key, const NetworkKey& psk,
                                          ByteView prologue, Random& random);
  static Result<NanseHandshake> Responder(const NoiseStaticKey& static_key, const NetworkKey& psk,
                                          ByteView prologue, Random& random);

  NanseHandshake(NanseHandshake&&) noexcept = default;
  NanseHandshake& operator=(NanseHandshake&&) noexcept = default;

  Step step() const;
  bool is_initiator() const { return state_.role() == noise::Role::kInitiator; }

  // Each call is valid only at its step (a Usage error otherwise, nothing changes). A failure
  // in the message itself moves to kFailed, names the message and what failed, e.g.
  // "noise message 1: payload: psk or prologue mismatch, or tampered (decrypt failed)",
  // "noise message 2: ee: low-order public key ...", "noise message 3: length: truncated ...".
  // Write* return the message to send; Read* return the peer's payload.
  Result<Bytes> WriteMessage1(ByteView payload);  // -> psk, e
  Result<Bytes> ReadMessage1(ByteView message);
  Result<Bytes> WriteMessage2(ByteView payload);  // <- e, ee, s, es
  Result<Bytes> ReadMessage2(ByteView message);
  Result<Bytes> WriteMessage3(ByteView payload);  // -> s, se
  Result<Bytes> ReadMessage3(ByteView message);

  // After message 3 (step() == kFinish): Split() into the session; the handshake's secrets are
  // wiped and step() becomes kDone.
  Result<NoiseSession> Finish();

  // h after the last message processed: both sides hold the same value after each message.
  const noise::HandshakeHash& handshake_hash() const { return state_.handshake_hash(); }
  // The peer's static key: the initiator knows it after message 2, the responder after 3.
  const std::optional<noise::DhPublicKey>& remote_static() const { return state_.remote_static(); }
  // Why step() is kFailed.
  const Status& failure() const { return state_.failure(); }

 private:
  explicit NanseHandshake(noise::HandshakeState state) : state_(std::move(state)) {}
  static Result<NanseHandshake> Create(noise::Role role, const NoiseStaticKey& static_key,
                                       const NetworkKey& psk, ByteView prologue, Random& random);
  Status Expect(Step step, const char* call) const;

  noise::HandshakeState state_;
};

// "WriteMessage1", ..., "Finish", "Done", "Failed".
std::string_view StepName(NanseHandshake::Step step);

}  // namespace nanse
