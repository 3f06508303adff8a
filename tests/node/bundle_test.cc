#include "node/bundle.h"

#include <gtest/gtest.h>

#include "node/node.h"
#include "tests/node/test_home.h"

namespace nanse {
namespace {

using testing::TempDir;

// Two homes in one network: `a` made it, `b` joined with a's invite.
class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto a = Node::Init(dir_.File("a"), "Bundle net", "a", clock_, random_);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    a_ = std::move(*a);
    auto code = DecodeInviteCode(a_->Invite("admin", std::nullopt, {})->code);
    ASSERT_TRUE(code.ok());
    auto b = Node::Join(dir_.File("b"), *code, "b", clock_, random_);
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    b_ = std::move(*b);
  }

  uint64_t OpCount(Node& node) { return node.store().Stats()->ops; }

  TempDir dir_;
  ManualClock clock_{1'700'000'000'000};
  SeededRandom random_{42};
  std::unique_ptr<Node> a_, b_;
};

TEST_F(BundleTest, RoundTripMovesEveryOp) {
  const std::string file = dir_.File("a.bundle");
  auto exported = a_->ExportBundle(file, {});
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  EXPECT_EQ(exported->ops, 3u);  // genesis, a's node op and its invite of b
  auto imported = b_->ImportBundle(file);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->ingest.added, 3u);
  EXPECT_EQ(imported->from, a_->id());
  EXPECT_EQ(b_->store().Vector()->Get(a_->id()), 3u);
}

TEST_F(BundleTest, ImportingTheSameBundleTwiceChangesNothing) {
  const std::string file = dir_.File("a.bundle");
  ASSERT_TRUE(a_->ExportBundle(file, {}).ok());
  ASSERT_TRUE(b_->ImportBundle(file).ok());
  auto before = b_->store().Stats();
  auto again = b_->ImportBundle(file);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ingest.added, 0u);
  EXPECT_EQ(again->ingest.duplicates, 3u);
  EXPECT_EQ(b_->store().Stats()->bytes, before->bytes);
}

TEST_F(BundleTest, SinceAVectorExportsOnlyWhatIsMissing) {
  const std::string first = dir_.File("first.bundle");
  ASSERT_TRUE(a_->ExportBundle(first, {}).ok());
  ASSERT_TRUE(b_->ImportBundle(first).ok());
  ASSERT_TRUE(a_->DescribeSelf({"a renamed", {"127.0.0.1:7410"}}).ok());
  const std::string second = dir_.File("second.bundle");
  auto exported = a_->ExportBundle(second, *b_->store().Vector());
  ASSERT_TRUE(exported.ok());
  EXPECT_EQ(exported->ops, 1u);
  auto imported = b_->ImportBundle(second);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_EQ(imported->ingest.added, 1u);
  EXPECT_EQ(*b_->store().Vector(), [&] {
    VersionVector vv = *a_->store().Vector();
    vv.Advance(b_->id(), 2);  // its claim and node op
    return vv;
  }());
}

TEST_F(BundleTest, EveryTamperedByteIsDetectedAndChangesNothing) {
  Bundle bundle;
  bundle.from = a_->id();
  ASSERT_TRUE(a_->store()
                  .ForEachOpSince({},
                                  [&](StoredOp&& s) {
                                    bundle.ops.push_back(s.op);
                                    return true;
                                  })
                  .ok());
  auto bytes = EncodeBundle(a_->network(), bundle);
  ASSERT_TRUE(bytes.ok());
  const uint64_t before = OpCount(*b_);
  for (size_t i = 0; i < bytes->size(); ++i) {
    Bytes tampered = *bytes;
    tampered[i] ^= 0x20;
    auto decoded = DecodeBundle(b_->network(), tampered);
    EXPECT_FALSE(decoded.ok()) << "byte " << i << " was changed without detection";
  }
  EXPECT_EQ(OpCount(*b_), before);
}

TEST_F(BundleTest, ATruncatedBundleIsRefused) {
  const std::string file = dir_.File("a.bundle");
  ASSERT_TRUE(a_->ExportBundle(file, {}).ok());
  auto bytes = ReadWholeFile(file, kMaxBundleBytes);
  ASSERT_TRUE(bytes.ok());
  for (size_t cut = 0; cut < bytes->size(); ++cut) {
    Bytes shorter(bytes->begin(), bytes->begin() + static_cast<ptrdiff_t>(cut));
    auto decoded = DecodeBundle(b_->network(), shorter);
    ASSERT_FALSE(decoded.ok()) << "accepted a bundle cut at byte " << cut;
  }
  Bytes shorter(bytes->begin(), bytes->end() - 1);
  ASSERT_TRUE(WriteFileAtomically(file, shorter, 0600).ok());
  auto imported = b_->ImportBundle(file);
  ASSERT_FALSE(imported.ok());
  EXPECT_NE(imported.status().ToString().find("truncated"), std::string::npos)
      << imported.status().ToString();
  EXPECT_EQ(OpCount(*b_), 2u);  // its own claim and node op
}

TEST_F(BundleTest, ABundleOfAnotherNetworkIsRefusedByName) {
  auto stranger = Node::Init(dir_.File("s"), "Other net", "s", clock_, random_);
  ASSERT_TRUE(stranger.ok());
  const std::string file = dir_.File("s.bundle");
  ASSERT_TRUE((*stranger)->ExportBundle(file, {}).ok());
  auto imported = b_->ImportBundle(file);
  ASSERT_FALSE(imported.ok());
  EXPECT_NE(imported.status().ToString().find("made for network"), std::string::npos)
      << imported.status().ToString();
  EXPECT_EQ(OpCount(*b_), 2u);  // its own claim and node op
}

TEST_F(BundleTest, ABundleWithTheRightIdButAnotherKeyFailsAuthentication) {
  NetworkInfo forged = a_->network();
  forged.key[0] ^= 1;
  Bundle bundle;
  bundle.from = a_->id();
  auto bytes = EncodeBundle(forged, bundle);
  ASSERT_TRUE(bytes.ok());
  auto decoded = DecodeBundle(b_->network(), *bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().ToString().find("authentication"), std::string::npos);
}

TEST_F(BundleTest, AFileThatIsNotABundleIsNamedAsSuch) {
  const std::string file = dir_.File("notes.txt");
  ASSERT_TRUE(WriteFileAtomically(file, AsBytes(std::string("hello, world\n")), 0600).ok());
  auto imported = b_->ImportBundle(file);
  ASSERT_FALSE(imported.ok());
  EXPECT_NE(imported.status().ToString().find("not a nanse bundle"), std::string::npos);
}

TEST_F(BundleTest, ABundleMissingEarlierOpsIsRefusedWhole) {
  ASSERT_TRUE(a_->DescribeSelf({"a2", {}}).ok());
  VersionVector since;
  since.Advance(a_->id(), 2);  // pretend b has a's first two ops: it does not
  const std::string file = dir_.File("gap.bundle");
  ASSERT_TRUE(a_->ExportBundle(file, since).ok());
  auto imported = b_->ImportBundle(file);
  ASSERT_FALSE(imported.ok());
  EXPECT_NE(imported.status().ToString().find("missing earlier ops"), std::string::npos);
  EXPECT_EQ(OpCount(*b_), 2u);  // its own claim and node op
}

}  // namespace
}  // namespace nanse
