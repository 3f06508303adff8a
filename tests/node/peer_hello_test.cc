#include "node/peer_hello.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "crdt/msgpack_io.h"
#include "node/node.h"
#include "node/tcp_handshake.h"
#include "tests/node/transport_testing.h"

namespace nanse {
namespace {

using testing::TestIdentity;
using testing::TestKey;
using testing::TestNoiseKey;

Bytes Hello(const SigningKey& key, const noise::DhPublicKey& static_pub) {
  return MakeHello(key, static_pub).value();
}

Bytes Encode(uint64_t version, ByteView node_id, ByteView signature) {
  detail::MsgpackWriter w;
  w.Array(3);
  w.Uint(version);
  w.Bin(node_id);
  w.Bin(signature);
  return w.Take();
}

TEST(PeerHello, RoundTripGivesTheNodeId) {
  const SigningKey key = TestKey(1);
  const auto noise = TestNoiseKey(1);
  const Bytes hello = Hello(key, noise.public_key);
  EXPECT_EQ(hello.size(), kPeerHelloSize);
  auto id = CheckHello(hello, noise.public_key);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, key.public_key());
}

TEST(PeerHello, SignsTheContextAndTheStaticKey) {
  const SigningKey key = TestKey(1);
  const auto noise = TestNoiseKey(1);
  Bytes message(kNoiseStaticContext.size() + noise.public_key.size());
  std::copy(noise.public_key.begin(), noise.public_key.end(),
            std::copy(kNoiseStaticContext.begin(), kNoiseStaticContext.end(), message.begin()));
  EXPECT_EQ(Hello(key, noise.public_key), Encode(1, key.public_key(), key.Sign(message)));
}

TEST(PeerHello, ForgedSignatureIsInvalid) {
  const auto noise = TestNoiseKey(1);
  Bytes hello = Hello(TestKey(1), noise.public_key);
  hello.back() ^= 0x01;
  auto id = CheckHello(hello, noise.public_key);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), Status::Code::kInvalid);
  EXPECT_EQ(id.status().field(), "hello.signature");
}

TEST(PeerHello, NodeIdThatDidNotSignIsInvalid) {
  // Node 2 claims node 1's signature over its own static key: the key does not match.
  const auto noise = TestNoiseKey(1);
  const Bytes real = Hello(TestKey(1), noise.public_key);
  Bytes claimed = Encode(1, TestKey(2).public_key(), ByteView(real).last(64));
  auto id = CheckHello(claimed, noise.public_key);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().field(), "hello.signature");
}

TEST(PeerHello, HelloForAnotherStaticKeyIsInvalid) {
  // A hello copied from another session (another static key) does not verify here.
  const Bytes hello = Hello(TestKey(1), TestNoiseKey(1).public_key);
  auto id = CheckHello(hello, TestNoiseKey(2).public_key);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), Status::Code::kInvalid);
}

TEST(PeerHello, MalformedHellosNameTheField) {
  const SigningKey key = TestKey(1);
  const auto noise = TestNoiseKey(1);
  const Bytes good = Hello(key, noise.public_key);
  const Signature sig = ToArray<64>(ByteView(good).last(64));

  auto field_of = [&](const Bytes& b) { return CheckHello(b, noise.public_key).status().field(); };
  EXPECT_EQ(field_of({}), "hello");
  EXPECT_EQ(field_of(Bytes(good.begin(), good.end() - 1)), "hello");  // truncated
  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_EQ(field_of(trailing), "hello");
  EXPECT_EQ(field_of(Encode(2, key.public_key(), sig)), "hello.version");

  Bytes node_id_as_str = good;
  ASSERT_EQ(node_id_as_str[2], 0xc4);  // bin 8 header of the node id
  node_id_as_str[2] = 0xd9;            // str 8
  EXPECT_EQ(field_of(node_id_as_str), "hello.node_id");

  Bytes sig_as_str = good;
  ASSERT_EQ(sig_as_str[36], 0xc4);
  sig_as_str[36] = 0xd9;
  EXPECT_EQ(field_of(sig_as_str), "hello.signature");

  Bytes not_an_array = good;
  not_an_array[0] = 0x83;  // a map of 3
  EXPECT_EQ(field_of(not_an_array), "hello");
}

TEST(PeerHello, NonCanonicalEncodingIsRefused) {
  // The version as uint8 (0xcc 0x01) instead of a fixint: the same value, not the one
  // encoding a hello has.
  const SigningKey key = TestKey(1);
  const auto noise = TestNoiseKey(1);
  Bytes good = Hello(key, noise.public_key);
  Bytes longer;
  longer.push_back(0x93);
  longer.push_back(0xcc);
  longer.push_back(0x01);
  longer.insert(longer.end(), good.begin() + 2, good.end());
  auto id = CheckHello(longer, noise.public_key);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), Status::Code::kMalformed);
}

TEST(PeerHandshake, BothSidesLearnEachOthersNodeId) {
  SeededRandom random(5);
  const PeerIdentity a = TestIdentity(1), b = TestIdentity(2);
  auto initiator = PeerHandshake::Initiator(a, random).value();
  auto responder = PeerHandshake::Responder(b, random).value();
  auto none = responder.Start();
  ASSERT_TRUE(none.ok() && !*none);
  auto m1 = initiator.Start().value().value();
  EXPECT_EQ(m1.size(), 48u);  // e + the tag of an empty payload
  auto m2 = responder.Receive(m1).value().value();
  auto m3 = initiator.Receive(m2).value().value();
  EXPECT_TRUE(initiator.done());
  auto nothing = responder.Receive(m3);
  ASSERT_TRUE(nothing.ok()) << nothing.status().ToString();
  EXPECT_FALSE(*nothing);
  ASSERT_TRUE(responder.done());
  auto ea = initiator.Finish().value();
  auto eb = responder.Finish().value();
  EXPECT_EQ(ea.peer_id, b.node_key.public_key());
  EXPECT_EQ(eb.peer_id, a.node_key.public_key());
  EXPECT_EQ(ea.session.handshake_hash(), eb.session.handshake_hash());
  Bytes sealed = ea.session.Seal(AsBytes("hi")).value();
  EXPECT_EQ(eb.session.Open(sealed).value(), Bytes({'h', 'i'}));
}

TEST(PeerHandshake, WrongNetworkKeyFailsAtMessage1WithNothingToSend) {
  SeededRandom random(5);
  const PeerIdentity a = TestIdentity(1, testing::TestNetworkKey(1));
  const PeerIdentity b = TestIdentity(2, testing::TestNetworkKey(2));
  auto initiator = PeerHandshake::Initiator(a, random).value();
  auto responder = PeerHandshake::Responder(b, random).value();
  auto reply = responder.Receive(initiator.Start().value().value());
  EXPECT_FALSE(reply.ok());
  EXPECT_EQ(responder.failure(), HandshakeFailure::kMessage1);
  EXPECT_FALSE(responder.Receive(Bytes(48)).ok());  // stays failed
}

TEST(PeerHandshake, WrongNetworkIdFailsAtMessage1) {
  SeededRandom random(5);
  const PeerIdentity a = TestIdentity(1, testing::TestNetworkKey(), testing::TestNetworkId(1));
  const PeerIdentity b = TestIdentity(2, testing::TestNetworkKey(), testing::TestNetworkId(2));
  auto initiator = PeerHandshake::Initiator(a, random).value();
  auto responder = PeerHandshake::Responder(b, random).value();
  EXPECT_FALSE(responder.Receive(initiator.Start().value().value()).ok());
  EXPECT_EQ(responder.failure(), HandshakeFailure::kMessage1);
}

TEST(PeerIdentity, NoiseKeyIsMadeOnFirstUseAndKept) {
  testing::TempDir dir;
  ManualClock clock(1'700'000'000'000);
  SeededRandom random(8);
  PublicKey id;
  NetworkInfo network;
  {
    // A home as made before the transport existed: no noise.key yet.
    auto node = Node::Init(dir.File("home"), "Net", "pi", clock, random);
    ASSERT_TRUE(node.ok()) << node.status().ToString();
    id = (*node)->id();
    network = (*node)->network();
  }
  HomeDir home(dir.File("home"));
  struct stat st;
  ASSERT_NE(::stat(home.NoiseKeyPath().c_str(), &st), 0);
  ASSERT_TRUE(home.CheckComplete().ok());

  auto first = LoadPeerIdentity(home, random);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(::stat(home.NoiseKeyPath().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(first->node_key.public_key(), id);
  EXPECT_EQ(first->network_id, network.id);
  EXPECT_EQ(first->network_key, network.key);
  EXPECT_NE(first->noise_key.public_key, noise::DhPublicKey{});

  auto second = LoadPeerIdentity(home, random);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->noise_key.public_key, first->noise_key.public_key);
  EXPECT_TRUE(home.CheckComplete().ok());
}

TEST(PeerIdentity, DamagedNoiseKeyIsRefusedNotReplaced) {
  testing::TempDir dir;
  HomeDir home(dir.path());
  SeededRandom random(9);
  const std::string damaged = "nanse-noise-key-v1 AAAA\n";
  ASSERT_TRUE(WriteFileAtomically(home.NoiseKeyPath(), AsBytes(damaged), 0600).ok());
  auto key = home.ReadOrCreateNoiseKey(random);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), Status::Code::kMalformed);
  EXPECT_EQ(*ReadWholeFile(home.NoiseKeyPath(), 100), Bytes(damaged.begin(), damaged.end()));
}

TEST(PeerIdentity, NoiseKeyInAMissingHomeIsNotFound) {
  testing::TempDir dir;
  SeededRandom random(10);
  auto key = HomeDir(dir.File("absent")).ReadOrCreateNoiseKey(random);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace nanse
