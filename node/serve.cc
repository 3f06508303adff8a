#include "node/serve.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "crdt/text_codec.h"
#include "node/tcp_transport.h"

namespace nanse {
namespace {

namespace asio = boost::asio;

// Until the sync protocol exists: keep the connection, log what arrives, drop it.
Awaitable<void> HoldConnection(std::unique_ptr<Connection> conn, LogSink log) {
  const std::string who = ShortId(conn->peer_id()) + " (" + conn->remote_address() + ")";
  if (log) log("peer " + who + " connected");
  for (;;) {
    auto message = co_await conn->Receive();
    if (!message.ok()) {
      if (log) log("peer " + who + " gone: " + message.status().ToString());
      co_return;
    }
    if (log) log("peer " + who + " sent " + std::to_string(message->size()) + " bytes (ignored)");
  }
}

// Polls `stop` (tests) and stops the transport when it says so.
Awaitable<void> WatchStop(std::function<bool()> stop, TcpTransport& transport) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!stop()) {
    timer.expires_after(std::chrono::milliseconds(100));
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  transport.Stop();
}

}  // namespace

Result<ServeReport> Serve(Node& node, const ServeOptions& options, Random& random, LogSink log,
                          const std::function<void(const std::string& bound)>& on_listening,
                          const std::function<bool()>& stop) {
  std::string listen = options.listen;
  if (listen.empty()) {
    NANSE_ASSIGN_OR_RETURN(const auto stored, node.home().ReadListenAddress());
    listen = stored.value_or(std::string(kDefaultListen));
  }
  if (auto parsed = ParseHostPort(listen); !parsed.ok()) {
    return Status::Usage("--listen", parsed.status().detail());
  }
  NANSE_ASSIGN_OR_RETURN(PeerIdentity identity, LoadPeerIdentity(node.home(), random));

  asio::io_context io;
  TcpTransport transport(io.get_executor(), std::move(identity), random, options.transport, log);
  auto bound = transport.Listen(listen, [log](std::unique_ptr<Connection> conn) {
    return HoldConnection(std::move(conn), log);
  });
  if (!bound.ok()) return bound.status();
  if (!options.listen.empty()) NANSE_RETURN_IF_ERROR(node.home().WriteListenAddress(listen));

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    if (log) log(std::string("stopping on ") + (signal == SIGINT ? "SIGINT" : "SIGTERM"));
    transport.Stop();
  });
  if (stop) asio::co_spawn(io, WatchStop(stop, transport), asio::detached);
  if (on_listening) on_listening(*bound);
  io.run();
  return ServeReport{*bound, transport.stats()};
}

Result<PingReport> Ping(Node& node, const std::string& address, Random& random,
                        std::chrono::milliseconds deadline) {
  if (auto parsed = ParseHostPort(address); !parsed.ok()) {
    return Status::Usage("HOST:PORT", parsed.status().detail());
  }
  NANSE_ASSIGN_OR_RETURN(PeerIdentity identity, LoadPeerIdentity(node.home(), random));
  asio::io_context io;
  TcpTransportOptions options;
  options.handshake_deadline = deadline;
  TcpTransport transport(io.get_executor(), std::move(identity), random, options);
  Result<PingReport> result = Status::Io("ping", "did not run");
  asio::co_spawn(
      io,
      [&]() -> Awaitable<void> {
        const auto start = std::chrono::steady_clock::now();
        auto conn = co_await transport.Connect(address);
        const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
            std::chrono::steady_clock::now() - start);
        if (!conn.ok()) {
          result = conn.status();
        } else {
          result = PingReport{(*conn)->peer_id(), address, (*conn)->round_trip().value_or(elapsed),
                              elapsed};
          (*conn)->Close();
        }
        transport.Stop();
      },
      asio::detached);
  io.run();
  return result;
}

}  // namespace nanse
