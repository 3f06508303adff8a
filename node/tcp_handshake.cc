#include "node/tcp_handshake.h"

#include "node/peer_hello.h"

namespace nanse {

Result<PeerIdentity> LoadPeerIdentity(const HomeDir& home, Random& random) {
  NANSE_ASSIGN_OR_RETURN(SigningKey node_key, home.ReadKey());
  NANSE_ASSIGN_OR_RETURN(NetworkInfo network, home.ReadNetwork());
  NANSE_ASSIGN_OR_RETURN(NoiseStaticKey noise_key, home.ReadOrCreateNoiseKey(random));
  PeerIdentity identity(std::move(node_key), std::move(noise_key), network.id, network.key);
  Wipe(network.key.data(), network.key.size());
  return identity;
}

std::string_view HandshakeFailureName(HandshakeFailure failure) {
  switch (failure) {
    case HandshakeFailure::kNone:
      return "none";
    case HandshakeFailure::kMessage1:
      return "message1";
    case HandshakeFailure::kIdentity:
      return "identity";
    case HandshakeFailure::kProtocol:
      return "protocol";
    case HandshakeFailure::kTimeout:
      return "timeout";
    case HandshakeFailure::kClosed:
      return "closed";
  }
  return "unknown";
}

Result<PeerHandshake> PeerHandshake::Initiator(const PeerIdentity& identity, Random& random) {
  NANSE_ASSIGN_OR_RETURN(NanseHandshake handshake,
                         NanseHandshake::Initiator(identity.noise_key, identity.network_key,
                                                   NoisePrologue(identity.network_id), random));
  return PeerHandshake(std::move(handshake), identity);
}

Result<PeerHandshake> PeerHandshake::Responder(const PeerIdentity& identity, Random& random) {
  NANSE_ASSIGN_OR_RETURN(NanseHandshake handshake,
                         NanseHandshake::Responder(identity.noise_key, identity.network_key,
                                                   NoisePrologue(identity.network_id), random));
  return PeerHandshake(std::move(handshake), identity);
}

Status PeerHandshake::Fail(HandshakeFailure kind, Status status) {
  if (failure_ == HandshakeFailure::kNone) failure_ = kind;
  return status;
}

Result<std::optional<Bytes>> PeerHandshake::Start() {
  if (!handshake_.is_initiator()) return std::optional<Bytes>();
  // Message 1 is encrypted under the psk alone: it carries nothing.
  auto m1 = handshake_.WriteMessage1({});
  if (!m1.ok()) return Fail(HandshakeFailure::kProtocol, m1.status());
  return std::optional<Bytes>(std::move(*m1));
}

Result<std::optional<Bytes>> PeerHandshake::Receive(ByteView message) {
  if (failure_ != HandshakeFailure::kNone) {
    return Status::Usage("handshake", "already failed");
  }
  switch (handshake_.step()) {
    case NanseHandshake::Step::kReadMessage1: {  // responder: -> psk, e
      auto payload = handshake_.ReadMessage1(message);
      if (!payload.ok()) return Fail(HandshakeFailure::kMessage1, payload.status());
      if (!payload->empty()) {
        return Fail(HandshakeFailure::kMessage1,
                    Status::Malformed("noise message 1: payload", "expected none"));
      }
      NANSE_ASSIGN_OR_RETURN(Bytes hello,
                             MakeHello(identity_->node_key, identity_->noise_key.public_key));
      auto m2 = handshake_.WriteMessage2(hello);  // <- e, ee, s, es
      if (!m2.ok()) return Fail(HandshakeFailure::kProtocol, m2.status());
      return std::optional<Bytes>(std::move(*m2));
    }
    case NanseHandshake::Step::kReadMessage2: {  // initiator: <- e, ee, s, es
      auto payload = handshake_.ReadMessage2(message);
      if (!payload.ok()) return Fail(HandshakeFailure::kProtocol, payload.status());
      auto peer = CheckHello(*payload, *handshake_.remote_static());
      if (!peer.ok()) return Fail(HandshakeFailure::kIdentity, peer.status());
      peer_id_ = *peer;
      NANSE_ASSIGN_OR_RETURN(Bytes hello,
                             MakeHello(identity_->node_key, identity_->noise_key.public_key));
      auto m3 = handshake_.WriteMessage3(hello);  // -> s, se
      if (!m3.ok()) return Fail(HandshakeFailure::kProtocol, m3.status());
      return std::optional<Bytes>(std::move(*m3));
    }
    case NanseHandshake::Step::kReadMessage3: {  // responder: -> s, se
      auto payload = handshake_.ReadMessage3(message);
      if (!payload.ok()) return Fail(HandshakeFailure::kProtocol, payload.status());
      auto peer = CheckHello(*payload, *handshake_.remote_static());
      if (!peer.ok()) return Fail(HandshakeFailure::kIdentity, peer.status());
      peer_id_ = *peer;
      return std::optional<Bytes>();
    }
    default:
      return Fail(HandshakeFailure::kProtocol,
                  Status::Usage("handshake", "no message expected at step " +
                                                 std::string(StepName(handshake_.step()))));
  }
}

Result<EstablishedPeer> PeerHandshake::Finish() {
  if (!done() || !peer_id_) return Status::Usage("handshake", "not finished");
  NANSE_ASSIGN_OR_RETURN(NoiseSession session, handshake_.Finish());
  return EstablishedPeer{std::move(session), *peer_id_};
}

}  // namespace nanse
