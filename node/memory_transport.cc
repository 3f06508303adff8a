#include "node/memory_transport.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <array>
#include <deque>
#include <optional>
#include <vector>

namespace nanse {
namespace detail {

// Both directions of one connection. Side i receives from queue[i]; the other side sends to it.
struct MemoryPipe {
  MemoryPipe(const boost::asio::any_io_executor& executor, size_t max_queue_in)
      : max_queue(max_queue_in),
        arrived{Signal(executor), Signal(executor)},
        space{Signal(executor), Signal(executor)} {}

  void Close(int by, Status why) {
    if (!open) return;
    open = false;
    closed_by = by;
    reason = std::move(why);
    for (int i = 0; i < 2; ++i) {
      arrived[i].Notify();
      space[i].Notify();
    }
  }

  size_t max_queue;
  std::array<std::deque<Bytes>, 2> queue;
  std::array<Signal, 2> arrived;  // queue[i] got a message, or the pipe closed
  std::array<Signal, 2> space;    // queue[i] lost one, or the pipe closed
  bool open = true;
  int closed_by = -1;  // the side that closed it (its Close() or its transport's Stop())
  Status reason;
};

namespace {

class MemoryConnection final : public Connection {
 public:
  MemoryConnection(std::shared_ptr<MemoryPipe> pipe, int side, const PublicKey& peer_id,
                   std::string peer_name)
      : pipe_(std::move(pipe)), side_(side), peer_id_(peer_id), peer_name_(std::move(peer_name)) {}
  ~MemoryConnection() override { Close(); }

  const PublicKey& peer_id() const override { return peer_id_; }
  std::string remote_address() const override { return peer_name_; }
  bool is_open() const override { return pipe_->open; }

  Awaitable<Status> Send(ByteView message) override {
    if (message.empty() || message.size() > kMaxTransportPayload) {
      co_return Status::Usage("connection.send",
                              "a message of 1.." + std::to_string(kMaxTransportPayload) +
                                  " bytes, got " + std::to_string(message.size()));
    }
    const std::shared_ptr<MemoryPipe> pipe = pipe_;  // the connection may die while we wait
    const int to = 1 - side_;
    Bytes copy(message.begin(), message.end());
    for (;;) {
      if (!pipe->open) co_return Ended(*pipe);
      if (pipe->queue[to].size() < pipe->max_queue) {
        pipe->queue[to].push_back(std::move(copy));
        pipe->arrived[to].Notify();
        co_return Status::Ok();
      }
      co_await pipe->space[to].Wait();
    }
  }

  Awaitable<Result<Bytes>> Receive() override {
    const std::shared_ptr<MemoryPipe> pipe = pipe_;
    const int side = side_;
    for (;;) {
      if (!pipe->open && pipe->closed_by == side) co_return Ended(*pipe);
      if (!pipe->queue[side].empty()) {
        Bytes message = std::move(pipe->queue[side].front());
        pipe->queue[side].pop_front();
        pipe->space[side].Notify();
        co_return message;
      }
      if (!pipe->open) co_return Ended(*pipe);
      co_await pipe->arrived[side].Wait();
    }
  }

  void Close() override { pipe_->Close(side_, Status::Io("connection", "closed")); }

 private:
  Status Ended(const MemoryPipe& pipe) const {
    if (pipe.closed_by == 1 - side_) return Status::Io("connection", "closed by the peer");
    return pipe.reason;
  }

  std::shared_ptr<MemoryPipe> pipe_;
  int side_;
  PublicKey peer_id_;
  std::string peer_name_;
};

}  // namespace
}  // namespace detail

MemoryTransport::MemoryTransport(MemoryNetwork& network, const PublicKey& node_id, std::string name,
                                 size_t max_queue)
    : network_(network),
      node_id_(node_id),
      name_(std::move(name)),
      max_queue_(max_queue == 0 ? 1 : max_queue) {}

MemoryTransport::~MemoryTransport() { Stop(); }

std::pair<std::unique_ptr<Connection>, std::unique_ptr<Connection>> MemoryTransport::Pair(
    const boost::asio::any_io_executor& executor, const PublicKey& id_a, const PublicKey& id_b,
    size_t max_queue) {
  auto pipe = std::make_shared<detail::MemoryPipe>(executor, max_queue == 0 ? 1 : max_queue);
  return {std::make_unique<detail::MemoryConnection>(pipe, 0, id_b, "memory:b"),
          std::make_unique<detail::MemoryConnection>(pipe, 1, id_a, "memory:a")};
}

Awaitable<Result<std::unique_ptr<Connection>>> MemoryTransport::Connect(std::string address) {
  if (stopped_) co_return Status::Usage("transport", "stopped");
  auto it = network_.listeners_.find(address);
  if (it == network_.listeners_.end()) {
    co_return Status::Io("connect " + address, "nothing listens there");
  }
  MemoryTransport& listener = *it->second;
  auto pipe = std::make_shared<detail::MemoryPipe>(network_.executor(), max_queue_);
  std::erase_if(pipes_, [](const auto& p) { return p.first.expired(); });
  std::erase_if(listener.pipes_, [](const auto& p) { return p.first.expired(); });
  pipes_.emplace_back(pipe, 0);
  listener.pipes_.emplace_back(pipe, 1);
  std::unique_ptr<Connection> theirs =
      std::make_unique<detail::MemoryConnection>(pipe, 1, node_id_, name_);
  boost::asio::co_spawn(
      network_.executor(),
      [handler = listener.handler_, conn = std::move(theirs)]() mutable -> Awaitable<void> {
        co_await handler(std::move(conn));
      },
      boost::asio::detached);
  co_return std::unique_ptr<Connection>(
      std::make_unique<detail::MemoryConnection>(pipe, 0, listener.node_id_, listener.name_));
}

Result<std::string> MemoryTransport::Listen(const std::string& address, Handler handler) {
  if (stopped_) return Status::Usage("transport", "stopped");
  if (!listening_on_.empty()) return Status::Usage("transport", "already listening");
  if (!network_.listeners_.emplace(address, this).second) {
    return Status::AlreadyExists("listen " + address, "the name is taken");
  }
  listening_on_ = address;
  handler_ = std::move(handler);
  return address;
}

void MemoryTransport::Stop() {
  if (stopped_) return;
  stopped_ = true;
  if (!listening_on_.empty()) network_.listeners_.erase(listening_on_);
  for (auto& [weak, side] : pipes_) {
    if (auto pipe = weak.lock()) pipe->Close(side, Status::Io("connection", "transport stopped"));
  }
  pipes_.clear();
}

}  // namespace nanse
