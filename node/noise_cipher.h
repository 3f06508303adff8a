// Noise CipherState and SymmetricState (spec sections 5.1 and 5.2) for ChaChaPoly and BLAKE2b.
//
// A CipherState is a key k (maybe empty) and a 64-bit nonce n: after the handshake, one per
// direction, it encrypts the transport messages. A SymmetricState is the handshake's chaining
// key ck, handshake hash h and the CipherState of the moment.
// Internal to node/: the transport uses node/noise.h. Pure; not thread-safe (one owner).
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>
#include <utility>

#include "crdt/bytes.h"
#include "crdt/status.h"
#include "node/noise_crypto.h"

namespace nanse::noise {

class CipherState {
 public:
  // n = 2^64-1 is reserved: Rekey uses it, a message never does (spec 5.1).
  static constexpr uint64_t kMaxNonce = std::numeric_limits<uint64_t>::max();

  CipherState() = default;  // k empty: encryption passes plaintext through
  CipherState(const CipherState&) = delete;
  CipherState& operator=(const CipherState&) = delete;
  CipherState(CipherState&& other) noexcept;
  CipherState& operator=(CipherState&& other) noexcept;
  ~CipherState() = default;  // k_ wipes itself

  // InitializeKey(key): k = key (the first 32 bytes of `key`), n = 0.
  void InitializeKey(ByteView key);
  bool HasKey() const { return has_key_; }
  // The nonce the next encryption or decryption uses.
  uint64_t nonce() const { return n_; }
  void SetNonce(uint64_t n) { n_ = n; }

  // EncryptWithAd(ad, plaintext), appended to `out`: with a key, ChaCha20-Poly1305-IETF under
  // nonce = 4 zero bytes || n as 64-bit little-endian, then n += 1; without, the plaintext.
  // Fails (Invalid "nonce") when n has reached 2^64-1; nothing is appended then.
  Status EncryptWithAd(ByteView ad, ByteView plaintext, Bytes& out);
  // DecryptWithAd(ad, ciphertext), appended to `out`. On an authentication failure (Invalid
  // "ciphertext"), n is not incremented and nothing is appended.
  Status DecryptWithAd(ByteView ad, ByteView ciphertext, Bytes& out);
  // Rekey(): k = the first 32 bytes of ENCRYPT(k, 2^64-1, empty ad, 32 zero bytes); n unchanged.
  // Both ends must rekey at the same point of their message stream. Usage error without a key.
  Status Rekey();

  // Wipes the key and forgets it.
  void Clear();

 private:
  CipherKey k_;
  bool has_key_ = false;
  uint64_t n_ = 0;
};

// The two CipherStates Split() returns: c1 encrypts initiator -> responder, c2 the reverse.
struct SplitCiphers {
  CipherState c1;
  CipherState c2;
};

class SymmetricState {
 public:
  // InitializeSymmetric(protocol_name): h = the name padded with zeros to 64 bytes (or its
  // HASH when longer than 64), ck = h, k empty.
  explicit SymmetricState(std::string_view protocol_name);
  SymmetricState(SymmetricState&&) noexcept = default;
  SymmetricState& operator=(SymmetricState&&) noexcept = default;
  ~SymmetricState();

  // MixKey(ikm): ck, temp_k = HKDF(ck, ikm, 2); InitializeKey(temp_k truncated to 32 bytes).
  void MixKey(ByteView ikm);
  // MixHash(data): h = HASH(h || data).
  void MixHash(ByteView data);
  // MixKeyAndHash(ikm): ck, temp_h, temp_k = HKDF(ck, ikm, 3); MixHash(temp_h);
  // InitializeKey(temp_k truncated to 32 bytes). The psk token.
  void MixKeyAndHash(ByteView ikm);

  const HandshakeHash& handshake_hash() const { return h_; }
  bool HasKey() const { return cipher_.HasKey(); }

  // EncryptAndHash(plaintext): ciphertext = EncryptWithAd(h, plaintext); MixHash(ciphertext).
  // The ciphertext is appended to `out`.
  Status EncryptAndHash(ByteView plaintext, Bytes& out);
  // DecryptAndHash(ciphertext): plaintext = DecryptWithAd(h, ciphertext); MixHash(ciphertext).
  // The plaintext is appended to `out`; on failure h is unchanged and nothing is appended.
  Status DecryptAndHash(ByteView ciphertext, Bytes& out);

  // Split(): temp_k1, temp_k2 = HKDF(ck, empty, 2); c1 and c2 keyed with their first 32 bytes.
  SplitCiphers Split() const;

  // Wipes ck and k. h stays readable: it is not secret (it is the channel binding).
  void Clear();

 private:
  CipherState cipher_;
  HashOutput ck_;
  HandshakeHash h_{};
};

}  // namespace nanse::noise
