// SyncSession between real stores, pumped in memory by a deterministic shuttle: an empty store
// catching up, stores already in sync, changes made apart on both sides, ops relayed to a
// third store (after the catch-up too, live), a connection cut after every message, and the
// digest-first Hello (with vectors in one part, and in several past 1,000 authors).
#include "node/sync_session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <span>

#include "crdt/op_bodies.h"
#include "crdt/text_codec.h"
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

// Ops that `other` holds and `holder` lacks, by the two vectors (no forks in these tests).
uint64_t Lacks(const VersionVector& holder, const VersionVector& other) {
  uint64_t n = 0;
  for (const auto& [author, seq] : other.entries()) {
    n += seq > holder.Get(author) ? seq - holder.Get(author) : 0;
  }
  return n;
}

class SyncSessionTest : public ::testing::Test {
 protected:
  // A network started by k1_ in `file`, with k2_ and k3_ admitted as admins.
  std::unique_ptr<Store> Network(const std::string& file) {
    auto store = testing::NewNetworkStore(dir_, k1_, file);
    testing::Admit(*store, k1_, k2_);
    testing::Admit(*store, k1_, k3_);
    return store;
  }

  // Network() plus `ops` member.add ops per author (`per_op` organizations each, padded by
  // `pad` bytes), and k2's member.set of the locality of organizations 1 to 3.
  std::unique_ptr<Store> History(const std::string& file, size_t ops, size_t per_op,
                                 size_t pad = 0) {
    auto store = Network(file);
    uint32_t next = 1;
    for (const SigningKey* key : {&k1_, &k2_, &k3_}) {
      AddOrganizations(*store, *key, next, ops, per_op, pad);
      next += static_cast<uint32_t>(ops * per_op);
    }
    for (uint32_t n = 1; n <= 3; ++n) SetLocality(*store, k2_, n, "Kingston", kSyncT0 + n);
    return store;
  }

  // Sessions of node 1 (on `a`) and node 2 (on `b`) with each other.
  std::pair<std::unique_ptr<SyncSession>, std::unique_ptr<SyncSession>> Sessions(
      Store& a, Store& b, SyncSession::Options options = {}) {
    return {std::make_unique<SyncSession>(a, SyncNodeId(1), SyncNodeId(2), clock_, options),
            std::make_unique<SyncSession>(b, SyncNodeId(2), SyncNodeId(1), clock_, options)};
  }

  void ExpectSame(Store& a, Store& b) {
    EXPECT_EQ(*a.Vector(), *b.Vector());
    EXPECT_EQ(*a.directory().Dump(), *b.directory().Dump());
  }

  TempDir dir_;
  ManualClock clock_{kSyncT0};
  SigningKey k1_ = TestKey(1), k2_ = TestKey(2), k3_ = TestKey(3);
};

TEST_F(SyncSessionTest, AnEmptyStoreReceivesEverythingInMessagesThatFit) {
  // 3 authors x 100 member.add ops of 4 organizations, and 3 member.set ops.
  auto a = History("a.db", 100, 4, 100);
  // An observer whose key sorts before the admins' describes itself: its chain must still go
  // after theirs, which carry its admission.
  SigningKey observer = TestKey(4);
  for (uint8_t n = 5;
       !(observer.public_key() < std::min({k1_.public_key(), k2_.public_key(), k3_.public_key()}));
       ++n) {
    observer = TestKey(n);
  }
  testing::Admit(*a, k1_, observer, "observer");
  ASSERT_TRUE(a->AppendLocal(observer, "node", EncodeNodeBody({"o", {}}), kSyncT0).ok());
  auto b = EmptyReplica(dir_, *a, "b.db");  // only the network id, not even the genesis
  const uint64_t lacked = a->Stats()->ops;
  ASSERT_GT(lacked, 300u);
  auto [sa, sb] = Sessions(*a, *b);
  Shuttle shuttle(*sa, *sb);
  ASSERT_TRUE(shuttle.Run().ok());

  ExpectSame(*a, *b);
  EXPECT_EQ(b->directory().ListRecords(Table::kMember)->size(), 1200u);
  EXPECT_EQ((*b->directory().GetRecord(Table::kMember, testing::OrgId(2)))->Text("locality"),
            "Kingston");
  // The admins' chains came first, so nothing waited for its author's admission.
  size_t last_admin_op = 0, first_observer_op = SIZE_MAX, position = 0;
  for (const testing::Carried& m : shuttle.log()) {
    for (const SignedOp& op : OpsIn(m.bytes)) {
      ++position;
      if (op.header.author == observer.public_key()) {
        first_observer_op = std::min(first_observer_op, position);
      } else {
        last_admin_op = position;
      }
    }
  }
  EXPECT_LT(last_admin_op, first_observer_op);
  auto verdicts = b->VerdictsByAuthor();
  ASSERT_TRUE(verdicts.ok());
  for (const auto& [author, counts] : *verdicts) {
    EXPECT_EQ(counts.pending + counts.invalid, 0u) << ShortId(author);
  }
  EXPECT_TRUE(sa->caught_up());
  EXPECT_TRUE(sb->caught_up());
  EXPECT_EQ(sa->counters().ops_out, lacked);
  EXPECT_EQ(sb->counters().ops_in, lacked);
  EXPECT_EQ(sb->counters().ops_added, lacked);
  EXPECT_EQ(sb->counters().ops_out, 0u);
  // Several Ops messages, each within one transport message.
  EXPECT_GE(shuttle.Count("ops"), 3u);
  EXPECT_LE(shuttle.Largest(), kMaxSyncMessage);
  EXPECT_EQ(sa->counters().bytes_out, sb->counters().bytes_in);
}

TEST_F(SyncSessionTest, StoresAlreadyInSyncExchangeNoOps) {
  auto a = History("a.db", 5, 2);
  auto b = EmptyReplica(dir_, *a, "b.db");
  CopyOps(*a, *b);
  auto [sa, sb] = Sessions(*a, *b);
  Shuttle shuttle(*sa, *sb);
  ASSERT_TRUE(shuttle.Run().ok());

  EXPECT_TRUE(sa->caught_up() && sb->caught_up());
  for (SyncSession* s : {sa.get(), sb.get()}) {
    EXPECT_EQ(s->counters().ops_out, 0u);
    EXPECT_EQ(s->counters().ops_in, 0u);
  }
  // Hello and CaughtUp each way, nothing else.
  EXPECT_EQ(shuttle.delivered(), 4u);
  EXPECT_EQ(shuttle.Count("hello"), 2u);
  EXPECT_EQ(shuttle.Count("caught_up"), 2u);
  const uint64_t bytes = sa->counters().bytes_in + sa->counters().bytes_out;
  EXPECT_EQ(bytes, sb->counters().bytes_in + sb->counters().bytes_out);
  std::cout << "already-in-sync application bytes both ways (inline vector of "
            << a->Vector()->size() << " authors): " << bytes << "\n";
  RecordProperty("in_sync_bytes_inline_vector", static_cast<int>(bytes));
}

TEST_F(SyncSessionTest, ChangesMadeApartFlowBothWaysAndAConcurrentWriteConflicts) {
  auto a = History("a.db", 3, 2);
  auto b = EmptyReplica(dir_, *a, "b.db");
  CopyOps(*a, *b);
  const VersionVector base = *a->Vector();
  // Apart: k1 writes in a, k2 and k3 in b, and both write organization 1's locality.
  AddOrganizations(*a, k1_, 5000, 4, 2);
  const SignedOp in_a = SetLocality(*a, k1_, 1, "Oaxaca", kSyncT0 + 100);
  AddOrganizations(*b, k2_, 6000, 3, 2);
  AddOrganizations(*b, k3_, 7000, 2, 2);
  const SignedOp in_b = SetLocality(*b, k2_, 1, "Negril", kSyncT0 + 100);
  const uint64_t only_a = Lacks(base, *a->Vector());
  const uint64_t only_b = Lacks(base, *b->Vector());
  ASSERT_EQ(only_a, 5u);
  ASSERT_EQ(only_b, 6u);

  auto [sa, sb] = Sessions(*a, *b);
  Shuttle shuttle(*sa, *sb);
  ASSERT_TRUE(shuttle.Run().ok());

  ExpectSame(*a, *b);
  EXPECT_TRUE(sa->caught_up() && sb->caught_up());
  EXPECT_EQ(sa->counters().ops_out, only_a);
  EXPECT_EQ(sb->counters().ops_out, only_b);
  EXPECT_EQ(sa->counters().ops_added, only_b);
  EXPECT_EQ(sb->counters().ops_added, only_a);
  EXPECT_EQ(sa->counters().ops_in, sa->counters().ops_added);  // nothing sent twice
  EXPECT_EQ(sb->counters().ops_in, sb->counters().ops_added);
  // Both writes are heads of the register, on both sides, and shown in the same order.
  for (Store* s : {a.get(), b.get()}) {
    auto conflicts = s->directory().Conflicts();
    ASSERT_TRUE(conflicts.ok());
    ASSERT_EQ(conflicts->size(), 1u);
    const Conflict& c = (*conflicts)[0];
    EXPECT_EQ(c.record, testing::OrgId(1));
    EXPECT_EQ(c.field, "locality");
    ASSERT_EQ(c.heads.size(), 2u);
    std::vector<Hash> heads = {c.heads[0].op_id, c.heads[1].op_id};
    std::sort(heads.begin(), heads.end());
    EXPECT_EQ(heads, (std::vector<Hash>{std::min(in_a.id, in_b.id), std::max(in_a.id, in_b.id)}));
  }
  EXPECT_EQ((*a->directory().Conflicts())[0].heads[0].op_id,
            (*b->directory().Conflicts())[0].heads[0].op_id);
}

TEST_F(SyncSessionTest, OpsHopOnToAThirdStoreAndLiveSessionsPushNewOps) {
  auto a = History("a.db", 10, 2);
  auto b = EmptyReplica(dir_, *a, "b.db");
  auto c = EmptyReplica(dir_, *a, "c.db");
  // a and b sync; then b and c: c ends with a's ops though a and c never talked.
  auto [ab, ba] = Sessions(*a, *b);
  Shuttle a_b(*ab, *ba);
  ASSERT_TRUE(a_b.Run().ok());
  auto [bc, cb] = Sessions(*b, *c);
  Shuttle b_c(*bc, *cb);
  ASSERT_TRUE(b_c.Run().ok());
  ExpectSame(*a, *c);
  EXPECT_TRUE(ab->caught_up() && bc->caught_up());

  // Both sessions stay open. A new op in a's store is what a's session yields next, alone.
  const SignedOp fresh = SetLocality(*a, k3_, 2, "Montego Bay", kSyncT0 + 500);
  auto pushed = ab->Next();
  ASSERT_TRUE(pushed.ok() && pushed->has_value());
  std::vector<SignedOp> ops = OpsIn(**pushed);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].id, fresh.id);
  EXPECT_FALSE(ab->Next()->has_value());

  ASSERT_TRUE(ba->OnMessage(**pushed).ok());
  EXPECT_TRUE(ba->stored_new_ops());
  EXPECT_TRUE(b->GetOp(fresh.id)->has_value());
  EXPECT_FALSE(ba->Next()->has_value()) << "b must not echo the op back to a";

  // b's session with c pushes it on.
  auto relayed = bc->Next();
  ASSERT_TRUE(relayed.ok() && relayed->has_value());
  ops = OpsIn(**relayed);
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].id, fresh.id);
  ASSERT_TRUE(cb->OnMessage(**relayed).ok());
  EXPECT_FALSE(bc->Next()->has_value());
  EXPECT_FALSE(cb->Next()->has_value());
  ExpectSame(*a, *c);
  EXPECT_EQ((*c->directory().GetRecord(Table::kMember, testing::OrgId(2)))->Text("locality"),
            "Montego Bay");
}

TEST_F(SyncSessionTest, ACutAfterAnyMessageResumesWithoutResendingWhatWasCommitted) {
  // a holds k1's and k3's ops, b k2's: ops flow both ways, in several Ops messages each way.
  auto origin = Network("origin.db");
  auto a0 = EmptyReplica(dir_, *origin, "a0.db");
  auto b0 = EmptyReplica(dir_, *origin, "b0.db");
  CopyOps(*origin, *a0);
  CopyOps(*origin, *b0);
  AddOrganizations(*a0, k1_, 1, 60, 1, 2000);
  AddOrganizations(*a0, k3_, 1000, 60, 1, 2000);
  AddOrganizations(*b0, k2_, 2000, 80, 1, 2000);
  const std::vector<SignedOp> a_ops = AllOps(*a0), b_ops = AllOps(*b0);

  // The uncut run, for its number of messages.
  size_t total = 0;
  {
    auto [sa, sb] = Sessions(*a0, *b0);
    Shuttle shuttle(*sa, *sb);
    ASSERT_TRUE(shuttle.Run().ok());
    total = shuttle.delivered();
    size_t from_a = 0, from_b = 0;
    for (const testing::Carried& m : shuttle.log()) {
      if (m.kind == "ops") ++(m.from_a ? from_a : from_b);
    }
    EXPECT_GE(from_a, 3u);
    EXPECT_GE(from_b, 2u);
    EXPECT_LE(shuttle.Largest(), kMaxSyncMessage);
  }
  const VersionVector all = *a0->Vector();

  for (size_t k = 1; k <= total; ++k) {
    SCOPED_TRACE("cut after " + std::to_string(k) + " of " + std::to_string(total));
    TempDir dir;
    auto a = EmptyReplica(dir, *origin, "a.db");
    auto b = EmptyReplica(dir, *origin, "b.db");
    ASSERT_TRUE(a->Ingest(a_ops, kSyncT0).ok());
    ASSERT_TRUE(b->Ingest(b_ops, kSyncT0).ok());
    {
      auto [sa, sb] = Sessions(*a, *b);
      Shuttle first(*sa, *sb);
      ASSERT_TRUE(first.Run(k).ok());
      EXPECT_EQ(first.delivered(), k);
    }  // the connection drops; only the stores remain
    const VersionVector va = *a->Vector(), vb = *b->Vector();
    auto [sa, sb] = Sessions(*a, *b);
    Shuttle second(*sa, *sb);
    ASSERT_TRUE(second.Run().ok());
    EXPECT_EQ(*a->Vector(), all);
    EXPECT_EQ(*b->Vector(), all);
    EXPECT_TRUE(sa->caught_up() && sb->caught_up());
    // Exactly what each side lacked after the cut, and no op the other already held.
    EXPECT_EQ(sa->counters().ops_out, Lacks(vb, va));
    EXPECT_EQ(sb->counters().ops_out, Lacks(va, vb));
    EXPECT_EQ(sa->counters().ops_in - sa->counters().ops_added, 0u);
    EXPECT_EQ(sb->counters().ops_in - sb->counters().ops_added, 0u);
    if (k == total) {
      EXPECT_EQ(second.Count("ops"), 0u);
    }
  }
}

TEST_F(SyncSessionTest, DigestFirstHellosSettleWithoutTheVectorWhenInSync) {
  auto a = History("a.db", 5, 2);
  auto b = EmptyReplica(dir_, *a, "b.db");
  CopyOps(*a, *b);
  uint64_t inline_bytes = 0, digest_bytes = 0;
  for (size_t inline_authors : {size_t{32}, size_t{0}}) {
    auto [sa, sb] = Sessions(*a, *b, {.inline_vector_authors = inline_authors});
    Shuttle shuttle(*sa, *sb);
    ASSERT_TRUE(shuttle.Run().ok());
    EXPECT_TRUE(sa->caught_up() && sb->caught_up());
    EXPECT_EQ(shuttle.Count("want_vector"), 0u);
    EXPECT_EQ(shuttle.Count("vector"), 0u);
    EXPECT_EQ(sa->counters().ops_out + sb->counters().ops_out, 0u);
    (inline_authors ? inline_bytes : digest_bytes) =
        sa->counters().bytes_in + sa->counters().bytes_out;
  }
  EXPECT_LT(digest_bytes, inline_bytes);
  std::cout << "already-in-sync application bytes both ways (" << a->Vector()->size()
            << " authors): inline vector " << inline_bytes << ", digest only " << digest_bytes
            << "\n";
  RecordProperty("in_sync_bytes_digest_only", static_cast<int>(digest_bytes));
}

TEST_F(SyncSessionTest, DigestFirstHellosAskForTheVectorWhenTheyDiffer) {
  // a sends only its digest; b too, then b sends its vector inline.
  for (size_t b_inline : {size_t{0}, size_t{32}}) {
    SCOPED_TRACE("b inlines up to " + std::to_string(b_inline) + " authors");
    const std::string n = std::to_string(b_inline);
    // Both hold the admissions; then k1 and k2 write in a, k3 in b: vectors of 3 authors.
    auto a = Network("a" + n + ".db");
    auto b = EmptyReplica(dir_, *a, "b" + n + ".db");
    CopyOps(*a, *b);
    AddOrganizations(*a, k1_, 1, 4, 2);
    AddOrganizations(*a, k2_, 100, 3, 2);
    AddOrganizations(*b, k3_, 200, 5, 2);
    const VersionVector va = *a->Vector(), vb = *b->Vector();
    ASSERT_EQ(vb.size(), 3u);
    SyncSession sa(*a, SyncNodeId(1), SyncNodeId(2), clock_, {.inline_vector_authors = 0});
    SyncSession sb(*b, SyncNodeId(2), SyncNodeId(1), clock_, {.inline_vector_authors = b_inline});
    Shuttle shuttle(sa, sb);
    ASSERT_TRUE(shuttle.Run().ok());
    ExpectSame(*a, *b);
    EXPECT_TRUE(sa.caught_up() && sb.caught_up());
    // b asked for a's vector and got it in one part of 3 authors; a asked for b's only when b
    // sent its digest alone.
    const size_t asked = b_inline == 0 ? 2u : 1u;
    EXPECT_EQ(shuttle.Count("want_vector"), asked);
    EXPECT_EQ(shuttle.Count("vector"), asked);
    EXPECT_TRUE(sa.peer_vector_known() && sb.peer_vector_known());
    EXPECT_EQ(sa.counters().ops_out, Lacks(vb, va));
    EXPECT_EQ(sb.counters().ops_out, Lacks(va, vb));
    EXPECT_EQ(sa.counters().ops_in, sa.counters().ops_added);
    EXPECT_EQ(sb.counters().ops_in, sb.counters().ops_added);
  }
}

TEST_F(SyncSessionTest, AVectorOfMoreThanAThousandAuthorsGoesInParts) {
  // 2,100 authors in a, 1,500 of them in b: more than one Vector message each way.
  auto a = testing::NewNetworkStore(dir_, k1_, "a.db");
  auto b = EmptyReplica(dir_, *a, "b.db");
  const std::vector<SignedOp> lone = testing::LoneAuthors(**a->NetworkId(), 2100);
  ASSERT_TRUE(a->Ingest(lone, kSyncT0).ok());
  ASSERT_TRUE(b->Ingest(std::span(lone).first(1500), kSyncT0).ok());
  const VersionVector va = *a->Vector(), vb = *b->Vector();
  auto [sa, sb] = Sessions(*a, *b);  // the default: a digest first past 32 authors
  Shuttle shuttle(*sa, *sb);
  ASSERT_TRUE(shuttle.Run().ok());
  EXPECT_EQ(*a->Vector(), *b->Vector());
  EXPECT_TRUE(sa->caught_up() && sb->caught_up());
  size_t parts_from_a = 0, parts_from_b = 0;
  for (const testing::Carried& m : shuttle.log()) {
    if (m.kind == "vector") ++(m.from_a ? parts_from_a : parts_from_b);
  }
  EXPECT_EQ(parts_from_a, 3u);  // 2,101 entries (the genesis author too)
  EXPECT_EQ(parts_from_b, 2u);
  EXPECT_LE(shuttle.Largest(), kMaxSyncMessage);
  EXPECT_EQ(sa->counters().ops_out, Lacks(vb, va));
  EXPECT_EQ(sb->counters().ops_out, 0u);
}

// An inline limit above what one message carries: past 1,000 entries the digest goes first
// (a Hello of 1,002 entries would be refused by every peer).
TEST_F(SyncSessionTest, AnInlineLimitAboveAThousandStillMakesAHelloPeersAccept) {
  auto a = testing::NewNetworkStore(dir_, k1_, "a.db");
  auto b = EmptyReplica(dir_, *a, "b.db");
  ASSERT_TRUE(a->Ingest(testing::LoneAuthors(**a->NetworkId(), 1001), kSyncT0).ok());
  auto [sa, sb] = Sessions(*a, *b, {.inline_vector_authors = 5000});
  Shuttle shuttle(*sa, *sb);
  const Status status = shuttle.Run();
  EXPECT_TRUE(status.ok()) << status.ToString();
  EXPECT_TRUE(*a->Vector() == *b->Vector());
}

}  // namespace
}  // namespace nanse
