// Helpers for sync session tests: stores that share a network, histories of real signed ops,
// and a deterministic shuttle that runs two SyncSessions against each other in memory.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crdt/directory_ops.h"
#include "node/store.h"
#include "node/sync_session.h"
#include "tests/node/test_home.h"

namespace nanse::testing {

inline constexpr int64_t kSyncT0 = 1'700'000'000'000;

// The node id a session is told the transport authenticated (any key will do: the session
// only checks that the peer's Hello names it).
PublicKey SyncNodeId(uint8_t n);

// A store in `origin`'s network holding nothing yet, not even the genesis op.
std::unique_ptr<Store> EmptyReplica(const TempDir& dir, Store& origin, const std::string& file);

// Ingests every op of `from` into `to`, in one batch.
void CopyOps(Store& from, Store& to);

// The id of test organization number `n`.
RecordId OrgId(uint32_t n);

// An organization with a description of `pad` bytes (to make ops as large as a test needs).
NewRecord Organization(uint32_t n, size_t pad = 0);

// `key` authors `ops` member.add ops of `per_op` organizations each, numbered from `first`,
// in one transaction (one fsync, not one per op).
void AddOrganizations(Store& store, const SigningKey& key, uint32_t first, size_t ops,
                      size_t per_op, size_t pad = 0);

// A member.set of organization `n`'s locality, replacing the heads `store` holds.
SignedOp SetLocality(Store& store, const SigningKey& key, uint32_t n, const std::string& value,
                     int64_t wall_millis);

// One "node" op by each of `n` authors never admitted: stores keep them (pending), so this is
// a cheap way to give a store a vector of many authors.
std::vector<SignedOp> LoneAuthors(const Hash& network, size_t n);

// The ops of one Ops message (empty when `message` is another kind).
std::vector<SignedOp> OpsIn(ByteView message);

// One message the shuttle delivered.
struct Carried {
  bool from_a = true;
  Bytes bytes;
  std::string kind;  // SyncMessageName of the decoded message
};

// Carries messages between two sessions, deterministically: all that `a` yields, delivered
// to `b` one by one, then all that `b` yields to `a`, and again, until neither yields
// anything. With a limit it stops after that many deliveries in all: a cut connection, where
// what was taken from a session but not delivered is lost.
class Shuttle {
 public:
  Shuttle(SyncSession& a, SyncSession& b) : a_(a), b_(b) {}

  // The first failure of either side (a Next() or an OnMessage), else OK.
  Status Run(size_t limit = std::numeric_limits<size_t>::max());

  size_t delivered() const { return log_.size(); }
  bool cut() const { return cut_; }
  const std::vector<Carried>& log() const { return log_; }
  // Delivered messages of `kind` ("hello", "ops", "want_vector"...).
  size_t Count(std::string_view kind) const;
  size_t Largest() const;

 private:
  SyncSession& a_;
  SyncSession& b_;
  std::vector<Carried> log_;
  bool cut_ = false;
};

}  // namespace nanse::testing
