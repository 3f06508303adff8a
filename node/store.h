// Store: one node's SQLite database: the op log, the heads per author (the version vector),
// each op's validity and effect, and the persisted hybrid logical clock.
//
// Contract:
// - Every write is one transaction, committed with synchronous=FULL: when a call returns OK,
//   the change survives a crash or a power cut; when it fails, nothing of it was written.
// - Ops are stored as the exact bytes received and never re-encoded.
// - Ingest is idempotent: ops already stored are counted as duplicates and change nothing.
// - An author that signs two different ops with the same seq f has equivocated. The store then
//   keeps its ops below f (still valid), exactly two ops at f (the two lowest ids: the proof,
//   never valid), and nothing above f. What a store holds is therefore a function of the set of
//   ops it has seen, whatever order they came in, and two stores that saw the same ops agree.
// - Every op on a chain gets a verdict (crdt/membership.h): applied, pending (its author is
//   not admitted yet) or invalid (with the reason). Only applied ops reach the directory.
//   Verdicts are a function of the set of ops held: when a membership op arrives, the ops of
//   every node whose standing it changes are judged again, and the directory is rebuilt if an
//   applied op lost its effect. Ops of an author that is not admitted are kept (and
//   forwarded) up to kMaxPendingSeq; later ones are deferred until its admission arrives.
// - Authoring refuses an op its author may not make, naming the role it needs.
// - A Store is used from one thread at a time; several processes may open the same file.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "crdt/membership.h"
#include "crdt/operation.h"
#include "crdt/version_vector.h"
#include "node/directory.h"
#include "node/sqlite.h"

namespace nanse {

// Validity of a stored op, a function of the set of ops held.
enum class OpState {
  kValid = 0,  // on its author's chain, below any fork
  kProof = 1,  // one of the two ops at the seq where its author equivocated: never valid
};
const char* OpStateName(OpState state);

// How many ops of an author that is not admitted a store keeps (by seq): enough for a node
// that works offline for a long while before its admission reaches this store, few enough
// that keys made up by a holder of the network key cannot fill the disk.
inline constexpr uint64_t kMaxPendingSeq = 2000;

struct StoredOp {
  SignedOp op;
  OpState state = OpState::kValid;
  Verdict verdict;              // for a proof op: invalid
  int64_t received_millis = 0;  // local wall clock at arrival, for display only
};

struct Head {
  PublicKey author{};
  uint64_t seq = 0;  // the last seq held; for a forked author, the fork's seq
  Hash op_id{};      // the op at `seq` (for a forked author, the lower id of the two)
  std::optional<uint64_t> fork_seq;  // the lowest seq at which the author equivocated
};

struct IngestReport {
  size_t received = 0;
  size_t added = 0;          // new ops on their authors' chains
  size_t duplicates = 0;     // already held
  size_t equivocations = 0;  // forks newly proven
  size_t ignored = 0;        // ops of a forked author that are not kept (past the fork)
  size_t deferred = 0;       // ops of an author not admitted, past kMaxPendingSeq: not kept
  size_t rejudged = 0;       // stored ops whose verdict changed (a membership op arrived)
};

// What the ops held say of one node, for `nanse node list|show` and `nanse doctor`.
struct VerdictCounts {
  uint64_t applied = 0;
  uint64_t pending = 0;
  uint64_t invalid = 0;
};

// The range of an author's timestamps (for `nanse doctor`).
struct AuthorClock {
  PublicKey author{};
  Hlc oldest;
  Hash oldest_op{};
  Hlc newest;
  Hash newest_op{};
};

struct StoreStats {
  uint64_t ops = 0;
  uint64_t authors = 0;
  uint64_t forked_authors = 0;
  uint64_t bytes = 0;  // headers, signatures and bodies
};

class Store {
 public:
  // Opens or creates the database at `path` and its schema.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);

  // The network this store belongs to, once known.
  Result<std::optional<Hash>> NetworkId();

  // Starts a new network: signs its genesis op with `key` and records the network id (the
  // genesis op's id). Fails if the store already belongs to a network.
  Result<SignedOp> CreateGenesis(const SigningKey& key, const std::string& network_name,
                                 int64_t wall_millis);

  // Records the network id of a node that joins an existing network. Fails if the store
  // already belongs to another network.
  Status SetNetworkId(const Hash& network_id);

  // Authors a new op with `key`: seq and prev follow the author's head, the hlc ticks past
  // everything seen, and the op is signed and stored, all in one transaction. Refused when
  // the key's author has equivocated (its key was used on another device), and when its
  // author may not make it (the error names the role it needs). A node that joined but whose
  // admission this store has not seen yet may author what its expected role allows (see
  // ExpectAdmission); those ops are pending until the invite arrives.
  Result<SignedOp> AppendLocal(const SigningKey& key, const std::string& type, Bytes body,
                               int64_t wall_millis);

  // Authors several ops in one transaction: all of them are stored, or none (an import of
  // many batches is atomic).
  struct LocalOp {
    std::string type;
    Bytes body;
  };
  Result<std::vector<SignedOp>> AppendLocalBatch(const SigningKey& key, std::vector<LocalOp> batch,
                                                 int64_t wall_millis);

  // Ingests ops received from elsewhere, all or nothing: every op must verify (network,
  // signature, body hash, size, body fields) and extend or repeat its author's chain, in
  // any order within the batch; otherwise the call fails naming the op and stores nothing.
  Result<IngestReport> Ingest(std::span<const SignedOp> ops, int64_t wall_millis);

  // Moves the persisted clock past `hlc` (a joining node observes its invite's hlc).
  Status ObserveClock(Hlc hlc);

  // Records the role and member the invite code promised this store's own node (`nanse
  // join`), so it may author before the invite op itself reaches it. An empty role: a node
  // restored from a key backup, whose role only its chain can tell; once it authors with
  // --force before holding that chain, its ops are pending here.
  Status ExpectAdmission(const PublicKey& self, const std::string& role,
                         const std::optional<RecordId>& member);

  // The membership replayed from the ops held (cached until a membership op arrives).
  Result<MembershipView> Membership();
  // Counts of verdicts per author, and the ops not applied (newest first, at most `limit`).
  Result<std::map<PublicKey, VerdictCounts>> VerdictsByAuthor();
  Result<std::vector<StoredOp>> OpsNotApplied(Effect effect, size_t limit);

  Result<VersionVector> Vector();
  Result<std::vector<Head>> Heads();

  // Calls `fn` with every op the holder of `since` lacks, author by author, each author's ops
  // in seq order. For a forked author whose fork the holder may not know (it holds the fork's
  // seq or more), the two proof ops are sent too, so forks become known everywhere. Stops
  // early when `fn` returns false. The authors in `first` come before the others (sync sends
  // the chains that carry membership ops first, so admissions arrive before what they admit).
  Status ForEachOpSince(const VersionVector& since, const std::function<bool(StoredOp&&)>& fn,
                        const std::set<PublicKey>& first = {});
  // SQLite's data_version: changes when another connection (another process: the CLI while
  // `nanse serve` runs) commits to the database. Cheap; for polling.
  Result<int64_t> DataVersion();

  // The most recent ops by hlc (newest first), optionally of one author.
  Result<std::vector<StoredOp>> RecentOps(const std::optional<PublicKey>& author, size_t limit);
  Result<std::optional<StoredOp>> GetOp(const Hash& id);
  // The author's latest op of `type` on its chain, if any.
  Result<std::optional<StoredOp>> LatestOfType(const PublicKey& author, const std::string& type);

  // --- A node restored from a key backup (docs/architecture.md, "Restoring a node") ---
  // Its key may have signed ops after the backup was made, on the device it came from. Were
  // it to author before it holds them, its next op would reuse a seq: a fork of its own chain,
  // after which every node refuses its ops. So a restored store waits.
  struct RestoreWait {
    PublicKey author{};  // the restored node's key
    uint64_t seq = 0;    // its head seq when the backup was made
  };
  // Records the wait: AppendLocal refuses to author as `author` until an Ingest of a
  // non-empty batch leaves this store holding `author`'s chain up to `seq` or further.
  Status MarkRestored(const PublicKey& author, uint64_t seq);
  // The wait, if this store is still waiting.
  Result<std::optional<RestoreWait>> RestoreWaiting();
  // Lets AppendLocal author despite the wait (the CLI's --force); the first op authored then
  // ends the wait. Not persisted: it lasts as long as this Store object.
  void OverrideRestoreWait() { override_restore_wait_ = true; }

  // The persisted hybrid logical clock: never goes backwards, across restarts too.
  Result<Hlc> CurrentHlc();
  Result<StoreStats> Stats();
  Result<std::vector<AuthorClock>> AuthorClocks();

  // The materialized directory, kept up to date with every valid op stored.
  Directory& directory() { return directory_; }
  // Judges every op again and recomputes the materialized directory from the log, in one
  // transaction.
  Status Rebuild();

  // Checks SQLite's integrity and that the heads agree with the log (contiguous chains,
  // linked prev, head = last op). Returns the problems found; empty means healthy.
  Result<std::vector<std::string>> Check();

 private:
  explicit Store(std::unique_ptr<detail::SqliteDb> db) : db_(std::move(db)), directory_(*db_) {}
  Status CreateSchema();
  Status InsertOp(const SignedOp& op, OpState state, const Verdict& verdict, int64_t wall_millis);
  Status MigrateSchema(int64_t from_version);

  // --- Verdicts (store_membership.cc); all run inside the caller's transaction. ---
  Result<std::vector<OpFacts>> MembershipFacts();
  Result<uint64_t> MembershipVersion();
  Status BumpMembershipVersion();
  // The verdict on a new non-membership op, against `view` and the directory as it is.
  Result<Verdict> JudgeAgainst(const MembershipView& view, const OpFacts& facts);
  // The verdict on an op about to be authored; refuses what the author may not make.
  Status CheckAuthoring(const SignedOp& op, const MembershipView& view);
  Status WriteVerdict(const Hash& op, const Verdict& verdict);
  // After membership ops arrived: re-judges what `before` and the new membership judge
  // differently, and brings the directory in line.
  Status Rejudge(const MembershipView& before, bool rebuild, IngestReport& report);
  // Judges every stored op from scratch and rebuilds the directory.
  Status RejudgeAll(IngestReport* report);
  // Re-judges project.set ops that may have gained (or, with all=true, lost) the project
  // facts they need.
  Status RejudgeProjectEdits(const MembershipView& view, bool all, IngestReport* report);
  // Whether an op with `facts` adds a project whose id is already in the directory: its
  // creator (the earliest project.add) may then change, and with it the verdicts of
  // project.set ops applied because their author created the project.
  Result<bool> CreatesExistingProject(const OpFacts& facts);
  Result<Hlc> ReadHlc();
  Status WriteHlc(Hlc hlc);
  Result<std::optional<Head>> ReadHead(const PublicKey& author);
  Status WriteHead(const Head& head);
  // Records that `op`'s author equivocated at op's seq: keeps the proof pair, drops the rest.
  Status RecordFork(const SignedOp& op, Head& head, int64_t wall_millis, IngestReport& report);

  // The restore wait's hooks: in AppendLocalBatch (refuse, or end it when overridden) and at
  // the end of Ingest (end it once the chain has caught up). Both run inside the caller's
  // transaction.
  Status CheckRestoreWait(const PublicKey& author);
  Status EndRestoreWaitIfCaughtUp();

  std::unique_ptr<detail::SqliteDb> db_;
  Directory directory_;
  bool override_restore_wait_ = false;
  // Membership() caches its view with the version it was computed at.
  std::optional<std::pair<uint64_t, MembershipView>> membership_cache_;
};

}  // namespace nanse
