#include "node/beacon.h"

#include <sodium.h>

#include <string_view>

namespace nanse {
namespace {

constexpr uint8_t kBeaconVersion = 1;
constexpr size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kPlainBytes = 32 + 2 + 8;
constexpr std::string_view kAd = "nanse-beacon-v1";
static_assert(kBeaconBytes ==
              1 + kNonceBytes + kPlainBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES);

// A key for beacons only, so the network key itself never encrypts anything directly.
std::array<uint8_t, 32> BeaconKey(const NetworkKey& network_key) {
  EnsureSodium();
  std::array<uint8_t, 32> key;
  crypto_kdf_derive_from_key(key.data(), key.size(), 2, "nansebcn", network_key.data());
  return key;
}

const uint8_t* Ad() { return reinterpret_cast<const uint8_t*>(kAd.data()); }

}  // namespace

Bytes SealBeacon(const NetworkKey& network_key, const Beacon& beacon, Random& random) {
  uint8_t plain[kPlainBytes];
  std::copy(beacon.node.begin(), beacon.node.end(), plain);
  plain[32] = static_cast<uint8_t>(beacon.port >> 8);
  plain[33] = static_cast<uint8_t>(beacon.port);
  const auto sent = static_cast<uint64_t>(beacon.sent_millis);
  for (int i = 0; i < 8; ++i) plain[34 + i] = static_cast<uint8_t>(sent >> (56 - 8 * i));

  Bytes out(kBeaconBytes);
  out[0] = kBeaconVersion;
  random.Fill({out.data() + 1, kNonceBytes});
  auto key = BeaconKey(network_key);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + 1 + kNonceBytes, &written, plain,
                                             kPlainBytes, Ad(), kAd.size(), nullptr, out.data() + 1,
                                             key.data());
  sodium_memzero(key.data(), key.size());
  return out;
}

Result<Beacon> OpenBeacon(const NetworkKey& network_key, ByteView datagram) {
  const std::string f = "beacon";
  if (datagram.size() != kBeaconBytes) {
    return Status::Invalid(f, "expected " + std::to_string(kBeaconBytes) + " bytes, got " +
                                  std::to_string(datagram.size()));
  }
  if (datagram[0] != kBeaconVersion) {
    return Status::Invalid(f + ".version", "expected 1, got " + std::to_string(datagram[0]));
  }
  uint8_t plain[kPlainBytes];
  unsigned long long read = 0;
  auto key = BeaconKey(network_key);
  const int opened = crypto_aead_xchacha20poly1305_ietf_decrypt(
      plain, &read, nullptr, datagram.data() + 1 + kNonceBytes, datagram.size() - 1 - kNonceBytes,
      Ad(), kAd.size(), datagram.data() + 1, key.data());
  sodium_memzero(key.data(), key.size());
  if (opened != 0 || read != kPlainBytes) {
    return Status::Invalid(f, "does not open with this network's key (another network, or forged)");
  }
  Beacon beacon;
  std::copy(plain, plain + 32, beacon.node.begin());
  beacon.port = static_cast<uint16_t>((plain[32] << 8) | plain[33]);
  uint64_t sent = 0;
  for (int i = 0; i < 8; ++i) sent = (sent << 8) | plain[34 + i];
  beacon.sent_millis = static_cast<int64_t>(sent);
  if (beacon.port == 0) return Status::Invalid(f + ".port", "expected 1..65535, got 0");
  return beacon;
}

}  // namespace nanse
