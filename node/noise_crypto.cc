#include "node/noise_crypto.h"

#include <sodium.h>

namespace nanse::noise {

static_assert(crypto_scalarmult_BYTES == kDhLen && crypto_scalarmult_SCALARBYTES == kDhLen);
static_assert(crypto_generichash_BYTES_MAX == kHashLen);
static_assert(crypto_aead_chacha20poly1305_ietf_KEYBYTES == kKeyLen);
static_assert(crypto_aead_chacha20poly1305_ietf_ABYTES == kTagLen);

Result<DhKeyPair> DhKeyPair::FromPrivate(ByteView private_key) {
  if (private_key.size() != kDhLen) {
    return Status::Malformed("noise key", "expected a 32-byte X25519 private key, got " +
                                              std::to_string(private_key.size()) + " bytes");
  }
  EnsureSodium();
  DhKeyPair pair;
  pair.private_key = Secret<kDhLen>(private_key);
  crypto_scalarmult_base(pair.public_key.data(), pair.private_key.data());
  return pair;
}

DhKeyPair DhKeyPair::Generate(Random& random) {
  EnsureSodium();
  DhKeyPair pair;
  random.Fill({pair.private_key.data(), kDhLen});
  crypto_scalarmult_base(pair.public_key.data(), pair.private_key.data());
  return pair;
}

DhKeyPair DhKeyPair::Clone() const {
  DhKeyPair pair;
  pair.private_key = private_key.Clone();
  pair.public_key = public_key;
  return pair;
}

HandshakeHash Blake2b512(std::initializer_list<ByteView> parts) {
  EnsureSodium();
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kHashLen);
  for (ByteView part : parts) crypto_generichash_update(&state, part.data(), part.size());
  HandshakeHash out;
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

void HmacBlake2b(ByteView key, std::initializer_list<ByteView> text, HashOutput& out) {
  EnsureSodium();
  // K: the key padded with zeros to the block length (a longer key is hashed first).
  Secret<kHmacBlockLen> padded;
  if (key.size() > kHmacBlockLen) {
    HandshakeHash hashed = Blake2b512({key});
    std::copy(hashed.begin(), hashed.end(), padded.data());
    sodium_memzero(hashed.data(), hashed.size());
  } else {
    std::copy(key.begin(), key.end(), padded.data());
  }
  // inner = H((K ^ ipad) || text)
  Secret<kHmacBlockLen> pad;
  for (size_t i = 0; i < kHmacBlockLen; ++i) pad.data()[i] = padded.data()[i] ^ 0x36;
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, kHashLen);
  crypto_generichash_update(&state, pad.data(), pad.size());
  for (ByteView part : text) crypto_generichash_update(&state, part.data(), part.size());
  HashOutput inner;
  crypto_generichash_final(&state, inner.data(), inner.size());
  // out = H((K ^ opad) || inner)
  for (size_t i = 0; i < kHmacBlockLen; ++i) pad.data()[i] = padded.data()[i] ^ 0x5c;
  crypto_generichash_init(&state, nullptr, 0, kHashLen);
  crypto_generichash_update(&state, pad.data(), pad.size());
  crypto_generichash_update(&state, inner.data(), inner.size());
  crypto_generichash_final(&state, out.data(), out.size());
  sodium_memzero(&state, sizeof state);
}

namespace {

void HkdfOutputs(ByteView chaining_key, ByteView ikm, HashOutput* out1, HashOutput* out2,
                 HashOutput* out3) {
  static constexpr uint8_t kOne[1] = {0x01};
  static constexpr uint8_t kTwo[1] = {0x02};
  static constexpr uint8_t kThree[1] = {0x03};
  HashOutput temp_key;
  HmacBlake2b(chaining_key, {ikm}, temp_key);
  HmacBlake2b(temp_key.view(), {kOne}, *out1);
  HmacBlake2b(temp_key.view(), {out1->view(), kTwo}, *out2);
  if (out3 != nullptr) HmacBlake2b(temp_key.view(), {out2->view(), kThree}, *out3);
}

}  // namespace

void Hkdf(ByteView chaining_key, ByteView ikm, HashOutput& out1, HashOutput& out2) {
  HkdfOutputs(chaining_key, ikm, &out1, &out2, nullptr);
}

void Hkdf(ByteView chaining_key, ByteView ikm, HashOutput& out1, HashOutput& out2,
          HashOutput& out3) {
  HkdfOutputs(chaining_key, ikm, &out1, &out2, &out3);
}

Result<Secret<kDhLen>> Dh(const DhKeyPair& local, const DhPublicKey& remote) {
  EnsureSodium();
  Secret<kDhLen> shared;
  // libsodium already refuses an all-zero result (returns -1); the explicit check keeps the
  // rule visible and independent of the library version.
  if (crypto_scalarmult(shared.data(), local.private_key.data(), remote.data()) != 0 ||
      sodium_is_zero(shared.data(), shared.size())) {
    return Status::Invalid("dh", "low-order public key (the X25519 result is all zeros)");
  }
  return shared;
}

}  // namespace nanse::noise
