#include "crdt/crypto.h"

#include <sodium.h>

#include <cstdlib>

namespace nanse {

void EnsureSodium() {
  // sodium_init is itself idempotent and thread-safe; a failure means no usable entropy
  // source or CPU features, where continuing would be unsafe.
  if (sodium_init() < 0) std::abort();
}

Hash Blake2b256(std::initializer_list<ByteView> parts) {
  EnsureSodium();
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
  for (ByteView part : parts) crypto_generichash_update(&state, part.data(), part.size());
  Hash out;
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

SigningKey SigningKey::FromSeed(const Seed& seed) {
  EnsureSodium();
  SigningKey key;
  key.seed_ = seed;
  crypto_sign_seed_keypair(key.public_.data(), key.secret_.data(), seed.data());
  return key;
}

SigningKey::SigningKey(const SigningKey& other) = default;
SigningKey& SigningKey::operator=(const SigningKey& other) = default;

SigningKey::~SigningKey() {
  Wipe(seed_.data(), seed_.size());
  Wipe(secret_.data(), secret_.size());
}

Signature SigningKey::Sign(ByteView message) const {
  Signature sig;
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_.data());
  return sig;
}

bool VerifySignature(const PublicKey& key, ByteView message, const Signature& signature) {
  EnsureSodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     key.data()) == 0;
}

void Wipe(void* data, size_t size) { sodium_memzero(data, size); }

}  // namespace nanse
