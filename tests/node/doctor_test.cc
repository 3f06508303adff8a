#include "node/doctor.h"

#include <gtest/gtest.h>

#include "crdt/op_bodies.h"
#include "crdt/text_codec.h"
#include "tests/node/test_home.h"

namespace nanse {
namespace {

using testing::NewNetworkStore;
using testing::TempDir;
using testing::TestKey;

constexpr int64_t kNow = 1'800'000'000'000;

TEST(Doctor, AHealthyLogHasNothingToReport) {
  TempDir dir;
  auto store = NewNetworkStore(dir, TestKey(1));
  auto findings = Diagnose(*store, 1'700'000'000'000);
  ASSERT_TRUE(findings.ok());
  EXPECT_TRUE(findings->empty());
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

}  // namespace
}  // namespace nanse
