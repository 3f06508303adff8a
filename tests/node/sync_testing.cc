#include "tests/node/sync_testing.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "crdt/msgpack_io.h"
#include "crdt/op_bodies.h"
#include "node/sync_messages.h"

namespace nanse::testing {
namespace {

// More messages than any test needs: sessions that keep talking would otherwise hang the test.
constexpr size_t kRunaway = 1000;

Status Runaway() {
  return Status::Invalid(
      "shuttle", "the sessions do not settle: over " + std::to_string(kRunaway) + " messages");
}

}  // namespace

PublicKey SyncNodeId(uint8_t n) { return TestKey(static_cast<uint8_t>(200 + n)).public_key(); }

std::unique_ptr<Store> EmptyReplica(const TempDir& dir, Store& origin, const std::string& file) {
  auto store = Store::Open(dir.File(file));
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  auto id = origin.NetworkId();
  EXPECT_TRUE(id.ok() && id->has_value());
  EXPECT_TRUE((*store)->SetNetworkId(**id).ok());
  return std::move(*store);
}

void CopyOps(Store& from, Store& to) {
  auto report = to.Ingest(AllOps(from), kSyncT0);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
}

RecordId OrgId(uint32_t n) {
  std::array<uint8_t, 16> b{};
  b[0] = 0x5e;
  for (int i = 0; i < 4; ++i) b[12 + i] = static_cast<uint8_t>(n >> (24 - 8 * i));
  return MakeUuidV4(b);
}

NewRecord Organization(uint32_t n, size_t pad) {
  NewRecord r = TestOrganization("Coop " + std::to_string(n));
  r.id = OrgId(n);
  if (pad > 0) {
    r.fields.push_back(
        {Table::kMember, {}, "description", "en", MsgpackStr(std::string(pad, 'x')), {}});
  }
  return r;
}

void AddOrganizations(Store& store, const SigningKey& key, uint32_t first, size_t ops,
                      size_t per_op, size_t pad) {
  std::vector<Store::LocalOp> batch;
  uint32_t n = first;
  for (size_t i = 0; i < ops; ++i) {
    std::vector<NewRecord> records;
    for (size_t j = 0; j < per_op; ++j) records.push_back(Organization(n++, pad));
    auto body = EncodeRecordsAdd(Table::kMember, records);
    ASSERT_TRUE(body.ok()) << body.status().ToString();
    batch.push_back({"member.add", std::move(*body)});
  }
  auto made = store.AppendLocalBatch(key, std::move(batch), kSyncT0);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
}

SignedOp SetLocality(Store& store, const SigningKey& key, uint32_t n, const std::string& value,
                     int64_t wall_millis) {
  auto heads = store.directory().Heads(Table::kMember, OrgId(n), "locality", "");
  EXPECT_TRUE(heads.ok());
  auto body = EncodeFieldWrites(
      Table::kMember, {{Table::kMember, OrgId(n), "locality", "", MsgpackStr(value), *heads}});
  EXPECT_TRUE(body.ok()) << body.status().ToString();
  auto op = store.AppendLocal(key, "member.set", *body, wall_millis);
  EXPECT_TRUE(op.ok()) << op.status().ToString();
  return op.ok() ? *op : SignedOp{};
}

std::vector<SignedOp> LoneAuthors(const Hash& network, size_t n) {
  std::vector<SignedOp> ops;
  for (size_t i = 0; i < n; ++i) {
    Seed seed{};
    seed[0] = 0xa5;
    seed[1] = static_cast<uint8_t>(i >> 8);
    seed[2] = static_cast<uint8_t>(i);
    OpDraft draft;
    draft.hlc = Hlc::FromParts(kSyncT0, 0);
    draft.type = "node";
    draft.body = EncodeNodeBody({"lone", {}});
    auto op = SignOp(SigningKey::FromSeed(seed), network, draft);
    EXPECT_TRUE(op.ok()) << op.status().ToString();
    if (op.ok()) ops.push_back(std::move(*op));
  }
  return ops;
}

std::vector<SignedOp> OpsIn(ByteView message) {
  auto decoded = DecodeSyncMessage(message);
  EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
  if (!decoded.ok() || !std::holds_alternative<SyncOps>(*decoded)) return {};
  return std::get<SyncOps>(*decoded).ops;
}

Status Shuttle::Run(size_t limit) {
  cut_ = false;
  for (;;) {
    bool moved = false;
    for (bool from_a : {true, false}) {
      SyncSession& from = from_a ? a_ : b_;
      SyncSession& to = from_a ? b_ : a_;
      std::vector<Bytes> taken;
      for (;;) {
        auto next = from.Next();
        if (!next.ok()) return next.status();
        if (!*next) break;
        taken.push_back(std::move(**next));
        if (log_.size() + taken.size() > kRunaway) return Runaway();
      }
      for (Bytes& message : taken) {
        if (log_.size() >= limit) {
          cut_ = true;
          return Status::Ok();
        }
        auto decoded = DecodeSyncMessage(message);
        const std::string kind = decoded.ok() ? SyncMessageName(*decoded) : "undecodable";
        NANSE_RETURN_IF_ERROR(to.OnMessage(message));
        log_.push_back({from_a, std::move(message), kind});
        moved = true;
      }
    }
    if (!moved) return Status::Ok();
  }
}

size_t Shuttle::Count(std::string_view kind) const {
  return static_cast<size_t>(
      std::count_if(log_.begin(), log_.end(), [&](const Carried& c) { return c.kind == kind; }));
}

size_t Shuttle::Largest() const {
  size_t largest = 0;
  for (const Carried& c : log_) largest = std::max(largest, c.bytes.size());
  return largest;
}

}  // namespace nanse::testing
