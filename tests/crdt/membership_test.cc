// Tests of crdt/membership: invites, claims, roles and revocation as a function of the op set.
#include "crdt/membership.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <random>

#include "crdt/op_bodies.h"
#include "crdt/operation.h"

namespace nanse {
namespace {

SigningKey Key(uint8_t n) {
  Seed s{};
  s.fill(n);
  return SigningKey::FromSeed(s);
}

// Signs ops on per-author chains with explicit hlc millis.
class History {
 public:
  History() {
    OpDraft d;
    d.seq = 1;
    d.hlc = Hlc::FromParts(1000, 0);
    d.type = "genesis";
    d.body = EncodeGenesisBody({"Net"});
    genesis_ = *SignOp(Key(1), Hash{}, d);
    chains_[Key(1).public_key()] = {1, genesis_.id};
    ops_.push_back(Facts(genesis_, {}));
  }
  const Hash& network() const { return genesis_.id; }

  OpFacts Add(const SigningKey& key, uint64_t millis, const std::string& type, Bytes body,
              std::vector<RecordId> records = {}) {
    auto& chain = chains_[key.public_key()];
    OpDraft d;
    d.seq = ++chain.first;
    if (d.seq > 1) d.prev = chain.second;
    d.hlc = Hlc::FromParts(millis, 0);
    d.type = type;
    d.body = std::move(body);
    SignedOp op = *SignOp(key, genesis_.id, d);
    chain.second = op.id;
    ops_.push_back(Facts(op, std::move(records)));
    return ops_.back();
  }

  OpFacts Invite(const SigningKey& admin, uint64_t millis, const SigningKey& ticket,
                 const std::string& role, std::optional<RecordId> member = {}) {
    return Add(admin, millis, "invite", EncodeInvite({ticket.public_key(), role, member}));
  }
  OpFacts Claim(const SigningKey& node, uint64_t millis, const SigningKey& ticket) {
    Signature proof = ticket.Sign(ClaimMessage(genesis_.id, node.public_key()));
    return Add(node, millis, "claim", EncodeClaim({ticket.public_key(), proof}));
  }
  OpFacts Node(const SigningKey& node, uint64_t millis) {
    return Add(node, millis, "node", EncodeNodeBody({"n", {}}));
  }

  const std::vector<OpFacts>& ops() const { return ops_; }
  MembershipView View() const { return ComputeMembership(ops_, genesis_.id); }

 private:
  static OpFacts Facts(const SignedOp& op, std::vector<RecordId> records) {
    OpFacts f;
    f.id = op.id;
    f.author = op.header.author;
    f.seq = op.header.seq;
    f.hlc = op.header.hlc;
    f.type = op.header.type;
    f.body = op.body;
    f.members_written = std::move(records);
    return f;
  }
  SignedOp genesis_;
  std::map<PublicKey, std::pair<uint64_t, Hash>> chains_;
  std::vector<OpFacts> ops_;
};

const SigningKey kAdmin = Key(1), kA = Key(2), kB = Key(3), kT1 = Key(50), kT2 = Key(51);

TEST(Membership, TheGenesisAuthorIsTheFirstAdmin) {
  History h;
  auto v = h.View();
  ASSERT_EQ(v.nodes.size(), 1u);
  EXPECT_EQ(v.nodes.at(kAdmin.public_key()).role, "admin");
}

TEST(Membership, AClaimedTicketAdmitsTheNodeWithTheInvitedRole) {
  History h;
  h.Invite(kAdmin, 2000, kT1, "treasurer");
  auto claim = h.Claim(kA, 3000, kT1);
  auto node_op = h.Node(kA, 3001);
  auto v = h.View();
  ASSERT_TRUE(v.nodes.count(kA.public_key()));
  EXPECT_EQ(v.nodes.at(kA.public_key()).role, "treasurer");
  EXPECT_EQ(v.nodes.at(kA.public_key()).admitted_by, kAdmin.public_key());
  EXPECT_TRUE(v.IsValid(claim.id));
  EXPECT_TRUE(v.IsValid(node_op.id));
}

TEST(Membership, OfTwoClaimsOfOneTicketTheLowerWins) {
  History h;
  h.Invite(kAdmin, 2000, kT1, "member");
  auto late = h.Claim(kA, 3005, kT1);
  auto early = h.Claim(kB, 3001, kT1);
  auto v = h.View();
  EXPECT_TRUE(v.IsValid(early.id));
  EXPECT_FALSE(v.IsValid(late.id));
  EXPECT_TRUE(v.nodes.count(kB.public_key()));
  EXPECT_FALSE(v.nodes.count(kA.public_key()));
}

TEST(Membership, AForgedClaimIsInvalid) {
  History h;
  h.Invite(kAdmin, 2000, kT1, "member");
  Signature forged = kT2.Sign(ClaimMessage(h.network(), kA.public_key()));
  auto claim = h.Add(kA, 3000, "claim", EncodeClaim({kT1.public_key(), forged}));
  auto v = h.View();
  EXPECT_FALSE(v.IsValid(claim.id));
  EXPECT_FALSE(v.nodes.count(kA.public_key()));
}

TEST(Membership, OpsOfAnUnadmittedAuthorArePendingUntilItsAdmissionArrives) {
  History h;
  auto claim = h.Claim(kA, 3000, kT1);  // its invite is not here yet
  auto node_op = h.Node(kA, 3001);
  auto before = h.View();
  EXPECT_TRUE(before.pending.count(claim.id));
  EXPECT_TRUE(before.pending.count(node_op.id));
  h.Invite(kAdmin, 2000, kT1, "member");
  auto after = h.View();
  EXPECT_TRUE(after.IsValid(claim.id));
  EXPECT_TRUE(after.IsValid(node_op.id));
}

TEST(Membership, ACancelledInviteAdmitsNobody) {
  History h;
  h.Invite(kAdmin, 2000, kT1, "member");
  h.Add(kAdmin, 2500, "invite.cancel", EncodeInviteCancel(kT1.public_key()));
  auto claim = h.Claim(kA, 3000, kT1);
  EXPECT_FALSE(h.View().IsValid(claim.id));
}

TEST(Membership, OnlyAdminsInviteAndOnlyTreasurersAndAdminsRecordDues) {
  History h;
  h.Invite(kAdmin, 2000, kT1, "member");
  h.Claim(kA, 3000, kT1);
  auto invite_by_member = h.Invite(kA, 3100, kT2, "admin");
  auto dues_by_member = h.Add(kA, 3200, "dues.record", Bytes{0x80});
  auto dues_by_admin = h.Add(kAdmin, 3300, "dues.record", Bytes{0x80});
  auto v = h.View();
  EXPECT_FALSE(v.IsValid(invite_by_member.id));
  EXPECT_NE(v.invalid.at(invite_by_member.id).find("admin"), std::string::npos);
  EXPECT_FALSE(v.IsValid(dues_by_member.id));
  EXPECT_TRUE(v.IsValid(dues_by_admin.id));
}

TEST(Membership, AMemberNodeEditsOnlyItsOwnRecord) {
  History h;
  RecordId own{}, other{};
  own.fill(7);
  other.fill(8);
  h.Invite(kAdmin, 2000, kT1, "member", own);
  h.Claim(kA, 3000, kT1);
  auto mine = h.Add(kA, 3100, "member.set", Bytes{0x80}, {own});
  auto theirs = h.Add(kA, 3200, "member.set", Bytes{0x80}, {other});
  auto v = h.View();
  EXPECT_TRUE(v.IsValid(mine.id));
  EXPECT_FALSE(v.IsValid(theirs.id));
}

TEST(Membership, RevocationInvalidatesLaterOpsEvenOrderedBeforeIt) {
  History h;
  h.Invite(kAdmin, 2000, kT1, "admin");
  h.Claim(kA, 3000, kT1);           // seq 1
  auto kept = h.Node(kA, 3001);     // seq 2
  auto dropped = h.Node(kA, 3002);  // seq 3: hlc before the revoke, seq after last_seq
  h.Add(kAdmin, 5000, "revoke", EncodeRevoke({kA.public_key(), 2}));
  auto after = h.Node(kA, 6000);
  auto v = h.View();
  EXPECT_TRUE(v.IsValid(kept.id));
  EXPECT_FALSE(v.IsValid(dropped.id));
  EXPECT_FALSE(v.IsValid(after.id));
  EXPECT_EQ(v.nodes.at(kA.public_key()).revoked_after_seq, 2u);
}

TEST(Membership, ARoleChangeTakesEffectAtItsPlaceInTheOrder) {
  History h;
  h.Invite(kAdmin, 2000, kT1, "member");
  h.Claim(kA, 3000, kT1);
  auto before = h.Add(kA, 3100, "dues.record", Bytes{0x80});
  h.Add(kAdmin, 4000, "role", EncodeRole({kA.public_key(), "treasurer", std::nullopt}));
  auto after = h.Add(kA, 4100, "dues.record", Bytes{0x80});
  auto v = h.View();
  EXPECT_FALSE(v.IsValid(before.id));
  EXPECT_TRUE(v.IsValid(after.id));
}

TEST(Membership, BodiesRefuseBadFields) {
  EXPECT_FALSE(DecodeInvite(EncodeRole({kA.public_key(), "member", std::nullopt})).ok());
  EXPECT_FALSE(ValidateMembershipBody("invite", EncodeInvite({kT1.public_key(), "king", {}})).ok());
  EXPECT_TRUE(
      ValidateMembershipBody("invite", EncodeInvite({kT1.public_key(), "observer", {}})).ok());
  EXPECT_FALSE(ValidateMembershipBody("claim", Bytes{0x80}).ok());
}

RC_GTEST_PROP(Membership, TheViewIsAFunctionOfTheOpSetNotOfItsOrder, ()) {
  History h;
  std::mt19937 rng(*rc::gen::arbitrary<uint32_t>());
  std::vector<SigningKey> nodes = {Key(2), Key(3), Key(4), Key(5)};
  std::vector<SigningKey> tickets = {Key(60), Key(61), Key(62), Key(63)};
  const int steps = *rc::gen::inRange(5, 25);
  for (int i = 0; i < steps; ++i) {
    const uint64_t t = 2000 + rng() % 3000;
    const SigningKey& author = rng() % 3 ? kAdmin : nodes[rng() % nodes.size()];
    switch (rng() % 6) {
      case 0:
        h.Invite(author, t, tickets[rng() % tickets.size()],
                 std::string(kRoles[rng() % std::size(kRoles)]));
        break;
      case 1:
        h.Claim(nodes[rng() % nodes.size()], t, tickets[rng() % tickets.size()]);
        break;
      case 2:
        h.Add(author, t, "revoke",
              EncodeRevoke({nodes[rng() % nodes.size()].public_key(), rng() % 4}));
        break;
      case 3:
        h.Add(author, t, "role",
              EncodeRole({nodes[rng() % nodes.size()].public_key(),
                          std::string(kRoles[rng() % std::size(kRoles)]), std::nullopt}));
        break;
      case 4:
        h.Add(author, t, "invite.cancel",
              EncodeInviteCancel(tickets[rng() % tickets.size()].public_key()));
        break;
      default:
        h.Add(nodes[rng() % nodes.size()], t, "dues.record", Bytes{0x80});
    }
  }
  const MembershipView reference = h.View();
  std::vector<OpFacts> shuffled = h.ops();
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  const MembershipView other = ComputeMembership(shuffled, h.network());
  RC_ASSERT(other.invalid == reference.invalid);
  RC_ASSERT(other.pending == reference.pending);
  RC_ASSERT(other.nodes.size() == reference.nodes.size());
  for (const auto& [id, node] : reference.nodes) {
    RC_ASSERT(other.nodes.at(id).role == node.role);
    RC_ASSERT(other.nodes.at(id).revoked_after_seq == node.revoked_after_seq);
  }
}

}  // namespace
}  // namespace nanse
