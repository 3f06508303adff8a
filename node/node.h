// Node: start here. One node's home (key, network, store) and the actions the CLI offers.
//
// A Node is opened from a home directory and owns its Store. Time and randomness come in as
// interfaces so tests can fix them. Every action that changes the log is one transaction.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "crdt/directory_ops.h"
#include "crdt/invite_code.h"
#include "crdt/op_bodies.h"
#include "node/bundle.h"
#include "node/clock.h"
#include "node/home.h"
#include "node/key_backup.h"
#include "node/store.h"

namespace nanse {

struct BundleExportReport {
  size_t ops = 0;
  size_t bytes = 0;
};

struct BundleImportReport {
  PublicKey from{};
  IngestReport ingest;
};

struct InviteResult {
  std::string code;    // the invite code to hand over (a secret)
  PublicKey ticket{};  // the ticket's public key, as named in the invite op
  SignedOp invite_op;
};

struct KeyExportReport {
  uint64_t head_seq = 0;  // this node's own head seq, as recorded in the backup
  size_t bytes = 0;
};

class Node {
 public:
  // Makes a new home and a new network: the node key, a random network key, the genesis op
  // and this node's `node` op. Refuses an existing home.
  static Result<std::unique_ptr<Node>> Init(const std::string& home,
                                            const std::string& network_name,
                                            const std::string& node_name, Clock& clock,
                                            Random& random);

  // Makes a new home in the network an invite code names and authors, in one transaction,
  // this node's claim of the code's ticket (seq 1, ordered after the invite: the code's
  // invite hlc is observed first) and its `node` op. Until the invite op itself arrives, the
  // claim and what the node authors are pending; the node may author what the role the code
  // promises allows. The code's peers become configured peers (`nanse peer list`).
  static Result<std::unique_ptr<Node>> Join(const std::string& home, const InviteCode& code,
                                            const std::string& node_name, Clock& clock,
                                            Random& random);

  // Makes a new home from a key backup file written by ExportKey: the node's key and its
  // network, and no ops. Refuses an existing home before it reads the backup. The node may
  // not author until it has learned its own latest op from a bundle or a peer (see
  // Store::MarkRestored and ForceAuthoring).
  static Result<std::unique_ptr<Node>> Restore(const std::string& home,
                                               const std::string& backup_path,
                                               std::string_view passphrase, Clock& clock,
                                               Random& random);

  // Opens an existing home.
  static Result<std::unique_ptr<Node>> Open(const std::string& home, Clock& clock, Random& random);

  const PublicKey& id() const { return key_.public_key(); }
  const NetworkInfo& network() const { return network_; }
  const HomeDir& home() const { return home_; }
  Store& store() { return *store_; }
  Clock& clock() { return clock_; }

  // --- Membership (docs/membership.md). Each call is one transaction. ---
  // Logs an invite op naming a fresh one-time ticket and returns the invite code: network id,
  // name and key, the ticket's secret, the role, the member (required for the member role;
  // the record must exist here), the invite op's hlc and `peers` to reach. Admins only.
  Result<InviteResult> Invite(const std::string& role, const std::optional<RecordId>& member,
                              const std::vector<std::string>& peers);
  // Cancels an unused invite: `ticket` is the ticket's id (base32) or a unique prefix.
  Result<SignedOp> CancelInvite(std::string_view ticket);
  // Revokes a node: its ops past the last one this node holds are invalid everywhere.
  Result<SignedOp> Revoke(const PublicKey& node);
  // Gives a node another role (and member record, if given).
  Result<SignedOp> SetRole(const PublicKey& node, const std::string& role,
                           const std::optional<RecordId>& member);
  // A node id from its base32 form or a unique prefix (at least 4 characters) among the
  // nodes this node knows of (admitted or authors of ops held).
  Result<PublicKey> ResolveNode(std::string_view text);
  // The membership as the ops held say.
  Result<MembershipView> Membership() { return store_->Membership(); }

  // Authors a `node` op: this node's display name and addresses.
  Result<SignedOp> DescribeSelf(const NodeBody& body);
  // What node `id` last said of itself: its latest `node` op (empty if it has none or its body
  // was erased).
  Result<NodeBody> Description(const PublicKey& id);

  // Writes a backup of this node's key and network to `path` (mode 0600; refuses an existing
  // file), encrypted under `passphrase`. The CLI always uses the default limits; tests pass
  // TestOnlyKdfLimits().
  Result<KeyExportReport> ExportKey(const std::string& path, std::string_view passphrase,
                                    KdfLimits limits = ModerateKdfLimits());

  // For a node restored from a key backup that has not yet learned its own latest op: what it
  // waits for. Empty for every other node.
  Result<std::optional<Store::RestoreWait>> RestoreWaiting() { return store_->RestoreWaiting(); }
  // Lets this node author despite that wait (the CLI's --force): its next op ends the wait,
  // and forks its chain if its key signed later ops elsewhere.
  void ForceAuthoring() { store_->OverrideRestoreWait(); }

  // Writes the ops that a holder of `since` lacks (all ops for an empty vector) to `path`.
  Result<BundleExportReport> ExportBundle(const std::string& path, const VersionVector& since);

  // --- The shared directory (docs/directory.md). Each call is one transaction. ---
  Directory& directory() { return store_->directory(); }
  RecordId NewRecordId();
  // Today's date by this node's clock (for derived dues status).
  Date Today();
  // Adds members or projects, many per op (at most 500, and within the op size limit); records
  // without an id get a new one. All ops are stored, or none.
  Result<std::vector<SignedOp>> AddRecords(Table table, std::vector<NewRecord> records);
  // Writes fields of an existing record; each write replaces the register's current heads.
  Result<SignedOp> WriteFields(Table table, const RecordId& record, std::vector<FieldWrite> writes);
  Result<SignedOp> SetParticipation(Participation p);
  // Adds a project and makes its lead (a member) join it as lead, in one transaction.
  Result<RecordId> AddProject(NewRecord project, const Date& start);
  Result<SignedOp> SetSchedule(ScheduleEntry s);
  // Records ledger entries after checking members and reversal targets.
  Result<std::vector<SignedOp>> RecordEntries(std::vector<LedgerEntry> entries);

  // Reads, authenticates and ingests a bundle: all of it or nothing.
  Result<BundleImportReport> ImportBundle(const std::string& path);

  // The sender's version vector in a bundle's bytes (for `bundle export --since FILE`).
  Result<VersionVector> BundleVector(ByteView bundle_bytes) const;

 private:
  Node(HomeDir home, SigningKey key, NetworkInfo network, std::unique_ptr<Store> store,
       Clock& clock, Random& random)
      : home_(std::move(home)),
        key_(std::move(key)),
        network_(std::move(network)),
        store_(std::move(store)),
        clock_(clock),
        random_(random) {}

  HomeDir home_;
  SigningKey key_;
  NetworkInfo network_;
  std::unique_ptr<Store> store_;
  Clock& clock_;
  Random& random_;
};

}  // namespace nanse
