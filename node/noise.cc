#include "node/noise.h"

#include <string>
#include <utility>

namespace nanse {

static_assert(kMaxNoisePayload1 == 65487 && kMaxNoisePayload2 == 65439 &&
              kMaxNoisePayload3 == 65471);

Bytes NoisePrologue(const Hash& network_id) {
  Bytes prologue;
  Append(prologue, AsBytes("nanse/1"));
  Append(prologue, network_id);
  return prologue;
}

NoiseSession::NoiseSession(noise::CipherState send, noise::CipherState receive,
                           const noise::HandshakeHash& handshake_hash,
                           const noise::DhPublicKey& remote)
    : send_(std::move(send)),
      receive_(std::move(receive)),
      handshake_hash_(handshake_hash),
      remote_static_(remote) {}

Result<Bytes> NoiseSession::Seal(ByteView plaintext) {
  const std::string field = "noise transport message " + std::to_string(send_.nonce());
  if (plaintext.size() > kMaxTransportPayload) {
    return Status::Usage(field, "plaintext of " + std::to_string(plaintext.size()) +
                                    " bytes is too large: at most 65519");
  }
  Bytes out;
  out.reserve(plaintext.size() + noise::kTagLen);
  Status status = send_.EncryptWithAd({}, plaintext, out);
  if (!status.ok()) return status.Within(field);
  return out;
}

Result<Bytes> NoiseSession::Open(ByteView message) {
  const std::string field = "noise transport message " + std::to_string(receive_.nonce());
  if (receive_failed_) {
    return Status::Usage(field, "an earlier message failed to open; the session is broken");
  }
  Status status;
  Bytes out;
  if (message.size() > kMaxNoiseMessage) {
    status = Status::Malformed(field, "at most 65535 bytes, got " + std::to_string(message.size()));
  } else if (message.size() < noise::kTagLen) {
    status = Status::Malformed(field, "truncated: at least the 16-byte tag, got " +
                                          std::to_string(message.size()) + " bytes");
  } else if (Status decrypt = receive_.DecryptWithAd({}, message, out); !decrypt.ok()) {
    status = decrypt.field() == "nonce"
                 ? decrypt.Within(field)
                 : Status::Invalid(field,
                                   "decrypt failed (tampered, replayed, out of order, or "
                                   "from another session)");
  }
  if (!status.ok()) {
    receive_failed_ = true;
    return status;
  }
  return out;
}

Result<NanseHandshake> NanseHandshake::Initiator(const NoiseStaticKey& static_key,
                                                 const NetworkKey& psk, ByteView prologue,
                                                 Random& random) {
  return Create(noise::Role::kInitiator, static_key, psk, prologue, random);
}

Result<NanseHandshake> NanseHandshake::Responder(const NoiseStaticKey& static_key,
                                                 const NetworkKey& psk, ByteView prologue,
                                                 Random& random) {
  return Create(noise::Role::kResponder, static_key, psk, prologue, random);
}

Result<NanseHandshake> NanseHandshake::Create(noise::Role role, const NoiseStaticKey& static_key,
                                              const NetworkKey& psk, ByteView prologue,
                                              Random& random) {
  noise::HandshakeConfig config;
  config.protocol_name = std::string(kNanseNoiseProtocol);
  config.role = role;
  config.prologue.assign(prologue.begin(), prologue.end());
  config.local_static = static_key.Clone();
  config.psks.emplace_back(AsBytes(psk));
  config.random = &random;
  NANSE_ASSIGN_OR_RETURN(noise::HandshakeState state,
                         noise::HandshakeState::Create(std::move(config)));
  return NanseHandshake(std::move(state));
}

NanseHandshake::Step NanseHandshake::step() const {
  using Next = noise::HandshakeState::Next;
  switch (state_.next()) {
    case Next::kFailed:
      return Step::kFailed;
    case Next::kSplit:
      return Step::kFinish;
    case Next::kDone:
      return Step::kDone;
    case Next::kWrite:
    case Next::kRead:
      break;
  }
  const bool write = state_.next() == Next::kWrite;
  switch (state_.message_index()) {
    case 0:
      return write ? Step::kWriteMessage1 : Step::kReadMessage1;
    case 1:
      return write ? Step::kWriteMessage2 : Step::kReadMessage2;
    default:
      return write ? Step::kWriteMessage3 : Step::kReadMessage3;
  }
}

Status NanseHandshake::Expect(Step expected, const char* call) const {
  const Step now = step();
  if (now == expected) return Status::Ok();
  std::string detail =
      std::string(call) + " called, but the next step is " + std::string(StepName(now));
  if (now == Step::kFailed) detail += " (" + failure().ToString() + ")";
  return Status::Usage("noise handshake", detail);
}

Result<Bytes> NanseHandshake::WriteMessage1(ByteView payload) {
  NANSE_RETURN_IF_ERROR(Expect(Step::kWriteMessage1, "WriteMessage1"));
  return state_.WriteMessage(payload);
}

Result<Bytes> NanseHandshake::ReadMessage1(ByteView message) {
  NANSE_RETURN_IF_ERROR(Expect(Step::kReadMessage1, "ReadMessage1"));
  return state_.ReadMessage(message);
}

Result<Bytes> NanseHandshake::WriteMessage2(ByteView payload) {
  NANSE_RETURN_IF_ERROR(Expect(Step::kWriteMessage2, "WriteMessage2"));
  return state_.WriteMessage(payload);
}

Result<Bytes> NanseHandshake::ReadMessage2(ByteView message) {
  NANSE_RETURN_IF_ERROR(Expect(Step::kReadMessage2, "ReadMessage2"));
  return state_.ReadMessage(message);
}

Result<Bytes> NanseHandshake::WriteMessage3(ByteView payload) {
  NANSE_RETURN_IF_ERROR(Expect(Step::kWriteMessage3, "WriteMessage3"));
  return state_.WriteMessage(payload);
}

Result<Bytes> NanseHandshake::ReadMessage3(ByteView message) {
  NANSE_RETURN_IF_ERROR(Expect(Step::kReadMessage3, "ReadMessage3"));
  return state_.ReadMessage(message);
}

Result<NoiseSession> NanseHandshake::Finish() {
  NANSE_RETURN_IF_ERROR(Expect(Step::kFinish, "Finish"));
  NANSE_ASSIGN_OR_RETURN(noise::TransportCiphers ciphers, state_.Split());
  // XX always ends with both static keys known and both directions keyed.
  return NoiseSession(std::move(*ciphers.send), std::move(*ciphers.receive), ciphers.handshake_hash,
                      *ciphers.remote_static);
}

std::string_view StepName(NanseHandshake::Step step) {
  switch (step) {
    case NanseHandshake::Step::kWriteMessage1:
      return "WriteMessage1";
    case NanseHandshake::Step::kReadMessage1:
      return "ReadMessage1";
    case NanseHandshake::Step::kWriteMessage2:
      return "WriteMessage2";
    case NanseHandshake::Step::kReadMessage2:
      return "ReadMessage2";
    case NanseHandshake::Step::kWriteMessage3:
      return "WriteMessage3";
    case NanseHandshake::Step::kReadMessage3:
      return "ReadMessage3";
    case NanseHandshake::Step::kFinish:
      return "Finish";
    case NanseHandshake::Step::kDone:
      return "Done";
    case NanseHandshake::Step::kFailed:
      return "Failed";
  }
  return "?";
}

}  // namespace nanse
