// SyncSession against a peer that breaks the protocol or sends ops the store refuses (each
// refusal names the field, stores nothing and ends the session), and against authors that
// misbehaved: one that equivocated (the fork travels once per session) and a revoked node
// whose later ops travel but change nothing.
#include <gtest/gtest.h>

#include <map>

#include "crdt/op_bodies.h"
#include "node/sync_messages.h"
#include "node/sync_session.h"
#include "tests/node/sync_testing.h"
#include "tests/node/test_home.h"

namespace nanse {
namespace {

using testing::AddOrganizations;
using testing::AllOps;
using testing::CopyOps;
using testing::EmptyReplica;
using testing::kSyncT0;
using testing::OpsIn;
using testing::SetLocality;
using testing::Shuttle;
using testing::SyncNodeId;
using testing::TempDir;
using testing::TestKey;

bool Mentions(const Status& s, const std::string& text) {
  return s.ToString().find(text) != std::string::npos;
}

Bytes OpsMessage(const std::vector<SignedOp>& ops) {
  SyncOpsWriter writer;
  for (const SignedOp& op : ops) writer.Add(EncodeOp(op));
  return writer.Take();
}

// a: k1's network, k2 admitted and the author of three member.add ops (its seq 2..4).
// b: the same network, holding only the genesis op.
class SyncHostileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = testing::NewNetworkStore(dir_, k1_, "a.db");
    testing::Admit(*a_, k1_, k2_);
    AddOrganizations(*a_, k2_, 1, 3, 1);
    b_ = EmptyReplica(dir_, *a_, "b.db");
    ASSERT_TRUE(b_->Ingest(std::vector<SignedOp>{Op(k1_, 1)}, kSyncT0).ok());
  }

  SignedOp Op(const SigningKey& author, uint64_t seq) {
    for (SignedOp& op : AllOps(*a_)) {
      if (op.header.author == author.public_key() && op.header.seq == seq) return op;
    }
    ADD_FAILURE() << "no op " << seq;
    return {};
  }

  // What b lacks of a, in chain order: k1's invite, then k2's claim and adds.
  std::vector<SignedOp> Lacked() {
    return {Op(k1_, 2), Op(k2_, 1), Op(k2_, 2), Op(k2_, 3), Op(k2_, 4)};
  }

  // A Hello from `node` announcing a's vector.
  Bytes HelloOf(const PublicKey& node) {
    const VersionVector v = *a_->Vector();
    return EncodeSyncHello({kSyncProtocol, node, v.size(), VectorDigest(v), v});
  }

  // A fresh session of b (node 2) with node 1 says its Hello and then receives `messages`:
  // all but the last are accepted and the last is refused. Returns the refusal, after
  // checking that b's store holds what it held and that the session has ended.
  Status LastRefused(const std::vector<Bytes>& messages) {
    const VersionVector before = *b_->Vector();
    const uint64_t ops_before = b_->Stats()->ops;
    SyncSession session(*b_, SyncNodeId(2), SyncNodeId(1), clock_);
    auto hello = session.Next();
    EXPECT_TRUE(hello.ok() && hello->has_value());
    Status last;
    for (size_t i = 0; i < messages.size(); ++i) {
      last = session.OnMessage(messages[i]);
      if (i + 1 < messages.size()) {
        EXPECT_TRUE(last.ok()) << i << ": " << last.ToString();
      }
    }
    EXPECT_FALSE(last.ok());
    EXPECT_EQ(*b_->Vector(), before);
    EXPECT_EQ(b_->Stats()->ops, ops_before);
    // Without the refusal, a session that got a Hello would have a CaughtUp to send.
    auto next = session.Next();
    EXPECT_TRUE(next.ok() && !next->has_value());
    EXPECT_FALSE(session.OnMessage(HelloOf(SyncNodeId(1))).ok()) << "the session has ended";
    return last;
  }

  TempDir dir_;
  ManualClock clock_{kSyncT0};
  SigningKey k1_ = TestKey(1), k2_ = TestKey(2), k3_ = TestKey(3);
  std::unique_ptr<Store> a_, b_;
};

TEST_F(SyncHostileTest, GarbageIsRefused) {
  const Bytes garbage = {0xc1, 0x00, 0xff};
  for (const auto& messages :
       {std::vector<Bytes>{garbage}, std::vector<Bytes>{HelloOf(SyncNodeId(1)), garbage}}) {
    const Status s = LastRefused(messages);
    EXPECT_EQ(s.code(), Status::Code::kMalformed) << s.ToString();
    EXPECT_EQ(s.field(), "sync") << s.ToString();
  }
  // A truncated message, and a kind that does not exist.
  Bytes truncated = HelloOf(SyncNodeId(1));
  truncated.pop_back();
  EXPECT_TRUE(Mentions(LastRefused({truncated}), "sync: truncated"));
  EXPECT_EQ(LastRefused({HelloOf(SyncNodeId(1)), Bytes{0x91, 0x09}}).field(), "sync.kind");
}

TEST_F(SyncHostileTest, OpsBeforeHelloAreRefused) {
  const Status s = LastRefused({OpsMessage(Lacked())});
  EXPECT_EQ(s.field(), "sync");
  EXPECT_TRUE(Mentions(s, "expected hello first, got ops")) << s.ToString();
}

TEST_F(SyncHostileTest, AHelloNamingAnotherNodeThanTheAuthenticatedOneIsRefused) {
  const Status s = LastRefused({HelloOf(SyncNodeId(3))});
  EXPECT_EQ(s.field(), "sync.hello.node");
  EXPECT_EQ(LastRefused({HelloOf(SyncNodeId(1)), HelloOf(SyncNodeId(1))}).field(), "sync.hello");
}

TEST_F(SyncHostileTest, AnOpWithABrokenSignatureStoresNothingOfItsMessage) {
  std::vector<SignedOp> ops = Lacked();
  ops[2].signature[7] ^= 0x01;  // k2's first add; the invite and claim before it are fine
  const Status s = LastRefused({HelloOf(SyncNodeId(1)), OpsMessage(ops)});
  EXPECT_EQ(s.field(), "sync.ops");
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_TRUE(Mentions(s, "signature")) << s.ToString();
}

TEST_F(SyncHostileTest, AGapOrABrokenChainStoresNothingOfItsMessage) {
  std::vector<SignedOp> gap = Lacked();
  gap.erase(gap.begin() + 3);  // k2's seq 3
  Status s = LastRefused({HelloOf(SyncNodeId(1)), OpsMessage(gap)});
  EXPECT_EQ(s.field(), "sync.ops");
  EXPECT_TRUE(Mentions(s, "missing earlier ops")) << s.ToString();

  // k2's seq 3 signed properly, but naming another op as its predecessor.
  std::vector<SignedOp> broken = Lacked();
  OpDraft draft;
  draft.seq = 3;
  draft.prev = Hash{};
  draft.prev->fill(9);
  draft.hlc = broken[3].header.hlc;
  draft.type = "node";
  draft.body = EncodeNodeBody({"liar", {}});
  broken[3] = *SignOp(k2_, **a_->NetworkId(), draft);
  broken.pop_back();
  s = LastRefused({HelloOf(SyncNodeId(1)), OpsMessage(broken)});
  EXPECT_EQ(s.field(), "sync.ops");
  EXPECT_TRUE(Mentions(s, "broken chain")) << s.ToString();
}

TEST_F(SyncHostileTest, OtherBreachesOfTheProtocolAreRefused) {
  const Bytes hello = HelloOf(SyncNodeId(1));
  // A vector nobody asked for (b's Hello was inline, a's too).
  const Status vector = LastRefused({hello, EncodeSyncVectorPart({{}, true})});
  EXPECT_EQ(vector.field(), "sync.vector");
  // A protocol this node does not speak.
  const VersionVector v = *a_->Vector();
  const Status protocol = LastRefused(
      {EncodeSyncHello({kSyncProtocol + 1, SyncNodeId(1), v.size(), VectorDigest(v), v})});
  EXPECT_EQ(protocol.field(), "sync.hello.protocol");
  // An Ops message larger than a transport message (its ops are fine).
  const SignedOp add = Op(k2_, 2);
  const std::vector<SignedOp> many(kMaxSyncMessage / add.size() + 1, add);
  const Status large = LastRefused({hello, OpsMessage(many)});
  EXPECT_EQ(large.field(), "sync");
  EXPECT_TRUE(Mentions(large, "expected at most 65519")) << large.ToString();
  // A Bye ends the session too, with the peer's reason.
  const Status bye = LastRefused({hello, EncodeSyncBye("shutting down")});
  EXPECT_EQ(bye.code(), Status::Code::kIo);
  EXPECT_TRUE(Mentions(bye, "shutting down")) << bye.ToString();
}

TEST_F(SyncHostileTest, TheSameOpsFromAnHonestPeerAreStored) {
  // The control for the tests above: nothing but the breach made b refuse.
  SyncSession session(*b_, SyncNodeId(2), SyncNodeId(1), clock_);
  ASSERT_TRUE(session.Next()->has_value());
  ASSERT_TRUE(session.OnMessage(HelloOf(SyncNodeId(1))).ok());
  ASSERT_TRUE(session.OnMessage(OpsMessage(Lacked())).ok());
  EXPECT_EQ(session.last_ingest().added, 5u);
  EXPECT_EQ(*b_->Vector(), *a_->Vector());
}

TEST_F(SyncHostileTest, AForkTravelsOnceAndLiveSessionsDoNotRepeatIt) {
  // b either holds one branch already (it must learn of the other) or nothing yet.
  for (bool b_holds_branch : {true, false}) {
    SCOPED_TRACE(b_holds_branch ? "b holds one branch" : "b holds nothing yet");
    TempDir dir;
    auto a = EmptyReplica(dir, *a_, "a.db");
    auto b = EmptyReplica(dir, *a_, "b.db");
    CopyOps(*a_, *a);
    if (b_holds_branch) CopyOps(*a_, *b);
    // k2 signs another op at seq 3 on another device; a sees both: k2 equivocated.
    const SignedOp branch = Op(k2_, 3);
    OpDraft draft;
    draft.seq = 3;
    draft.prev = Op(k2_, 2).id;
    draft.hlc = branch.header.hlc;
    draft.type = "node";
    draft.body = EncodeNodeBody({"other device", {}});
    const SignedOp other = *SignOp(k2_, **a_->NetworkId(), draft);
    auto report = a->Ingest(std::vector<SignedOp>{other}, kSyncT0);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    ASSERT_EQ(report->equivocations, 1u);

    SyncSession sa(*a, SyncNodeId(1), SyncNodeId(2), clock_);
    SyncSession sb(*b, SyncNodeId(2), SyncNodeId(1), clock_);
    Shuttle shuttle(sa, sb);
    ASSERT_TRUE(shuttle.Run().ok());
    EXPECT_EQ(*a->Vector(), *b->Vector());
    EXPECT_EQ(*a->directory().Dump(), *b->directory().Dump());
    auto heads = b->Heads();
    ASSERT_TRUE(heads.ok());
    for (const Head& head : *heads) {
      if (head.author == k2_.public_key()) {
        EXPECT_EQ(head.fork_seq, 3u);
      }
    }
    for (const Hash& id : {branch.id, other.id}) {
      auto held = b->GetOp(id);
      ASSERT_TRUE(held.ok() && held->has_value());
      EXPECT_EQ((*held)->state, OpState::kProof);
    }
    EXPECT_FALSE(b->GetOp(Op(k2_, 4).id)->has_value());  // past the fork: not kept
    // The proof pair goes from a to b once, and not back: a proof received from the peer is
    // remembered as known to it. With one branch held, b sent k2's seq 4 before it learned of
    // the fork, and a ignored it.
    for (bool from_a : {true, false}) {
      std::map<Hash, int> sent;
      for (const testing::Carried& m : shuttle.log()) {
        if (m.from_a != from_a) continue;
        for (const SignedOp& op : OpsIn(m.bytes)) ++sent[op.id];
      }
      EXPECT_EQ(sent[branch.id], from_a ? 1 : 0) << (from_a ? "from a" : "from b");
      EXPECT_EQ(sent[other.id], from_a ? 1 : 0) << (from_a ? "from a" : "from b");
    }
    EXPECT_EQ(sb.counters().ops_out, b_holds_branch ? 1u : 0u);
    EXPECT_EQ(sa.last_ingest().duplicates, 0u);

    // Live: nothing more to say, and a new op goes alone, without the proof pair.
    EXPECT_FALSE(sa.Next()->has_value());
    EXPECT_FALSE(sb.Next()->has_value());
    auto fresh = a->AppendLocal(k1_, "node", EncodeNodeBody({"a", {}}), kSyncT0 + 1000);
    ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
    auto pushed = sa.Next();
    ASSERT_TRUE(pushed.ok() && pushed->has_value());
    const std::vector<SignedOp> ops = OpsIn(**pushed);
    ASSERT_EQ(ops.size(), 1u);
    EXPECT_EQ(ops[0].id, fresh->id);
    ASSERT_TRUE(sb.OnMessage(**pushed).ok());
    EXPECT_FALSE(sa.Next()->has_value());
    EXPECT_FALSE(sb.Next()->has_value());
    EXPECT_EQ(*a->Vector(), *b->Vector());
  }
}

TEST_F(SyncHostileTest, ARevokedNodesLaterOpsTravelButChangeNothing) {
  // Node c (k3, admitted as an admin) is revoked by a after its claim; c has not heard of it
  // and goes on authoring in its own store.
  testing::Admit(*a_, k1_, k3_);
  for (bool c_first : {true, false}) {
    SCOPED_TRACE(c_first ? "b syncs with c, then a" : "b syncs with a, then c");
    TempDir dir;
    auto a = EmptyReplica(dir, *a_, "a.db");
    auto b = EmptyReplica(dir, *a_, "b.db");
    auto c = EmptyReplica(dir, *a_, "c.db");
    CopyOps(*a_, *a);
    CopyOps(*a_, *c);
    auto revoke = a->AppendLocal(k1_, "revoke", EncodeRevoke({k3_.public_key(), 1}), kSyncT0);
    ASSERT_TRUE(revoke.ok()) << revoke.status().ToString();
    AddOrganizations(*c, k3_, 100, 2, 1);
    const SignedOp late = SetLocality(*c, k3_, 1, "Negril", kSyncT0 + 60'000);
    const std::string a_dump = *a->directory().Dump();

    auto sync = [&](Store& x, Store& y, uint8_t nx, uint8_t ny) {
      SyncSession sx(x, SyncNodeId(nx), SyncNodeId(ny), clock_);
      SyncSession sy(y, SyncNodeId(ny), SyncNodeId(nx), clock_);
      Shuttle shuttle(sx, sy);
      ASSERT_TRUE(shuttle.Run().ok());
      EXPECT_TRUE(sx.caught_up() && sy.caught_up());
    };
    if (c_first) sync(*c, *b, 3, 2);
    sync(*a, *b, 1, 2);
    if (!c_first) sync(*c, *b, 3, 2);

    // b holds c's late ops (and forwards them), but judged them invalid.
    EXPECT_EQ(b->Vector()->Get(k3_.public_key()), 4u);
    auto held = b->GetOp(late.id);
    ASSERT_TRUE(held.ok() && held->has_value());
    EXPECT_EQ((*held)->verdict.effect, Effect::kInvalid);
    EXPECT_NE((*held)->verdict.why.find("revoked"), std::string::npos) << (*held)->verdict.why;
    EXPECT_EQ(b->VerdictsByAuthor()->at(k3_.public_key()).invalid, 3u);
    // So b's directory is a's, and a's did not change when it got them from b.
    EXPECT_EQ(*b->directory().Dump(), a_dump);
    if (c_first) {
      EXPECT_TRUE(a->GetOp(late.id)->has_value());
      EXPECT_EQ(*a->directory().Dump(), a_dump);
    }
    EXPECT_FALSE((*b->directory().GetRecord(Table::kMember, testing::OrgId(100))).has_value());
    EXPECT_NE((*b->directory().GetRecord(Table::kMember, testing::OrgId(1)))->Text("locality"),
              "Negril");
  }
}

}  // namespace
}  // namespace nanse
