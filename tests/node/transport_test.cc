// The contract of node/transport.h, run against both transports: TCP on 127.0.0.1 and the
// in-memory twin. Each test runs client and server in one io_context on the test's thread.
#include "node/transport.h"

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>

#include "node/memory_transport.h"
#include "node/tcp_transport.h"
#include "tests/node/transport_testing.h"

namespace nanse {
namespace {

using namespace std::chrono_literals;
using testing::Await;
using testing::Eventually;
using testing::Pattern;
using testing::TestIdentity;
using testing::TestKey;

using Inbox = std::deque<std::unique_ptr<Connection>>;

// A handler that keeps every connection it is given, for the test to use.
Transport::Handler Keep(std::shared_ptr<Inbox> inbox) {
  return [inbox](std::unique_ptr<Connection> c) -> Awaitable<void> {
    inbox->push_back(std::move(c));
    co_return;
  };
}

// A server transport (node 1) listening, and a client transport (node 2), on one io_context.
class Harness {
 public:
  virtual ~Harness() = default;
  virtual Transport& server() = 0;
  virtual Transport& client() = 0;
  virtual std::string address() const = 0;
};

class TcpHarness : public Harness {
 public:
  TcpHarness(boost::asio::io_context& io, std::shared_ptr<Inbox> inbox)
      : server_(io.get_executor(), TestIdentity(1), random_, Options()),
        client_(io.get_executor(), TestIdentity(2), random_, Options()) {
    address_ = server_.Listen("127.0.0.1:0", Keep(std::move(inbox))).value();
  }
  Transport& server() override { return server_; }
  Transport& client() override { return client_; }
  std::string address() const override { return address_; }

 private:
  static TcpTransportOptions Options() {
    TcpTransportOptions o;
    o.handshake_deadline = 5s;
    o.rate_limit_burst = 1000;
    return o;
  }
  SeededRandom random_{42};
  TcpTransport server_;
  TcpTransport client_;
  std::string address_;
};

class MemoryHarness : public Harness {
 public:
  MemoryHarness(boost::asio::io_context& io, std::shared_ptr<Inbox> inbox)
      : network_(io.get_executor()),
        server_(network_, TestKey(1).public_key(), "memory:server"),
        client_(network_, TestKey(2).public_key(), "memory:client") {
    address_ = server_.Listen("memory:server", Keep(std::move(inbox))).value();
  }
  Transport& server() override { return server_; }
  Transport& client() override { return client_; }
  std::string address() const override { return address_; }

 private:
  MemoryNetwork network_;
  MemoryTransport server_;
  MemoryTransport client_;
  std::string address_;
};

class TransportContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "tcp") {
      harness_ = std::make_unique<TcpHarness>(io_, inbox_);
    } else {
      harness_ = std::make_unique<MemoryHarness>(io_, inbox_);
    }
  }

  // Connects the client to the server; returns both ends.
  std::pair<std::unique_ptr<Connection>, std::unique_ptr<Connection>> ConnectPair() {
    auto client = Await(io_, harness_->client().Connect(harness_->address()));
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    EXPECT_TRUE(Eventually([&] { return !inbox_->empty(); }, &io_));
    if (!client.ok() || inbox_->empty()) return {};
    auto server = std::move(inbox_->front());
    inbox_->pop_front();
    return {std::move(*client), std::move(server)};
  }

  boost::asio::io_context io_;
  std::shared_ptr<Inbox> inbox_ = std::make_shared<Inbox>();
  std::unique_ptr<Harness> harness_;
};

TEST_P(TransportContract, EachSideLearnsTheOthersNodeId) {
  auto [client, server] = ConnectPair();
  ASSERT_TRUE(client && server);
  EXPECT_EQ(client->peer_id(), TestKey(1).public_key());
  EXPECT_EQ(server->peer_id(), TestKey(2).public_key());
  EXPECT_TRUE(client->is_open());
  EXPECT_FALSE(client->remote_address().empty());
}

TEST_P(TransportContract, MessagesGoBothWaysInOrder) {
  auto [client, server] = ConnectPair();
  ASSERT_TRUE(client && server);
  for (uint8_t i = 1; i <= 3; ++i) {
    const Bytes m = Pattern(10 * i, i);
    ASSERT_TRUE(Await(io_, client->Send(m)).ok());
  }
  for (uint8_t i = 1; i <= 3; ++i) {
    auto got = Await(io_, server->Receive());
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(*got, Pattern(10 * i, i));
  }
  const Bytes reply = Pattern(5, 99);
  ASSERT_TRUE(Await(io_, server->Send(reply)).ok());
  auto got = Await(io_, client->Receive());
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, reply);
}

TEST_P(TransportContract, CarriesTheLargestMessageAndRefusesLargerOrEmpty) {
  auto [client, server] = ConnectPair();
  ASSERT_TRUE(client && server);
  const Bytes big = Pattern(kMaxTransportPayload);  // 65519
  ASSERT_TRUE(Await(io_, client->Send(big)).ok());
  ASSERT_TRUE(Await(io_, server->Send(big)).ok());
  auto at_server = Await(io_, server->Receive());
  auto at_client = Await(io_, client->Receive());
  ASSERT_TRUE(at_server.ok() && at_client.ok());
  EXPECT_EQ(*at_server, big);
  EXPECT_EQ(*at_client, big);

  EXPECT_EQ(Await(io_, client->Send(Pattern(kMaxTransportPayload + 1))).code(),
            Status::Code::kUsage);
  EXPECT_EQ(Await(io_, client->Send(Bytes{})).code(), Status::Code::kUsage);
  // Refusals change nothing: the connection goes on.
  ASSERT_TRUE(Await(io_, client->Send(Pattern(3))).ok());
  EXPECT_EQ(*Await(io_, server->Receive()), Pattern(3));
}

TEST_P(TransportContract, ManyMessagesArriveInOrderWhileTheReceiverLags) {
  auto [client, server] = ConnectPair();
  ASSERT_TRUE(client && server);
  constexpr int kCount = 300;  // more than any queue holds: Send must wait for the reader
  int sent = 0;
  boost::asio::co_spawn(
      io_,
      [&]() -> Awaitable<void> {
        for (int i = 0; i < kCount; ++i) {
          if (!(co_await client->Send(Pattern(1000, static_cast<uint8_t>(i)))).ok()) co_return;
          ++sent;
        }
      },
      boost::asio::detached);
  for (int i = 0; i < kCount; ++i) {
    auto got = Await(io_, server->Receive());
    ASSERT_TRUE(got.ok()) << i << ": " << got.status().ToString();
    ASSERT_EQ(*got, Pattern(1000, static_cast<uint8_t>(i))) << i;
  }
  EXPECT_TRUE(Eventually([&] { return sent == kCount; }, &io_));
}

TEST_P(TransportContract, CloseEndsBothSidesAfterWhatWasSent) {
  auto [client, server] = ConnectPair();
  ASSERT_TRUE(client && server);
  ASSERT_TRUE(Await(io_, client->Send(Pattern(7))).ok());
  client->Close();
  EXPECT_FALSE(client->is_open());
  EXPECT_FALSE(Await(io_, client->Receive()).ok());  // closed here: fails at once
  EXPECT_EQ(Await(io_, client->Send(Pattern(1))).code(), Status::Code::kIo);
  auto first = Await(io_, server->Receive());
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, Pattern(7));
  auto end = Await(io_, server->Receive());
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.status().code(), Status::Code::kIo) << end.status().ToString();
}

TEST_P(TransportContract, DestroyingAConnectionClosesIt) {
  auto [client, server] = ConnectPair();
  ASSERT_TRUE(client && server);
  server.reset();
  auto end = Await(io_, client->Receive());
  EXPECT_FALSE(end.ok());
}

TEST_P(TransportContract, ConnectingWhereNobodyListensFails) {
  const std::string nowhere = GetParam() == "tcp" ? "127.0.0.1:1" : "memory:nowhere";
  auto conn = Await(io_, harness_->client().Connect(nowhere));
  EXPECT_FALSE(conn.ok());
}

TEST_P(TransportContract, StopClosesEverythingAndTheLoopEndsOnItsOwn) {
  auto [client, server] = ConnectPair();
  ASSERT_TRUE(client && server);
  bool receive_ended = false;
  boost::asio::co_spawn(
      io_,
      [&]() -> Awaitable<void> {
        auto r = co_await server->Receive();
        receive_ended = !r.ok();
      },
      boost::asio::detached);
  harness_->server().Stop();
  harness_->client().Stop();
  EXPECT_FALSE(Await(io_, harness_->client().Connect(harness_->address())).ok());
  EXPECT_FALSE(Await(io_, client->Receive()).ok());
  // Nothing is left to run: io_context::run() returns by itself, no io.stop() needed.
  io_.restart();
  const auto start = std::chrono::steady_clock::now();
  io_.run_for(20s);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_TRUE(receive_ended);
  EXPECT_FALSE(server->is_open());
}

INSTANTIATE_TEST_SUITE_P(BothTransports, TransportContract,
                         ::testing::Values(std::string("tcp"), std::string("memory")),
                         [](const auto& info) { return info.param; });

TEST(MemoryTransport, PairCarriesThePeerIds) {
  boost::asio::io_context io;
  auto [a, b] =
      MemoryTransport::Pair(io.get_executor(), TestKey(1).public_key(), TestKey(2).public_key());
  EXPECT_EQ(a->peer_id(), TestKey(2).public_key());
  EXPECT_EQ(b->peer_id(), TestKey(1).public_key());
  ASSERT_TRUE(Await(io, a->Send(Pattern(4))).ok());
  EXPECT_EQ(*Await(io, b->Receive()), Pattern(4));
}

TEST(MemoryTransport, RunsAreDeterministic) {
  // The same program gives the same interleaving: record the order of events twice.
  auto trace = [] {
    boost::asio::io_context io;
    auto [a, b] = MemoryTransport::Pair(io.get_executor(), TestKey(1).public_key(),
                                        TestKey(2).public_key(), 2);
    std::vector<std::string> events;
    for (int side = 0; side < 2; ++side) {
      Connection* from = side == 0 ? a.get() : b.get();
      boost::asio::co_spawn(
          io,
          [&events, from, side]() -> Awaitable<void> {
            for (uint8_t i = 0; i < 5; ++i) {
              co_await from->Send(Pattern(1, i));
              events.push_back("send " + std::to_string(side) + ":" + std::to_string(i));
            }
          },
          boost::asio::detached);
      Connection* to = side == 0 ? b.get() : a.get();
      boost::asio::co_spawn(
          io,
          [&events, to, side]() -> Awaitable<void> {
            for (int i = 0; i < 5; ++i) {
              auto m = co_await to->Receive();
              events.push_back("recv " + std::to_string(side) + ":" + std::to_string((*m)[0]));
            }
          },
          boost::asio::detached);
    }
    io.run();
    return events;
  };
  const auto first = trace();
  EXPECT_EQ(first.size(), 20u);
  EXPECT_EQ(first, trace());
}

TEST(MemoryTransport, ListenRefusesATakenName) {
  boost::asio::io_context io;
  MemoryNetwork network(io.get_executor());
  MemoryTransport a(network, TestKey(1).public_key(), "a"),
      b(network, TestKey(2).public_key(), "b");
  auto handler = [](std::unique_ptr<Connection>) -> Awaitable<void> { co_return; };
  ASSERT_TRUE(a.Listen("same", handler).ok());
  EXPECT_EQ(b.Listen("same", handler).status().code(), Status::Code::kAlreadyExists);
}

}  // namespace
}  // namespace nanse
