#include "node/noise_cipher.h"

#include <sodium.h>

#include <array>

namespace nanse::noise {
namespace {

// ChaChaPoly's 96-bit nonce: 32 bits of zeros, then n as a 64-bit little-endian integer.
std::array<uint8_t, crypto_aead_chacha20poly1305_ietf_NPUBBYTES> NonceBytes(uint64_t n) {
  static_assert(crypto_aead_chacha20poly1305_ietf_NPUBBYTES == 12);
  std::array<uint8_t, 12> nonce{};
  for (int i = 0; i < 8; ++i) nonce[4 + i] = static_cast<uint8_t>(n >> (8 * i));
  return nonce;
}

}  // namespace

CipherState::CipherState(CipherState&& other) noexcept
    : k_(std::move(other.k_)), has_key_(other.has_key_), n_(other.n_) {
  other.has_key_ = false;
  other.n_ = 0;
}

CipherState& CipherState::operator=(CipherState&& other) noexcept {
  if (this != &other) {
    k_ = std::move(other.k_);
    has_key_ = other.has_key_;
    n_ = other.n_;
    other.has_key_ = false;
    other.n_ = 0;
  }
  return *this;
}

void CipherState::InitializeKey(ByteView key) {
  k_ = CipherKey(key.first(std::min(key.size(), kKeyLen)));
  has_key_ = true;
  n_ = 0;
}

void CipherState::Clear() {
  k_.Wipe();
  has_key_ = false;
  n_ = 0;
}

Status CipherState::EncryptWithAd(ByteView ad, ByteView plaintext, Bytes& out) {
  if (!has_key_) {
    Append(out, plaintext);
    return Status::Ok();
  }
  if (n_ == kMaxNonce) {
    return Status::Invalid("nonce", "exhausted (2^64-1 messages sent under this key)");
  }
  const size_t start = out.size();
  out.resize(start + plaintext.size() + kTagLen);
  auto nonce = NonceBytes(n_);
  unsigned long long written = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(out.data() + start, &written, plaintext.data(),
                                            plaintext.size(), ad.data(), ad.size(), nullptr,
                                            nonce.data(), k_.data());
  ++n_;
  return Status::Ok();
}

Status CipherState::DecryptWithAd(ByteView ad, ByteView ciphertext, Bytes& out) {
  if (!has_key_) {
    Append(out, ciphertext);
    return Status::Ok();
  }
  if (n_ == kMaxNonce) {
    return Status::Invalid("nonce", "exhausted (2^64-1 messages received under this key)");
  }
  if (ciphertext.size() < kTagLen) {
    return Status::Malformed("ciphertext", "expected at least the 16-byte tag, got " +
                                               std::to_string(ciphertext.size()) + " bytes");
  }
  const size_t start = out.size();
  out.resize(start + ciphertext.size() - kTagLen);
  auto nonce = NonceBytes(n_);
  unsigned long long written = 0;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out.data() + start, &written, nullptr,
                                                ciphertext.data(), ciphertext.size(), ad.data(),
                                                ad.size(), nonce.data(), k_.data()) != 0) {
    out.resize(start);
    return Status::Invalid("ciphertext", "decrypt failed");
  }
  ++n_;
  return Status::Ok();
}

Status CipherState::Rekey() {
  if (!has_key_) return Status::Usage("noise rekey", "the cipher has no key");
  static constexpr std::array<uint8_t, kKeyLen> kZeros{};
  std::array<uint8_t, kKeyLen + kTagLen> encrypted{};
  auto nonce = NonceBytes(kMaxNonce);
  unsigned long long written = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(encrypted.data(), &written, kZeros.data(),
                                            kZeros.size(), nullptr, 0, nullptr, nonce.data(),
                                            k_.data());
  k_ = CipherKey({encrypted.data(), kKeyLen});
  sodium_memzero(encrypted.data(), encrypted.size());
  return Status::Ok();
}

SymmetricState::SymmetricState(std::string_view protocol_name) {
  ByteView name = AsBytes(protocol_name);
  if (name.size() <= kHashLen) {
    std::copy(name.begin(), name.end(), h_.begin());
  } else {
    h_ = Blake2b512({name});
  }
  ck_ = HashOutput({h_.data(), h_.size()});
}

SymmetricState::~SymmetricState() { Clear(); }

void SymmetricState::Clear() {
  cipher_.Clear();
  ck_.Wipe();
}

void SymmetricState::MixKey(ByteView ikm) {
  HashOutput ck;
  HashOutput temp_k;
  Hkdf(ck_.view(), ikm, ck, temp_k);
  ck_ = std::move(ck);
  cipher_.InitializeKey(temp_k.prefix<kKeyLen>());
}

void SymmetricState::MixHash(ByteView data) { h_ = Blake2b512({h_, data}); }

void SymmetricState::MixKeyAndHash(ByteView ikm) {
  HashOutput ck;
  HashOutput temp_h;
  HashOutput temp_k;
  Hkdf(ck_.view(), ikm, ck, temp_h, temp_k);
  ck_ = std::move(ck);
  MixHash(temp_h.view());
  cipher_.InitializeKey(temp_k.prefix<kKeyLen>());
}

Status SymmetricState::EncryptAndHash(ByteView plaintext, Bytes& out) {
  const size_t start = out.size();
  NANSE_RETURN_IF_ERROR(cipher_.EncryptWithAd(h_, plaintext, out));
  MixHash(ByteView(out).subspan(start));
  return Status::Ok();
}

Status SymmetricState::DecryptAndHash(ByteView ciphertext, Bytes& out) {
  NANSE_RETURN_IF_ERROR(cipher_.DecryptWithAd(h_, ciphertext, out));
  MixHash(ciphertext);
  return Status::Ok();
}

SplitCiphers SymmetricState::Split() const {
  HashOutput temp_k1;
  HashOutput temp_k2;
  Hkdf(ck_.view(), {}, temp_k1, temp_k2);
  SplitCiphers ciphers;
  ciphers.c1.InitializeKey(temp_k1.prefix<kKeyLen>());
  ciphers.c2.InitializeKey(temp_k2.prefix<kKeyLen>());
  return ciphers;
}

}  // namespace nanse::noise
