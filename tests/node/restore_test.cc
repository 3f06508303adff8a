// A node restored from a key backup must not fork its own chain: it refuses to author until a
// bundle (later, a sync) has brought it its own ops up to the seq the backup recorded.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "node/node.h"
#include "tests/node/test_home.h"

namespace nanse {
namespace {

using testing::NewNetworkStore;
using testing::TempDir;
using testing::TestKey;

constexpr std::string_view kPassphrase = "a long enough passphrase";
constexpr int64_t kT0 = 1'700'000'000'000;

bool Mentions(const Status& s, const std::string& text) {
  return s.ToString().find(text) != std::string::npos;
}

// Node `a` made the network and authored a few ops; its key was then backed up, and it went
// on authoring. `a_early.bundle` holds a's ops from before the backup, `a.bundle` all of them.
class RestoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = Node::Init(dir_.File("a"), "Restore net", "a", clock_, random_);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    a_ = std::move(*a);
    ASSERT_TRUE(a_->DescribeSelf({"a 2", {}}).ok());  // seq 3
    ASSERT_TRUE(a_->ExportBundle(dir_.File("a_early.bundle"), {}).ok());
    ASSERT_TRUE(a_->DescribeSelf({"a 3", {}}).ok());  // seq 4
    auto exported = a_->ExportKey(backup_, kPassphrase, TestOnlyKdfLimits());
    ASSERT_TRUE(exported.ok()) << exported.status().ToString();
    EXPECT_EQ(exported->head_seq, 4u);
    ASSERT_TRUE(a_->DescribeSelf({"a 4", {}}).ok());  // seq 5, after the backup
    ASSERT_TRUE(a_->ExportBundle(dir_.File("a.bundle"), {}).ok());
  }

  std::unique_ptr<Node> RestoreB() {
    auto b = Node::Restore(dir_.File("b"), backup_, kPassphrase, clock_, random_);
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    return b.ok() ? std::move(*b) : nullptr;
  }

  TempDir dir_;
  ManualClock clock_{kT0};
  SeededRandom random_{7};
  std::string backup_ = dir_.File("a.key");
  std::unique_ptr<Node> a_;
};

TEST_F(RestoreTest, TheBackupFileIsReadableOnlyByItsOwner) {
  struct stat st;
  ASSERT_EQ(::stat(backup_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}

TEST_F(RestoreTest, ARestoredNodeHasTheSameIdentityAndNetworkAndNoOps) {
  auto b = RestoreB();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->id(), a_->id());
  EXPECT_EQ(b->network().id, a_->network().id);
  EXPECT_EQ(b->network().name, "Restore net");
  EXPECT_EQ(b->network().key, a_->network().key);
  EXPECT_EQ(b->store().Stats()->ops, 0u);
  auto wait = b->RestoreWaiting();
  ASSERT_TRUE(wait.ok() && *wait);
  EXPECT_EQ((*wait)->author, a_->id());
  EXPECT_EQ((*wait)->seq, 4u);
}

TEST_F(RestoreTest, ARestoredNodeRefusesToAuthorEvenAfterReopening) {
  auto b = RestoreB();
  ASSERT_TRUE(b);
  auto op = b->DescribeSelf({"b", {}});
  ASSERT_FALSE(op.ok());
  EXPECT_EQ(op.status().code(), Status::Code::kInvalid);
  EXPECT_TRUE(Mentions(op.status(), "restored from a backup")) << op.status().ToString();
  EXPECT_TRUE(Mentions(op.status(), "import a bundle or sync")) << op.status().ToString();
  b.reset();
  auto reopened = Node::Open(dir_.File("b"), clock_, random_);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_FALSE((*reopened)->DescribeSelf({"b", {}}).ok());
  EXPECT_EQ((*reopened)->store().Stats()->ops, 0u);
}

TEST_F(RestoreTest, AfterImportingItsOwnChainItContinuesItWithoutAFork) {
  auto b = RestoreB();
  ASSERT_TRUE(b);
  auto imported = b->ImportBundle(dir_.File("a.bundle"));
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_FALSE(*b->RestoreWaiting());
  auto op = b->DescribeSelf({"b", {}});
  ASSERT_TRUE(op.ok()) << op.status().ToString();
  EXPECT_EQ(op->header.seq, 6u);  // after a's seq 5, which the backup did not know of
  auto a_head = a_->store().LatestOfType(a_->id(), "node");
  ASSERT_TRUE(a_head.ok() && *a_head);
  EXPECT_EQ(op->header.prev, (*a_head)->op.id);

  // The old device learns of it: one chain, no equivocation.
  ASSERT_TRUE(b->ExportBundle(dir_.File("b.bundle"), {}).ok());
  auto back = a_->ImportBundle(dir_.File("b.bundle"));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->ingest.equivocations, 0u);
  EXPECT_EQ(back->ingest.added, 1u);
  for (Node* node : {a_.get(), b.get()}) {
    auto heads = node->store().Heads();
    ASSERT_TRUE(heads.ok());
    ASSERT_EQ(heads->size(), 1u);
    EXPECT_EQ((*heads)[0].author, a_->id());
    EXPECT_EQ((*heads)[0].seq, 6u);
    EXPECT_FALSE((*heads)[0].fork_seq);
    EXPECT_TRUE(node->store().Check()->empty());
  }
}

TEST_F(RestoreTest, ABundleOlderThanTheBackupDoesNotEndTheWait) {
  auto b = RestoreB();
  ASSERT_TRUE(b);
  auto early = b->ImportBundle(dir_.File("a_early.bundle"));
  ASSERT_TRUE(early.ok()) << early.status().ToString();
  EXPECT_EQ(b->store().Vector()->Get(a_->id()), 3u);  // below the backup's 4
  EXPECT_TRUE(*b->RestoreWaiting());
  EXPECT_FALSE(b->DescribeSelf({"b", {}}).ok());
  ASSERT_TRUE(b->ImportBundle(dir_.File("a.bundle")).ok());
  EXPECT_FALSE(*b->RestoreWaiting());
  EXPECT_TRUE(b->DescribeSelf({"b", {}}).ok());
}

TEST_F(RestoreTest, OpsOfOtherAuthorsAloneDoNotEndTheWait) {
  auto code = DecodeInviteCode(a_->Invite("admin", std::nullopt, {})->code);
  ASSERT_TRUE(code.ok());
  auto c = Node::Join(dir_.File("c"), *code, "c", clock_, random_);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  VersionVector without_a;
  without_a.Advance(a_->id(), 100);  // c's own ops only
  ASSERT_TRUE((*c)->ExportBundle(dir_.File("c.bundle"), without_a).ok());
  auto b = RestoreB();
  ASSERT_TRUE(b);
  auto imported = b->ImportBundle(dir_.File("c.bundle"));
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->ingest.added, 2u);  // c's claim and node op
  EXPECT_TRUE(*b->RestoreWaiting());
  EXPECT_FALSE(b->DescribeSelf({"b", {}}).ok());
}

TEST_F(RestoreTest, ForceAuthorsAnywayAndEndsTheWaitForGood) {
  auto b = RestoreB();
  ASSERT_TRUE(b);
  // Its ops up to seq 3 of the 4 the backup knew of: it still waits.
  ASSERT_TRUE(b->ImportBundle(dir_.File("a_early.bundle")).ok());
  EXPECT_TRUE(*b->RestoreWaiting());
  b->ForceAuthoring();
  auto op = b->DescribeSelf({"b", {}});
  ASSERT_TRUE(op.ok()) << op.status().ToString();
  EXPECT_EQ(op->header.seq, 4u);  // it knew its chain up to seq 3 only
  EXPECT_FALSE(*b->RestoreWaiting());
  b.reset();
  auto reopened = Node::Open(dir_.File("b"), clock_, random_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_FALSE(*(*reopened)->RestoreWaiting());
  EXPECT_TRUE((*reopened)->DescribeSelf({"b again", {}}).ok());

  // Which is exactly the danger the wait prevents: the old device sees its key forked.
  ASSERT_TRUE((*reopened)->ExportBundle(dir_.File("b.bundle"), {}).ok());
  auto back = a_->ImportBundle(dir_.File("b.bundle"));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->ingest.equivocations, 1u);
  auto heads = a_->store().Heads();
  ASSERT_TRUE(heads.ok());
  ASSERT_EQ(heads->size(), 1u);
  EXPECT_EQ((*heads)[0].fork_seq, std::optional<uint64_t>(4));
}

TEST_F(RestoreTest, ForceChangesNothingUntilSomethingIsAuthored) {
  auto b = RestoreB();
  ASSERT_TRUE(b);
  b->ForceAuthoring();
  EXPECT_TRUE(*b->RestoreWaiting());
  b.reset();
  auto reopened = Node::Open(dir_.File("b"), clock_, random_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_TRUE(*(*reopened)->RestoreWaiting());  // the override lasted one Node only
  EXPECT_FALSE((*reopened)->DescribeSelf({"b", {}}).ok());
}

TEST_F(RestoreTest, NodesThatWereNotRestoredNeverWait) {
  EXPECT_FALSE(*a_->RestoreWaiting());
  a_->ForceAuthoring();  // harmless without a wait
  EXPECT_TRUE(a_->DescribeSelf({"a 5", {}}).ok());
  auto code = DecodeInviteCode(a_->Invite("admin", std::nullopt, {})->code);
  auto c = Node::Join(dir_.File("c"), *code, "c", clock_, random_);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(*(*c)->RestoreWaiting());
}

TEST_F(RestoreTest, RestoreRefusesAnExistingHomeAndAWrongPassphraseLeavesNoHome) {
  auto over_a = Node::Restore(dir_.File("a"), backup_, kPassphrase, clock_, random_);
  ASSERT_FALSE(over_a.ok());
  EXPECT_EQ(over_a.status().code(), Status::Code::kAlreadyExists);
  auto wrong = Node::Restore(dir_.File("b"), backup_, "not the passphrase", clock_, random_);
  ASSERT_FALSE(wrong.ok());
  EXPECT_TRUE(Mentions(wrong.status(), "wrong passphrase")) << wrong.status().ToString();
  EXPECT_TRUE(Mentions(wrong.status(), backup_)) << wrong.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(dir_.File("b")));
  auto missing = Node::Restore(dir_.File("b"), dir_.File("nope.key"), kPassphrase, clock_, random_);
  EXPECT_FALSE(missing.ok());
  EXPECT_FALSE(std::filesystem::exists(dir_.File("b")));
}

TEST_F(RestoreTest, ExportRefusesToOverwriteAFile) {
  auto again = a_->ExportKey(backup_, kPassphrase, TestOnlyKdfLimits());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Status::Code::kAlreadyExists);
  auto into_home = a_->ExportKey(a_->home().KeyPath(), kPassphrase, TestOnlyKdfLimits());
  EXPECT_FALSE(into_home.ok());
  EXPECT_TRUE(Node::Open(dir_.File("a"), clock_, random_).ok());
}

TEST_F(RestoreTest, AWaitingNodesOwnBackupKeepsTheSeqItWaitsFor) {
  auto b = RestoreB();
  ASSERT_TRUE(b);
  auto exported = b->ExportKey(dir_.File("b.key"), kPassphrase, TestOnlyKdfLimits());
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  EXPECT_EQ(exported->head_seq, 4u);  // it holds none of its ops, but knows of 4
}

TEST_F(RestoreTest, ExportKeyUsesModerateLimitsByDefault) {
  const std::string file = dir_.File("moderate.key");
  ASSERT_TRUE(a_->ExportKey(file, kPassphrase).ok());
  auto bytes = ReadWholeFile(file, kMaxKeyBackupBytes);
  ASSERT_TRUE(bytes.ok());
  uint64_t ops = 0, mem = 0;
  for (size_t i = 0; i < 8; ++i) {
    ops = (ops << 8) | (*bytes)[11 + i];
    mem = (mem << 8) | (*bytes)[19 + i];
  }
  EXPECT_EQ(ops, ModerateKdfLimits().opslimit);
  EXPECT_EQ(mem, ModerateKdfLimits().memlimit);
}

// The same rules at the store level, where they live.
TEST(RestoreWait, OnlyTheRestoredAuthorWaitsAndOnlyANonEmptyBatchEndsTheWait) {
  TempDir dir;
  SigningKey origin = TestKey(1);
  SigningKey restored = TestKey(2);
  auto store = NewNetworkStore(dir, origin);
  testing::Admit(*store, origin, restored);
  ASSERT_TRUE(store->MarkRestored(restored.public_key(), 0).ok());
  // Another key may author (the wait protects one chain).
  EXPECT_TRUE(store->AppendLocal(origin, "node", EncodeNodeBody({"o", {}}), kT0).ok());
  std::vector<Store::LocalOp> batch;
  batch.push_back({"node", EncodeNodeBody({"r", {}})});
  auto refused = store->AppendLocalBatch(restored, batch, kT0);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(Mentions(refused.status(), "--force"));
  // Seq 0: nothing to learn of its own chain, but it must still hear from elsewhere.
  ASSERT_TRUE(store->Ingest({}, kT0).ok());
  EXPECT_TRUE(*store->RestoreWaiting());
  std::vector<SignedOp> mine;
  ASSERT_TRUE(store
                  ->ForEachOpSince({},
                                   [&](StoredOp&& s) {
                                     mine.push_back(std::move(s.op));
                                     return true;
                                   })
                  .ok());
  auto report = store->Ingest(mine, kT0);  // duplicates only, yet a batch from elsewhere
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(*store->RestoreWaiting());
  EXPECT_TRUE(store->AppendLocalBatch(restored, batch, kT0).ok());
}

TEST(RestoreWait, AFailedIngestLeavesTheWait) {
  TempDir dir;
  SigningKey key = TestKey(1);
  auto origin = NewNetworkStore(dir, key);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(origin->AppendLocal(key, "node", EncodeNodeBody({"n", {}}), kT0 + i).ok());
  }
  std::vector<SignedOp> ops;
  ASSERT_TRUE(origin
                  ->ForEachOpSince({},
                                   [&](StoredOp&& s) {
                                     ops.push_back(std::move(s.op));
                                     return true;
                                   })
                  .ok());
  auto restored = Store::Open(dir.File("restored.db"));
  ASSERT_TRUE(restored.ok());
  ASSERT_TRUE((*restored)->SetNetworkId(**origin->NetworkId()).ok());
  ASSERT_TRUE((*restored)->MarkRestored(key.public_key(), 4).ok());
  ops.erase(ops.begin() + 1);  // a gap: the whole batch is refused
  EXPECT_FALSE((*restored)->Ingest(ops, kT0).ok());
  EXPECT_TRUE(*(*restored)->RestoreWaiting());
}

}  // namespace
}  // namespace nanse

namespace nanse {
namespace {

// The backup does not carry the node's role: a restored node forced to author before it holds
// any op authors pending ops, which are judged wherever its admission is known.
TEST(RestoreForce, ANodeThatHoldsNoOpsAuthorsPendingOps) {
  testing::TempDir dir;
  ManualClock clock(1'700'000'000'000);
  SeededRandom random(3);
  auto a = Node::Init(dir.File("a"), "Net", "a", clock, random);
  ASSERT_TRUE(a.ok());
  const std::string backup = dir.File("a.key");
  ASSERT_TRUE((*a)->ExportKey(backup, "a long enough passphrase", TestOnlyKdfLimits()).ok());
  auto b = Node::Restore(dir.File("b"), backup, "a long enough passphrase", clock, random);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  (*b)->ForceAuthoring();
  auto op = (*b)->DescribeSelf({"b", {}});
  ASSERT_TRUE(op.ok()) << op.status().ToString();
  auto stored = (*b)->store().GetOp(op->id);
  ASSERT_TRUE(stored.ok() && *stored);
  EXPECT_EQ((*stored)->verdict.effect, Effect::kPending);
  b->reset();
  auto reopened = Node::Open(dir.File("b"), clock, random);
  ASSERT_TRUE(reopened.ok());
  EXPECT_TRUE((*reopened)->DescribeSelf({"b again", {}}).ok());
}

}  // namespace
}  // namespace nanse
