// The TCP transport on 127.0.0.1: handshake, identities, big messages, the connection cap,
// the handshake rate limit, keepalives and idle timeouts, shutdown. The server runs on a
// thread of its own; the client runs on the test's thread. Hostile peers: tcp_hostile_test.cc.
#include "node/tcp_transport.h"

#include <gtest/gtest.h>

#include "node/tcp_rate_limit.h"
#include "tests/node/tcp_testing.h"

namespace nanse {
namespace {

using namespace std::chrono_literals;
using testing::Await;
using testing::Eventually;
using testing::ExpectEcho;
using testing::Pattern;
using testing::RawHandshake;
using testing::RawListener;
using testing::RawSocket;
using testing::TcpEchoServer;
using testing::TestIdentity;
using testing::TestKey;

TcpTransportOptions Fast() {
  TcpTransportOptions o;
  o.handshake_deadline = 2s;
  o.rate_limit_burst = 10'000;
  return o;
}

class TcpTransportTest : public ::testing::Test {
 protected:
  std::unique_ptr<TcpTransport> Client(TcpTransportOptions options = Fast(), uint8_t node = 2,
                                       const NetworkKey& key = testing::TestNetworkKey()) {
    return std::make_unique<TcpTransport>(io_.get_executor(), TestIdentity(node, key), random_,
                                          options);
  }
  std::unique_ptr<Connection> MustConnect(TcpTransport& client, const std::string& address) {
    auto conn = Await(io_, client.Connect(address));
    EXPECT_TRUE(conn.ok()) << conn.status().ToString();
    return conn.ok() ? std::move(*conn) : nullptr;
  }

  boost::asio::io_context io_;
  SeededRandom random_{2002};
};

TEST_F(TcpTransportTest, HandshakeTellsEachSideTheOthersNodeIdAndCarriesMessages) {
  TcpEchoServer server(Fast());
  auto client = Client();
  auto conn = MustConnect(*client, server.address());
  ASSERT_TRUE(conn);
  EXPECT_EQ(conn->peer_id(), TestKey(1).public_key());
  EXPECT_EQ(conn->remote_address(), server.address());
  ASSERT_TRUE(conn->round_trip());  // message 1 out, message 2 back: measured
  EXPECT_GT(conn->round_trip()->count(), 0);
  ExpectEcho(io_, *conn, Pattern(100));
  ExpectEcho(io_, *conn, Pattern(kMaxTransportPayload, 3));  // 65519 bytes: one whole frame
  ExpectEcho(io_, *conn, Pattern(1, 4));
  ASSERT_EQ(server.peers().size(), 1u);
  EXPECT_EQ(server.peers()[0], TestKey(2).public_key());
  EXPECT_EQ(client->stats().connects_ok, 1u);
  EXPECT_TRUE(server.StatsReach([](const TransportStats& s) {
    return s.accepted == 1 && s.handshakes_ok == 1 && s.active == 1 && s.handshakes_failed() == 0;
  }));
}

TEST_F(TcpTransportTest, StrangerWithTheWrongNetworkKeyGetsZeroBytesBack) {
  TcpEchoServer server(Fast());
  // By hand: message 1 under the wrong psk, then read until the server closes.
  {
    RawSocket raw(server.address());
    ASSERT_TRUE(raw.connected());
    SeededRandom random(3);
    const PeerIdentity stranger = TestIdentity(3, testing::TestNetworkKey(66));
    auto hs = NanseHandshake::Initiator(stranger.noise_key, stranger.network_key,
                                        NoisePrologue(stranger.network_id), random)
                  .value();
    ASSERT_TRUE(raw.WriteFrame(hs.WriteMessage1({}).value()));
    const auto end = raw.ReadUntilClosed();
    EXPECT_TRUE(end.closed);
    EXPECT_EQ(end.bytes, 0u) << "the responder must send nothing to a stranger";
  }
  // And through the transport: the connect fails, nothing is learned.
  auto stranger = Client(Fast(), 3, testing::TestNetworkKey(66));
  auto conn = Await(io_, stranger->Connect(server.address()));
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), Status::Code::kIo) << conn.status().ToString();
  EXPECT_EQ(stranger->stats().connects_failed, 1u);
  // Another network (same key, other id): the prologue differs, message 1 fails the same way.
  {
    RawSocket raw(server.address());
    SeededRandom random(4);
    const PeerIdentity other =
        TestIdentity(4, testing::TestNetworkKey(), testing::TestNetworkId(99));
    auto hs = NanseHandshake::Initiator(other.noise_key, other.network_key,
                                        NoisePrologue(other.network_id), random)
                  .value();
    ASSERT_TRUE(raw.WriteFrame(hs.WriteMessage1({}).value()));
    const auto end = raw.ReadUntilClosed();
    EXPECT_TRUE(end.closed);
    EXPECT_EQ(end.bytes, 0u);
  }
  EXPECT_TRUE(
      server.StatsReach([](const TransportStats& s) { return s.handshake_failed_message1 == 3; }));
  EXPECT_TRUE(server.peers().empty());
}

TEST_F(TcpTransportTest, ForgedOrMismatchedIdentityIsDropped) {
  TcpEchoServer server(Fast());
  SeededRandom random(5);
  const PeerIdentity me = TestIdentity(2);
  const std::vector<std::function<Bytes(Bytes)>> forgeries = {
      // the signature altered
      [](Bytes hello) {
        hello.back() ^= 0x80;
        return hello;
      },
      // another node's key in the hello, with our signature
      [](Bytes hello) {
        const PublicKey other = TestKey(3).public_key();
        std::copy(other.begin(), other.end(), hello.begin() + 4);
        return hello;
      },
      // a real hello of ours, but over another static key (replayed from elsewhere)
      [&](Bytes) { return MakeHello(me.node_key, testing::TestNoiseKey(9).public_key).value(); },
      // not a hello at all
      [](Bytes) { return Bytes{0x90}; },
  };
  for (const auto& forge : forgeries) {
    RawSocket raw(server.address());
    auto session = RawHandshake(raw, me, random, forge);
    ASSERT_TRUE(session) << "the server answered message 1";
    const auto end = raw.ReadUntilClosed();
    EXPECT_TRUE(end.closed);
    EXPECT_EQ(end.bytes, 0u);
  }
  EXPECT_TRUE(
      server.StatsReach([](const TransportStats& s) { return s.handshake_failed_identity == 4; }));
  EXPECT_TRUE(server.peers().empty()) << "no forged peer reached the handler";
  // The same identity, honest, gets in.
  RawSocket raw(server.address());
  EXPECT_TRUE(RawHandshake(raw, me, random));
  EXPECT_TRUE(Eventually([&] { return server.peers().size() == 1; }));
}

TEST_F(TcpTransportTest, ConnectRefusesAResponderWithAForgedHello) {
  RawListener listener;
  std::thread responder([&] {
    RawSocket s(listener.Accept());
    SeededRandom random(6);
    const PeerIdentity id = TestIdentity(1);
    auto hs = NanseHandshake::Responder(id.noise_key, id.network_key, NoisePrologue(id.network_id),
                                        random)
                  .value();
    auto m1 = s.ReadFrame();
    if (!m1 || !hs.ReadMessage1(*m1).ok()) return;
    Bytes hello = MakeHello(id.node_key, id.noise_key.public_key).value();
    hello[10] ^= 1;  // claims a node id that did not sign
    s.WriteFrame(hs.WriteMessage2(hello).value());
    s.ReadUntilClosed();
  });
  auto client = Client();
  auto conn = Await(io_, client->Connect(listener.address()));
  responder.join();
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().field(), "hello.signature") << conn.status().ToString();
  EXPECT_EQ(client->stats().connects_failed, 1u);
}

TEST_F(TcpTransportTest, ConnectGivesUpAtTheHandshakeDeadline) {
  RawListener listener;  // accepts (the kernel does) and never answers
  TcpTransportOptions options = Fast();
  options.handshake_deadline = 300ms;
  auto client = Client(options);
  const auto start = std::chrono::steady_clock::now();
  auto conn = Await(io_, client->Connect(listener.address()));
  ASSERT_FALSE(conn.ok());
  EXPECT_NE(conn.status().ToString().find("deadline"), std::string::npos)
      << conn.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 15s);
}

TEST_F(TcpTransportTest, HundredConcurrentConnectionsAreServed) {
  TcpTransportOptions options = Fast();
  options.max_connections = 150;
  options.handshake_deadline = 20s;
  TcpEchoServer server(options);
  auto client = Client(options);
  constexpr int kCount = 100;
  std::vector<std::unique_ptr<Connection>> conns(kCount);
  int echoed = 0;
  for (int i = 0; i < kCount; ++i) {
    boost::asio::co_spawn(
        io_,
        [&, i]() -> Awaitable<void> {
          auto conn = co_await client->Connect(server.address());
          if (!conn.ok()) co_return;
          const Bytes m = Pattern(64, static_cast<uint8_t>(i));
          if (!(co_await (*conn)->Send(m)).ok()) co_return;
          auto back = co_await (*conn)->Receive();
          if (back.ok() && *back == m) ++echoed;
          conns[i] = std::move(*conn);  // kept open: all 100 at once
        },
        boost::asio::detached);
  }
  EXPECT_TRUE(Eventually([&] { return echoed == kCount; }, &io_, 60s)) << echoed;
  EXPECT_TRUE(server.StatsReach([](const TransportStats& s) {
    return s.handshakes_ok == kCount && s.active == kCount;
  })) << server.stats().active;
  EXPECT_EQ(client->stats().connects_ok, static_cast<uint64_t>(kCount));
  EXPECT_EQ(server.stats().refused_cap, 0u);
}

TEST_F(TcpTransportTest, ConnectionCapIsEnforcedAndCounted) {
  TcpTransportOptions options = Fast();
  options.max_connections = 3;
  TcpEchoServer server(options);
  auto client = Client();
  std::vector<std::unique_ptr<Connection>> conns;
  for (int i = 0; i < 3; ++i) conns.push_back(MustConnect(*client, server.address()));
  ASSERT_TRUE(server.StatsReach([](const TransportStats& s) { return s.active == 3; }));
  {  // connection 4 is closed at once, without a byte
    RawSocket raw(server.address());
    const auto end = raw.ReadUntilClosed();
    EXPECT_TRUE(end.closed);
    EXPECT_EQ(end.bytes, 0u);
  }
  EXPECT_FALSE(Await(io_, client->Connect(server.address())).ok());
  EXPECT_TRUE(server.StatsReach([](const TransportStats& s) { return s.refused_cap == 2; }));
  for (auto& c : conns) ExpectEcho(io_, *c, Pattern(10));  // the three go on
  // A slot frees when a connection ends.
  conns[0]->Close();
  ASSERT_TRUE(server.StatsReach([](const TransportStats& s) { return s.active == 2; }));
  auto again = MustConnect(*client, server.address());
  ASSERT_TRUE(again);
  ExpectEcho(io_, *again, Pattern(11));
}

TEST_F(TcpTransportTest, HandshakesAreRateLimitedPerAddress) {
  TcpTransportOptions options = Fast();
  options.rate_limit_burst = 3;
  options.rate_limit_window = 3600s;  // no refill during the test
  TcpEchoServer server(options);
  auto client = Client();
  std::vector<std::unique_ptr<Connection>> conns;
  for (int i = 0; i < 3; ++i) conns.push_back(MustConnect(*client, server.address()));
  auto fourth = Await(io_, client->Connect(server.address()));
  EXPECT_FALSE(fourth.ok());
  RawSocket raw(server.address());
  const auto end = raw.ReadUntilClosed();
  EXPECT_TRUE(end.closed);
  EXPECT_EQ(end.bytes, 0u);
  EXPECT_TRUE(server.StatsReach(
      [](const TransportStats& s) { return s.rate_limited == 2 && s.handshakes_ok == 3; }));
  for (auto& c : conns) ExpectEcho(io_, *c, Pattern(12));
}

TEST_F(TcpTransportTest, KeepalivesHoldAQuietConnectionOpen) {
  TcpTransportOptions options = Fast();
  options.idle_timeout = 900ms;  // keepalive every 300 ms on both sides
  TcpEchoServer server(options);
  auto client = Client(options);
  auto conn = MustConnect(*client, server.address());
  ASSERT_TRUE(conn);
  testing::RunFor(io_, 2700ms);  // three idle timeouts, nothing sent but keepalives
  ASSERT_TRUE(conn->is_open());
  ExpectEcho(io_, *conn, Pattern(20));
  EXPECT_EQ(server.stats().idle_timeouts, 0u);
  EXPECT_EQ(client->stats().idle_timeouts, 0u);
}

TEST_F(TcpTransportTest, SilentPeerIsClosedWhenIdle) {
  TcpTransportOptions options = Fast();
  options.idle_timeout = 300ms;
  TcpEchoServer server(options);
  RawSocket raw(server.address());
  SeededRandom random(7);
  ASSERT_TRUE(RawHandshake(raw, TestIdentity(2), random));  // then never a word, no keepalive
  const auto end = raw.ReadUntilClosed();
  EXPECT_TRUE(end.closed);
  EXPECT_GT(end.bytes, 0u) << "the server's keepalives";
  EXPECT_LT(end.after, 15s);
  EXPECT_TRUE(server.StatsReach([](const TransportStats& s) { return s.idle_timeouts == 1; }));
}

TEST_F(TcpTransportTest, StopClosesConnectionsAndTheServerLoopReturns) {
  auto server = std::make_unique<TcpEchoServer>(Fast());
  auto client = Client();
  auto conn = MustConnect(*client, server->address());
  ASSERT_TRUE(conn);
  ExpectEcho(io_, *conn, Pattern(5));
  server->Shutdown();  // Stop(); expects io_context::run() to return by itself
  auto end = Await(io_, conn->Receive());
  EXPECT_FALSE(end.ok());
  EXPECT_FALSE(Await(io_, client->Connect(server->address())).ok());
  client->Stop();
  EXPECT_FALSE(Await(io_, client->Connect(server->address())).ok());
}

TEST_F(TcpTransportTest, ListenReportsTheBoundPortAndRefusesBadAddresses) {
  auto transport = Client();
  auto handler = [](std::unique_ptr<Connection>) -> Awaitable<void> { co_return; };
  EXPECT_FALSE(transport->Listen("no-port", handler).ok());
  EXPECT_FALSE(transport->Listen("127.0.0.1:99999", handler).ok());
  auto bound = transport->Listen("127.0.0.1:0", handler);
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  EXPECT_EQ(bound->rfind("127.0.0.1:", 0), 0u);
  EXPECT_NE(*bound, "127.0.0.1:0");
  EXPECT_EQ(transport->Listen("127.0.0.1:0", handler).status().code(), Status::Code::kUsage);
  auto other = Client();
  EXPECT_EQ(other->Listen(*bound, handler).status().code(), Status::Code::kIo);  // in use
}

TEST(ParseHostPort, AcceptsNamesAndAddressesWithAPort) {
  auto a = ParseHostPort("example.org:7410");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "example.org");
  EXPECT_EQ(a->port, 7410);
  auto b = ParseHostPort("[2001:db8::1]:0");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "2001:db8::1");
  EXPECT_EQ(b->port, 0);
  for (const char* bad : {"", "host", ":7410", "host:", "host:x", "host:65536", "2001:db8::1:7",
                          "[::1]7410", "[::1]", "host:-1", "host:7410 "}) {
    auto r = ParseHostPort(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().field(), "address");
    }
  }
}

TEST(HandshakeRateLimiter, BurstThenRefill) {
  using Clock = HandshakeRateLimiter::Clock;
  HandshakeRateLimiter limiter(3, 3s);
  const Clock::time_point t0{};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Allow("1.2.3.4", t0));
  EXPECT_FALSE(limiter.Allow("1.2.3.4", t0));
  EXPECT_TRUE(limiter.Allow("5.6.7.8", t0)) << "other addresses have their own bucket";
  EXPECT_FALSE(limiter.Allow("1.2.3.4", t0 + 500ms));
  EXPECT_TRUE(limiter.Allow("1.2.3.4", t0 + 1s));  // one token per second
  EXPECT_FALSE(limiter.Allow("1.2.3.4", t0 + 1s));
  EXPECT_TRUE(limiter.Allow("1.2.3.4", t0 + 100s));
}

TEST(HandshakeRateLimiter, TracksBoundedKeys) {
  using Clock = HandshakeRateLimiter::Clock;
  HandshakeRateLimiter limiter(1, 10s, 2);
  const Clock::time_point t0{};
  EXPECT_TRUE(limiter.Allow("a", t0));
  EXPECT_TRUE(limiter.Allow("b", t0));
  EXPECT_FALSE(limiter.Allow("c", t0)) << "table full of refilling buckets";
  EXPECT_TRUE(limiter.Allow("c", t0 + 10s)) << "full buckets are forgotten";
  EXPECT_LE(limiter.tracked(), 2u);
}

TEST(RateLimitKey, GroupsIpv6ByPrefix) {
  EXPECT_EQ(RateLimitKey("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(RateLimitKey("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(RateLimitKey("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  EXPECT_EQ(RateLimitKey("2001:db8:1:2::9"), RateLimitKey("2001:db8:1:2:ffff::1"));
}

}  // namespace
}  // namespace nanse
