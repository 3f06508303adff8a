#include "node/sync_session.h"

#include <algorithm>

#include "crdt/text_codec.h"

namespace nanse {
namespace {

// The nodes that ever held the admin role: their chains carry the invites, role changes and
// revocations, so they go first.
std::set<PublicKey> EverAdmins(const MembershipView& view) {
  std::set<PublicKey> admins;
  for (const auto& [node, changes] : view.timeline) {
    for (const auto& change : changes) {
      if (change.role == "admin") admins.insert(node);
    }
  }
  return admins;
}

}  // namespace

SyncSession::SyncSession(Store& store, const PublicKey& self, const PublicKey& peer, Clock& clock,
                         Options options)
    : store_(store), self_(self), peer_(peer), clock_(clock), options_(options) {}

std::optional<Bytes> SyncSession::Count(Bytes message) {
  ++counters_.messages_out;
  counters_.bytes_out += message.size();
  return message;
}

Status SyncSession::Fail(Status status) {
  failed_ = true;
  return status;
}

Result<std::optional<Bytes>> SyncSession::Next() {
  if (failed_) return std::optional<Bytes>();
  if (!hello_sent_) {
    NANSE_ASSIGN_OR_RETURN(hello_vector_, store_.Vector());
    SyncHello hello;
    hello.node = self_;
    hello.authors = hello_vector_.size();
    hello.digest = VectorDigest(hello_vector_);
    hello.wall_millis = static_cast<uint64_t>(std::max<int64_t>(0, clock_.NowMillis()));
    // Inline only what one message may carry, whatever the option says.
    if (hello_vector_.size() <=
        std::min(options_.inline_vector_authors, kMaxVectorEntriesPerMessage)) {
      hello.vector = hello_vector_;
    }
    hello_sent_ = true;
    return Count(EncodeSyncHello(hello));
  }
  if (want_vector_due_ && !want_vector_sent_) {
    want_vector_sent_ = true;
    return Count(EncodeSyncWantVector());
  }
  if (vector_asked_) {
    const size_t total = hello_vector_.size();
    const size_t parts = std::max<size_t>(
        1, (total + kMaxVectorEntriesPerMessage - 1) / kMaxVectorEntriesPerMessage);
    if (vector_parts_sent_ < parts) {
      SyncVectorPart part;
      auto it = hello_vector_.entries().begin();
      std::advance(it, vector_parts_sent_ * kMaxVectorEntriesPerMessage);
      for (;
           it != hello_vector_.entries().end() && part.entries.size() < kMaxVectorEntriesPerMessage;
           ++it) {
        part.entries.emplace_back(it->first, it->second);
      }
      part.last = ++vector_parts_sent_ == parts;
      return Count(EncodeSyncVectorPart(part));
    }
  }
  if (!peer_known_) return std::optional<Bytes>();
  return NextOps();
}

Result<std::optional<Bytes>> SyncSession::NextOps() {
  NANSE_ASSIGN_OR_RETURN(const MembershipView view, store_.Membership());
  SyncOpsWriter writer;
  struct Sent {
    PublicKey author;
    uint64_t seq;
    std::optional<Hash> proof;
  };
  std::vector<Sent> sent;
  const VersionVector since = peer_has_;  // ForEachOpSince reads it while this loop advances
  NANSE_RETURN_IF_ERROR(store_.ForEachOpSince(
      since,
      [&](StoredOp&& op) {
        const bool proof = op.state == OpState::kProof;
        if (proof && proofs_sent_.count(op.op.id)) return true;
        Bytes encoded = EncodeOp(op.op);
        if (!writer.Fits(encoded.size())) return false;
        writer.Add(std::move(encoded));
        sent.push_back({op.op.header.author, op.op.header.seq,
                        proof ? std::optional<Hash>(op.op.id) : std::nullopt});
        return true;
      },
      EverAdmins(view)));
  if (!writer.empty()) {
    for (const Sent& s : sent) {
      peer_has_.Advance(s.author, s.seq);
      if (s.proof) proofs_sent_.insert(*s.proof);
    }
    counters_.ops_out += writer.count();
    return Count(writer.Take());
  }
  if (!caught_up_sent_) {
    caught_up_sent_ = true;
    return Count(EncodeSyncCaughtUp());
  }
  return std::optional<Bytes>();
}

Status SyncSession::OnMessage(ByteView message) {
  if (failed_) return Status::Usage("sync", "the session has ended");
  ++counters_.messages_in;
  counters_.bytes_in += message.size();
  stored_new_ops_ = false;
  auto decoded = DecodeSyncMessage(message);
  if (!decoded.ok()) return Fail(decoded.status());
  if (!hello_received_ && !std::holds_alternative<SyncHello>(*decoded)) {
    return Fail(Status::Invalid(
        "sync", std::string("expected hello first, got ") + SyncMessageName(*decoded)));
  }
  return std::visit(
      [&](auto&& m) -> Status {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, SyncHello>) {
          if (hello_received_) return Fail(Status::Invalid("sync.hello", "sent twice"));
          return OnHello(std::move(m));
        } else if constexpr (std::is_same_v<M, SyncWantVector>) {
          if (vector_asked_) return Fail(Status::Invalid("sync.want_vector", "sent twice"));
          vector_asked_ = true;
          return Status::Ok();
        } else if constexpr (std::is_same_v<M, SyncVectorPart>) {
          return OnVectorPart(std::move(m));
        } else if constexpr (std::is_same_v<M, SyncOps>) {
          return OnOps(std::move(m));
        } else if constexpr (std::is_same_v<M, SyncCaughtUp>) {
          peer_caught_up_ = true;
          return Status::Ok();
        } else {
          static_assert(std::is_same_v<M, SyncBye>);
          return Fail(Status::Io("peer", "closed the session: " + m.reason));
        }
      },
      std::move(*decoded));
}

Status SyncSession::OnHello(SyncHello hello) {
  hello_received_ = true;
  if (hello.protocol != kSyncProtocol) {
    return Fail(Status::Invalid("sync.hello.protocol",
                                "the peer speaks sync protocol " + std::to_string(hello.protocol) +
                                    "; this node speaks " + std::to_string(kSyncProtocol)));
  }
  if (hello.node != peer_) {
    return Fail(Status::Invalid("sync.hello.node", "names node " + ShortId(hello.node) +
                                                       ", but the connection authenticated " +
                                                       ShortId(peer_)));
  }
  peer_clock_offset_ = static_cast<int64_t>(hello.wall_millis) - clock_.NowMillis();
  peer_authors_ = hello.authors;
  peer_digest_ = hello.digest;
  if (hello.vector) {
    for (const auto& [author, seq] : hello.vector->entries()) peer_has_.Advance(author, seq);
    peer_known_ = true;
    return Status::Ok();
  }
  // Digest only: when it is this side's vector, the peer holds exactly what this side holds.
  NANSE_ASSIGN_OR_RETURN(const VersionVector mine, store_.Vector());
  if (VectorDigest(mine) == hello.digest) {
    for (const auto& [author, seq] : mine.entries()) peer_has_.Advance(author, seq);
    peer_known_ = true;
  } else {
    want_vector_due_ = true;
  }
  return Status::Ok();
}

Status SyncSession::OnVectorPart(SyncVectorPart part) {
  const std::string f = "sync.vector";
  if (!want_vector_sent_ || peer_known_) {
    return Fail(Status::Invalid(f, "sent without being asked for"));
  }
  for (const auto& [author, seq] : part.entries) {
    if (!incoming_vector_.entries().empty() &&
        !(incoming_vector_.entries().rbegin()->first < author)) {
      return Fail(Status::Malformed(f, "expected authors in ascending order across parts"));
    }
    if (incoming_vector_.size() >= peer_authors_) {
      return Fail(Status::Malformed(
          f, "more entries than the hello announced (" + std::to_string(peer_authors_) + ")"));
    }
    incoming_vector_.Advance(author, seq);
  }
  if (!part.last) return Status::Ok();
  if (incoming_vector_.size() != peer_authors_ || VectorDigest(incoming_vector_) != peer_digest_) {
    return Fail(Status::Malformed(f, "does not match the digest and size the hello announced"));
  }
  for (const auto& [author, seq] : incoming_vector_.entries()) peer_has_.Advance(author, seq);
  incoming_vector_ = VersionVector();
  peer_known_ = true;
  return Status::Ok();
}

// A fork's proof pair that came from the peer need not go back to it.
Status SyncSession::NoteProofsReceived(const std::vector<SignedOp>& ops) {
  NANSE_ASSIGN_OR_RETURN(const auto heads, store_.Heads());
  std::map<PublicKey, uint64_t> forks;
  for (const Head& h : heads) {
    if (h.fork_seq) forks[h.author] = *h.fork_seq;
  }
  if (forks.empty()) return Status::Ok();
  for (const SignedOp& op : ops) {
    auto it = forks.find(op.header.author);
    if (it != forks.end() && it->second == op.header.seq) proofs_sent_.insert(op.id);
  }
  return Status::Ok();
}

Status SyncSession::OnOps(SyncOps ops) {
  auto report = store_.Ingest(ops.ops, clock_.NowMillis());
  if (!report.ok()) {
    // A failing disk is not the peer's fault; anything else it sent is.
    if (report.status().code() == Status::Code::kIo) return Fail(report.status());
    return Fail(Status::Invalid("sync.ops",
                                "refused an op from the peer (nothing of its batch "
                                "was stored): " +
                                    report.status().ToString()));
  }
  last_ingest_ = *report;
  ++counters_.batches_in;
  counters_.ops_in += ops.ops.size();
  counters_.ops_added += report->added;
  for (const SignedOp& op : ops.ops) peer_has_.Advance(op.header.author, op.header.seq);
  NANSE_RETURN_IF_ERROR(NoteProofsReceived(ops.ops));
  stored_new_ops_ = report->added > 0 || report->equivocations > 0;
  return Status::Ok();
}

}  // namespace nanse
