// Property: random sets of directory ops from several authors (concurrent edits of the same
// fields, concurrent reversals, joins and leaves, repeated adds of one id), delivered to several
// replicas in random orders and batches, with duplicates, give byte-identical materialized
// state; and the incremental state equals a rebuild from the log.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <random>

#include "crdt/directory_state.h"
#include "crdt/membership.h"
#include "crdt/op_bodies.h"
#include "crdt/text_codec.h"
#include "node/dues_report.h"
#include "node/store.h"
#include "tests/node/history_testing.h"
#include "tests/node/test_home.h"

namespace nanse {
namespace {

using testing::Deliver;
using testing::DerivedViews;
using testing::ExpectMatchesModel;
using testing::RandomHistory;
using testing::TempDir;
using testing::TestKey;

constexpr int64_t kT0 = 1'700'000'000'000;

RC_GTEST_PROP(DirectoryConvergence, ReplicasThatSawTheSameOpsShowTheSameDirectory, ()) {
  const size_t authors = *rc::gen::inRange<size_t>(3, 6);
  const auto seed = *rc::gen::arbitrary<uint32_t>();
  TempDir dir;
  SigningKey admin = TestKey(1);
  std::unique_ptr<Store> origin;
  {
    auto s = Store::Open(dir.File("origin.db"));
    RC_ASSERT(s.ok());
    origin = std::move(*s);
  }
  auto genesis = origin->CreateGenesis(admin, "Property net", kT0);
  RC_ASSERT(genesis.ok());
  const Hash network = genesis->id;
  const std::vector<SignedOp> history = RandomHistory(network, admin, *genesis, authors, seed);

  std::mt19937 rng(seed ^ 0x9e3779b9u);
  std::string reference;
  for (int replica = 0; replica < 3; ++replica) {
    auto store = Store::Open(dir.File("replica" + std::to_string(replica) + ".db"));
    RC_ASSERT(store.ok());
    RC_ASSERT((*store)->SetNetworkId(network).ok());
    Deliver(**store, history, rng);
    auto incremental = (*store)->directory().Dump();
    RC_ASSERT(incremental.ok());
    *incremental += DerivedViews(**store);
    RC_ASSERT((*store)->Rebuild().ok());
    auto rebuilt = (*store)->directory().Dump();
    RC_ASSERT(rebuilt.ok());
    *rebuilt += DerivedViews(**store);
    RC_ASSERT(*incremental == *rebuilt);
    DirectoryState model;
    for (const SignedOp& op : history) RC_ASSERT(model.Apply(op).ok());
    RC_ASSERT((*store)->Stats()->ops == history.size());  // no op lost, none forked
    ExpectMatchesModel(**store, model);
    if (replica == 0) {
      reference = *incremental;
    } else {
      RC_ASSERT(*incremental == reference);
    }
  }
  RC_TAG(authors);
}

}  // namespace
}  // namespace nanse
