#include "node/bundle.h"

#include <sodium.h>

#include <cstring>

#include "crdt/msgpack_io.h"
#include "crdt/text_codec.h"

namespace nanse {
namespace {

constexpr char kMagic[8] = {'N', 'A', 'N', 'S', 'E', 'B', 'D', '1'};
constexpr size_t kPrefixBytes = sizeof kMagic + 32;
constexpr size_t kHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr size_t kAbytes = crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr size_t kChunkPlaintext = 256 * 1024;
constexpr size_t kMaxChunkCiphertext = 16 * 1024 * 1024;

// A per-purpose key, so the network key itself never encrypts anything directly.
std::array<uint8_t, 32> BundleKey(const NetworkKey& network_key) {
  EnsureSodium();
  std::array<uint8_t, 32> key;
  crypto_kdf_derive_from_key(key.data(), key.size(), 1, "nansebdl", network_key.data());
  return key;
}

void PutU32(Bytes& out, uint32_t v) {
  out.push_back(static_cast<uint8_t>(v >> 24));
  out.push_back(static_cast<uint8_t>(v >> 16));
  out.push_back(static_cast<uint8_t>(v >> 8));
  out.push_back(static_cast<uint8_t>(v));
}

class Pusher {
 public:
  Pusher(const NetworkKey& network_key, Bytes& out) : out_(out) {
    auto key = BundleKey(network_key);
    uint8_t header[kHeaderBytes];
    crypto_secretstream_xchacha20poly1305_init_push(&state_, header, key.data());
    sodium_memzero(key.data(), key.size());
    out_.insert(out_.end(), header, header + kHeaderBytes);
  }
  ~Pusher() { sodium_memzero(&state_, sizeof state_); }

  void Push(ByteView plaintext, ByteView ad, bool final) {
    Bytes cipher(plaintext.size() + kAbytes);
    unsigned long long clen = 0;
    crypto_secretstream_xchacha20poly1305_push(
        &state_, cipher.data(), &clen, plaintext.data(), plaintext.size(),
        ad.empty() ? nullptr : ad.data(), ad.size(),
        final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
    PutU32(out_, static_cast<uint32_t>(clen));
    out_.insert(out_.end(), cipher.begin(), cipher.begin() + static_cast<ptrdiff_t>(clen));
  }

 private:
  crypto_secretstream_xchacha20poly1305_state state_;
  Bytes& out_;
};

Bytes EncodeMetadata(const Bundle& bundle) {
  detail::MsgpackWriter w;
  w.Map(3);
  w.Str("from");
  w.Bin(bundle.from);
  w.Str("vector");
  w.Str(bundle.from_vector.ToText());
  w.Str("ops");
  w.Uint(bundle.ops.size());
  return w.Take();
}

}  // namespace

Result<Bytes> EncodeBundle(const NetworkInfo& network, const Bundle& bundle) {
  Bytes out;
  out.reserve(kPrefixBytes + kHeaderBytes + bundle.ops.size() * 512);
  out.insert(out.end(), std::begin(kMagic), std::end(kMagic));
  out.insert(out.end(), network.id.begin(), network.id.end());
  Pusher pusher(network.key, out);
  Bytes ad(out.begin(), out.begin() + kPrefixBytes);
  pusher.Push(EncodeMetadata(bundle), ad, bundle.ops.empty());

  size_t i = 0;
  while (i < bundle.ops.size()) {
    // Gather ops up to the chunk size; an op is at most kMaxOpBytes, so each chunk holds one.
    std::vector<Bytes> encoded;
    size_t bytes = 0;
    while (i < bundle.ops.size()) {
      Bytes e = EncodeOp(bundle.ops[i]);
      if (!encoded.empty() && bytes + e.size() > kChunkPlaintext) break;
      bytes += e.size();
      encoded.push_back(std::move(e));
      ++i;
    }
    detail::MsgpackWriter w;
    w.Array(static_cast<uint32_t>(encoded.size()));
    for (const Bytes& e : encoded) w.Bin(e);
    pusher.Push(w.Take(), {}, i == bundle.ops.size());
  }
  return out;
}

Result<Bundle> DecodeBundle(const NetworkInfo& network, ByteView bytes) {
  const std::string f = "bundle";
  if (bytes.size() < kPrefixBytes + kHeaderBytes ||
      std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    return Status::Malformed(f, "not a nanse bundle (expected a file starting with NANSEBD1)");
  }
  Hash bundle_network = ToArray<32>(bytes.subspan(sizeof kMagic, 32));
  if (bundle_network != network.id) {
    return Status::Invalid(f, "made for network " + ShortId(bundle_network) +
                                  ", but this node belongs to network " + ShortId(network.id));
  }
  crypto_secretstream_xchacha20poly1305_state state;
  auto key = BundleKey(network.key);
  int init = crypto_secretstream_xchacha20poly1305_init_pull(&state, bytes.data() + kPrefixBytes,
                                                             key.data());
  sodium_memzero(key.data(), key.size());
  if (init != 0) return Status::Invalid(f, "damaged header");

  Bundle bundle;
  uint64_t expected_ops = 0;
  size_t pos = kPrefixBytes + kHeaderBytes;
  size_t chunk_index = 0;
  bool final_seen = false;
  while (!final_seen) {
    const std::string cf = f + " chunk " + std::to_string(chunk_index + 1);
    if (pos == bytes.size()) {
      sodium_memzero(&state, sizeof state);
      return Status::Invalid(f, "truncated: ends after " + std::to_string(chunk_index) +
                                    " chunks without its final chunk");
    }
    if (bytes.size() - pos < 4) return Status::Invalid(f, "truncated inside a chunk length");
    uint32_t clen = (uint32_t{bytes[pos]} << 24) | (uint32_t{bytes[pos + 1]} << 16) |
                    (uint32_t{bytes[pos + 2]} << 8) | uint32_t{bytes[pos + 3]};
    pos += 4;
    if (clen < kAbytes || clen > kMaxChunkCiphertext) {
      return Status::Invalid(cf, "impossible length " + std::to_string(clen));
    }
    if (bytes.size() - pos < clen) {
      return Status::Invalid(
          f, "truncated: chunk " + std::to_string(chunk_index + 1) + " is cut short");
    }
    Bytes plain(clen - kAbytes);
    unsigned long long mlen = 0;
    unsigned char tag = 0;
    ByteView ad = chunk_index == 0 ? bytes.subspan(0, kPrefixBytes) : ByteView();
    if (crypto_secretstream_xchacha20poly1305_pull(
            &state, plain.data(), &mlen, &tag, bytes.data() + pos, clen,
            ad.empty() ? nullptr : ad.data(), ad.size()) != 0) {
      sodium_memzero(&state, sizeof state);
      return Status::Invalid(cf,
                             "fails authentication: the file was tampered with or damaged, "
                             "or was made with another network key");
    }
    pos += clen;
    plain.resize(mlen);
    final_seen = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;

    if (chunk_index == 0) {
      auto handle = detail::UnpackExactlyOne(plain, f + ".metadata", 16);
      if (!handle.ok()) return handle.status();
      auto map = detail::MapReader::Open(handle->get(), f + ".metadata", {"from", "vector", "ops"});
      if (!map.ok()) return map.status();
      auto from = map->Require("from");
      if (!from.ok()) return from.status();
      auto from_key = detail::ReadBin32(**from, map->FieldName("from"));
      if (!from_key.ok()) return from_key.status();
      bundle.from = *from_key;
      auto vector = map->Require("vector");
      if (!vector.ok()) return vector.status();
      if ((*vector)->type != msgpack::type::STR) {
        return Status::Malformed(map->FieldName("vector"), "expected a string");
      }
      auto vv = VersionVector::FromText({(*vector)->via.str.ptr, (*vector)->via.str.size});
      if (!vv.ok()) return vv.status().Within(f);
      bundle.from_vector = std::move(*vv);
      auto count = map->Require("ops");
      if (!count.ok()) return count.status();
      auto n = detail::ReadUint(**count, map->FieldName("ops"));
      if (!n.ok()) return n.status();
      expected_ops = *n;
    } else {
      auto handle = detail::UnpackExactlyOne(plain, cf, 1 << 20);
      if (!handle.ok()) return handle.status();
      const msgpack::object& arr = handle->get();
      if (arr.type != msgpack::type::ARRAY)
        return Status::Malformed(cf, "expected an array of ops");
      for (uint32_t i = 0; i < arr.via.array.size; ++i) {
        const msgpack::object& o = arr.via.array.ptr[i];
        if (o.type != msgpack::type::BIN) return Status::Malformed(cf, "expected ops as bin");
        auto op = DecodeOp({reinterpret_cast<const uint8_t*>(o.via.bin.ptr), o.via.bin.size});
        if (!op.ok()) {
          return op.status().Within(f + " op " + std::to_string(bundle.ops.size() + 1));
        }
        bundle.ops.push_back(std::move(*op));
      }
    }
    ++chunk_index;
  }
  sodium_memzero(&state, sizeof state);
  if (pos != bytes.size()) {
    return Status::Invalid(
        f, std::to_string(bytes.size() - pos) + " unexpected bytes after the final chunk");
  }
  if (bundle.ops.size() != expected_ops) {
    return Status::Invalid(f, "holds " + std::to_string(bundle.ops.size()) +
                                  " ops but its metadata says " + std::to_string(expected_ops));
  }
  return bundle;
}

}  // namespace nanse
