#include "node/lan_discovery.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/socket_base.hpp>

#include "crdt/text_codec.h"
#include "node/tcp_transport.h"

namespace nanse {
namespace {
namespace asio = boost::asio;
using udp = asio::ip::udp;
}  // namespace

std::vector<std::string> BroadcastAddresses(const std::string& local_ip) {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
    if (!(i->ifa_flags & IFF_UP) || !(i->ifa_flags & IFF_BROADCAST) ||
        (i->ifa_flags & IFF_LOOPBACK) || !i->ifa_netmask) {
      continue;
    }
    char text[INET_ADDRSTRLEN];
    const auto* own = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
    if (!local_ip.empty() &&
        !(inet_ntop(AF_INET, &own->sin_addr, text, sizeof text) && local_ip == text)) {
      continue;
    }
    // The subnet's broadcast address from the address and the mask: an interface configured
    // without `brd` reports no usable broadcast address of its own.
    const auto* mask = reinterpret_cast<const sockaddr_in*>(i->ifa_netmask);
    in_addr broadcast;
    broadcast.s_addr = own->sin_addr.s_addr | ~mask->sin_addr.s_addr;
    if (mask->sin_addr.s_addr == 0xFFFFFFFF) continue;  // a /32 has no one else to reach
    if (inet_ntop(AF_INET, &broadcast, text, sizeof text)) out.emplace_back(text);
  }
  freeifaddrs(list);
  return out;
}

LanDiscovery::LanDiscovery(asio::any_io_executor executor, const NetworkKey& network_key,
                           const PublicKey& self, const std::string& listen, Random& random,
                           Clock& clock, LanDiscoveryOptions options, LogSink log, Found found)
    : executor_(executor),
      network_key_(network_key),
      self_(self),
      random_(random),
      clock_(clock),
      options_(options),
      log_(std::move(log)),
      found_(std::move(found)),
      socket_(executor),
      timer_(executor) {
  if (auto parsed = ParseHostPort(listen); parsed.ok()) {
    listen_port_ = parsed->port;
    if (parsed->host != "0.0.0.0" && parsed->host != "::") listen_ip_ = parsed->host;
  }
}

LanDiscovery::~LanDiscovery() { Stop(); }

Status LanDiscovery::Start() {
  if (listen_port_ == 0 || BroadcastAddresses(listen_ip_).empty()) {
    return Status::NotFound("discovery",
                            "no interface with a broadcast address to beacon on" +
                                (listen_ip_.empty() ? std::string() : " for " + listen_ip_));
  }
  boost::system::error_code ec;
  socket_.open(udp::v4(), ec);
  // Several nodes on one host (and the kernel then gives each a copy of every broadcast).
  if (!ec) socket_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) socket_.set_option(asio::socket_base::broadcast(true), ec);
  if (!ec) socket_.bind(udp::endpoint(udp::v4(), options_.port), ec);
  if (ec) {
    return Status::Io("discovery", "cannot listen on UDP port " + std::to_string(options_.port) +
                                       ": " + ec.message());
  }
  asio::co_spawn(executor_, Beacons(), asio::detached);
  asio::co_spawn(executor_, Listen(), asio::detached);
  if (log_) {
    std::string on;
    for (const auto& b : BroadcastAddresses(listen_ip_)) on += (on.empty() ? "" : ", ") + b;
    log_("LAN discovery: beacons on UDP port " + std::to_string(options_.port) + " to " + on);
  }
  return Status::Ok();
}

void LanDiscovery::Stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  timer_.cancel();
  socket_.close(ignored);
}

Awaitable<void> LanDiscovery::Beacons() {
  while (!stopped_) {
    const Bytes beacon =
        SealBeacon(network_key_, {self_, listen_port_, clock_.NowMillis()}, random_);
    for (const std::string& target : BroadcastAddresses(listen_ip_)) {
      boost::system::error_code ec;
      const auto address = asio::ip::make_address_v4(target, ec);
      if (ec) continue;
      co_await socket_.async_send_to(asio::buffer(beacon), udp::endpoint(address, options_.port),
                                     asio::redirect_error(asio::use_awaitable, ec));
      if (stopped_) co_return;
      if (!ec) ++stats_.sent;
    }
    // In [interval/2, interval*3/2): nodes that start together do not beacon in step.
    uint8_t r[2];
    random_.Fill(r);
    const auto jitter = options_.interval * ((r[0] << 8) | r[1]) / 65536;
    timer_.expires_after(options_.interval / 2 + jitter);
    boost::system::error_code ignored;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

Awaitable<void> LanDiscovery::Listen() {
  std::array<uint8_t, 512> buffer;
  while (!stopped_) {
    udp::endpoint from;
    boost::system::error_code ec;
    const size_t n = co_await socket_.async_receive_from(
        asio::buffer(buffer), from, asio::redirect_error(asio::use_awaitable, ec));
    if (stopped_) co_return;
    if (ec) continue;
    auto beacon = OpenBeacon(network_key_, ByteView(buffer.data(), n));
    if (!beacon.ok()) {
      ++stats_.foreign;
      continue;
    }
    if (beacon->node == self_) continue;
    ++stats_.found;
    const std::string address = from.address().to_string() + ":" + std::to_string(beacon->port);
    if (found_) found_(address, beacon->node);
  }
}

}  // namespace nanse
