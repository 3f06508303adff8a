// Writes the seed corpus of the fuzzers (fuzz/seeds/): a real op, invite code, vector, bundle
// and key backup. Run by hand after a format change: build/fuzz/fuzz/make_seeds fuzz/seeds
#include <cstdio>
#include <string>

#include "crdt/invite_code.h"
#include "crdt/op_bodies.h"
#include "node/bundle.h"
#include "node/clock.h"
#include "node/key_backup.h"

namespace {
void Write(const std::string& path, nanse::ByteView bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return;
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const std::string dir = argv[1];
  nanse::Seed seed{};
  seed.fill(3);
  auto key = nanse::SigningKey::FromSeed(seed);
  nanse::NetworkInfo network;
  network.id.fill(1);
  network.key.fill(2);
  network.name = "fuzz";
  nanse::OpDraft draft;
  draft.seq = 2;
  draft.prev = nanse::Hash{};
  draft.hlc = nanse::Hlc::FromParts(1'700'000'000'000, 1);
  draft.type = "node";
  draft.body = nanse::EncodeNodeBody({"Coopérative", {"127.0.0.1:7410", "[::1]:7410"}});
  auto op = nanse::SignOp(key, network.id, draft);
  Write(dir + "/op/node_op", nanse::EncodeOp(*op));
  Write(dir + "/op/header", op->header_bytes);
  // Version 2: with a ticket, a role, a member and the invite op's hlc; and without a member.
  nanse::InviteCode code{network.id, "fuzz", network.key, {"example.org:7410"}};
  code.ticket_seed.fill(4);
  code.role = "treasurer";
  code.member = nanse::RecordId{};
  code.member->fill(5);
  code.invite_hlc = nanse::Hlc::FromParts(1'700'000'000'000, 2);
  std::string text = nanse::EncodeInviteCode(code);
  Write(dir + "/invite/code", nanse::AsBytes(text));
  code.member.reset();
  code.role = "observer";
  code.peers.clear();
  std::string text_no_member = nanse::EncodeInviteCode(code);
  Write(dir + "/invite/code_no_member", nanse::AsBytes(text_no_member));
  nanse::VersionVector vv;
  vv.Advance(key.public_key(), 12);
  std::string vtext = vv.ToText();
  Write(dir + "/invite/vector", nanse::AsBytes(vtext));
  nanse::Bundle bundle;
  bundle.from = key.public_key();
  bundle.from_vector = vv;
  bundle.ops = {*op, *op};
  Write(dir + "/bundle/two_ops", *nanse::EncodeBundle(network, bundle));
  nanse::KeyBackup backup;
  backup.seed = seed;
  backup.network_id = network.id;
  backup.network_name = network.name;
  backup.network_key = network.key;
  backup.head_seq = 12;
  nanse::SeededRandom random(1);
  Write(dir + "/key_backup/backup",
        *nanse::EncodeKeyBackup(backup, "fuzz passphrase", random, nanse::TestOnlyKdfLimits()));
  return 0;
}
