// Thin, typed wrappers over the libsodium primitives nanse signs and hashes with.
// All functions are pure: keys and randomness come in as arguments.
#pragma once

#include <array>

#include "crdt/bytes.h"
#include "crdt/status.h"

namespace nanse {

// Initializes libsodium once; safe to call from any thread, any number of times.
void EnsureSodium();

// BLAKE2b with a 32-byte output over the concatenation of `parts`.
Hash Blake2b256(std::initializer_list<ByteView> parts);

using Seed = std::array<uint8_t, 32>;

// An Ed25519 key pair. The secret half is wiped when the object is destroyed.
class SigningKey {
 public:
  // Derives the key pair deterministically from a 32-byte seed (crypto_sign_seed_keypair).
  static SigningKey FromSeed(const Seed& seed);

  SigningKey(const SigningKey& other);
  SigningKey& operator=(const SigningKey& other);
  ~SigningKey();

  const PublicKey& public_key() const { return public_; }
  const Seed& seed() const { return seed_; }

  // Ed25519 detached signature over `message`.
  Signature Sign(ByteView message) const;

 private:
  SigningKey() = default;
  Seed seed_{};
  std::array<uint8_t, 64> secret_{};
  PublicKey public_{};
};

// True when `signature` is a valid Ed25519 signature of `message` by `key`.
bool VerifySignature(const PublicKey& key, ByteView message, const Signature& signature);

// Overwrites a buffer with zeros in a way the compiler may not remove.
void Wipe(void* data, size_t size);

}  // namespace nanse
