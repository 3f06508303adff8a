// The Noise primitives of Noise_*_25519_ChaChaPoly_BLAKE2b on libsodium: sizes, secrets that
// wipe themselves, HASH (BLAKE2b-512), HMAC-BLAKE2b, HKDF and DH (X25519).
//
// Spec: the Noise Protocol Framework, revision 34 (https://noiseprotocol.org/noise.html),
// sections 4 (crypto functions), 12.1 (25519), 12.3 (ChaChaPoly), 12.8 (BLAKE2b).
// Internal to node/: the transport uses node/noise.h, not this file.
//
// Pure: no I/O, no global state; randomness comes in as a Random&.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "crdt/bytes.h"
#include "crdt/crypto.h"
#include "crdt/status.h"
#include "node/clock.h"

namespace nanse::noise {

inline constexpr size_t kDhLen = 32;          // DHLEN: X25519 public keys and DH outputs
inline constexpr size_t kKeyLen = 32;         // a ChaChaPoly key
inline constexpr size_t kTagLen = 16;         // the Poly1305 tag every encryption adds
inline constexpr size_t kHashLen = 64;        // HASHLEN: BLAKE2b-512
inline constexpr size_t kHmacBlockLen = 128;  // BLOCKLEN of BLAKE2b: HMAC's pad length
// Every Noise message, handshake or transport, is at most this long (spec section 3).
inline constexpr size_t kMaxNoiseMessage = 65535;
// The largest plaintext of one transport message: 65535 minus the tag.
inline constexpr size_t kMaxTransportPayload = kMaxNoiseMessage - kTagLen;  // 65519

// N secret bytes. Not copyable; a move copies the bytes and wipes the source; the destructor
// wipes. Use Clone() where a second copy is really needed.
template <size_t N>
class Secret {
 public:
  Secret() = default;
  // REQUIRES: bytes.size() == N (fewer bytes leave the rest zero; more are ignored).
  explicit Secret(ByteView bytes) {
    for (size_t i = 0; i < N && i < bytes.size(); ++i) bytes_[i] = bytes[i];
  }
  Secret(const Secret&) = delete;
  Secret& operator=(const Secret&) = delete;
  Secret(Secret&& other) noexcept : bytes_(other.bytes_) { other.Wipe(); }
  Secret& operator=(Secret&& other) noexcept {
    if (this != &other) {
      bytes_ = other.bytes_;
      other.Wipe();
    }
    return *this;
  }
  ~Secret() { Wipe(); }

  Secret Clone() const { return Secret(view()); }
  void Wipe() { nanse::Wipe(bytes_.data(), N); }

  static constexpr size_t size() { return N; }
  uint8_t* data() { return bytes_.data(); }
  const uint8_t* data() const { return bytes_.data(); }
  ByteView view() const { return {bytes_.data(), N}; }
  // The first M bytes (HKDF outputs are 64 bytes; a cipher key is their first 32).
  template <size_t M>
  ByteView prefix() const {
    static_assert(M <= N);
    return {bytes_.data(), M};
  }

 private:
  std::array<uint8_t, N> bytes_{};
};

using DhPublicKey = std::array<uint8_t, kDhLen>;
using HandshakeHash = std::array<uint8_t, kHashLen>;  // h: not secret, but binds the session
using CipherKey = Secret<kKeyLen>;
using Psk = Secret<32>;
using HashOutput = Secret<kHashLen>;  // ck and HKDF outputs

// An X25519 key pair: the Noise static key of a node (separate from its Ed25519 identity), or
// an ephemeral one. The private half is wiped with the object.
struct DhKeyPair {
  Secret<kDhLen> private_key;
  DhPublicKey public_key{};

  // public_key = X25519(private_key, 9). Fails (Malformed "noise key") unless 32 bytes.
  static Result<DhKeyPair> FromPrivate(ByteView private_key);
  // GENERATE_KEYPAIR(): 32 bytes from `random` as the private key.
  static DhKeyPair Generate(Random& random);
  DhKeyPair Clone() const;
};

// HASH(parts...): BLAKE2b with a 64-byte output over the concatenation of `parts`.
HandshakeHash Blake2b512(std::initializer_list<ByteView> parts);

// HMAC-HASH(key, text) of RFC 2104 with BLAKE2b-512 and its 128-byte block: the key padded with
// zeros to 128 bytes (hashed first if longer), then H((K^opad) || H((K^ipad) || text)). Not
// keyed BLAKE2b: the spec requires real HMAC. `text` is the concatenation of its parts.
void HmacBlake2b(ByteView key, std::initializer_list<ByteView> text, HashOutput& out);

// HKDF(chaining_key, input_key_material, 2 or 3) of spec section 4.3:
//   temp_key = HMAC(ck, ikm); out1 = HMAC(temp_key, 0x01);
//   out2 = HMAC(temp_key, out1 || 0x02); out3 = HMAC(temp_key, out2 || 0x03).
void Hkdf(ByteView chaining_key, ByteView ikm, HashOutput& out1, HashOutput& out2);
void Hkdf(ByteView chaining_key, ByteView ikm, HashOutput& out1, HashOutput& out2,
          HashOutput& out3);

// DH(key_pair, public_key): X25519. Fails (Invalid "dh") when the result is all zeros, which
// is what a low-order public key (such as 32 zero bytes) gives: such a peer could force a known
// shared secret, so the handshake must stop there.
Result<Secret<kDhLen>> Dh(const DhKeyPair& local, const DhPublicKey& remote);

}  // namespace nanse::noise
