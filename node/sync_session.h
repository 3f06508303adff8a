// SyncSession: one side of a sync with one peer, as a pure message pump (ARCHITECTURE section
// 7, docs/sync.md). It owns no socket and no timer: the caller hands it the peer's messages
// and sends what it yields, so two sessions can run against each other in memory, and the
// Asio code (node/sync_link.h) only moves bytes.
//
//   SyncSession session(store, self, peer_id, clock);
//   loop: while (auto m = session.Next(); m.ok() && *m) send(**m);
//         Status s = session.OnMessage(receive());   // not ok: send Bye(s), close
//
// The exchange: each side sends Hello (its version vector, or only the vector's digest when it
// has more than Options::inline_vector_authors entries; a peer whose own digest differs then
// asks for the vector). Once it knows what the peer holds, each side streams the ops the peer
// lacks, in Ops messages that fit a transport message: the chains of nodes that ever were
// admins first (they carry the membership ops, so admissions and revocations arrive before the
// ops they decide), each author's ops in seq order. Then CaughtUp. Both directions at once; one
// round trip after the handshake.
//
// Contract:
// - Each Ops message received is one Store::Ingest: one transaction, all or nothing. An op the
//   store refuses (bad signature, broken chain, wrong network) fails OnMessage and stores
//   nothing of that message; the caller must then close the connection.
// - After the catch-up the session stays live: ops that reach the store later (authored
//   locally, or received from another peer) are what the next Next() calls yield, so changes
//   hop on. The session remembers what it sent and what it received, so it never yields an op
//   the peer has shown it holds (a fork's proof pair goes at most once per session, and not
//   back to the peer it came from).
// - Resumable: nothing is kept between sessions but the stores; a new session starts from the
//   vectors as they are, so whatever an earlier, cut session committed is not sent again.
// - Uses the store from the calling thread only; not thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>

#include "crdt/bytes.h"
#include "crdt/status.h"
#include "crdt/version_vector.h"
#include "node/clock.h"
#include "node/store.h"
#include "node/sync_messages.h"

namespace nanse {

struct SyncCounters {
  uint64_t messages_in = 0;
  uint64_t messages_out = 0;
  uint64_t bytes_in = 0;  // application bytes: the sync messages, before Noise and framing
  uint64_t bytes_out = 0;
  uint64_t ops_in = 0;     // ops received
  uint64_t ops_added = 0;  // of which new to this store
  uint64_t ops_out = 0;    // ops sent
  uint64_t batches_in = 0;
};

class SyncSession {
 public:
  struct Options {
    // A vector with more entries than this (or than kMaxVectorEntriesPerMessage) goes as its
    // digest first.
    size_t inline_vector_authors = 32;
  };

  // `peer` is the node id the transport authenticated; the peer's Hello must name it.
  SyncSession(Store& store, const PublicKey& self, const PublicKey& peer, Clock& clock,
              Options options);
  SyncSession(Store& store, const PublicKey& self, const PublicKey& peer, Clock& clock)
      : SyncSession(store, self, peer, clock, Options()) {}

  // The next message to send now, or nullopt when there is nothing (until the next message
  // from the peer or the next change of the store). The first one is the Hello. Fails only
  // when the store does; after a failure or a Bye the session yields nothing more.
  Result<std::optional<Bytes>> Next();

  // A message from the peer. Fails when the peer broke the protocol (naming what), when it
  // sent an op the store refuses, or when it said Bye (Io, with its reason); the caller then
  // closes the connection, after sending EncodeSyncBye(error) unless the peer said Bye.
  Status OnMessage(ByteView message);

  // This side has sent all the peer lacked (as of its Hello, plus what it sent since).
  bool sent_caught_up() const { return caught_up_sent_; }
  // The peer said it has sent all this side lacked.
  bool peer_caught_up() const { return peer_caught_up_; }
  // Both: the two stores held the same ops when the exchange settled.
  bool caught_up() const { return caught_up_sent_ && peer_caught_up_; }
  // The last IngestReport of ops received, for logs.
  const IngestReport& last_ingest() const { return last_ingest_; }
  // True when the last OnMessage stored new ops (other sessions should look for them).
  bool stored_new_ops() const { return stored_new_ops_; }

  const PublicKey& peer() const { return peer_; }
  // What the peer holds, as far as this session knows (its Hello, what it sent and was sent).
  const VersionVector& peer_vector() const { return peer_has_; }
  bool peer_vector_known() const { return peer_known_; }
  const SyncCounters& counters() const { return counters_; }
  // The peer's wall clock minus this node's, as its Hello said (a round trip of error).
  std::optional<int64_t> peer_clock_offset() const { return peer_clock_offset_; }

 private:
  Result<std::optional<Bytes>> NextOps();
  Status OnHello(SyncHello hello);
  Status OnVectorPart(SyncVectorPart part);
  Status OnOps(SyncOps ops);
  Status NoteProofsReceived(const std::vector<SignedOp>& ops);
  std::optional<Bytes> Count(Bytes message);
  Status Fail(Status status);

  Store& store_;
  PublicKey self_;
  PublicKey peer_;
  Clock& clock_;
  Options options_;

  bool failed_ = false;
  bool hello_sent_ = false;
  VersionVector hello_vector_;  // what this side held when it said Hello
  bool hello_received_ = false;
  bool want_vector_due_ = false;  // to send: the peer's digest differs, its vector is needed
  bool want_vector_sent_ = false;
  bool vector_asked_ = false;      // the peer asked for this side's vector
  size_t vector_parts_sent_ = 0;   // parts of hello_vector_ sent so far
  VersionVector incoming_vector_;  // parts received so far
  uint64_t peer_authors_ = 0;
  Hash peer_digest_{};
  bool peer_known_ = false;
  VersionVector peer_has_;
  std::set<Hash> proofs_sent_;  // proof ops sent to the peer or received from it
  bool caught_up_sent_ = false;
  bool peer_caught_up_ = false;
  bool stored_new_ops_ = false;
  IngestReport last_ingest_;
  SyncCounters counters_;
  std::optional<int64_t> peer_clock_offset_;
};

}  // namespace nanse
