// Noise handshake patterns as data (spec sections 7 and 9): the tokens of each message, the
// pre-messages, and the psk modifiers, for the one-way (N, K, X), fundamental interactive
// (NN ... IX) and deferred (NK1 ... I1X1) patterns. The HandshakeState runs them generically.
// Internal to node/.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "crdt/status.h"

namespace nanse::noise {

// The only suite nanse implements: the suffix every protocol name here ends with.
inline constexpr std::string_view kSuiteSuffix = "_25519_ChaChaPoly_BLAKE2b";

enum class Role { kInitiator, kResponder };

enum class Token : unsigned char { kE, kS, kEE, kES, kSE, kSS, kPsk };
// "e", "s", "ee", "es", "se", "ss", "psk": the spec's own spelling.
std::string_view TokenName(Token token);

struct HandshakePattern {
  std::string name;                  // the pattern with its modifiers: "XXpsk0", "X1K1"
  std::vector<Token> initiator_pre;  // "-> s" before "...": the responder knows it in advance
  std::vector<Token> responder_pre;  // "<- s" before "...": the initiator knows it in advance
  // The handshake messages; the initiator sends messages[0], then the sides alternate.
  std::vector<std::vector<Token>> messages;
  bool one_way = false;  // N, K, X: one message; afterwards only the initiator sends
  size_t psk_count = 0;  // psk tokens, each taking the next psk of the handshake's list

  // Who sends message `index` (0-based).
  Role Sender(size_t index) const { return index % 2 == 0 ? Role::kInitiator : Role::kResponder; }
  // True when `role` needs a static key pair of its own (an "s" token, or its pre-message).
  bool NeedsLocalStatic(Role role) const;
  // True when `role` must know the peer's static public key before the handshake.
  bool NeedsRemoteStatic(Role role) const;
  // The bytes message `index` adds around its payload: 32 per "e", 32 (+16 when encrypted) per
  // "s", and 16 for the payload's tag when a key is set by then.
  size_t Overhead(size_t index) const;
};

// The pattern named `name` (the part between "Noise_" and the suite), with modifiers such as
// "psk0", "psk2" or "psk0+psk2": psk0 puts a psk token at the start of the first message, pskN
// (N >= 1) at the end of message N. Fails (Invalid "noise pattern") for an unknown base
// pattern, a modifier other than pskN (such as "fallback"), a repeated or out-of-range psk.
Result<HandshakePattern> FindPattern(std::string_view name);

// Parses "Noise_<pattern>_25519_ChaChaPoly_BLAKE2b" (FindPattern on the middle part). Fails
// (Invalid "noise protocol name") for another prefix or suite.
Result<HandshakePattern> ParseProtocolName(std::string_view protocol_name);

// The base pattern names FindPattern knows, in the spec's order.
std::vector<std::string_view> KnownPatterns();

}  // namespace nanse::noise
