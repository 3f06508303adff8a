// Helpers for the TCP transport tests: a server (TcpTransport with an echo handler) on a thread
// of its own, and raw sockets that speak the protocol by hand, to misbehave on purpose.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "node/frame.h"
#include "node/peer_hello.h"
#include "node/tcp_transport.h"
#include "tests/node/transport_testing.h"

namespace nanse::testing {

using namespace std::chrono_literals;

// A TcpTransport of node 1 listening on 127.0.0.1 (an ephemeral port) with a handler that
// echoes every message, run by a thread of its own.
class TcpEchoServer {
 public:
  explicit TcpEchoServer(TcpTransportOptions options, PeerIdentity identity = TestIdentity(1))
      : state_(std::make_shared<State>()) {
    auto state = state_;
    transport_ = std::make_unique<TcpTransport>(io_.get_executor(), std::move(identity), random_,
                                                options, [state](const std::string& line) {
                                                  std::lock_guard lock(state->mu);
                                                  state->log.push_back(line);
                                                });
    address_ = transport_->Listen("127.0.0.1:0", Echo(state_)).value();
    thread_ = std::thread([this] {
      io_.run();
      run_returned_ = true;
    });
  }
  ~TcpEchoServer() { Shutdown(); }

  // Stop(), then checks that io_context::run() returns on its own (graceful shutdown).
  void Shutdown() {
    if (!thread_.joinable()) return;
    transport_->Stop();
    const bool ended = Eventually([&] { return run_returned_.load(); }, nullptr, 20s);
    EXPECT_TRUE(ended) << "io_context::run() did not return after Stop()";
    if (!ended) io_.stop();
    thread_.join();
  }

  const std::string& address() const { return address_; }
  TransportStats stats() const { return transport_->stats(); }
  std::vector<PublicKey> peers() const {
    std::lock_guard lock(state_->mu);
    return state_->peers;
  }
  std::vector<std::string> log() const {
    std::lock_guard lock(state_->mu);
    return state_->log;
  }
  // Waits until `condition` holds for the stats.
  bool StatsReach(const std::function<bool(const TransportStats&)>& condition) const {
    return Eventually([&] { return condition(stats()); });
  }

 private:
  struct State {
    mutable std::mutex mu;
    std::vector<PublicKey> peers;
    std::vector<std::string> log;
  };
  static Transport::Handler Echo(std::shared_ptr<State> state) {
    return [state](std::unique_ptr<Connection> c) -> Awaitable<void> {
      {
        std::lock_guard lock(state->mu);
        state->peers.push_back(c->peer_id());
      }
      for (;;) {
        auto m = co_await c->Receive();
        if (!m.ok()) co_return;
        if (!(co_await c->Send(*m)).ok()) co_return;
      }
    };
  }

  std::shared_ptr<State> state_;
  boost::asio::io_context io_;
  SeededRandom random_{1001};
  std::unique_ptr<TcpTransport> transport_;
  std::string address_;
  std::thread thread_;
  std::atomic<bool> run_returned_{false};
};

// A blocking IPv4 socket for misbehaving by hand.
class RawSocket {
 public:
  explicit RawSocket(const std::string& address) {
    HostPort where = ParseHostPort(address).value();
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(where.port);
    ::inet_pton(AF_INET, where.host.c_str(), &sa.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
  }
  explicit RawSocket(int fd) : fd_(fd), connected_(fd >= 0) {}
  ~RawSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool connected() const { return connected_; }

  bool Write(ByteView bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      done += static_cast<size_t>(n);
    }
    return true;
  }
  bool WriteFrame(ByteView message) { return Write(EncodeFrame(message).value()); }
  void ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

  // Exactly n bytes, or nullopt when the peer closes or `limit` passes.
  std::optional<Bytes> ReadExactly(size_t n, std::chrono::milliseconds limit = 20s) {
    Bytes out(n);
    size_t have = 0;
    const auto until = std::chrono::steady_clock::now() + limit;
    while (have < n) {
      if (!WaitReadable(until)) return std::nullopt;
      ssize_t k = ::recv(fd_, out.data() + have, n - have, 0);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) return std::nullopt;
      have += static_cast<size_t>(k);
    }
    return out;
  }
  std::optional<Bytes> ReadFrame(std::chrono::milliseconds limit = 20s) {
    auto header = ReadExactly(2, limit);
    if (!header) return std::nullopt;
    const size_t length = (size_t{(*header)[0]} << 8) | (*header)[1];
    if (length == 0) return Bytes{};
    return ReadExactly(length, limit);
  }

  struct Ending {
    size_t bytes = 0;     // what arrived before the end
    bool closed = false;  // the peer closed (EOF or reset) before `limit`
    std::chrono::milliseconds after{};
  };
  // Reads everything until the peer closes, or `limit` passes.
  Ending ReadUntilClosed(std::chrono::milliseconds limit = 20s) {
    Ending e;
    const auto start = std::chrono::steady_clock::now();
    const auto until = start + limit;
    uint8_t buffer[4096];
    for (;;) {
      if (!WaitReadable(until)) break;
      ssize_t k = ::recv(fd_, buffer, sizeof buffer, 0);
      if (k < 0 && errno == EINTR) continue;
      if (k <= 0) {
        e.closed = true;
        break;
      }
      e.bytes += static_cast<size_t>(k);
    }
    e.after = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    return e;
  }

 private:
  bool WaitReadable(std::chrono::steady_clock::time_point until) {
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r < 0 && errno == EINTR) continue;
      return r > 0;
    }
  }

  int fd_ = -1;
  bool connected_ = false;
};

// A listening IPv4 socket on 127.0.0.1 that a test drives by hand (to play a bad responder).
class RawListener {
 public:
  RawListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    ::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
    ::listen(fd_, 16);
    socklen_t len = sizeof sa;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len);
    address_ = "127.0.0.1:" + std::to_string(ntohs(sa.sin_port));
  }
  ~RawListener() { ::close(fd_); }
  const std::string& address() const { return address_; }
  // The next connection's descriptor, or -1 after `limit`.
  int Accept(std::chrono::milliseconds limit = 20s) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(limit.count())) <= 0) return -1;
    return ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
  }

 private:
  int fd_;
  std::string address_;
};

// The initiator's side of the handshake, by hand over `socket`. `tamper` rewrites the hello
// of message 3. Returns the session (as the initiator sees it), or nullopt when the server
// did not answer message 1 properly.
inline std::optional<NoiseSession> RawHandshake(
    RawSocket& socket, const PeerIdentity& id, Random& random,
    const std::function<Bytes(Bytes)>& tamper = nullptr) {
  auto hs =
      NanseHandshake::Initiator(id.noise_key, id.network_key, NoisePrologue(id.network_id), random)
          .value();
  if (!socket.WriteFrame(hs.WriteMessage1({}).value())) return std::nullopt;
  auto m2 = socket.ReadFrame();
  if (!m2) return std::nullopt;
  auto payload = hs.ReadMessage2(*m2);
  if (!payload.ok() || !CheckHello(*payload, *hs.remote_static()).ok()) return std::nullopt;
  Bytes hello = MakeHello(id.node_key, id.noise_key.public_key).value();
  if (tamper) hello = tamper(std::move(hello));
  if (!socket.WriteFrame(hs.WriteMessage3(hello).value())) return std::nullopt;
  auto session = hs.Finish();
  if (!session.ok()) return std::nullopt;
  return std::move(*session);
}

// Sends `message` on `connection` and expects it back (the echo server).
inline void ExpectEcho(boost::asio::io_context& io, Connection& connection, const Bytes& message) {
  Status sent = Await(io, connection.Send(message));
  ASSERT_TRUE(sent.ok()) << sent.ToString();
  auto back = Await(io, connection.Receive());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, message);
}

}  // namespace nanse::testing
