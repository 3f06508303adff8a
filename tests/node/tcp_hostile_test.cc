// Hostile peers against the TCP transport: random bytes, slowloris, a zero-length frame, a
// truncated handshake, oversized frames, replayed, altered and garbage transport messages.
// Each is dropped (closed within its deadline, counted) while a good connection opened at the
// start keeps working: it echoes after every case.
#include <gtest/gtest.h>

#include "node/tcp_transport.h"
#include "tests/node/tcp_testing.h"

namespace nanse {
namespace {

using namespace std::chrono_literals;
using testing::Await;
using testing::ExpectEcho;
using testing::Pattern;
using testing::RawHandshake;
using testing::RawSocket;
using testing::TcpEchoServer;
using testing::TestIdentity;

constexpr auto kHandshakeDeadline = 1000ms;  // generous: hand-made handshakes must fit
constexpr auto kGenerous = std::chrono::milliseconds(15'000);  // "closed within its deadline"

TcpTransportOptions HostileOptions() {
  TcpTransportOptions o;
  o.handshake_deadline = kHandshakeDeadline;
  o.idle_timeout = 60s;
  o.rate_limit_burst = 10'000;
  return o;
}

class TcpHostileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    client_ = std::make_unique<TcpTransport>(io_.get_executor(), TestIdentity(2), random_);
    auto conn = Await(io_, client_->Connect(server_.address()));
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    good_ = std::move(*conn);
    ExpectEcho(io_, *good_, Pattern(10));
  }

  // The good connection still works, and the server has kept serving.
  void ExpectGoodConnectionWorks() {
    ASSERT_TRUE(good_->is_open());
    ++round_;
    ExpectEcho(io_, *good_, Pattern(round_ * 7 % 1000 + 1, static_cast<uint8_t>(round_)));
  }

  // The server closed `raw` within a generous bound, without sending anything.
  static void ExpectClosedSilently(RawSocket& raw) {
    const auto end = raw.ReadUntilClosed(kGenerous + 5s);
    EXPECT_TRUE(end.closed);
    EXPECT_EQ(end.bytes, 0u);
    EXPECT_LT(end.after, kGenerous);
  }

  // A raw connection that completed the handshake as node `node`.
  struct Established {
    std::unique_ptr<RawSocket> socket;
    std::optional<NoiseSession> session;
  };
  Established Establish(uint8_t node = 3) {
    Established e;
    e.socket = std::make_unique<RawSocket>(server_.address());
    e.session = RawHandshake(*e.socket, TestIdentity(node), raw_random_);
    EXPECT_TRUE(e.session) << "handshake by hand";
    return e;
  }

  TcpEchoServer server_{HostileOptions()};
  boost::asio::io_context io_;
  SeededRandom random_{77};
  SeededRandom raw_random_{78};
  std::unique_ptr<TcpTransport> client_;
  std::unique_ptr<Connection> good_;
  int round_ = 0;
};

TEST_F(TcpHostileTest, RandomBytesAreDropped) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    RawSocket raw(server_.address());
    SeededRandom junk_random(seed);
    Bytes junk(100 + 997 * seed);
    junk_random.Fill(junk);
    raw.Write(junk);
    ExpectClosedSilently(raw);
    ExpectGoodConnectionWorks();
  }
  EXPECT_TRUE(server_.StatsReach(
      [](const TransportStats& s) { return s.handshakes_failed() == 5 && s.handshakes_ok == 1; }));
}

TEST_F(TcpHostileTest, SlowlorisIsClosedByTheHandshakeDeadline) {
  RawSocket raw(server_.address());
  raw.Write(Bytes{0xff, 0xff});  // announces 65535 bytes, sends none
  ExpectClosedSilently(raw);
  EXPECT_TRUE(
      server_.StatsReach([](const TransportStats& s) { return s.handshake_failed_timeout == 1; }));
  ExpectGoodConnectionWorks();
  // Silence from the start is cut the same way.
  RawSocket mute(server_.address());
  ExpectClosedSilently(mute);
  EXPECT_TRUE(
      server_.StatsReach([](const TransportStats& s) { return s.handshake_failed_timeout == 2; }));
  ExpectGoodConnectionWorks();
}

TEST_F(TcpHostileTest, ZeroLengthFrameIsDropped) {
  RawSocket raw(server_.address());
  raw.Write(Bytes{0x00, 0x00});
  ExpectClosedSilently(raw);
  EXPECT_TRUE(
      server_.StatsReach([](const TransportStats& s) { return s.handshake_failed_protocol == 1; }));
  ExpectGoodConnectionWorks();
}

TEST_F(TcpHostileTest, TruncatedHandshakeIsClosed) {
  SeededRandom random(9);
  const PeerIdentity me = TestIdentity(3);
  auto message1 = [&] {
    auto hs = NanseHandshake::Initiator(me.noise_key, me.network_key, NoisePrologue(me.network_id),
                                        random)
                  .value();
    return EncodeFrame(hs.WriteMessage1({}).value()).value();
  };
  {  // half of message 1, then the peer goes away
    RawSocket raw(server_.address());
    const Bytes m1 = message1();
    raw.Write(ByteView(m1).first(20));
    raw.ShutdownWrite();
    ExpectClosedSilently(raw);
  }
  ExpectGoodConnectionWorks();
  {  // half of message 1, then silence: the deadline
    RawSocket raw(server_.address());
    const Bytes m1 = message1();
    raw.Write(ByteView(m1).first(20));
    ExpectClosedSilently(raw);
  }
  ExpectGoodConnectionWorks();
  {  // message 1, read message 2, then half of message 3 and silence
    RawSocket raw(server_.address());
    auto hs = NanseHandshake::Initiator(me.noise_key, me.network_key, NoisePrologue(me.network_id),
                                        random)
                  .value();
    raw.WriteFrame(hs.WriteMessage1({}).value());
    auto m2 = raw.ReadFrame();
    ASSERT_TRUE(m2);
    ASSERT_TRUE(hs.ReadMessage2(*m2).ok());
    const Bytes m3 =
        EncodeFrame(
            hs.WriteMessage3(MakeHello(me.node_key, me.noise_key.public_key).value()).value())
            .value();
    raw.Write(ByteView(m3).first(m3.size() / 2));
    ExpectClosedSilently(raw);
  }
  EXPECT_TRUE(server_.StatsReach([](const TransportStats& s) {
    return s.handshake_failed_closed == 1 && s.handshake_failed_timeout == 2;
  }));
  ExpectGoodConnectionWorks();
}

TEST_F(TcpHostileTest, ReplayedTransportMessageIsDropped) {
  Established e = Establish();
  ASSERT_TRUE(e.session);
  const Bytes frame = EncodeFrame(e.session->Seal(AsBytes("ping")).value()).value();
  ASSERT_TRUE(e.socket->Write(frame));
  auto echoed = e.socket->ReadFrame();
  ASSERT_TRUE(echoed);
  EXPECT_EQ(e.session->Open(*echoed).value(), Bytes({'p', 'i', 'n', 'g'}));
  ASSERT_TRUE(e.socket->Write(frame));  // the same bytes again
  const auto end = e.socket->ReadUntilClosed(kGenerous + 5s);
  EXPECT_TRUE(end.closed);
  EXPECT_EQ(end.bytes, 0u) << "the replay is not echoed";
  EXPECT_TRUE(server_.StatsReach([](const TransportStats& s) { return s.dropped == 1; }));
  ExpectGoodConnectionWorks();
}

TEST_F(TcpHostileTest, AlteredOrGarbageTransportMessagesAreDropped) {
  const std::vector<std::function<Bytes(NoiseSession&)>> attacks = {
      // one bit flipped in the ciphertext
      [](NoiseSession& s) {
        Bytes m = s.Seal(AsBytes("hello")).value();
        m[1] ^= 0x04;
        return EncodeFrame(m).value();
      },
      // a whole frame of noise: 65535 bytes that decrypt to nothing
      [](NoiseSession&) {
        Bytes m(kMaxFrameMessage, 0xa5);
        return EncodeFrame(m).value();
      },
      // a zero-length frame after the handshake
      [](NoiseSession&) {
        return Bytes{0, 0};
      },
      // shorter than a tag
      [](NoiseSession&) { return EncodeFrame(Bytes(5, 1)).value(); },
      // the second message sent before the first (reordered)
      [](NoiseSession& s) {
        (void)s.Seal(AsBytes("first")).value();
        return EncodeFrame(s.Seal(AsBytes("second")).value()).value();
      },
  };
  uint64_t count = 0;
  for (const auto& attack : attacks) {
    Established e = Establish();
    ASSERT_TRUE(e.session);
    ASSERT_TRUE(e.socket->Write(attack(*e.session)));
    const auto end = e.socket->ReadUntilClosed(kGenerous + 5s);
    EXPECT_TRUE(end.closed);
    EXPECT_EQ(end.bytes, 0u);
    ++count;
    EXPECT_TRUE(server_.StatsReach([&](const TransportStats& s) { return s.dropped == count; }))
        << "attack " << count;
    ExpectGoodConnectionWorks();
  }
}

TEST_F(TcpHostileTest, EverythingInARowThenAGracefulStop) {
  // All of the above against one server, interleaved with the good connection.
  {
    RawSocket a(server_.address()), b(server_.address()), c(server_.address());
    a.Write(Bytes{0xff, 0xff});
    b.Write(Bytes{0x00, 0x00});
    Bytes junk(3000);
    SeededRandom(11).Fill(junk);
    c.Write(junk);
    ExpectGoodConnectionWorks();
    ExpectClosedSilently(a);
    ExpectClosedSilently(b);
    ExpectClosedSilently(c);
  }
  ExpectGoodConnectionWorks();
  Established e = Establish();
  ASSERT_TRUE(e.session);
  ASSERT_TRUE(e.socket->Write(Bytes{0x00, 0x05, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(e.socket->ReadUntilClosed(kGenerous).closed);
  ExpectGoodConnectionWorks();
  EXPECT_TRUE(server_.StatsReach([](const TransportStats& s) {
    return s.handshakes_failed() == 3 && s.dropped == 1 && s.handshakes_ok == 2 && s.active == 1;
  }));
  server_.Shutdown();  // and io_context::run() returns on its own
  EXPECT_FALSE(Await(io_, good_->Receive()).ok());
}

TEST(TcpFrames, FrameLargerThanTheMaximumIsDroppedBeforeItsBody) {
  TcpTransportOptions options = HostileOptions();
  options.max_frame = 1000;
  TcpEchoServer server(options);
  {  // in the handshake
    RawSocket raw(server.address());
    raw.Write(Bytes{0x03, 0xe9});  // 1001
    const auto end = raw.ReadUntilClosed(kGenerous + 5s);
    EXPECT_TRUE(end.closed);
    EXPECT_EQ(end.bytes, 0u);
  }
  {  // established
    RawSocket raw(server.address());
    SeededRandom random(12);
    auto session = RawHandshake(raw, TestIdentity(2), random);
    ASSERT_TRUE(session);
    raw.Write(Bytes{0x03, 0xe9});
    const auto end = raw.ReadUntilClosed(kGenerous + 5s);
    EXPECT_TRUE(end.closed);
    EXPECT_EQ(end.bytes, 0u);
  }
  EXPECT_TRUE(server.StatsReach(
      [](const TransportStats& s) { return s.handshake_failed_protocol == 1 && s.dropped == 1; }));
}

}  // namespace
}  // namespace nanse
