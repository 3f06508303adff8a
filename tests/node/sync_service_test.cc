// The sync daemon's parts together, in one process: SyncService links over the in-memory
// transport (a line of three nodes: catch-up, a change hopping across, a cut link coming back)
// and over real TCP on 127.0.0.1 (a hostile peer that sends a forged op is told why and
// disconnected, its op is not stored, and an honest peer syncs all the same).
#include <gtest/gtest.h>

#include "node/transport.h"  // first: it prepares Asio for coroutines

#include <boost/asio/io_context.hpp>

#include "crdt/msgpack_io.h"
#include "node/memory_transport.h"
#include "node/node.h"
#include "node/peer_book.h"
#include "node/sync_service.h"
#include "node/tcp_handshake.h"
#include "node/tcp_transport.h"
#include "tests/node/test_home.h"
#include "tests/node/transport_testing.h"

namespace nanse {
namespace {

using namespace std::chrono_literals;
using testing::Await;
using testing::Eventually;
using testing::TempDir;

// Adds one organization and returns the op, failing the test with the reason if refused.
SignedOp AddOrganization(Node& node, const std::string& name) {
  auto ops = node.AddRecords(Table::kMember, {testing::TestOrganization(name)});
  EXPECT_TRUE(ops.ok()) << ops.status().ToString();
  return ops.ok() ? ops->at(0) : SignedOp{};
}

size_t MemberCount(Node& node) {
  auto members = node.directory().ListRecords(Table::kMember);
  return members.ok() ? members->size() : 0;
}

// Nodes of one network in one temporary directory: A made it and invited the others as
// admins; each has its own home, store and PeerBook.
class Network {
 public:
  explicit Network(size_t n) {
    nodes_.push_back(Node::Init(dir_.File("n0"), "Sync net", "n0", clock_, random_).value());
    for (size_t i = 1; i < n; ++i) {
      auto invite = nodes_[0]->Invite("admin", std::nullopt, {});
      auto code = DecodeInviteCode(invite.value().code).value();
      nodes_.push_back(Node::Join(dir_.File("n" + std::to_string(i)), code, "n" + std::to_string(i),
                                  clock_, random_)
                           .value());
    }
    for (auto& node : nodes_) books_.push_back(PeerBook::Open(node->home().DatabasePath()).value());
  }
  Node& node(size_t i) { return *nodes_[i]; }
  PeerBook& book(size_t i) { return *books_[i]; }
  Clock& clock() { return clock_; }
  Random& random() { return random_; }

 private:
  TempDir dir_;
  SystemClock clock_;
  SeededRandom random_{42};
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<std::unique_ptr<PeerBook>> books_;
};

SyncServiceOptions FastOptions() {
  SyncServiceOptions o;
  o.backoff_base = 20ms;
  o.backoff_max = 200ms;
  o.poll_interval = 20ms;
  o.discover_interval = 50ms;
  o.record_interval = 50ms;
  return o;
}

std::string Name(size_t i) { return "n" + std::to_string(i) + ".test:7410"; }

// A service per node on one MemoryNetwork; node i listens on Name(i).
class MemoryServices {
 public:
  explicit MemoryServices(Network& net, size_t n) : network_(io_.get_executor()) {
    for (size_t i = 0; i < n; ++i) {
      transports_.push_back(std::make_unique<MemoryTransport>(network_, net.node(i).id(), Name(i)));
      services_.push_back(std::make_unique<SyncService>(net.node(i), net.book(i), *transports_[i],
                                                        net.clock(), net.random(), FastOptions(),
                                                        LogSink(), std::set<std::string>{Name(i)}));
    }
  }
  void Start() {
    for (size_t i = 0; i < services_.size(); ++i) {
      auto* service = services_[i].get();
      ASSERT_TRUE(transports_[i]
                      ->Listen(Name(i),
                               [service](std::unique_ptr<Connection> c) {
                                 return service->Accept(std::move(c));
                               })
                      .ok());
      service->Start(io_.get_executor());
    }
  }
  ~MemoryServices() {
    for (size_t i = 0; i < services_.size(); ++i) {
      services_[i]->Stop();
      transports_[i]->Stop();
    }
    testing::RunFor(io_, 50ms);
  }
  boost::asio::io_context& io() { return io_; }
  SyncService& service(size_t i) { return *services_[i]; }
  MemoryTransport& transport(size_t i) { return *transports_[i]; }

 private:
  boost::asio::io_context io_;
  MemoryNetwork network_;
  std::vector<std::unique_ptr<MemoryTransport>> transports_;
  std::vector<std::unique_ptr<SyncService>> services_;
};

TEST(SyncServiceTest, ALineOfThreeConvergesAndChangesHopAcross) {
  Network net(3);
  AddOrganization(net.node(0), "Alpha");
  AddOrganization(net.node(2), "Gamma");
  // n1 dials both ends; n0 and n2 know of nobody (and publish no address).
  ASSERT_TRUE(net.book(1).Add(Name(0), 0).ok());
  ASSERT_TRUE(net.book(1).Add(Name(2), 0).ok());
  MemoryServices services(net, 3);
  services.Start();

  auto same = [&] {
    auto v0 = net.node(0).store().Vector(), v1 = net.node(1).store().Vector(),
         v2 = net.node(2).store().Vector();
    return v0.ok() && v1.ok() && v2.ok() && *v0 == *v1 && *v1 == *v2;
  };
  ASSERT_TRUE(Eventually(same, &services.io()));
  EXPECT_EQ(MemberCount(net.node(0)), 2u);
  EXPECT_EQ(MemberCount(net.node(2)), 2u);

  // A change made at one end reaches the other through the middle, pushed, without redialling.
  AddOrganization(net.node(2), "Delta");
  services.service(2).NotifyStoreChanged();
  ASSERT_TRUE(Eventually([&] { return MemberCount(net.node(0)) == 3; }, &services.io()));
  EXPECT_TRUE(same());

  // The ends never had a session with each other; the middle has one with each.
  auto peers0 = net.book(0).Nodes().value();
  ASSERT_EQ(peers0.size(), 1u);
  EXPECT_EQ(peers0[0].node, net.node(1).id());
  EXPECT_GT(peers0[0].traffic.ops_out, 0u);
  EXPECT_EQ(net.book(1).Nodes().value().size(), 2u);
}

TEST(SyncServiceTest, ACutLinkIsRedialledAndCatchesUp) {
  Network net(2);
  ASSERT_TRUE(net.book(1).Add(Name(0), 0).ok());
  MemoryServices services(net, 2);
  services.Start();
  ASSERT_TRUE(Eventually([&] { return services.service(1).live_links() == 1; }, &services.io()));

  // Cut n0 off: its transport stops, every link ends; n1 keeps redialling a dead address.
  services.transport(0).Stop();
  ASSERT_TRUE(Eventually([&] { return services.service(1).live_links() == 0; }, &services.io()));
  AddOrganization(net.node(1), "Written apart");
  testing::RunFor(services.io(), 200ms);
  auto addresses = net.book(1).Addresses().value();
  ASSERT_EQ(addresses.size(), 1u);
  EXPECT_GT(addresses[0].failures, 0u) << "the redial attempts are recorded";
  EXPECT_FALSE(addresses[0].last_error.empty());
  EXPECT_EQ(MemberCount(net.node(0)), 0u);
}

TEST(SyncServiceTest, AJoinedNodeDialsThePeersItsInviteCodeNames) {
  TempDir dir;
  SystemClock clock;
  SeededRandom random(7);
  auto a = Node::Init(dir.File("a"), "Net", "a", clock, random).value();
  auto invite = a->Invite("observer", std::nullopt, {"192.0.2.10:7410", "[2001:db8::1]:7410"});
  auto b =
      Node::Join(dir.File("b"), DecodeInviteCode(invite.value().code).value(), "b", clock, random)
          .value();
  auto book = PeerBook::Open(b->home().DatabasePath()).value();
  EXPECT_EQ(book->ConfiguredAddresses().value(),
            (std::vector<std::string>{"192.0.2.10:7410", "[2001:db8::1]:7410"}));
}

// --- Over TCP: a hostile peer ---

// A node's TCP transport and sync service on an io_context of the test thread.
struct TcpNode {
  TcpNode(Network& net, size_t i, boost::asio::io_context& io)
      : transport(io.get_executor(), LoadPeerIdentity(net.node(i).home(), net.random()).value(),
                  net.random()),
        service(net.node(i), net.book(i), transport, net.clock(), net.random(), FastOptions(),
                LogSink(), {}) {}
  TcpTransport transport;
  SyncService service;
};

TEST(SyncServiceTest, AHostilePeerIsToldWhyAndDroppedAndOthersStillSync) {
  Network net(3);
  AddOrganization(net.node(0), "Alpha");
  boost::asio::io_context io;
  TcpNode server(net, 0, io);
  const std::string address = server.transport
                                  .Listen("127.0.0.1:0",
                                          [&](std::unique_ptr<Connection> c) {
                                            return server.service.Accept(std::move(c));
                                          })
                                  .value();
  server.service.Start(io.get_executor());

  // n1 holds the network key, connects, says a proper Hello, then sends its own next op with
  // one byte of its signature flipped.
  Node& hostile = net.node(1);
  TcpTransport client(io.get_executor(), LoadPeerIdentity(hostile.home(), net.random()).value(),
                      net.random());
  SignedOp forged = AddOrganization(hostile, "Forged");
  forged.signature[5] ^= 0x40;
  const auto before = net.node(0).store().Vector().value();
  auto reply = Await(io, [&]() -> Awaitable<std::pair<std::string, Status>> {
    auto conn = (co_await client.Connect(address)).value();
    SyncHello hello;
    hello.node = hostile.id();
    const VersionVector vector = hostile.store().Vector().value();
    hello.authors = vector.size();
    hello.digest = VectorDigest(vector);
    hello.vector = vector;
    Bytes hello_bytes = EncodeSyncHello(hello);
    (void)co_await conn->Send(hello_bytes);
    SyncOpsWriter writer;
    writer.Add(EncodeOp(forged));
    Bytes ops = writer.Take();
    (void)co_await conn->Send(ops);
    // Whatever the server sends until it hangs up; its last word is the Bye.
    std::string bye;
    for (;;) {
      auto message = co_await conn->Receive();
      if (!message.ok()) co_return std::make_pair(bye, message.status());
      auto decoded = DecodeSyncMessage(*message);
      if (decoded.ok() && std::holds_alternative<SyncBye>(*decoded)) {
        bye = std::get<SyncBye>(*decoded).reason;
      }
    }
  }());
  EXPECT_NE(reply.first.find("signature"), std::string::npos) << "bye: " << reply.first;
  EXPECT_FALSE(reply.second.ok()) << "the server hung up";
  EXPECT_EQ(net.node(0).store().Vector().value(), before) << "nothing of the batch is stored";
  EXPECT_FALSE(net.node(0).store().GetOp(forged.id).value().has_value());
  auto peers = net.book(0).Nodes().value();
  ASSERT_EQ(peers.size(), 1u);
  EXPECT_NE(peers[0].last_error.find("signature"), std::string::npos) << peers[0].last_error;

  // The server keeps serving: an honest node syncs everything it lacks.
  Node& honest = net.node(2);
  TcpTransport honest_client(io.get_executor(),
                             LoadPeerIdentity(honest.home(), net.random()).value(), net.random());
  const Status end = Await(io, [&]() -> Awaitable<Status> {
    auto conn = (co_await honest_client.Connect(address)).value();
    SyncSession session(honest.store(), honest.id(), conn->peer_id(), net.clock());
    detail::Signal wake(co_await boost::asio::this_coro::executor);
    SyncLinkOptions options;
    options.until_caught_up = true;
    co_return co_await RunSyncLink(*conn, session, wake, options);
  }());
  EXPECT_TRUE(end.ok()) << end.ToString();
  EXPECT_EQ(honest.store().Vector().value(), net.node(0).store().Vector().value());
  EXPECT_EQ(MemberCount(honest), 1u);

  server.service.Stop();
  server.transport.Stop();
  client.Stop();
  honest_client.Stop();
  testing::RunFor(io, 50ms);
}

}  // namespace
}  // namespace nanse
