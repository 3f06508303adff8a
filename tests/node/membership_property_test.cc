// Property: random interleavings of invites, claims, role changes, revocations and
// cancellations with ordinary edits, delivered to several stores in random orders and
// batches, give every replica the same verdict on every op (applied, pending or invalid, with
// the same reason) and the same materialized directory; the verdicts equal the pure
// ComputeMembership of the op set, the directory equals the pure model of exactly the applied
// ops, and judging everything again from scratch (Rebuild) changes nothing.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <random>

#include "crdt/directory_state.h"
#include "crdt/membership.h"
#include "crdt/text_codec.h"
#include "node/store.h"
#include "tests/node/history_testing.h"
#include "tests/node/test_home.h"

namespace nanse {
namespace {

using testing::Admission;
using testing::Deliver;
using testing::DerivedViews;
using testing::ExpectMatchesModel;
using testing::kHistoryT0;
using testing::RandomHistory;
using testing::TempDir;
using testing::TestKey;

std::map<Hash, Verdict> StoredVerdicts(Store& store) {
  std::map<Hash, Verdict> out;
  RC_ASSERT(store
                .ForEachOpSince({},
                                [&](StoredOp&& op) {
                                  out[op.op.id] = op.verdict;
                                  return true;
                                })
                .ok());
  return out;
}

std::string Describe(const std::map<Hash, Verdict>& verdicts) {
  std::string out;
  for (const auto& [id, v] : verdicts) {
    out += ShortId(id) + " " + EffectName(v.effect) + " " + v.why + "\n";
  }
  return out;
}

RC_GTEST_PROP(MembershipConvergence, EveryReplicaJudgesEveryOpAlikeAndAsThePureRulesDo, ()) {
  const size_t authors = *rc::gen::inRange<size_t>(3, 6);
  const auto seed = *rc::gen::arbitrary<uint32_t>();
  TempDir dir;
  const SigningKey admin = TestKey(1);
  auto origin = Store::Open(dir.File("origin.db"));
  RC_ASSERT(origin.ok());
  auto genesis = (*origin)->CreateGenesis(admin, "Membership net", kHistoryT0);
  RC_ASSERT(genesis.ok());
  const Hash network = genesis->id;
  const std::vector<SignedOp> history =
      RandomHistory(network, admin, *genesis, authors, seed, Admission::kRandom);

  // The pure rules, on the whole op set.
  std::vector<OpFacts> facts;
  for (const SignedOp& op : history) {
    auto f = FactsOf(op);
    RC_ASSERT(f.ok());
    facts.push_back(std::move(*f));
  }
  const MembershipView pure = ComputeMembership(facts, network);
  std::map<Hash, Verdict> expected;
  DirectoryState model;
  size_t applied = 0;
  for (const SignedOp& op : history) {
    Verdict v;
    if (auto it = pure.invalid.find(op.id); it != pure.invalid.end()) {
      v = {Effect::kInvalid, it->second};
    } else if (auto p = pure.pending.find(op.id); p != pure.pending.end()) {
      v = {Effect::kPending, p->second};
    } else {
      RC_ASSERT(model.Apply(op).ok());
      ++applied;
    }
    expected[op.id] = v;
  }

  std::mt19937 rng(seed ^ 0x5bd1e995u);
  std::string reference;
  for (int replica = 0; replica < 3; ++replica) {
    auto store = Store::Open(dir.File("replica" + std::to_string(replica) + ".db"));
    RC_ASSERT(store.ok());
    RC_ASSERT((*store)->SetNetworkId(network).ok());
    Deliver(**store, history, rng);
    RC_ASSERT((*store)->Stats()->ops == history.size());

    const std::map<Hash, Verdict> verdicts = StoredVerdicts(**store);
    if (verdicts != expected) {
      RC_FAIL("replica " + std::to_string(replica) + " judged:\n" + Describe(verdicts) +
              "the pure rules:\n" + Describe(expected));
    }
    auto incremental = (*store)->directory().Dump();
    RC_ASSERT(incremental.ok());
    *incremental += DerivedViews(**store);
    ExpectMatchesModel(**store, model);

    RC_ASSERT((*store)->Rebuild().ok());
    RC_ASSERT(StoredVerdicts(**store) == expected);
    auto rebuilt = (*store)->directory().Dump();
    RC_ASSERT(rebuilt.ok());
    *rebuilt += DerivedViews(**store);
    RC_ASSERT(*incremental == *rebuilt);
    if (replica == 0) {
      reference = *incremental;
    } else {
      RC_ASSERT(*incremental == reference);
    }
  }
  RC_CLASSIFY(applied * 2 > history.size(), "mostly applied");
  RC_CLASSIFY(!pure.pending.empty(), "some pending");
  RC_CLASSIFY(pure.nodes.size() > 2, "several nodes admitted");
}

}  // namespace
}  // namespace nanse
