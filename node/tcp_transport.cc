#include "node/tcp_transport.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>

#include <algorithm>
#include <charconv>
#include <exception>

#include "crdt/text_codec.h"
#include "node/tcp_session.h"

namespace nanse {
namespace {

namespace asio = boost::asio;
using asio::redirect_error;
using asio::use_awaitable;
using detail::SteadyClock;
using detail::tcp;
using detail::TcpSession;
using detail::TcpShared;

// The application's view of an established session. Destroying it closes the session.
class TcpConnection final : public Connection {
 public:
  explicit TcpConnection(std::shared_ptr<TcpSession> session,
                         std::optional<std::chrono::microseconds> round_trip = std::nullopt)
      : session_(std::move(session)), round_trip_(round_trip) {}
  std::optional<std::chrono::microseconds> round_trip() const override { return round_trip_; }
  ~TcpConnection() override { Close(); }

  const PublicKey& peer_id() const override { return session_->peer_id(); }
  std::string remote_address() const override { return session_->remote_address(); }
  bool is_open() const override { return session_->is_open(); }
  Awaitable<Status> Send(ByteView message) override { return session_->Send(message); }
  Awaitable<Result<Bytes>> Receive() override { return session_->Receive(); }
  void Close() override { session_->CloseLocally(Status::Io("connection", "closed")); }

 private:
  std::shared_ptr<TcpSession> session_;
  std::optional<std::chrono::microseconds> round_trip_;
};

// Logs what escapes a coroutine instead of losing it (nothing here throws on purpose).
auto LogExceptions(std::shared_ptr<TcpShared> shared, std::string what) {
  return [shared = std::move(shared), what = std::move(what)](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      shared->Log(what + ": exception: " + ex.what());
    } catch (...) {
      shared->Log(what + ": unknown exception");
    }
  };
}

std::string ShortNodeId(const PublicKey& id) { return ShortId(id); }

// Moves the handshake's messages between `session` and `handshake` until it is done.
// `failure` says why when it fails.
// For the initiator, `round_trip` gets the time from writing message 1 to reading message 2.
Awaitable<Result<EstablishedPeer>> RunHandshake(
    TcpSession& session, PeerHandshake& handshake, HandshakeFailure& failure,
    std::optional<std::chrono::microseconds>* round_trip = nullptr) {
  auto ended = [&](const Status& status) {
    if (session.timed_out()) {
      failure = HandshakeFailure::kTimeout;
    } else if (status.code() == Status::Code::kMalformed) {
      failure = HandshakeFailure::kProtocol;  // a bad frame
    } else {
      failure = HandshakeFailure::kClosed;
    }
  };
  auto first = handshake.Start();
  if (!first.ok()) {
    failure = HandshakeFailure::kProtocol;
    co_return first.status();
  }
  std::optional<std::chrono::steady_clock::time_point> sent;
  if (*first) {
    Status written = co_await session.WriteMessage(std::move(**first));
    if (!written.ok()) {
      ended(written);
      co_return written;
    }
    sent = std::chrono::steady_clock::now();
  }
  while (!handshake.done()) {
    auto message = co_await session.ReadMessage();
    if (!message.ok()) {
      ended(message.status());
      co_return message.status();
    }
    if (sent && round_trip && !*round_trip) {
      *round_trip = std::chrono::duration_cast<std::chrono::microseconds>(
          std::chrono::steady_clock::now() - *sent);
    }
    auto reply = handshake.Receive(*message);
    if (!reply.ok()) {
      failure = handshake.failure();
      co_return reply.status();
    }
    if (*reply) {
      Status written = co_await session.WriteMessage(std::move(**reply));
      if (!written.ok()) {
        ended(written);
        co_return written;
      }
    }
  }
  auto established = handshake.Finish();
  if (!established.ok()) failure = HandshakeFailure::kProtocol;
  co_return established;
}

// One inbound connection, from its handshake to the end of its handler.
Awaitable<void> ServeInbound(std::shared_ptr<TcpShared> shared,
                             std::shared_ptr<TcpSession> session) {
  const std::string& from = session->remote_address();
  auto handshake = PeerHandshake::Responder(shared->identity, shared->random);
  if (!handshake.ok()) {
    shared->Log(from + ": cannot start a handshake: " + handshake.status().ToString());
    session->Close(handshake.status());
    co_return;
  }
  HandshakeFailure failure = HandshakeFailure::kNone;
  auto established = co_await RunHandshake(*session, *handshake, failure);
  if (!established.ok()) {
    // Whatever failed, close without a word: after a bad message 1 nothing was ever written.
    shared->stats.CountHandshakeFailure(failure);
    shared->Log(from + ": handshake failed (" + std::string(HandshakeFailureName(failure)) +
                "): " + established.status().ToString());
    session->Close(established.status());
    co_return;
  }
  ++shared->stats.handshakes_ok;
  const PublicKey peer = established->peer_id;
  session->Establish(std::move(*established));
  shared->Log(from + ": connected: node " + ShortNodeId(peer));
  Transport::Handler handler = shared->handler;
  if (handler) co_await handler(std::make_unique<TcpConnection>(session));
}

Awaitable<void> AcceptLoop(std::shared_ptr<TcpShared> shared) {
  while (!shared->stopped && shared->acceptor && shared->acceptor->is_open()) {
    boost::system::error_code ec;
    tcp::socket socket = co_await shared->acceptor->async_accept(redirect_error(use_awaitable, ec));
    if (shared->stopped) co_return;
    if (ec) {
      // Out of descriptors or the like: say so, and give the system a moment.
      shared->Log("accept: " + ec.message());
      asio::steady_timer pause(shared->executor, std::chrono::milliseconds(100));
      co_await pause.async_wait(redirect_error(use_awaitable, ec));
      continue;
    }
    ++shared->stats.accepted;
    tcp::endpoint remote = socket.remote_endpoint(ec);
    if (ec) continue;  // already gone
    const std::string from = detail::FormatEndpoint(remote);
    // Refusals close at once: no byte read, none written, no handshake work.
    if (shared->stats.active.load() >= shared->options.max_connections) {
      ++shared->stats.refused_cap;
      shared->Log(from + ": refused: " + std::to_string(shared->options.max_connections) +
                  " connections open");
      socket.close(ec);
      continue;
    }
    if (!shared->limiter.Allow(RateLimitKey(remote.address().to_string()), SteadyClock::now())) {
      ++shared->stats.rate_limited;
      shared->Log(from + ": refused: handshake rate limit");
      socket.close(ec);
      continue;
    }
    auto session = std::make_shared<TcpSession>(shared, std::move(socket), /*inbound=*/true);
    session->set_remote_address(from);
    session->Begin(SteadyClock::now() + shared->options.handshake_deadline);
    asio::co_spawn(shared->executor, ServeInbound(shared, std::move(session)),
                   LogExceptions(shared, from));
  }
}

TcpTransportOptions Sanitized(TcpTransportOptions o) {
  using std::chrono::milliseconds;
  o.handshake_deadline = std::max(o.handshake_deadline, milliseconds(1));
  o.idle_timeout = std::max(o.idle_timeout, milliseconds(1));
  o.rate_limit_window = std::max(o.rate_limit_window, milliseconds(1));
  o.max_connections = std::max<size_t>(o.max_connections, 1);
  o.rate_limit_burst = std::max<size_t>(o.rate_limit_burst, 1);
  o.max_frame = std::clamp<size_t>(o.max_frame, 1, kMaxFrameMessage);
  o.max_inbox = std::max<size_t>(o.max_inbox, 1);
  return o;
}

}  // namespace

Result<HostPort> ParseHostPort(const std::string& address) {
  const auto bad = [&](const std::string& why) {
    return Status::Malformed("address", "expected HOST:PORT, got '" + address + "': " + why);
  };
  HostPort out;
  std::string port;
  if (!address.empty() && address[0] == '[') {
    const size_t close = address.find(']');
    if (close == std::string::npos || close + 1 >= address.size() || address[close + 1] != ':') {
      return bad("an IPv6 address goes in brackets, then ':' and the port");
    }
    out.host = address.substr(1, close - 1);
    port = address.substr(close + 2);
  } else {
    const size_t colon = address.rfind(':');
    if (colon == std::string::npos) return bad("no port");
    out.host = address.substr(0, colon);
    port = address.substr(colon + 1);
    if (out.host.find(':') != std::string::npos) return bad("put an IPv6 address in brackets");
  }
  if (out.host.empty()) return bad("no host");
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return bad("the port is a number from 0 to 65535");
  }
  out.port = static_cast<uint16_t>(value);
  return out;
}

TcpTransport::TcpTransport(asio::any_io_executor executor, PeerIdentity identity, Random& random,
                           TcpTransportOptions options, LogSink log)
    : shared_(std::make_shared<TcpShared>(std::move(executor), std::move(identity), random,
                                          Sanitized(options), std::move(log))) {}

TcpTransport::~TcpTransport() { Stop(); }

void TcpTransport::Stop() {
  asio::dispatch(shared_->executor, [shared = shared_] { shared->StopNow(); });
}

TransportStats TcpTransport::stats() const { return shared_->stats.Snapshot(); }

const PublicKey& TcpTransport::node_id() const { return shared_->identity.node_key.public_key(); }

Result<std::string> TcpTransport::Listen(const std::string& address, Handler handler) {
  TcpShared& s = *shared_;
  if (s.stopped) return Status::Usage("transport", "stopped");
  if (s.acceptor) return Status::Usage("transport", "already listening");
  NANSE_ASSIGN_OR_RETURN(HostPort where, ParseHostPort(address));
  boost::system::error_code ec;
  tcp::resolver resolver(s.executor);
  auto endpoints = resolver.resolve(where.host, std::to_string(where.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return Status::Io("listen " + address, ec ? ec.message() : "no address");
  }
  const tcp::endpoint endpoint = *endpoints.begin();
  tcp::acceptor acceptor(s.executor);
  if (acceptor.open(endpoint.protocol(), ec) ||
      acceptor.set_option(tcp::acceptor::reuse_address(true), ec) || acceptor.bind(endpoint, ec) ||
      acceptor.listen(asio::socket_base::max_listen_connections, ec)) {
    return Status::Io("listen " + address, ec.message());
  }
  const std::string bound = detail::FormatEndpoint(acceptor.local_endpoint(ec));
  s.acceptor.emplace(std::move(acceptor));
  s.handler = std::move(handler);
  asio::co_spawn(s.executor, AcceptLoop(shared_), LogExceptions(shared_, "listener"));
  s.Log("listening on " + bound);
  return bound;
}

Awaitable<Result<std::unique_ptr<Connection>>> TcpTransport::Connect(std::string address) {
  std::shared_ptr<TcpShared> shared = shared_;  // the transport may go while we wait
  if (shared->stopped) co_return Status::Usage("transport", "stopped");
  auto where = ParseHostPort(address);
  if (!where.ok()) co_return where.status();

  auto session = std::make_shared<TcpSession>(shared, tcp::socket(shared->executor),
                                              /*inbound=*/false);
  session->set_remote_address(address);
  session->Begin(SteadyClock::now() + shared->options.handshake_deadline);
  auto fail = [&](Status status) -> Status {
    ++shared->stats.connects_failed;
    shared->Log("connect " + address + ": " + status.ToString());
    session->Close(status);
    return status;
  };
  auto io_failure = [&](const boost::system::error_code& ec) {
    return Status::Io("connect " + address,
                      session->timed_out() ? "handshake deadline passed" : ec.message());
  };

  boost::system::error_code ec;
  auto endpoints = co_await session->resolver().async_resolve(
      where->host, std::to_string(where->port), redirect_error(use_awaitable, ec));
  if (ec || !session->is_open()) co_return fail(io_failure(ec));
  co_await asio::async_connect(session->socket(), endpoints, redirect_error(use_awaitable, ec));
  if (ec || !session->is_open()) co_return fail(io_failure(ec));
  tcp::endpoint remote = session->socket().remote_endpoint(ec);
  if (!ec) session->set_remote_address(detail::FormatEndpoint(remote));

  auto handshake = PeerHandshake::Initiator(shared->identity, shared->random);
  if (!handshake.ok()) co_return fail(handshake.status());
  HandshakeFailure failure = HandshakeFailure::kNone;
  std::optional<std::chrono::microseconds> round_trip;
  auto established = co_await RunHandshake(*session, *handshake, failure, &round_trip);
  if (!established.ok()) {
    Status status = established.status();
    if (failure == HandshakeFailure::kTimeout || failure == HandshakeFailure::kClosed) {
      // The responder closes without a word when it refuses our message 1 (network key).
      status = Status::Io("connect " + address,
                          failure == HandshakeFailure::kTimeout
                              ? "handshake deadline passed"
                              : "the peer closed the connection during the handshake (a "
                                "different network or network key?): " +
                                    status.ToString());
    }
    co_return fail(status);
  }
  ++shared->stats.connects_ok;
  const PublicKey peer = established->peer_id;
  session->Establish(std::move(*established));
  shared->Log("connected to " + session->remote_address() + ": node " + ShortNodeId(peer));
  co_return std::unique_ptr<Connection>(std::make_unique<TcpConnection>(session, round_trip));
}

}  // namespace nanse
