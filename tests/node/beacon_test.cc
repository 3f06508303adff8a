// LAN beacons: they open only with the network key they were sealed with, say nothing in the
// clear, and any change to their bytes makes them unreadable.
#include "node/beacon.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/node/test_home.h"

namespace nanse {
namespace {

NetworkKey Key(uint8_t n) {
  NetworkKey key;
  key.fill(n);
  return key;
}

Beacon Sample() {
  Beacon b;
  b.node = testing::TestKey(3).public_key();
  b.port = 7410;
  b.sent_millis = 1'700'000'000'123;
  return b;
}

TEST(Beacon, OpensWithItsNetworksKey) {
  SeededRandom random(1);
  const Bytes sealed = SealBeacon(Key(9), Sample(), random);
  ASSERT_EQ(sealed.size(), kBeaconBytes);
  auto opened = OpenBeacon(Key(9), sealed);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->node, Sample().node);
  EXPECT_EQ(opened->port, 7410);
  EXPECT_EQ(opened->sent_millis, Sample().sent_millis);
}

TEST(Beacon, AnotherNetworkCannotReadIt) {
  SeededRandom random(2);
  auto opened = OpenBeacon(Key(8), SealBeacon(Key(9), Sample(), random));
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.status().ToString().find("does not open"), std::string::npos);
}

TEST(Beacon, SaysNothingInTheClear) {
  // Neither the node id nor the port appears in the bytes, and two beacons of one node differ
  // (a fresh nonce each), so a listener cannot link them.
  SeededRandom random(3);
  const Bytes a = SealBeacon(Key(9), Sample(), random);
  const Bytes b = SealBeacon(Key(9), Sample(), random);
  EXPECT_NE(a, b);
  const PublicKey node = Sample().node;
  EXPECT_EQ(std::search(a.begin(), a.end(), node.begin(), node.begin() + 8), a.end());
}

TEST(Beacon, AnyFlippedBitOrWrongSizeIsRefused) {
  SeededRandom random(4);
  const Bytes sealed = SealBeacon(Key(9), Sample(), random);
  for (size_t i = 0; i < sealed.size(); ++i) {
    Bytes tampered = sealed;
    tampered[i] ^= 0x01;
    EXPECT_FALSE(OpenBeacon(Key(9), tampered).ok()) << "byte " << i;
  }
  EXPECT_FALSE(OpenBeacon(Key(9), ByteView(sealed.data(), sealed.size() - 1)).ok());
  Bytes longer = sealed;
  longer.push_back(0);
  EXPECT_FALSE(OpenBeacon(Key(9), longer).ok());
  EXPECT_FALSE(OpenBeacon(Key(9), {}).ok());
}

TEST(Beacon, PortZeroIsRefused) {
  SeededRandom random(5);
  Beacon b = Sample();
  b.port = 0;
  auto opened = OpenBeacon(Key(9), SealBeacon(Key(9), b, random));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().field(), "beacon.port");
}

}  // namespace
}  // namespace nanse
