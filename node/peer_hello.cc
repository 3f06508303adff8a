#include "node/peer_hello.h"

#include <algorithm>

#include "crdt/msgpack_io.h"

namespace nanse {
namespace {

// "nanse-noise-static" || static_pub. (Sized first: GCC 12 at -O2 warns falsely about
// growing a vector from a string_view, GCC bug 106199.)
Bytes SignedMessage(const noise::DhPublicKey& static_pub) {
  Bytes message(kNoiseStaticContext.size() + static_pub.size());
  auto end = std::copy(kNoiseStaticContext.begin(), kNoiseStaticContext.end(), message.begin());
  std::copy(static_pub.begin(), static_pub.end(), end);
  return message;
}

Bytes Encode(const PublicKey& node_id, const Signature& signature) {
  detail::MsgpackWriter w;
  w.Array(3);
  w.Uint(kPeerHelloVersion);
  w.Bin(node_id);
  w.Bin(signature);
  return w.Take();
}

}  // namespace

Result<Bytes> MakeHello(const SigningKey& node_key, const noise::DhPublicKey& static_pub) {
  return Encode(node_key.public_key(), node_key.Sign(SignedMessage(static_pub)));
}

Result<PublicKey> CheckHello(ByteView payload, const noise::DhPublicKey& remote_static) {
  // Reject a wrong size first: a hello has one encoding, of a fixed length.
  if (payload.size() != kPeerHelloSize) {
    return Status::Malformed("hello", "expected " + std::to_string(kPeerHelloSize) +
                                          " bytes, got " + std::to_string(payload.size()));
  }
  NANSE_ASSIGN_OR_RETURN(auto handle, detail::UnpackExactlyOne(payload, "hello", 3));
  const msgpack::object& o = handle.get();
  NANSE_RETURN_IF_ERROR(detail::ExpectArray(o, 3, "hello"));
  NANSE_ASSIGN_OR_RETURN(uint64_t version, detail::ReadUint(o.via.array.ptr[0], "hello.version"));
  if (version != kPeerHelloVersion) {
    return Status::Malformed("hello.version", "expected " + std::to_string(kPeerHelloVersion) +
                                                  ", got " + std::to_string(version));
  }
  NANSE_ASSIGN_OR_RETURN(PublicKey node_id, detail::ReadBin32(o.via.array.ptr[1], "hello.node_id"));
  NANSE_ASSIGN_OR_RETURN(Bytes sig, detail::ReadBin(o.via.array.ptr[2], "hello.signature", 64));
  if (sig.size() != 64) {
    return Status::Malformed("hello.signature",
                             "expected 64 bytes, got " + std::to_string(sig.size()));
  }
  const Signature signature = ToArray<64>(sig);
  const Bytes canonical = Encode(node_id, signature);
  if (!std::equal(canonical.begin(), canonical.end(), payload.begin(), payload.end())) {
    return Status::Malformed("hello",
                             "not in canonical msgpack encoding (smallest forms required)");
  }
  if (!VerifySignature(node_id, SignedMessage(remote_static), signature)) {
    return Status::Invalid("hello.signature",
                           "does not verify for this node id over the handshake's static key");
  }
  return node_id;
}

}  // namespace nanse
