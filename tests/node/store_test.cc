#include "node/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "crdt/op_bodies.h"
#include "tests/node/test_home.h"

namespace nanse {
namespace {

using testing::Admit;
using testing::AllOps;
using testing::NewNetworkStore;
using testing::TempDir;
using testing::TestKey;

constexpr int64_t kT0 = 1'700'000'000'000;

Bytes NodeBodyNamed(const std::string& name) { return EncodeNodeBody({name, {}}); }

// A second store in the same network as `origin`, holding nothing yet.
std::unique_ptr<Store> EmptyReplica(const TempDir& dir, Store& origin, const std::string& file) {
  auto store = Store::Open(dir.File(file));
  EXPECT_TRUE(store.ok());
  auto id = origin.NetworkId();
  EXPECT_TRUE((*store)->SetNetworkId(**id).ok());
  return std::move(*store);
}

void ExpectHealthy(Store& store) {
  auto problems = store.Check();
  ASSERT_TRUE(problems.ok()) << problems.status().ToString();
  EXPECT_TRUE(problems->empty()) << (*problems)[0];
}

TEST(Store, LocalAppendsFormAChain) {
  TempDir dir;
  SigningKey key = TestKey(1);
  auto store = NewNetworkStore(dir, key);
  std::optional<Hash> prev;
  auto genesis = AllOps(*store);
  ASSERT_EQ(genesis.size(), 1u);
  prev = genesis[0].id;
  for (int i = 0; i < 5; ++i) {
    auto op = store->AppendLocal(key, "node", NodeBodyNamed("n" + std::to_string(i)), kT0 + i);
    ASSERT_TRUE(op.ok()) << op.status().ToString();
    EXPECT_EQ(op->header.seq, static_cast<uint64_t>(i + 2));
    EXPECT_EQ(op->header.prev, prev);
    prev = op->id;
  }
  EXPECT_EQ(store->Vector()->Get(key.public_key()), 6u);
  ExpectHealthy(*store);
}

TEST(Store, AppendRefusesAnInvalidBody) {
  TempDir dir;
  SigningKey key = TestKey(1);
  auto store = NewNetworkStore(dir, key);
  auto op = store->AppendLocal(key, "node", Bytes{0xc1}, kT0);
  EXPECT_FALSE(op.ok());
  auto unknown = store->AppendLocal(key, "mystery", NodeBodyNamed("x"), kT0);
  EXPECT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().field(), "op.header.type");
  EXPECT_EQ(store->Stats()->ops, 1u);
}

TEST(Store, IngestReplicatesAnotherStoresLog) {
  TempDir dir;
  SigningKey a = TestKey(1);
  auto origin = NewNetworkStore(dir, a);
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(origin->AppendLocal(a, "node", NodeBodyNamed("a"), kT0).ok());
  auto replica = EmptyReplica(dir, *origin, "b.db");
  auto report = replica->Ingest(AllOps(*origin), kT0);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->added, 4u);
  EXPECT_EQ(*replica->Vector(), *origin->Vector());
  ExpectHealthy(*replica);
}

TEST(Store, IngestingTheSameOpsTwiceChangesNothing) {
  TempDir dir;
  SigningKey a = TestKey(1);
  auto origin = NewNetworkStore(dir, a);
  ASSERT_TRUE(origin->AppendLocal(a, "node", NodeBodyNamed("a"), kT0).ok());
  auto replica = EmptyReplica(dir, *origin, "b.db");
  auto ops = AllOps(*origin);
  ASSERT_TRUE(replica->Ingest(ops, kT0).ok());
  auto before = replica->Stats();
  auto again = replica->Ingest(ops, kT0 + 5);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->added, 0u);
  EXPECT_EQ(again->duplicates, ops.size());
  EXPECT_EQ(replica->Stats()->ops, before->ops);
  EXPECT_EQ(replica->Stats()->bytes, before->bytes);
}

TEST(Store, ABatchMayArriveInAnyOrder) {
  TempDir dir;
  SigningKey a = TestKey(1), b = TestKey(2);
  auto origin = NewNetworkStore(dir, a);
  Admit(*origin, a, b);
  auto other = EmptyReplica(dir, *origin, "other.db");
  ASSERT_TRUE(other->Ingest(AllOps(*origin), kT0).ok());
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(origin->AppendLocal(a, "node", NodeBodyNamed("a"), kT0 + i).ok());
    ASSERT_TRUE(other->AppendLocal(b, "node", NodeBodyNamed("b"), kT0 + i).ok());
  }
  auto ops = AllOps(*origin);
  for (auto& op : AllOps(*other)) {
    if (op.header.author == b.public_key() && op.header.seq > 1) ops.push_back(op);
  }
  std::mt19937 rng(7);
  std::shuffle(ops.begin(), ops.end(), rng);
  auto replica = EmptyReplica(dir, *origin, "c.db");
  auto report = replica->Ingest(ops, kT0);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->added, ops.size());
  ExpectHealthy(*replica);
}

TEST(Store, OpsOfAnotherNetworkAreRejected) {
  TempDir dir;
  SigningKey a = TestKey(1);
  auto ours = NewNetworkStore(dir, a, "ours.db");
  auto theirs = NewNetworkStore(dir, TestKey(2), "theirs.db");
  ASSERT_TRUE(theirs->AppendLocal(TestKey(2), "node", NodeBodyNamed("x"), kT0).ok());
  auto ops = AllOps(*theirs);
  auto report = ours->Ingest(ops, kT0);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(ours->Stats()->ops, 1u);  // only our own genesis
}

TEST(Store, OneTamperedOpRejectsTheWholeBatch) {
  TempDir dir;
  SigningKey a = TestKey(1);
  auto origin = NewNetworkStore(dir, a);
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(origin->AppendLocal(a, "node", NodeBodyNamed("a"), kT0).ok());
  auto ops = AllOps(*origin);
  ops[2].signature[10] ^= 1;
  auto replica = EmptyReplica(dir, *origin, "b.db");
  auto report = replica->Ingest(ops, kT0);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().field().find("op 3"), std::string::npos) << report.status().ToString();
  EXPECT_EQ(replica->Stats()->ops, 0u);
}

TEST(Store, ATamperedBodyIsRejected) {
  TempDir dir;
  SigningKey a = TestKey(1);
  auto origin = NewNetworkStore(dir, a);
  ASSERT_TRUE(origin->AppendLocal(a, "node", NodeBodyNamed("abc"), kT0).ok());
  auto ops = AllOps(*origin);
  (*ops[1].body)[ops[1].body->size() - 1] ^= 1;
  auto replica = EmptyReplica(dir, *origin, "b.db");
  auto report = replica->Ingest(ops, kT0);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().detail().find("op.body"), std::string::npos);
  EXPECT_EQ(replica->Stats()->ops, 0u);
}

TEST(Store, AGapInAnAuthorsChainRejectsTheBatch) {
  TempDir dir;
  SigningKey a = TestKey(1);
  auto origin = NewNetworkStore(dir, a);
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(origin->AppendLocal(a, "node", NodeBodyNamed("a"), kT0).ok());
  auto ops = AllOps(*origin);
  ops.erase(ops.begin() + 1);  // seq 2 missing
  auto replica = EmptyReplica(dir, *origin, "b.db");
  auto report = replica->Ingest(ops, kT0);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().detail().find("missing earlier ops"), std::string::npos);
  EXPECT_EQ(replica->Stats()->ops, 0u);
}

TEST(Store, ABrokenChainIsRejected) {
  TempDir dir;
  SigningKey a = TestKey(1);
  auto store = NewNetworkStore(dir, a);
  auto network = **store->NetworkId();
  OpDraft draft;
  draft.seq = 2;
  draft.prev = Hash{};  // not the id of seq 1
  draft.prev->fill(9);
  draft.hlc = Hlc::FromParts(kT0, 0);
  draft.type = "node";
  draft.body = NodeBodyNamed("liar");
  auto op = SignOp(a, network, draft);
  ASSERT_TRUE(op.ok());
  auto report = store->Ingest(std::vector<SignedOp>{*op}, kT0);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().detail().find("broken chain"), std::string::npos);
  EXPECT_EQ(store->Stats()->ops, 1u);
  ExpectHealthy(*store);
}

// Two different ops signed by one author with the same seq.
struct Fork {
  std::vector<SignedOp> branch_a;  // seq 1 (genesis), 2a, 3a
  SignedOp op_2b;
  SignedOp op_2c;
};

Fork MakeFork(const TempDir& dir, const SigningKey& a) {
  auto origin = NewNetworkStore(dir, a, "fork-origin.db");
  EXPECT_TRUE(origin->AppendLocal(a, "node", NodeBodyNamed("2a"), kT0).ok());
  EXPECT_TRUE(origin->AppendLocal(a, "node", NodeBodyNamed("3a"), kT0).ok());
  Fork fork;
  fork.branch_a = AllOps(*origin);
  auto network = **origin->NetworkId();
  OpDraft draft;
  draft.seq = 2;
  draft.prev = fork.branch_a[0].id;
  draft.hlc = Hlc::FromParts(kT0 + 1, 0);
  draft.type = "node";
  draft.body = NodeBodyNamed("2b");
  fork.op_2b = *SignOp(a, network, draft);
  draft.body = NodeBodyNamed("2c");
  fork.op_2c = *SignOp(a, network, draft);
  return fork;
}

std::vector<Hash> HeldIds(Store& store) {
  std::vector<Hash> ids;
  for (const SignedOp& op : AllOps(store)) ids.push_back(op.id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST(Store, EquivocationKeepsTheProofPairAndDropsEverythingPastIt) {
  TempDir dir;
  SigningKey a = TestKey(1);
  Fork fork = MakeFork(dir, a);
  auto store = Store::Open(dir.File("replica.db"));
  ASSERT_TRUE((*store)->SetNetworkId(fork.branch_a[0].id).ok());
  ASSERT_TRUE((*store)->Ingest(fork.branch_a, kT0).ok());

  auto report = (*store)->Ingest(std::vector<SignedOp>{fork.op_2b}, kT0);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->equivocations, 1u);

  auto heads = (*store)->Heads();
  ASSERT_EQ(heads->size(), 1u);
  EXPECT_EQ((*heads)[0].fork_seq, 2u);
  EXPECT_EQ((*heads)[0].seq, 2u);
  EXPECT_EQ((*heads)[0].op_id, std::min(fork.branch_a[1].id, fork.op_2b.id));
  EXPECT_EQ((*(*store)->GetOp(fork.branch_a[0].id))->state, OpState::kValid);
  EXPECT_EQ((*(*store)->GetOp(fork.branch_a[1].id))->state, OpState::kProof);
  EXPECT_EQ((*(*store)->GetOp(fork.op_2b.id))->state, OpState::kProof);
  EXPECT_FALSE((*store)->GetOp(fork.branch_a[2].id)->has_value());  // 3a: past the fork
  ExpectHealthy(**store);

  // The same proof again is a duplicate; later ops of either branch are not kept.
  auto again = (*store)->Ingest(std::vector<SignedOp>{fork.op_2b, fork.branch_a[2]}, kT0);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->duplicates, 1u);
  EXPECT_EQ(again->ignored, 1u);
  EXPECT_EQ((*store)->Stats()->ops, 3u);
}

TEST(Store, AThirdVariantAtTheForkKeepsTheTwoLowestIds) {
  TempDir dir;
  SigningKey a = TestKey(1);
  Fork fork = MakeFork(dir, a);
  auto store = Store::Open(dir.File("replica.db"));
  ASSERT_TRUE((*store)->SetNetworkId(fork.branch_a[0].id).ok());
  ASSERT_TRUE((*store)->Ingest(fork.branch_a, kT0).ok());
  ASSERT_TRUE((*store)->Ingest(std::vector<SignedOp>{fork.op_2b}, kT0).ok());
  ASSERT_TRUE((*store)->Ingest(std::vector<SignedOp>{fork.op_2c}, kT0).ok());
  std::vector<Hash> variants = {fork.branch_a[1].id, fork.op_2b.id, fork.op_2c.id};
  std::sort(variants.begin(), variants.end());
  std::vector<Hash> expected = {fork.branch_a[0].id, variants[0], variants[1]};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(HeldIds(**store), expected);
  ExpectHealthy(**store);
}

TEST(Store, WhatAForkLeavesDoesNotDependOnArrivalOrder) {
  TempDir dir;
  SigningKey a = TestKey(1);
  Fork fork = MakeFork(dir, a);
  std::vector<SignedOp> all = fork.branch_a;
  all.push_back(fork.op_2b);
  all.push_back(fork.op_2c);
  std::vector<Hash> reference;
  std::mt19937 rng(11);
  for (int trial = 0; trial < 12; ++trial) {
    std::shuffle(all.begin(), all.end(), rng);
    auto store = Store::Open(dir.File("r" + std::to_string(trial) + ".db"));
    ASSERT_TRUE((*store)->SetNetworkId(fork.branch_a[0].id).ok());
    // Deliver one op at a time where the chain allows it, retrying the others later.
    std::vector<SignedOp> pending = all;
    while (!pending.empty()) {
      std::vector<SignedOp> later;
      for (const SignedOp& op : pending) {
        if (!(*store)->Ingest(std::vector<SignedOp>{op}, kT0).ok()) later.push_back(op);
      }
      ASSERT_LT(later.size(), pending.size()) << "no progress";
      pending = later;
    }
    ExpectHealthy(**store);
    if (trial == 0) {
      reference = HeldIds(**store);
    } else {
      EXPECT_EQ(HeldIds(**store), reference) << "trial " << trial;
    }
    EXPECT_EQ((*(*store)->Heads())[0].fork_seq, 2u);
  }
}

TEST(Store, AForkBecomesKnownToANodeHoldingOneBranch) {
  TempDir dir;
  SigningKey a = TestKey(1);
  Fork fork = MakeFork(dir, a);
  auto knows = Store::Open(dir.File("knows.db"));
  ASSERT_TRUE((*knows)->SetNetworkId(fork.branch_a[0].id).ok());
  ASSERT_TRUE((*knows)->Ingest(fork.branch_a, kT0).ok());
  ASSERT_TRUE((*knows)->Ingest(std::vector<SignedOp>{fork.op_2b}, kT0).ok());
  auto unaware = Store::Open(dir.File("unaware.db"));
  ASSERT_TRUE((*unaware)->SetNetworkId(fork.branch_a[0].id).ok());
  ASSERT_TRUE((*unaware)->Ingest(fork.branch_a, kT0).ok());  // holds 1, 2a, 3a

  std::vector<SignedOp> sent;
  ASSERT_TRUE((*knows)
                  ->ForEachOpSince(*(*unaware)->Vector(),
                                   [&](StoredOp&& s) {
                                     sent.push_back(std::move(s.op));
                                     return true;
                                   })
                  .ok());
  EXPECT_EQ(sent.size(), 2u);  // the proof pair, though the vector says it holds seq 3
  auto report = (*unaware)->Ingest(sent, kT0);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->equivocations, 1u);
  EXPECT_EQ(HeldIds(**unaware), HeldIds(**knows));
  EXPECT_EQ(*(*unaware)->Vector(), *(*knows)->Vector());
}

TEST(Store, ANodeWhoseKeyEquivocatedMayNoLongerAuthor) {
  TempDir dir;
  SigningKey a = TestKey(1);
  Fork fork = MakeFork(dir, a);
  auto store = Store::Open(dir.File("replica.db"));
  ASSERT_TRUE((*store)->SetNetworkId(fork.branch_a[0].id).ok());
  ASSERT_TRUE((*store)->Ingest(fork.branch_a, kT0).ok());
  ASSERT_TRUE((*store)->Ingest(std::vector<SignedOp>{fork.op_2b}, kT0).ok());
  auto op = (*store)->AppendLocal(a, "node", NodeBodyNamed("more"), kT0);
  ASSERT_FALSE(op.ok());
  EXPECT_NE(op.status().ToString().find("another device"), std::string::npos);
}

TEST(Store, AnUnknownOpTypeIsRefusedEvenWithItsBodyErased) {
  TempDir dir;
  SigningKey a = TestKey(1);
  auto store = NewNetworkStore(dir, a);
  OpDraft draft;
  draft.seq = 2;
  draft.prev = AllOps(*store)[0].id;
  draft.hlc = Hlc::FromParts(kT0, 0);
  draft.type = "zzz";
  draft.body = Bytes{0x80};
  auto op = SignOp(a, **store->NetworkId(), draft);
  ASSERT_TRUE(op.ok());
  op->body.reset();
  auto report = store->Ingest(std::vector<SignedOp>{*op}, kT0);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().detail().find("unknown op type"), std::string::npos);
}

TEST(Store, ClockNeverGoesBackwardsAcrossARestart) {
  TempDir dir;
  SigningKey a = TestKey(1);
  Hlc first;
  {
    auto store = NewNetworkStore(dir, a);
    auto op = store->AppendLocal(a, "node", NodeBodyNamed("a"), kT0 + 10'000);
    ASSERT_TRUE(op.ok());
    first = op->header.hlc;
  }
  auto store = Store::Open(dir.File("nanse.db"));
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->CurrentHlc(), first);
  // The wall clock jumped back (a Pi without a real-time clock rebooted into 1970).
  auto op = (*store)->AppendLocal(a, "node", NodeBodyNamed("b"), 0);
  ASSERT_TRUE(op.ok());
  EXPECT_GT(op->header.hlc, first);
}

TEST(Store, LocalOpsAreOrderedAfterEverythingIngested) {
  TempDir dir;
  SigningKey a = TestKey(1), b = TestKey(2);
  auto origin = NewNetworkStore(dir, a);
  Admit(*origin, a, b);
  auto future = origin->AppendLocal(a, "node", NodeBodyNamed("far"), kT0 + 86'400'000);
  ASSERT_TRUE(future.ok());
  auto replica = EmptyReplica(dir, *origin, "b.db");
  ASSERT_TRUE(replica->Ingest(AllOps(*origin), kT0).ok());
  auto mine = replica->AppendLocal(b, "node", NodeBodyNamed("b"), kT0);
  ASSERT_TRUE(mine.ok());
  EXPECT_GT(mine->header.hlc, future->header.hlc);
}

TEST(Store, OpsSinceAVectorStreamPerAuthorInSeqOrder) {
  TempDir dir;
  SigningKey a = TestKey(1), b = TestKey(2);
  auto store = NewNetworkStore(dir, a);
  Admit(*store, a, b);  // a: genesis and invite; b: its claim
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store->AppendLocal(a, "node", NodeBodyNamed("a"), kT0 + i).ok());
    ASSERT_TRUE(store->AppendLocal(b, "node", NodeBodyNamed("b"), kT0 + i).ok());
  }
  VersionVector since;
  since.Advance(a.public_key(), 3);
  std::vector<std::pair<PublicKey, uint64_t>> seen;
  ASSERT_TRUE(store
                  ->ForEachOpSince(since,
                                   [&](StoredOp&& s) {
                                     seen.emplace_back(s.op.header.author, s.op.header.seq);
                                     return true;
                                   })
                  .ok());
  ASSERT_EQ(seen.size(), 2u + 4u);  // a: 4,5; b: 1..4
  for (size_t i = 1; i < seen.size(); ++i) {
    if (seen[i].first == seen[i - 1].first) {
      EXPECT_EQ(seen[i].second, seen[i - 1].second + 1);
    }
  }
  for (const auto& [author, seq] : seen) {
    if (author == a.public_key()) {
      EXPECT_GT(seq, 3u);
    }
  }
}

TEST(Store, AStoreBelongsToOneNetwork) {
  TempDir dir;
  auto store = NewNetworkStore(dir, TestKey(1));
  Hash other{};
  other.fill(3);
  EXPECT_FALSE(store->SetNetworkId(other).ok());
  EXPECT_FALSE(store->CreateGenesis(TestKey(1), "again", kT0).ok());
}

}  // namespace
}  // namespace nanse
