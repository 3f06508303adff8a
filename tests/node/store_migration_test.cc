// A store opened on a database of an older schema is migrated.
#include <gtest/gtest.h>

#include "crdt/op_bodies.h"
#include "node/store.h"
#include "tests/node/test_home.h"

namespace nanse {
namespace {

using testing::NewNetworkStore;
using testing::TempDir;
using testing::TestKey;

constexpr int64_t kT0 = 1'700'000'000'000;

Bytes NodeBodyNamed(const std::string& name) { return EncodeNodeBody({name, {}}); }

// A database written by schema version 1 (no verdict columns) is migrated on open: every op
// judged, the directory rebuilt from the applied ones.
TEST(Store, AVersionOneDatabaseIsMigratedAndJudged) {
  TempDir dir;
  SigningKey a = TestKey(1), stranger = TestKey(9);
  std::string before;
  {
    auto store = NewNetworkStore(dir, a);
    ASSERT_TRUE(store->AppendLocal(a, "node", NodeBodyNamed("a"), kT0).ok());
    OpDraft d;
    d.seq = 1;
    d.hlc = Hlc::FromParts(kT0, 0);
    d.type = "node";
    d.body = NodeBodyNamed("stranger");
    auto op = SignOp(stranger, **store->NetworkId(), d);
    ASSERT_TRUE(op.ok());
    ASSERT_TRUE(store->Ingest(std::vector<SignedOp>{*op}, kT0).ok());
    before = *store->directory().Dump();
  }
  {
    auto db = detail::SqliteDb::Open(dir.File("nanse.db"));
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)
                    ->Exec("DROP INDEX ops_not_applied; ALTER TABLE ops DROP COLUMN effect; "
                           "ALTER TABLE ops DROP COLUMN why; "
                           "UPDATE meta SET value=1 WHERE key='schema'")
                    .ok());
  }
  auto store = Store::Open(dir.File("nanse.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto counts = (*store)->VerdictsByAuthor();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->at(a.public_key()).applied, 2u);
  EXPECT_EQ(counts->at(stranger.public_key()).pending, 1u);
  EXPECT_EQ(*(*store)->directory().Dump(), before);
  auto problems = (*store)->Check();
  ASSERT_TRUE(problems.ok());
  EXPECT_TRUE(problems->empty());
}

}  // namespace
}  // namespace nanse
