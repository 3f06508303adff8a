#include "node/noise_handshake.h"

#include <utility>

namespace nanse::noise {
namespace {

Status WithCode(Status::Code code, std::string field, std::string detail) {
  switch (code) {
    case Status::Code::kMalformed:
      return Status::Malformed(std::move(field), std::move(detail));
    case Status::Code::kUsage:
      return Status::Usage(std::move(field), std::move(detail));
    default:
      return Status::Invalid(std::move(field), std::move(detail));
  }
}

Status ConfigError(const std::string& what) {
  return Status::Usage("noise handshake config", what);
}

}  // namespace

Result<HandshakeState> HandshakeState::Create(HandshakeConfig config) {
  NANSE_ASSIGN_OR_RETURN(HandshakePattern pattern, ParseProtocolName(config.protocol_name));
  if (config.random == nullptr) return ConfigError("a Random for the ephemeral keys is required");
  const std::string who = config.role == Role::kInitiator ? "the initiator" : "the responder";
  if (pattern.NeedsLocalStatic(config.role) && !config.local_static) {
    return ConfigError(pattern.name + " needs a static key pair for " + who);
  }
  if (pattern.NeedsRemoteStatic(config.role) && !config.remote_static) {
    return ConfigError(pattern.name + " needs " + who + " to know the peer's static key");
  }
  if (config.psks.size() != pattern.psk_count) {
    return ConfigError(pattern.name + " needs " + std::to_string(pattern.psk_count) +
                       " psk(s), got " + std::to_string(config.psks.size()));
  }
  return HandshakeState(std::move(pattern), std::move(config));
}

HandshakeState::HandshakeState(HandshakePattern pattern, HandshakeConfig config)
    : pattern_(std::move(pattern)),
      role_(config.role),
      symmetric_(config.protocol_name),
      s_(std::move(config.local_static)),
      psks_(std::move(config.psks)),
      random_(config.random) {
  if (pattern_.NeedsRemoteStatic(role_)) rs_ = config.remote_static;
  symmetric_.MixHash(config.prologue);
  // Pre-messages: the initiator's public keys first, then the responder's (spec 5.3).
  for (Role owner : {Role::kInitiator, Role::kResponder}) {
    const auto& tokens =
        owner == Role::kInitiator ? pattern_.initiator_pre : pattern_.responder_pre;
    for (Token token : tokens) {
      // The table holds only "s" in pre-messages (no fallback patterns, so no pre-message "e").
      if (token == Token::kS) symmetric_.MixHash(owner == role_ ? s_->public_key : *rs_);
    }
  }
  next_ = pattern_.Sender(0) == role_ ? Next::kWrite : Next::kRead;
}

HandshakeState::~HandshakeState() { symmetric_.Clear(); }

size_t HandshakeState::MaxPayload(size_t index) const {
  return kMaxNoiseMessage - pattern_.Overhead(index);
}

std::string HandshakeState::MessageName() const {
  return "noise message " + std::to_string(index_ + 1);
}

Status HandshakeState::NotNow(const char* call) const {
  static constexpr const char* kNames[] = {"WriteMessage", "ReadMessage", "Split", "nothing",
                                           "nothing (failed earlier)"};
  std::string detail =
      std::string(call) + " called, but the next step is " + kNames[static_cast<int>(next_)];
  if (next_ == Next::kFailed) detail += ": " + failure_.ToString();
  return Status::Usage("noise handshake", detail);
}

Status HandshakeState::Fail(const Status& status) {
  failure_ = WithCode(status.code(), MessageName(), status.field() + ": " + status.detail());
  next_ = Next::kFailed;
  symmetric_.Clear();
  s_.reset();
  e_.reset();
  psks_.clear();
  return failure_;
}

Status HandshakeState::MixDh(Token token) {
  const bool initiator = role_ == Role::kInitiator;
  // Whose keys each DH token names, from this side: the first letter is the initiator's key,
  // the second the responder's (spec 7.1).
  const std::optional<DhKeyPair>* local = nullptr;
  const std::optional<DhPublicKey>* remote = nullptr;
  switch (token) {
    case Token::kEE:  // DH(e, re)
      local = &e_, remote = &re_;
      break;
    case Token::kES:  // initiator: DH(e, rs); responder: DH(s, re)
      local = initiator ? &e_ : &s_, remote = initiator ? &rs_ : &re_;
      break;
    case Token::kSE:  // initiator: DH(s, re); responder: DH(e, rs)
      local = initiator ? &s_ : &e_, remote = initiator ? &re_ : &rs_;
      break;
    case Token::kSS:  // DH(s, rs)
      local = &s_, remote = &rs_;
      break;
    default:
      return Status::Invalid(std::string(TokenName(token)), "not a DH token");
  }
  if (!local->has_value() || !remote->has_value()) {
    return Status::Invalid(std::string(TokenName(token)), "a key the DH needs is missing");
  }
  auto shared = Dh(**local, **remote);
  if (!shared.ok()) return Status::Invalid(std::string(TokenName(token)), shared.status().detail());
  symmetric_.MixKey(shared->view());
  return Status::Ok();
}

Status HandshakeState::WriteToken(Token token, Bytes& out) {
  switch (token) {
    case Token::kE: {
      // e: a new ephemeral key pair; its public key in clear; MixHash(e.public_key), and in a
      // psk handshake also MixKey(e.public_key) (spec 9.2).
      e_ = DhKeyPair::Generate(*random_);
      Append(out, e_->public_key);
      symmetric_.MixHash(e_->public_key);
      if (pattern_.psk_count > 0) symmetric_.MixKey(e_->public_key);
      return Status::Ok();
    }
    case Token::kS: {
      // s: EncryptAndHash(s.public_key).
      Status status = symmetric_.EncryptAndHash(s_->public_key, out);
      return status.ok() ? status : Status::Invalid("s", status.ToString());
    }
    case Token::kPsk:
      // psk: MixKeyAndHash(psk).
      symmetric_.MixKeyAndHash(psks_[next_psk_++].view());
      return Status::Ok();
    default:
      // ee, es, se, ss: MixKey(DH(...)).
      return MixDh(token);
  }
}

Status HandshakeState::ReadToken(Token token, ByteView& in) {
  switch (token) {
    case Token::kE: {
      // e: re = the next 32 bytes; MixHash(re.public_key); in a psk handshake MixKey(re).
      re_ = DhPublicKey{};
      std::copy(in.begin(), in.begin() + kDhLen, re_->begin());
      in = in.subspan(kDhLen);
      symmetric_.MixHash(*re_);
      if (pattern_.psk_count > 0) symmetric_.MixKey(*re_);
      return Status::Ok();
    }
    case Token::kS: {
      // s: the next 32 bytes, plus 16 when a key is set; rs = DecryptAndHash(them).
      const size_t len = kDhLen + (symmetric_.HasKey() ? kTagLen : 0);
      Bytes rs;
      Status status = symmetric_.DecryptAndHash(in.first(len), rs);
      if (!status.ok()) {
        return Status::Invalid("s", next_psk_ > 0
                                        ? "psk or prologue mismatch, or tampered (decrypt failed)"
                                        : "prologue or key mismatch, or tampered (decrypt failed)");
      }
      in = in.subspan(len);
      rs_ = DhPublicKey{};
      std::copy(rs.begin(), rs.end(), rs_->begin());
      return Status::Ok();
    }
    case Token::kPsk:
      symmetric_.MixKeyAndHash(psks_[next_psk_++].view());
      return Status::Ok();
    default:
      return MixDh(token);
  }
}

Result<Bytes> HandshakeState::WriteMessage(ByteView payload) {
  if (next_ != Next::kWrite) return NotNow("WriteMessage");
  const size_t overhead = pattern_.Overhead(index_);
  if (payload.size() > kMaxNoiseMessage - overhead) {
    return Status::Usage(MessageName(), "payload of " + std::to_string(payload.size()) +
                                            " bytes is too large: at most " +
                                            std::to_string(kMaxNoiseMessage - overhead));
  }
  Bytes out;
  out.reserve(overhead + payload.size());
  for (Token token : pattern_.messages[index_]) {
    Status status = WriteToken(token, out);
    if (!status.ok()) return Fail(status);
  }
  Status status = symmetric_.EncryptAndHash(payload, out);
  if (!status.ok()) return Fail(Status::Invalid("payload", status.ToString()));
  ++index_;
  next_ = index_ == pattern_.messages.size() ? Next::kSplit
          : pattern_.Sender(index_) == role_ ? Next::kWrite
                                             : Next::kRead;
  return out;
}

Result<Bytes> HandshakeState::ReadMessage(ByteView message) {
  if (next_ != Next::kRead) return NotNow("ReadMessage");
  if (message.size() > kMaxNoiseMessage) {
    return Fail(
        Status::Malformed("length", "at most 65535 bytes, got " + std::to_string(message.size())));
  }
  const size_t overhead = pattern_.Overhead(index_);
  if (message.size() < overhead) {
    return Fail(Status::Malformed("length", "truncated: at least " + std::to_string(overhead) +
                                                " bytes, got " + std::to_string(message.size())));
  }
  ByteView in = message;
  for (Token token : pattern_.messages[index_]) {
    Status status = ReadToken(token, in);
    if (!status.ok()) return Fail(status);
  }
  Bytes payload;
  Status status = symmetric_.DecryptAndHash(in, payload);
  if (!status.ok()) {
    return Fail(Status::Invalid("payload", next_psk_ > 0 ? "psk or prologue mismatch, or tampered "
                                                           "(decrypt failed)"
                                                         : "key or prologue mismatch, or tampered "
                                                           "(decrypt failed)"));
  }
  ++index_;
  next_ = index_ == pattern_.messages.size() ? Next::kSplit
          : pattern_.Sender(index_) == role_ ? Next::kWrite
                                             : Next::kRead;
  return payload;
}

Result<TransportCiphers> HandshakeState::Split() {
  if (next_ != Next::kSplit) return NotNow("Split");
  SplitCiphers ciphers = symmetric_.Split();
  TransportCiphers out;
  // c1 carries initiator -> responder, c2 the reverse; one-way patterns discard c2 (spec 7.4).
  if (role_ == Role::kInitiator) {
    out.send = std::move(ciphers.c1);
    if (!pattern_.one_way) out.receive = std::move(ciphers.c2);
  } else {
    out.receive = std::move(ciphers.c1);
    if (!pattern_.one_way) out.send = std::move(ciphers.c2);
  }
  out.handshake_hash = symmetric_.handshake_hash();
  out.remote_static = rs_;
  symmetric_.Clear();
  s_.reset();
  e_.reset();
  psks_.clear();
  next_ = Next::kDone;
  return out;
}

}  // namespace nanse::noise
