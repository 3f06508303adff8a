// Random histories for property tests of the store: ops from several authors on their own
// chains (concurrent edits of the same fields, concurrent reversals, joins and leaves, repeated
// adds of one id, and optionally random membership ops), delivered to stores in random orders
// and batches, and the checks that compare a store with the pure model.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "crdt/directory_state.h"
#include "crdt/operation.h"
#include "node/store.h"

namespace nanse::testing {

inline constexpr int64_t kHistoryT0 = 1'700'000'000'000;

// How the authors of a random history come to be members.
enum class Admission {
  kAllAdmins,  // each is invited as an admin and claims at once, before any other op
  kRandom,     // invites, claims, role changes, revocations and cancellations mixed in
};

// A random history by `authors` authors (the first made `genesis` with `genesis_key`).
std::vector<SignedOp> RandomHistory(const Hash& network, const SigningKey& genesis_key,
                                    const SignedOp& genesis, size_t authors, uint32_t seed,
                                    Admission admission = Admission::kAllAdmins);

// Delivers `ops` to `store` in random batches, with duplicates, retrying what arrived before
// its predecessor on the author's chain.
void Deliver(Store& store, std::vector<SignedOp> ops, std::mt19937& rng);

// What users see that is derived at query time: dues status, effective entries, conflicts.
std::string DerivedViews(Store& store);

// The materialized tables agree with the pure model of the merge rules (crdt/directory_state.h):
// each register's winner and heads, each record's kind and creation.
void ExpectMatchesModel(Store& store, const DirectoryState& model);

}  // namespace nanse::testing
