// The Noise HandshakeState (spec section 5.3), driven by a HandshakePattern: any pattern of
// node/noise_pattern.h, with psk modifiers, over 25519, ChaChaPoly and BLAKE2b.
//
// An explicit, pure state machine: WriteMessage and ReadMessage take and return bytes, next()
// says which comes next, and nothing here does I/O. Ephemeral keys come from the injected
// Random, so a test can replay published vectors. Any failure moves to kFailed and wipes every
// secret the state holds; every later call then fails too.
//
// Internal to node/: nanse's transport uses NanseHandshake (node/noise.h), which runs this
// with Noise_XXpsk0. The vector tests run it with every pattern the vector files hold.
// Not thread-safe: one owner at a time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crdt/bytes.h"
#include "crdt/status.h"
#include "node/clock.h"
#include "node/noise_cipher.h"
#include "node/noise_crypto.h"
#include "node/noise_pattern.h"

namespace nanse::noise {

struct HandshakeConfig {
  std::string protocol_name;  // "Noise_XXpsk0_25519_ChaChaPoly_BLAKE2b"
  Role role = Role::kInitiator;
  Bytes prologue;  // hashed first; both sides must give the same bytes
  // Our static key pair, when the pattern sends or pre-knows it ("s" token or pre-message).
  std::optional<DhKeyPair> local_static;
  // The peer's static public key, when the pattern has it as a pre-message ("<- s", "-> s").
  std::optional<DhPublicKey> remote_static;
  // One psk per psk token, in the order the tokens come (spec 9: each is 32 bytes).
  std::vector<Psk> psks;
  // Draws the ephemeral private keys ("e" tokens). Not owned; must outlive the state.
  Random* random = nullptr;
};

// What Split() hands over: one CipherState per direction, seen from this side.
struct TransportCiphers {
  // Encrypts what this side sends. nullopt for the responder of a one-way pattern: spec 7.4
  // discards c2, the responder must not send.
  std::optional<CipherState> send;
  // Decrypts what the peer sends. nullopt for the initiator of a one-way pattern.
  std::optional<CipherState> receive;
  HandshakeHash handshake_hash{};            // h after the last message: a channel binding
  std::optional<DhPublicKey> remote_static;  // the peer's static key, if the pattern has one
};

class HandshakeState {
 public:
  enum class Next {
    kWrite,   // WriteMessage is the next step
    kRead,    // ReadMessage is the next step
    kSplit,   // the last message is done: Split()
    kDone,    // Split() has handed the ciphers over
    kFailed,  // a step failed; failure() says which, the secrets are wiped
  };

  // Initialize(): checks the protocol name, the keys and psks the pattern needs, then
  // InitializeSymmetric(protocol_name), MixHash(prologue), and MixHash of each pre-message
  // public key (the initiator's first). Fails (Invalid or Usage) naming what is missing.
  static Result<HandshakeState> Create(HandshakeConfig config);

  HandshakeState(HandshakeState&&) noexcept = default;
  HandshakeState& operator=(HandshakeState&&) noexcept = default;
  ~HandshakeState();

  Next next() const { return next_; }
  Role role() const { return role_; }
  const HandshakePattern& pattern() const { return pattern_; }
  // The 0-based index of the next handshake message (== message count when done).
  size_t message_index() const { return index_; }
  // The largest payload message `index` can carry: 65535 minus its keys and tags.
  size_t MaxPayload(size_t index) const;

  // Writes the next message: its tokens, then EncryptAndHash(payload). Fails (Usage) unless
  // next() == kWrite or when the message would exceed 65535 bytes, before anything changes;
  // a failure inside (a low-order DH, nonce exhaustion) moves to kFailed.
  Result<Bytes> WriteMessage(ByteView payload);
  // Reads the next message and returns its payload. Fails (Usage) unless next() == kRead;
  // any failure in the message itself (length, decryption, low-order key) moves to kFailed,
  // with the message number and the token: "noise message 2: s: decrypt failed ...".
  Result<Bytes> ReadMessage(ByteView message);
  // Split() once next() == kSplit: the transport ciphers. Afterwards next() == kDone and
  // the handshake's secrets are wiped.
  Result<TransportCiphers> Split();

  // h, after every message (both sides agree after each message they both processed).
  const HandshakeHash& handshake_hash() const { return symmetric_.handshake_hash(); }
  // The peer's static key: from the config, or once an "s" token from the peer was read.
  const std::optional<DhPublicKey>& remote_static() const { return rs_; }
  // Why the state is kFailed (ok otherwise).
  const Status& failure() const { return failure_; }

 private:
  HandshakeState(HandshakePattern pattern, HandshakeConfig config);

  Status WriteToken(Token token, Bytes& out);
  Status ReadToken(Token token, ByteView& in);
  // DH for ee, es, se, ss from this side's point of view, then MixKey of the result.
  Status MixDh(Token token);
  // Moves to kFailed, wipes, and returns `status` as "noise message N: ...".
  Status Fail(const Status& status);
  Status NotNow(const char* call) const;
  std::string MessageName() const;

  HandshakePattern pattern_;
  Role role_;
  SymmetricState symmetric_;
  std::optional<DhKeyPair> s_;  // our static key pair
  std::optional<DhKeyPair> e_;  // our ephemeral key pair
  std::optional<DhPublicKey> rs_;
  std::optional<DhPublicKey> re_;
  std::vector<Psk> psks_;
  size_t next_psk_ = 0;
  Random* random_ = nullptr;
  size_t index_ = 0;
  Next next_ = Next::kWrite;
  Status failure_;
};

}  // namespace nanse::noise
