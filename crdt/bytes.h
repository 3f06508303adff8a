// Byte types shared by every layer: owned buffers and fixed-size keys and hashes.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nanse {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

using Hash = std::array<uint8_t, 32>;        // BLAKE2b-256 digest; op ids, network ids
using PublicKey = std::array<uint8_t, 32>;   // Ed25519 public key; a node id
using Signature = std::array<uint8_t, 64>;   // Ed25519 detached signature
using NetworkKey = std::array<uint8_t, 32>;  // the Noise pre-shared key of a network

inline ByteView AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

template <size_t N>
ByteView AsBytes(const std::array<uint8_t, N>& a) {
  return {a.data(), a.size()};
}

inline void Append(Bytes& out, ByteView more) { out.insert(out.end(), more.begin(), more.end()); }

// Copies exactly N bytes into an array; the caller has checked the size.
template <size_t N>
std::array<uint8_t, N> ToArray(ByteView b) {
  std::array<uint8_t, N> a{};
  for (size_t i = 0; i < N && i < b.size(); ++i) a[i] = b[i];
  return a;
}

}  // namespace nanse
