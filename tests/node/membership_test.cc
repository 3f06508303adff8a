// Membership through bundles between separate homes (no network): invites, joins, claims
// travelling by bundle, what each role may author, revocation, two claims of one ticket, and
// hostile ops that are recorded as invalid without changing anything else.
#include <gtest/gtest.h>

#include "crdt/membership.h"
#include "crdt/msgpack_io.h"
#include "crdt/op_bodies.h"
#include "crdt/text_codec.h"
#include "node/node.h"
#include "tests/node/test_home.h"

namespace nanse {
namespace {

using testing::TempDir;

constexpr int64_t kT0 = 1'700'000'000'000;

Bytes Str(const std::string& s) {
  detail::MsgpackWriter w;
  w.Str(s);
  return w.Take();
}

FieldWrite Locality(const RecordId& member, const std::string& locality) {
  return {Table::kMember, member, "locality", "", Str(locality), {}};
}

LedgerEntry Payment(const RecordId& id, const RecordId& member) {
  LedgerEntry e;
  e.id = id;
  e.member = member;
  e.year = 2025;
  e.type = "payment";
  e.amount_minor = 10000;
  e.credited_minor = 10000;
  e.on = Date{2025, 2, 1};
  return e;
}

bool Mentions(const Status& s, const std::string& text) {
  return s.ToString().find(text) != std::string::npos;
}

class MembershipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = Node::Init(dir_.File("a"), "Membership net", "a", clock_, random_);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    a_ = std::move(*a);
    auto added = a_->AddRecords(
        Table::kMember, {testing::TestOrganization("One"), testing::TestOrganization("Two")});
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    auto list = a_->directory().ListRecords(Table::kMember);
    ASSERT_TRUE(list.ok());
    ASSERT_EQ(list->size(), 2u);
    for (const RecordView& r : *list) (r.Text("name") == "One" ? one_ : two_) = r.id;
  }

  // `from` writes what `to` lacks to a bundle, and `to` imports it.
  void Send(Node& from, Node& to) {
    const std::string file = dir_.File("bundle" + std::to_string(bundles_++));
    ASSERT_TRUE(from.ExportBundle(file, *to.store().Vector()).ok());
    auto imported = to.ImportBundle(file);
    ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  }

  std::unique_ptr<Node> Join(const std::string& home, const std::string& code) {
    auto decoded = DecodeInviteCode(code);
    EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
    auto node = Node::Join(dir_.File(home), *decoded, home, clock_, random_);
    EXPECT_TRUE(node.ok()) << node.status().ToString();
    return node.ok() ? std::move(*node) : nullptr;
  }

  // Invites a node with `role` for `member`, makes it join, and exchanges bundles both ways.
  std::unique_ptr<Node> Admit(const std::string& home, const std::string& role,
                              std::optional<RecordId> member) {
    auto invite = a_->Invite(role, member, {});
    EXPECT_TRUE(invite.ok()) << invite.status().ToString();
    if (!invite.ok()) return nullptr;
    auto node = Join(home, invite->code);
    if (!node) return nullptr;
    Send(*node, *a_);
    Send(*a_, *node);
    return node;
  }

  std::string RoleOf(Node& at, const PublicKey& node) {
    auto view = at.Membership();
    EXPECT_TRUE(view.ok());
    auto it = view->nodes.find(node);
    return it == view->nodes.end() ? "" : it->second.role;
  }

  Verdict VerdictOf(Node& at, const Hash& op) {
    auto stored = at.store().GetOp(op);
    EXPECT_TRUE(stored.ok() && *stored);
    return (*stored)->verdict;
  }

  std::string Dump(Node& node) { return *node.directory().Dump(); }

  TempDir dir_;
  ManualClock clock_{kT0};
  SeededRandom random_{11};
  std::unique_ptr<Node> a_;
  RecordId one_{}, two_{};
  int bundles_ = 0;
};

TEST_F(MembershipTest, AJoinedNodeIsAdmittedOnceItsClaimAndTheInviteMeet) {
  auto invite = a_->Invite("member", one_, {});
  ASSERT_TRUE(invite.ok()) << invite.status().ToString();
  auto b = Join("b", invite->code);
  ASSERT_TRUE(b);
  // b holds its claim but not the invite yet: its own ops wait.
  EXPECT_EQ(RoleOf(*b, b->id()), "");
  auto pending = b->WriteFields(Table::kMember, one_, {Locality(one_, "Kingston")});
  EXPECT_FALSE(pending.ok()) << "b does not even hold member One yet";
  Send(*b, *a_);  // the claim travels to a
  EXPECT_EQ(RoleOf(*a_, b->id()), "member");
  Send(*a_, *b);
  EXPECT_EQ(RoleOf(*b, b->id()), "member");
  auto view_a = a_->Membership();
  auto view_b = b->Membership();
  EXPECT_EQ(view_a->nodes.at(b->id()).member, std::optional<RecordId>(one_));
  EXPECT_EQ(view_b->nodes.at(b->id()).admitted_by, std::optional<PublicKey>(a_->id()));
  EXPECT_TRUE(view_a->tickets.at(invite->ticket).claimed_by == b->id());
  EXPECT_EQ(Dump(*a_), Dump(*b));
}

TEST_F(MembershipTest, AMemberNodeEditsItsOwnOrganizationAndNoOther) {
  auto b = Admit("b", "member", one_);
  ASSERT_TRUE(b);
  auto own = b->WriteFields(Table::kMember, one_, {Locality(one_, "Kingston")});
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(VerdictOf(*b, own->id).effect, Effect::kApplied);
  auto other = b->WriteFields(Table::kMember, two_, {Locality(two_, "Ocho Rios")});
  ASSERT_FALSE(other.ok());
  EXPECT_TRUE(Mentions(other.status(), "member node acts only for its own organization"))
      << other.status().ToString();
  auto add = b->AddRecords(Table::kMember, {testing::TestOrganization("Three")});
  ASSERT_FALSE(add.ok());
  EXPECT_TRUE(Mentions(add.status(), "member.add needs the admin role; the author is member"))
      << add.status().ToString();
  auto dues = b->RecordEntries({Payment(b->NewRecordId(), one_)});
  ASSERT_FALSE(dues.ok());
  EXPECT_TRUE(Mentions(dues.status(), "needs the admin or treasurer role"))
      << dues.status().ToString();
  auto invite = b->Invite("admin", std::nullopt, {});
  ASSERT_FALSE(invite.ok());
  EXPECT_TRUE(Mentions(invite.status(), "invite needs the admin role"))
      << invite.status().ToString();

  Send(*b, *a_);
  auto shown = a_->directory().GetRecord(Table::kMember, one_);
  EXPECT_EQ((*shown)->Text("locality"), "Kingston");
  EXPECT_EQ(Dump(*a_), Dump(*b));
}

TEST_F(MembershipTest, ATreasurerRecordsDues) {
  auto c = Admit("c", "treasurer", std::nullopt);
  ASSERT_TRUE(c);
  auto paid = c->RecordEntries({Payment(c->NewRecordId(), two_)});
  ASSERT_TRUE(paid.ok()) << paid.status().ToString();
  Send(*c, *a_);
  EXPECT_EQ(a_->directory().Entries()->size(), 1u);
  EXPECT_EQ(Dump(*a_), Dump(*c));
  // But it may not edit members it is not linked to.
  EXPECT_FALSE(c->WriteFields(Table::kMember, two_, {Locality(two_, "Negril")}).ok());
}

TEST_F(MembershipTest, ARevokedNodesLaterOpsHaveNoEffectAnywhere) {
  auto b = Admit("b", "member", one_);
  ASSERT_TRUE(b);
  auto before = b->WriteFields(Table::kMember, one_, {Locality(one_, "Kingston")});
  ASSERT_TRUE(before.ok());
  Send(*b, *a_);
  auto revoke = a_->Revoke(b->id());
  ASSERT_TRUE(revoke.ok()) << revoke.status().ToString();
  // b has not heard of it and edits again; its clock is even ahead of a's.
  clock_.Advance(60'000);
  auto late = b->WriteFields(Table::kMember, one_, {Locality(one_, "Montego Bay")});
  ASSERT_TRUE(late.ok()) << late.status().ToString();
  EXPECT_EQ(VerdictOf(*b, late->id).effect, Effect::kApplied);  // as far as b knows
  Send(*b, *a_);
  Send(*a_, *b);
  for (Node* n : {a_.get(), b.get()}) {
    EXPECT_EQ(VerdictOf(*n, before->id).effect, Effect::kApplied);
    const Verdict v = VerdictOf(*n, late->id);
    EXPECT_EQ(v.effect, Effect::kInvalid);
    EXPECT_TRUE(v.why.find("revoked") != std::string::npos) << v.why;
    EXPECT_EQ((*n->directory().GetRecord(Table::kMember, one_))->Text("locality"), "Kingston");
  }
  EXPECT_EQ(Dump(*a_), Dump(*b));
  // And b, now aware, may author nothing more.
  auto refused = b->WriteFields(Table::kMember, one_, {Locality(one_, "Negril")});
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(Mentions(refused.status(), "revoked")) << refused.status().ToString();
}

TEST_F(MembershipTest, TwoClaimsOfOneTicketResolveTheSameWayEverywhere) {
  auto invite = a_->Invite("observer", std::nullopt, {});
  ASSERT_TRUE(invite.ok());
  auto d = Join("d", invite->code);
  clock_.Advance(1);
  auto e = Join("e", invite->code);
  ASSERT_TRUE(d && e);
  // Different delivery orders.
  Send(*e, *a_);
  Send(*d, *a_);
  Send(*d, *e);
  Send(*e, *d);
  Send(*a_, *d);
  Send(*a_, *e);
  for (Node* n : {a_.get(), d.get(), e.get()}) {
    EXPECT_EQ(RoleOf(*n, d->id()), "observer");  // the lower hlc claimed first
    EXPECT_EQ(RoleOf(*n, e->id()), "");
  }
  EXPECT_EQ(Dump(*d), Dump(*e));
}

TEST_F(MembershipTest, ACancelledInviteAdmitsNobody) {
  auto invite = a_->Invite("observer", std::nullopt, {});
  ASSERT_TRUE(invite.ok());
  ASSERT_TRUE(a_->CancelInvite(Base32Encode(invite->ticket).substr(0, 6)).ok());
  auto again = a_->CancelInvite(Base32Encode(invite->ticket));
  EXPECT_FALSE(again.ok());
  auto f = Join("f", invite->code);
  ASSERT_TRUE(f);
  Send(*f, *a_);
  EXPECT_EQ(RoleOf(*a_, f->id()), "");
  auto stored = a_->store().LatestOfType(f->id(), "claim");
  ASSERT_TRUE(stored.ok() && *stored);
  EXPECT_EQ((*stored)->verdict.effect, Effect::kInvalid);
  EXPECT_EQ((*stored)->verdict.why, "the invite was cancelled");
  // Before it hears of the cancellation, f may author as its code promised; after, nothing.
  ASSERT_TRUE(f->DescribeSelf({"f", {}}).ok());
  Send(*a_, *f);
  auto refused = f->DescribeSelf({"f again", {}});
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(Mentions(refused.status(), "the invite was cancelled"))
      << refused.status().ToString();
}

TEST_F(MembershipTest, ARoleChangeTakesEffectForLaterOpsOnly) {
  auto b = Admit("b", "member", one_);
  ASSERT_TRUE(b);
  ASSERT_FALSE(b->RecordEntries({Payment(b->NewRecordId(), one_)}).ok());
  ASSERT_TRUE(a_->SetRole(b->id(), "treasurer", std::nullopt).ok());
  Send(*a_, *b);
  auto paid = b->RecordEntries({Payment(b->NewRecordId(), one_)});
  ASSERT_TRUE(paid.ok()) << paid.status().ToString();
  Send(*b, *a_);
  EXPECT_EQ(a_->directory().Entries()->size(), 1u);
  // A non-admin may not change roles.
  EXPECT_FALSE(b->SetRole(a_->id(), "observer", std::nullopt).ok());
}

// Hostile ops from a peer: signed and well-formed, so stored and forwarded, but invalid.
TEST_F(MembershipTest, AForgedClaimAndAnAdminOpByANonAdminAreRecordedInvalid) {
  auto b = Admit("b", "member", one_);
  ASSERT_TRUE(b);
  const std::string before = Dump(*a_);
  auto network = a_->network().id;

  // An invite op by b (a member), signed on b's chain but authored around the checks.
  const Seed ticket_seed{9};
  const SigningKey ticket = SigningKey::FromSeed(ticket_seed);
  auto head = b->store().Heads();
  ASSERT_TRUE(head.ok());
  OpDraft draft;
  for (const Head& h : *head) {
    if (h.author == b->id()) {
      draft.seq = h.seq + 1;
      draft.prev = h.op_id;
    }
  }
  draft.hlc = Hlc::FromParts(kT0 + 500'000, 0);
  draft.type = "invite";
  draft.body = EncodeInvite({ticket.public_key(), "admin", std::nullopt});
  Seed b_seed{};
  {
    auto key = HomeDir(dir_.File("b")).ReadKey();
    ASSERT_TRUE(key.ok());
    b_seed = key->seed();
  }
  auto bad_invite = SignOp(SigningKey::FromSeed(b_seed), network, draft);
  ASSERT_TRUE(bad_invite.ok());

  // A claim of that ticket (it names a real ticket key, but the invite is invalid) by g, and
  // a claim of a's real invite with a proof signed by the wrong key.
  auto real = a_->Invite("admin", std::nullopt, {});
  ASSERT_TRUE(real.ok());
  const SigningKey g = testing::TestKey(77);
  OpDraft forged;
  forged.seq = 1;
  forged.hlc = Hlc::FromParts(kT0 + 600'000, 0);
  forged.type = "claim";
  forged.body = EncodeClaim({real->ticket, ticket.Sign(ClaimMessage(network, g.public_key()))});
  auto forged_claim = SignOp(g, network, forged);
  ASSERT_TRUE(forged_claim.ok());

  std::vector<SignedOp> hostile = {*bad_invite, *forged_claim};
  auto report = a_->store().Ingest(hostile, kT0);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->added, 2u);
  const Verdict v1 = VerdictOf(*a_, bad_invite->id);
  EXPECT_EQ(v1.effect, Effect::kInvalid);
  EXPECT_EQ(v1.why, "invite needs the admin role; the author is member");
  const Verdict v2 = VerdictOf(*a_, forged_claim->id);
  EXPECT_EQ(v2.effect, Effect::kInvalid);
  EXPECT_EQ(v2.why, "the ticket's signature does not verify (a forged claim)");
  EXPECT_EQ(RoleOf(*a_, g.public_key()), "");
  EXPECT_EQ(Dump(*a_), before);
  // The real ticket is still unused.
  EXPECT_FALSE(a_->Membership()->tickets.at(real->ticket).claimed_by);
}

TEST_F(MembershipTest, OpsOfAnUnknownAuthorArePendingAndCapped) {
  const SigningKey stranger = testing::TestKey(88);
  std::vector<SignedOp> ops;
  std::optional<Hash> prev;
  for (uint64_t seq = 1; seq <= kMaxPendingSeq + 5; ++seq) {
    OpDraft d;
    d.seq = seq;
    d.prev = prev;
    d.hlc = Hlc::FromParts(kT0 + seq, 0);
    d.type = "node";
    d.body = EncodeNodeBody({"stranger", {}});
    auto op = SignOp(stranger, a_->network().id, d);
    ASSERT_TRUE(op.ok());
    prev = op->id;
    ops.push_back(std::move(*op));
  }
  auto report = a_->store().Ingest(ops, kT0);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->added, kMaxPendingSeq);
  EXPECT_EQ(report->deferred, 5u);
  EXPECT_EQ(a_->store().Vector()->Get(stranger.public_key()), kMaxPendingSeq);
  auto counts = a_->store().VerdictsByAuthor();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->at(stranger.public_key()).pending, kMaxPendingSeq);
  EXPECT_EQ(counts->at(stranger.public_key()).applied, 0u);
}

TEST_F(MembershipTest, InvitesCheckTheirArguments) {
  EXPECT_FALSE(a_->Invite("king", std::nullopt, {}).ok());
  auto no_member = a_->Invite("member", std::nullopt, {});
  ASSERT_FALSE(no_member.ok());
  EXPECT_EQ(no_member.status().field(), "--member");
  RecordId missing{};
  missing.fill(3);
  EXPECT_FALSE(a_->Invite("member", missing, {}).ok());
  EXPECT_FALSE(a_->Invite("observer", std::nullopt, {"not an address"}).ok());
  // None of these logged anything.
  EXPECT_TRUE(a_->Membership()->tickets.empty());
}

}  // namespace
}  // namespace nanse
