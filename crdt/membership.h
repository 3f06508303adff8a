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
#include "crdt/operation.h"
#include "crdt/record_id.h"
#include "crdt/status.h"

namespace nanse {

inline constexpr std::string_view kRoles[] = {"admin", "treasurer", "member", "observer"};
bool IsRole(std::string_view role);
bool IsMembershipOpType(std::string_view type);

// What an op does once membership is known.
enum class Effect : uint8_t {
  kApplied = 0,  // valid: its author held the role it needs at its place in the order
  kPending = 1,  // its author is not admitted (yet): kept, forwarded, applied on admission
  kInvalid = 2,  // never has an effect (the reason says why)
};
const char* EffectName(Effect effect);

struct Verdict {
  Effect effect = Effect::kApplied;
  std::string why;  // empty when applied

  bool operator==(const Verdict&) const = default;
};

// What membership needs to know of an op.
struct OpFacts {
  Hash id{};
  PublicKey author{};
  uint64_t seq = 0;
  Hlc hlc;
  std::string type;
  std::optional<Bytes> body;  // membership ops are replayed from it
  // Directory ops: what they touch (FactsOf fills these from the body).
  std::vector<RecordId> members_written;                    // member.set
  std::vector<RecordId> projects_written;                   // project.set
  std::vector<std::pair<RecordId, RecordId>> participants;  // project.join/leave: (project, member)
  std::vector<RecordId> projects_created;                   // project.add

  auto OrderKey() const { return std::tie(hlc, author, seq); }
};

// The facts of a verified op. Fails only if a directory op's body does not decode (a stored
// op was validated on arrival, so that means a damaged store).
Result<OpFacts> FactsOf(const SignedOp& op);

// Which projects an organization takes part in, as far as applied ops say: a member node may
// edit a project that its own node created or that its organization ever joined.
class ProjectFacts {
 public:
  virtual ~ProjectFacts() = default;
  // Whether an applied project.join or project.leave named `member` on `project`.
  virtual Result<bool> TookPart(const RecordId& project, const RecordId& member) const = 0;
  // Whether `author` created `project`: the earliest applied project.add of that id is its.
  virtual Result<bool> Created(const RecordId& project, const PublicKey& author) const = 0;
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
  std::map<Hash, std::string> pending;  // ops of authors not (yet) admitted, claims awaiting
                                        // their invite -> why

  bool IsValid(const Hash& op) const { return !invalid.count(op) && !pending.count(op); }
  // The verdict on a membership op (or the genesis) replayed into this view.
  Verdict MembershipVerdict(const Hash& op) const;
  // The role `author` holds at `hlc`/`seq` in the total order ("" when not admitted).
  std::string RoleAt(const PublicKey& author, Hlc hlc, uint64_t seq) const;
  // The member record `author` is linked to at that place in the order.
  std::optional<RecordId> MemberAt(const PublicKey& author, Hlc hlc, uint64_t seq) const;

  // Roles over the total order: author -> the role changes that concern it, in order.
  struct RoleChange {
    Hlc hlc;
    PublicKey author{};
    uint64_t seq = 0;
    std::string role;
    std::optional<RecordId> member;

    bool operator==(const RoleChange&) const = default;
  };
  std::map<PublicKey, std::vector<RoleChange>> timeline;

  // What decides the verdicts on `node`'s ops: its role changes and its revocation. Two views
  // that agree on this for a node judge its ops alike (the store re-judges only the ops of
  // nodes whose standing changed).
  bool SameStanding(const MembershipView& other, const PublicKey& node) const;
};

// Replays the membership ops (and the genesis) among `ops` (any order, other ops ignored) in
// the total order; `network_id` checks claim proofs.
MembershipView ReplayMembership(const std::vector<OpFacts>& ops, const Hash& network_id);

// The verdict on an op that is neither a membership op nor the genesis: whether its author
// held the role it needs at the op's place in the order, was not revoked by seq, and (for a
// non-admin) touches only its own organization's record and projects.
Result<Verdict> Judge(const MembershipView& view, const OpFacts& op, const ProjectFacts& projects);

// Everything at once, as a pure function of the op set: the view, with the verdict on every
// op in `invalid` / `pending` (absent from both means applied). Ops judged against project
// facts (project.set) see the applied project.add/join/leave ops among `ops`.
MembershipView ComputeMembership(const std::vector<OpFacts>& ops, const Hash& network_id);

}  // namespace nanse
