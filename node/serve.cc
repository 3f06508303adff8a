#include "node/serve.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include "crdt/text_codec.h"
#include "node/peer_book.h"
#include "node/tcp_transport.h"

namespace nanse {
namespace {

namespace asio = boost::asio;

// The address to publish for `bound`: the one asked for, else the bound one unless it is a
// wildcard, which says nothing of where the node can be reached.
std::string AdvertisedAddress(const std::string& asked, const std::string& bound) {
  if (!asked.empty()) return asked;
  auto parsed = ParseHostPort(bound);
  if (!parsed.ok() || parsed->host == "0.0.0.0" || parsed->host == "::") return "";
  return bound;
}

// Publishes `address` in this node's record when the record says otherwise. A node that may
// not author (revoked) serves all the same: it only logs why.
void Publish(Node& node, const std::string& address, const LogSink& log) {
  auto described = node.Description(node.id());
  NodeBody body = described.ok() ? *described : NodeBody{};
  if (body.addresses == std::vector<std::string>{address}) return;
  if (body.name.empty()) body.name = ShortId(node.id());
  body.addresses = {address};
  auto op = node.DescribeSelf(body);
  if (log) {
    log(op.ok() ? "published address " + address + " in this node's record"
                : "could not publish address " + address + ": " + op.status().ToString());
  }
}

// Polls `stop` (tests) and stops the transport when it says so.
Awaitable<void> WatchStop(std::function<bool()> stop, std::function<void()> stop_all) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (!stop()) {
    timer.expires_after(std::chrono::milliseconds(100));
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  stop_all();
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

  NANSE_ASSIGN_OR_RETURN(auto book, PeerBook::Open(node.home().DatabasePath()));

  asio::io_context io;
  TcpTransport transport(io.get_executor(), std::move(identity), random, options.transport, log);
  std::unique_ptr<SyncService> service;  // made once the bound address is known
  auto bound = transport.Listen(listen, [&service](std::unique_ptr<Connection> conn) {
    return service->Accept(std::move(conn));
  });
  if (!bound.ok()) return bound.status();
  if (!options.listen.empty()) NANSE_RETURN_IF_ERROR(node.home().WriteListenAddress(listen));
  const std::string advertise = AdvertisedAddress(options.advertise, *bound);
  if (!advertise.empty()) Publish(node, advertise, log);
  std::set<std::string> self_addresses{listen, *bound};
  if (!advertise.empty()) self_addresses.insert(advertise);
  service = std::make_unique<SyncService>(node, *book, transport, node.clock(), random,
                                          options.sync, log, std::move(self_addresses));
  service->Start(io.get_executor());

  std::unique_ptr<LanDiscovery> discovery;
  if (options.discovery) {
    discovery = std::make_unique<LanDiscovery>(
        io.get_executor(), node.network().key, node.id(), *bound, random, node.clock(), options.lan,
        log, [&service](const std::string& address, const PublicKey& peer) {
          service->AddDiscovered(address, peer);
        });
    if (Status started = discovery->Start(); !started.ok()) {
      if (log) log("no LAN discovery: " + started.ToString());
      discovery.reset();
    }
  }

  auto stop_all = [&] {
    if (discovery) discovery->Stop();
    service->Stop();
    transport.Stop();
  };
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    if (log) log(std::string("stopping on ") + (signal == SIGINT ? "SIGINT" : "SIGTERM"));
    stop_all();
  });
  if (stop) asio::co_spawn(io, WatchStop(stop, stop_all), asio::detached);
  if (on_listening) on_listening(*bound);
  io.run();
  return ServeReport{*bound, transport.stats()};
}

Result<SyncReport> SyncOnce(Node& node, const std::string& address, Random& random,
                            std::chrono::milliseconds deadline, const SyncProgress& progress,
                            std::chrono::milliseconds progress_every) {
  if (auto parsed = ParseHostPort(address); !parsed.ok()) {
    return Status::Usage("HOST:PORT", parsed.status().detail());
  }
  NANSE_ASSIGN_OR_RETURN(PeerIdentity identity, LoadPeerIdentity(node.home(), random));
  NANSE_ASSIGN_OR_RETURN(auto book, PeerBook::Open(node.home().DatabasePath()));
  asio::io_context io;
  TcpTransport transport(io.get_executor(), std::move(identity), random);
  Result<SyncReport> result = Status::Io("sync", "did not run");
  asio::steady_timer timer(io, deadline);
  bool timed_out = false;
  timer.async_wait([&](const boost::system::error_code& ec) {
    if (ec) return;
    timed_out = true;
    transport.Stop();
  });
  asio::co_spawn(
      io,
      [&]() -> Awaitable<void> {
        const auto start = std::chrono::steady_clock::now();
        (void)book->RecordAttempt(address, node.clock().NowMillis());
        auto conn = co_await transport.Connect(address);
        if (!conn.ok()) {
          (void)book->RecordDialFailure(address, conn.status().ToString(),
                                        node.clock().NowMillis());
          result = conn.status();
        } else {
          const PublicKey peer = (*conn)->peer_id();
          (void)book->RecordDialSuccess(address, peer, node.clock().NowMillis());
          SyncSession session(node.store(), node.id(), peer, node.clock());
          const int64_t session_started = node.clock().NowMillis();
          detail::Signal wake(co_await asio::this_coro::executor);
          // Progress reports while the session runs. The ticker may wake after this frame is
          // gone, so what it reads after waking lives in a shared state.
          struct Ticker {
            explicit Ticker(asio::io_context& io) : timer(io) {}
            asio::steady_timer timer;
            bool over = false;
          };
          auto ticker = std::make_shared<Ticker>(io);
          if (progress) {
            asio::co_spawn(
                io,
                [ticker, &session, &progress, progress_every, start]() -> Awaitable<void> {
                  while (!ticker->over) {
                    ticker->timer.expires_after(progress_every);
                    boost::system::error_code ec;
                    co_await ticker->timer.async_wait(
                        asio::redirect_error(asio::use_awaitable, ec));
                    if (ticker->over) break;
                    progress(session.counters(),
                             std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - start));
                  }
                },
                asio::detached);
          }
          SyncLinkOptions link_options;
          link_options.until_caught_up = true;
          const Status end = co_await RunSyncLink(**conn, session, wake, link_options);
          ticker->over = true;
          ticker->timer.cancel();
          const SyncCounters& c = session.counters();
          PeerBook::SessionUpdate update;
          update.node = peer;
          update.address = address;
          update.outbound = true;
          update.caught_up = end.ok();
          update.delta = {c.ops_in, c.ops_out, c.bytes_in, c.bytes_out};
          update.session = update.delta;
          update.session_started_millis = session_started;
          update.clock_offset_millis = session.peer_clock_offset();
          if (!end.ok()) update.error = end.ToString();
          (void)book->RecordSession(update, node.clock().NowMillis());
          if (!end.ok()) {
            result = timed_out ? Status::Io("sync", "deadline passed (" +
                                                        std::to_string(deadline.count()) + " ms)")
                               : end;
          } else {
            result = SyncReport{peer, address, c, session.last_ingest(),
                                std::chrono::duration_cast<std::chrono::microseconds>(
                                    std::chrono::steady_clock::now() - start)};
          }
        }
        timer.cancel();
        transport.Stop();
      },
      asio::detached);
  io.run();
  return result;
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
