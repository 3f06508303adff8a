#include "tests/node/test_home.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>

#include "crdt/msgpack_io.h"

namespace nanse::testing {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/nanse-test-XXXXXX";
  char* made = mkdtemp(pattern.data());
  if (!made) std::abort();
  path_ = made;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

SigningKey TestKey(uint8_t n) {
  Seed seed{};
  seed.fill(n);
  return SigningKey::FromSeed(seed);
}

std::unique_ptr<Store> NewNetworkStore(const TempDir& dir, const SigningKey& key,
                                       const std::string& file) {
  auto store = Store::Open(dir.File(file));
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  auto genesis = (*store)->CreateGenesis(key, "Test network", 1'700'000'000'000);
  EXPECT_TRUE(genesis.ok()) << genesis.status().ToString();
  return std::move(*store);
}

void Admit(Store& store, const SigningKey& admin, const SigningKey& node, const std::string& role,
           std::optional<RecordId> member, int64_t wall_millis) {
  // A ticket key that differs per node, so one store can admit several.
  Seed seed{};
  std::copy_n(node.public_key().begin(), seed.size(), seed.begin());
  seed[0] ^= 0x5a;
  const SigningKey ticket = SigningKey::FromSeed(seed);
  auto invite = store.AppendLocal(admin, "invite",
                                  EncodeInvite({ticket.public_key(), role, member}), wall_millis);
  ASSERT_TRUE(invite.ok()) << invite.status().ToString();
  auto network = store.NetworkId();
  ASSERT_TRUE(network.ok() && *network);
  const Signature proof = ticket.Sign(ClaimMessage(**network, node.public_key()));
  auto claim =
      store.AppendLocal(node, "claim", EncodeClaim({ticket.public_key(), proof}), wall_millis);
  ASSERT_TRUE(claim.ok()) << claim.status().ToString();
}

std::vector<SignedOp> AllOps(Store& store) {
  std::vector<SignedOp> ops;
  EXPECT_TRUE(store
                  .ForEachOpSince({},
                                  [&](StoredOp&& s) {
                                    ops.push_back(std::move(s.op));
                                    return true;
                                  })
                  .ok());
  return ops;
}

Bytes MsgpackStr(const std::string& s) {
  detail::MsgpackWriter w;
  w.Str(s);
  return w.Take();
}

NewRecord TestOrganization(const std::string& name) {
  NewRecord r;
  r.kind = "organization";
  r.fields.push_back({Table::kMember, {}, "name", "en", MsgpackStr(name), {}});
  r.fields.push_back({Table::kMember, {}, "joined_on", "", MsgpackStr("2024-02-01"), {}});
  r.fields.push_back({Table::kMember, {}, "country", "", MsgpackStr("JM"), {}});
  detail::MsgpackWriter langs;
  langs.Array(1);
  langs.Str("en");
  r.fields.push_back({Table::kMember, {}, "languages", "", langs.Take(), {}});
  return r;
}

}  // namespace nanse::testing
