// Membership: who may author what (ARCHITECTURE section 2), as a pure function of the set of ops.
//
// Op types: invite {ticket, role, member?} and invite.cancel {ticket} and role {node, role,
// member?} and revoke {node, last_seq} by admins; claim {ticket, proof} by a new node, where
// proof is the ticket key's signature over "nanse-claim-v1" || network id || the claimant's node
// id. The genesis author is the first admin.
//
// Membership ops are replayed in one total order, (hlc, author, seq); each is valid if its author
// holds the needed role in the state the ops before it built. A ticket admits the first valid
// claim in that order (the lower (hlc, node id) wins). Revocation: ops of the node with seq >
// last_seq are invalid everywhere, also those ordered before the revoke (a second pass applies
// the revocations found by the first from the start). Other ops are checked against the
// author's role at their own position in the order.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "crdt/bytes.h"
#include "crdt/crypto.h"
#include "crdt/hlc.h"
#include "crdt/record_id.h"
#include "crdt/status.h"

namespace nanse {

inline constexpr std::string_view kRoles[] = {"admin", "treasurer", "member", "observer"};
bool IsRole(std::string_view role);
bool IsMembershipOpType(std::string_view type);

// What membership needs to know of an op.
struct OpFacts {
  Hash id{};
  PublicKey author{};
  uint64_t seq = 0;
  Hlc hlc;
  std::string type;
  std::optional<Bytes> body;
  // For member.set: the records it writes (an org's node may edit only its own record).
  std::vector<RecordId> records_written;

  auto OrderKey() const { return std::tie(hlc, author, seq); }
};

struct InviteBody {
  PublicKey ticket{};
  std::string role;
  std::optional<RecordId> member;
};
struct ClaimBody {
  PublicKey ticket{};
  Signature proof{};
};
struct RoleBody {
  PublicKey node{};
  std::string role;
  std::optional<RecordId> member;
};
struct RevokeBody {
  PublicKey node{};
  uint64_t last_seq = 0;
};

Bytes EncodeInvite(const InviteBody& b);
Bytes EncodeInviteCancel(const PublicKey& ticket);
Bytes EncodeClaim(const ClaimBody& b);
Bytes EncodeRole(const RoleBody& b);
Bytes EncodeRevoke(const RevokeBody& b);
Result<InviteBody> DecodeInvite(ByteView body);
Result<PublicKey> DecodeInviteCancel(ByteView body);
Result<ClaimBody> DecodeClaim(ByteView body);
Result<RoleBody> DecodeRole(ByteView body);
Result<RevokeBody> DecodeRevoke(ByteView body);
// Validates a membership op's body (for ValidateOpBody).
Status ValidateMembershipBody(std::string_view type, ByteView body);

// The message a ticket key signs to let `claimant` in.
Bytes ClaimMessage(const Hash& network_id, const PublicKey& claimant);

struct NodeRecord {
  PublicKey id{};
  std::string role;
  std::optional<RecordId> member;
  std::optional<PublicKey> admitted_by;  // absent for the genesis author
  Hlc admitted_at;
  std::optional<uint64_t> revoked_after_seq;
  uint64_t last_seq = 0;  // the highest seq of this node among the ops given
};

struct TicketState {
  PublicKey ticket{};
  PublicKey inviter{};
  Hash invite_op{};
  std::string role;
  std::optional<RecordId> member;
  bool cancelled = false;
  std::optional<PublicKey> claimed_by;
};

struct MembershipView {
  std::map<PublicKey, NodeRecord> nodes;
  std::map<PublicKey, TicketState> tickets;
  std::map<Hash, std::string> invalid;  // op id -> why it has no effect
  std::set<Hash> pending;               // ops of authors not (yet) admitted

  bool IsValid(const Hash& op) const { return !invalid.count(op) && !pending.count(op); }
  // The role `author` holds at `hlc`/`seq` in the total order ("" when not admitted).
  std::string RoleAt(const PublicKey& author, Hlc hlc, uint64_t seq) const;

  // (author -> [(order position, role, member)]): roles over the total order.
  struct RoleChange {
    Hlc hlc;
    PublicKey author{};
    uint64_t seq = 0;
    std::string role;
    std::optional<RecordId> member;
  };
  std::map<PublicKey, std::vector<RoleChange>> timeline;
};

// Computes membership and the validity of every op. `ops` is every op held (any order);
// `network_id` checks claim proofs.
MembershipView ComputeMembership(const std::vector<OpFacts>& ops, const Hash& network_id);

// Whether an op that is not a membership op is allowed for its author at its position; the
// reason when not. Uses only `view` (the timeline and revocations).
std::optional<std::string> CheckPermission(const MembershipView& view, const OpFacts& op);

}  // namespace nanse
