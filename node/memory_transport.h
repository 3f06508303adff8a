// The in-memory twin of the TCP transport, for tests of the layers above without sockets:
// connections are pairs of bounded queues in one io_context, so a run is deterministic for a
// given order of events. No encryption and no handshake, but the same contract as
// node/transport.h: each side knows the other's node id, messages are 1..kMaxTransportPayload
// bytes, delivered once and in order, Send waits while the peer's queue is full, Close and
// Stop end both sides.
//
//   boost::asio::io_context io;
//   MemoryNetwork network(io.get_executor());
//   MemoryTransport a(network, id_a, "memory:a"), b(network, id_b, "memory:b");
//   b.Listen("memory:b", handler);
//   auto conn = co_await a.Connect("memory:b");   // (*conn)->peer_id() == id_b
//
// Threads: as node/transport.h; everything on the network's executor.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "node/transport.h"

namespace nanse {

namespace detail {
struct MemoryPipe;
}

// The addresses memory transports listen on. Must outlive its transports.
class MemoryNetwork {
 public:
  explicit MemoryNetwork(boost::asio::any_io_executor executor) : executor_(std::move(executor)) {}
  const boost::asio::any_io_executor& executor() const { return executor_; }

 private:
  friend class MemoryTransport;
  boost::asio::any_io_executor executor_;
  std::map<std::string, class MemoryTransport*> listeners_;
};

class MemoryTransport final : public Transport {
 public:
  // Messages each direction of a connection queues before Send waits.
  static constexpr size_t kDefaultQueue = 64;

  // `node_id` is what the peers of this transport see as its peer_id(); `name` is how its
  // connections' remote_address() names it.
  MemoryTransport(MemoryNetwork& network, const PublicKey& node_id, std::string name,
                  size_t max_queue = kDefaultQueue);
  ~MemoryTransport() override;  // Stop()

  // Fails (Io "connect <address>") when nothing listens on `address`, (Usage) after Stop().
  // The listener's handler gets the other end in a coroutine of its own.
  Awaitable<Result<std::unique_ptr<Connection>>> Connect(std::string address) override;
  // Any name not already taken; returns it unchanged.
  Result<std::string> Listen(const std::string& address, Handler handler) override;
  void Stop() override;

  // Two connected endpoints, outside any transport: first.peer_id() == id_b,
  // second.peer_id() == id_a.
  static std::pair<std::unique_ptr<Connection>, std::unique_ptr<Connection>> Pair(
      const boost::asio::any_io_executor& executor, const PublicKey& id_a, const PublicKey& id_b,
      size_t max_queue = kDefaultQueue);

 private:
  MemoryNetwork& network_;
  PublicKey node_id_;
  std::string name_;
  size_t max_queue_;
  std::string listening_on_;
  Handler handler_;
  bool stopped_ = false;
  // Every connection made or accepted here, to close on Stop().
  std::vector<std::pair<std::weak_ptr<detail::MemoryPipe>, int>> pipes_;  // and our side
};

}  // namespace nanse
