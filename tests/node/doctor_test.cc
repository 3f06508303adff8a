#include "node/doctor.h"

#include <gtest/gtest.h>

#include "crdt/op_bodies.h"
#include "crdt/text_codec.h"
#include "node/node.h"
#include "tests/node/test_home.h"

namespace nanse {
namespace {

using testing::Admit;
using testing::NewNetworkStore;
using testing::TempDir;
using testing::TestKey;

constexpr int64_t kNow = 1'800'000'000'000;

// The findings of one kind.
std::vector<Finding> Only(const std::vector<Finding>& findings, const std::string& code) {
  std::vector<Finding> out;
  for (const Finding& f : findings) {
    if (f.code == code) out.push_back(f);
  }
  return out;
}

// An op of `key` at `seq` after `prev`, signed outside any store (as another device would).
SignedOp Signed(Store& store, const SigningKey& key, uint64_t seq, std::optional<Hash> prev,
                int64_t millis, const std::string& name) {
  OpDraft d;
  d.seq = seq;
  d.prev = prev;
  d.hlc = Hlc::FromParts(static_cast<uint64_t>(millis), 0);
  d.type = "node";
  d.body = EncodeNodeBody({name, {}});
  auto op = SignOp(key, **store.NetworkId(), d);
  EXPECT_TRUE(op.ok()) << op.status().ToString();
  return *op;
}

TEST(Doctor, AHealthyLogHasNothingToReport) {
  TempDir dir;
  auto store = NewNetworkStore(dir, TestKey(1));
  auto findings = Diagnose(*store, 1'700'000'000'000);
  ASSERT_TRUE(findings.ok());
  EXPECT_TRUE(findings->empty());
  EXPECT_FALSE(HasProblems(*findings));
}

TEST(Doctor, ReportsAnEquivocatingNodeWithBothOpIds) {
  TempDir dir;
  SigningKey a = TestKey(1);
  auto store = NewNetworkStore(dir, a);
  auto second = store->AppendLocal(a, "node", EncodeNodeBody({"one", {}}), kNow);
  ASSERT_TRUE(second.ok());
  OpDraft d;
  d.seq = 2;
  d.prev = second->header.prev;
  d.hlc = Hlc::FromParts(kNow + 5, 0);
  d.type = "node";
  d.body = EncodeNodeBody({"other device", {}});
  auto fork = SignOp(a, **store->NetworkId(), d);
  ASSERT_TRUE(fork.ok());
  ASSERT_TRUE(store->Ingest(std::vector<SignedOp>{*fork}, kNow).ok());
  auto findings = Diagnose(*store, kNow);
  ASSERT_TRUE(findings.ok());
  ASSERT_EQ(findings->size(), 1u);
  const Finding& f = (*findings)[0];
  EXPECT_EQ(f.code, "equivocation");
  EXPECT_EQ(f.subject, Base32Encode(a.public_key()));
  EXPECT_EQ(f.op_ids.size(), 2u);
  EXPECT_NE(std::find(f.op_ids.begin(), f.op_ids.end(), Base32Encode(second->id)), f.op_ids.end());
  EXPECT_NE(std::find(f.op_ids.begin(), f.op_ids.end(), Base32Encode(fork->id)), f.op_ids.end());
}

TEST(Doctor, NamesANodeWhoseClockIsFarAheadOrUnset) {
  TempDir dir;
  SigningKey a = TestKey(1), b = TestKey(2);
  auto store = NewNetworkStore(dir, a);
  // a's clock ran ahead into 2040.
  ASSERT_TRUE(store->AppendLocal(a, "node", EncodeNodeBody({"x", {}}), 2'208'988'800'000).ok());
  // b's Pi booted in 1970 with no real-time clock and authored before it heard of anyone.
  OpDraft d;
  d.seq = 1;
  d.hlc = Hlc::FromParts(5'000, 0);
  d.type = "node";
  d.body = EncodeNodeBody({"pi", {}});
  auto old = SignOp(b, **store->NetworkId(), d);
  ASSERT_TRUE(old.ok());
  ASSERT_TRUE(store->Ingest(std::vector<SignedOp>{*old}, kNow).ok());
  auto findings = Diagnose(*store, kNow);
  ASSERT_TRUE(findings.ok());
  bool ahead = false, behind = false;
  for (const Finding& f : *findings) {
    if (f.code == "clock_ahead" && f.subject == Base32Encode(a.public_key())) ahead = true;
    if (f.code == "clock_behind" && f.subject == Base32Encode(b.public_key())) behind = true;
  }
  EXPECT_TRUE(ahead);
  EXPECT_TRUE(behind);
}

TEST(Doctor, CountsThePendingOpsOfAnAuthorNotAdmitted) {
  TempDir dir;
  SigningKey a = TestKey(1), c = TestKey(3);
  auto store = NewNetworkStore(dir, a);
  // c holds the network key but no invite: its ops are kept, pending.
  const SignedOp first = Signed(*store, c, 1, std::nullopt, kNow, "stranger");
  const SignedOp second = Signed(*store, c, 2, first.id, kNow + 1, "stranger 2");
  ASSERT_TRUE(store->Ingest(std::vector<SignedOp>{first, second}, kNow).ok());
  auto findings = Diagnose(*store, kNow);
  ASSERT_TRUE(findings.ok());
  const auto pending = Only(*findings, "pending_ops");
  ASSERT_EQ(pending.size(), 1u);
  const Finding& f = pending[0];
  EXPECT_EQ(f.subject, Base32Encode(c.public_key()));
  EXPECT_EQ(f.severity, Severity::kProblem);
  EXPECT_EQ(f.count, 2u);
  EXPECT_EQ(f.reasons, std::vector<std::string>{"the author is not admitted (yet)"});
  EXPECT_EQ(f.op_ids, std::vector<std::string>{Base32Encode(first.id)});  // the oldest
  EXPECT_NE(f.detail.find("2 ops"), std::string::npos) << f.detail;
  EXPECT_TRUE(HasProblems(*findings));
}

TEST(Doctor, AJoinedNodeWaitsForItsInviteThenAnUnusedInviteIsOnlyInformation) {
  TempDir dir;
  ManualClock clock{kNow};
  SeededRandom random{7};
  auto a = Node::Init(dir.File("a"), "Net", "a", clock, random);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto invite = (*a)->Invite("observer", std::nullopt, {});
  ASSERT_TRUE(invite.ok()) << invite.status().ToString();

  // a holds an invite nobody used yet: listed, but not a problem.
  auto on_a = Diagnose((*a)->store(), kNow);
  ASSERT_TRUE(on_a.ok());
  ASSERT_EQ(on_a->size(), 1u);
  const Finding& open = (*on_a)[0];
  EXPECT_EQ(open.code, "unused_invite");
  EXPECT_EQ(open.severity, Severity::kInfo);
  EXPECT_EQ(open.subject, Base32Encode(invite->ticket));
  ASSERT_TRUE(open.invite.has_value());
  EXPECT_EQ(open.invite->role, "observer");
  EXPECT_FALSE(open.invite->member.has_value());
  EXPECT_EQ(open.invite->inviter, (*a)->id());
  EXPECT_EQ(open.invite->invited_at, invite->invite_op.header.hlc);
  EXPECT_EQ(open.op_ids, std::vector<std::string>{Base32Encode(invite->invite_op.id)});
  EXPECT_FALSE(HasProblems(*on_a));

  // b joined but has not received the invite op: its claim and its node op wait.
  auto code = DecodeInviteCode(invite->code);
  ASSERT_TRUE(code.ok());
  auto b = Node::Join(dir.File("b"), *code, "b", clock, random);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  auto on_b = Diagnose((*b)->store(), kNow);
  ASSERT_TRUE(on_b.ok());
  const auto pending = Only(*on_b, "pending_ops");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].subject, Base32Encode((*b)->id()));
  EXPECT_EQ(pending[0].count, 2u);
  EXPECT_EQ(pending[0].reasons, (std::vector<std::string>{"its invite has not arrived",
                                                          "the author is not admitted (yet)"}));
  EXPECT_TRUE(HasProblems(*on_b));

  // The ops travel both ways: b is admitted, the invite is used, nothing is left to say.
  ASSERT_TRUE((*a)->ExportBundle(dir.File("a.bundle"), {}).ok());
  ASSERT_TRUE((*b)->ImportBundle(dir.File("a.bundle")).ok());
  ASSERT_TRUE((*b)->ExportBundle(dir.File("b.bundle"), {}).ok());
  ASSERT_TRUE((*a)->ImportBundle(dir.File("b.bundle")).ok());
  for (Node* n : {a->get(), b->get()}) {
    auto after = Diagnose(n->store(), kNow);
    ASSERT_TRUE(after.ok());
    EXPECT_TRUE(after->empty()) << after->front().code << ": " << after->front().detail;
  }
}

TEST(Doctor, CountsTheOpsARevokedNodeSignedPastItsRevocation) {
  TempDir dir;
  SigningKey a = TestKey(1), b = TestKey(2);
  auto store = NewNetworkStore(dir, a);
  Admit(*store, a, b, "observer", std::nullopt, kNow);  // b's claim is its seq 1
  auto described = store->AppendLocal(b, "node", EncodeNodeBody({"b", {}}), kNow);
  ASSERT_TRUE(described.ok()) << described.status().ToString();
  ASSERT_TRUE(store->AppendLocal(a, "revoke", EncodeRevoke({b.public_key(), 2}), kNow).ok());
  // b's device went on signing: seq 3 and 4 arrive, and have no effect.
  const SignedOp third = Signed(*store, b, 3, described->id, kNow + 10, "b3");
  const SignedOp fourth = Signed(*store, b, 4, third.id, kNow + 11, "b4");
  ASSERT_TRUE(store->Ingest(std::vector<SignedOp>{third, fourth}, kNow).ok());
  auto findings = Diagnose(*store, kNow);
  ASSERT_TRUE(findings.ok());
  const auto revoked = Only(*findings, "revoked_ops");
  ASSERT_EQ(revoked.size(), 1u);
  const Finding& f = revoked[0];
  EXPECT_EQ(f.subject, Base32Encode(b.public_key()));
  EXPECT_EQ(f.severity, Severity::kProblem);
  EXPECT_EQ(f.count, 2u);
  EXPECT_EQ(f.revoked_after_seq, std::optional<uint64_t>(2));
  EXPECT_EQ(f.op_ids, std::vector<std::string>{Base32Encode(third.id)});
  EXPECT_NE(f.detail.find("seq 3 to 4"), std::string::npos) << f.detail;
  EXPECT_TRUE(Only(*findings, "pending_ops").empty());
  EXPECT_TRUE(HasProblems(*findings));
}

TEST(Doctor, ARevokedNodeThatSignedNothingMoreIsNotReported) {
  TempDir dir;
  SigningKey a = TestKey(1), b = TestKey(2);
  auto store = NewNetworkStore(dir, a);
  Admit(*store, a, b, "observer", std::nullopt, kNow);
  ASSERT_TRUE(store->AppendLocal(a, "revoke", EncodeRevoke({b.public_key(), 1}), kNow).ok());
  auto findings = Diagnose(*store, kNow);
  ASSERT_TRUE(findings.ok());
  EXPECT_TRUE(findings->empty());
}

TEST(Doctor, ListsOnlyTheInvitesNeitherUsedNorCancelled) {
  TempDir dir;
  SigningKey a = TestKey(1), b = TestKey(2);
  SigningKey cancelled = TestKey(11), open = TestKey(12);
  auto store = NewNetworkStore(dir, a);
  Admit(*store, a, b, "observer", std::nullopt, kNow);  // a used invite
  const RecordId member{1, 2, 3};
  ASSERT_TRUE(store
                  ->AppendLocal(a, "invite",
                                EncodeInvite({cancelled.public_key(), "admin", std::nullopt}), kNow)
                  .ok());
  ASSERT_TRUE(
      store->AppendLocal(a, "invite.cancel", EncodeInviteCancel(cancelled.public_key()), kNow)
          .ok());
  auto invite =
      store->AppendLocal(a, "invite", EncodeInvite({open.public_key(), "treasurer", member}), kNow);
  ASSERT_TRUE(invite.ok()) << invite.status().ToString();
  auto findings = Diagnose(*store, kNow);
  ASSERT_TRUE(findings.ok());
  ASSERT_EQ(findings->size(), 1u);
  const Finding& f = (*findings)[0];
  EXPECT_EQ(f.code, "unused_invite");
  EXPECT_EQ(f.subject, Base32Encode(open.public_key()));
  ASSERT_TRUE(f.invite.has_value());
  EXPECT_EQ(f.invite->ticket, open.public_key());
  EXPECT_EQ(f.invite->role, "treasurer");
  EXPECT_EQ(f.invite->member, std::optional<RecordId>(member));
  EXPECT_EQ(f.invite->inviter, a.public_key());
  EXPECT_EQ(f.invite->invited_at, invite->header.hlc);
  EXPECT_EQ(f.invite->invite_op, invite->id);
  EXPECT_FALSE(HasProblems(*findings));
}

}  // namespace
}  // namespace nanse
