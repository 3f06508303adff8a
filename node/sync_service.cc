#include "node/sync_service.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <algorithm>

#include "crdt/text_codec.h"

namespace nanse {
namespace {
namespace asio = boost::asio;
}  // namespace

struct SyncService::Link {
  Link(SyncService& service, Connection& conn, bool outbound, std::string address)
      : peer(conn.peer_id()),
        outbound(outbound),
        address(std::move(address)),
        conn(conn),
        session(service.node_.store(), service.node_.id(), conn.peer_id(), service.clock_,
                service.options_.session),
        wake(service.executor_) {}

  PublicKey peer;
  bool outbound;
  std::string address;
  Connection& conn;
  SyncSession session;
  detail::Signal wake;
  PeerTraffic recorded;  // what the PeerBook has been told of this link's traffic
  int64_t started_millis = 0;
  bool logged_caught_up = false;
};

SyncService::SyncService(Node& node, PeerBook& book, Transport& transport, Clock& clock,
                         Random& random, SyncServiceOptions options, LogSink log,
                         std::set<std::string> self_addresses)
    : node_(node),
      book_(book),
      transport_(transport),
      clock_(clock),
      random_(random),
      options_(options),
      log_(std::move(log)),
      self_addresses_(std::move(self_addresses)) {}

SyncService::~SyncService() = default;

void SyncService::Start(const asio::any_io_executor& executor) {
  executor_ = executor;
  if (auto s = book_.MarkAllDisconnected(); !s.ok() && log_) log_("peer book: " + s.ToString());
  asio::co_spawn(executor_, Discover(), asio::detached);
  asio::co_spawn(executor_, Poll(), asio::detached);
}

void SyncService::Stop() {
  stopping_ = true;
  for (auto* timer : sleepers_) timer->cancel();
  for (Link* link : links_) link->conn.Close();
}

Awaitable<void> SyncService::Sleep(std::chrono::milliseconds duration) {
  if (stopping_) co_return;
  asio::steady_timer timer(executor_, duration);
  sleepers_.insert(&timer);
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  sleepers_.erase(&timer);
}

std::chrono::milliseconds SyncService::Jitter(std::chrono::milliseconds delay) {
  // Uniform in [delay/2, delay*3/2), so nodes that lost a link at the same moment (a cut
  // uplink) do not all come back at the same moment.
  uint8_t bytes[4];
  random_.Fill(bytes);
  const uint32_t r = (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
                     (uint32_t{bytes[2]} << 8) | uint32_t{bytes[3]};
  const double factor = 0.5 + static_cast<double>(r) / 4294967296.0;
  return std::chrono::milliseconds(
      static_cast<int64_t>(static_cast<double>(delay.count()) * factor));
}

bool SyncService::HasLink(const PublicKey& node) const {
  return std::any_of(links_.begin(), links_.end(), [&](Link* l) { return l->peer == node; });
}

void SyncService::WakeAll(const Link* except) {
  for (Link* link : links_) {
    if (link != except) link->wake.Notify();
  }
}

void SyncService::Record(Link& link, bool connected, const std::string& error) {
  const SyncCounters& c = link.session.counters();
  const PeerTraffic now{c.ops_in, c.ops_out, c.bytes_in, c.bytes_out};
  PeerBook::SessionUpdate update;
  update.node = link.peer;
  update.address = link.address;
  update.outbound = link.outbound;
  update.connected = connected;
  update.caught_up = connected && link.session.caught_up();
  update.delta = now - link.recorded;
  update.error = error;
  update.session_started_millis = link.started_millis;
  update.session = now;
  update.clock_offset_millis = link.session.peer_clock_offset();
  if (auto s = book_.RecordSession(update, clock_.NowMillis()); !s.ok()) {
    if (log_) log_("peer book: " + s.ToString());
    return;
  }
  link.recorded = now;
}

Awaitable<void> SyncService::Accept(std::unique_ptr<Connection> conn) {
  const std::string address = conn->remote_address();
  (void)co_await RunLink(std::move(conn), /*outbound=*/false, address);
}

Awaitable<bool> SyncService::RunLink(std::unique_ptr<Connection> conn, bool outbound,
                                     std::string address) {
  if (stopping_) co_return false;
  const PublicKey peer = conn->peer_id();
  const std::string who = ShortId(peer) + " (" + address + ")";
  if (peer == node_.id()) {
    if (outbound) self_addresses_.insert(address);
    if (log_) log_("peer " + address + " is this node itself; not dialling it again");
    co_return false;
  }
  // Two links with one peer: when both nodes dialled each other at once, keep the connection
  // opened by the node with the lower id. Each node only ever closes a connection it opened
  // itself, never an inbound one: an inbound connection may be the peer's `nanse sync`, run
  // beside its daemon, which must not be refused.
  for (Link* other : links_) {
    if (other->peer != peer) continue;
    const bool self_lower = node_.id() < peer;
    if (outbound && (other->outbound || !self_lower)) {
      if (log_) log_("peer " + who + ": already linked; closing the connection just opened");
      co_return false;
    }
    if (!outbound && other->outbound && !self_lower) {
      if (log_) log_("peer " + who + ": linked both ways; closing the connection this node opened");
      other->conn.Close();
    }
  }

  Link link(*this, *conn, outbound, address);
  link.started_millis = clock_.NowMillis();
  links_.push_back(&link);
  const auto it = std::prev(links_.end());
  Record(link, true, "");
  if (log_) log_("peer " + who + " connected (" + (outbound ? "outbound" : "inbound") + ")");

  SyncLinkOptions link_options;
  link_options.on_progress = [this, &link, who](const SyncSession& session) {
    if (session.stored_new_ops()) WakeAll(&link);
    if (session.caught_up() && !link.logged_caught_up) {
      link.logged_caught_up = true;
      const SyncCounters& c = session.counters();
      if (log_) {
        log_("peer " + who + " caught up: " + std::to_string(c.ops_added) + " ops in (" +
             std::to_string(c.ops_in) + " received), " + std::to_string(c.ops_out) + " out");
      }
      Record(link, true, "");
    }
  };
  const Status end = co_await RunSyncLink(*conn, link.session, link.wake, link_options);
  links_.erase(it);
  // A connection that just ended is no error worth showing; a refusal or a Bye is.
  const bool failed = !end.ok() && end.field() != "connection";
  Record(link, false, failed ? end.ToString() : "");
  // The peer's record is per node: when this link was replaced by another with the same peer
  // (both dialled at once), the record must say what the link that goes on says.
  for (Link* other : links_) {
    if (other->peer == peer) Record(*other, true, "");
  }
  if (log_) log_("peer " + who + " gone: " + end.ToString());
  co_return link.logged_caught_up;
}

Result<std::vector<std::string>> SyncService::Targets() {
  NANSE_ASSIGN_OR_RETURN(std::vector<std::string> targets, book_.ConfiguredAddresses());
  NANSE_ASSIGN_OR_RETURN(const MembershipView view, node_.store().Membership());
  std::vector<std::pair<Hash, std::string>> published;
  for (const auto& [id, record] : view.nodes) {
    if (id == node_.id() || record.revoked_after_seq || record.role.empty()) continue;
    auto body = node_.Description(id);
    if (!body.ok()) continue;
    for (const auto& address : body->addresses) {
      // An order of its own per node, so the network's links spread rather than all nodes
      // dialling the same few.
      const std::string_view a = address;
      published.emplace_back(
          Blake2b256({ByteView(node_.id()),
                      ByteView(reinterpret_cast<const uint8_t*>(a.data()), a.size())}),
          address);
    }
  }
  std::sort(published.begin(), published.end());
  size_t taken = 0;
  for (const auto& [order, address] : published) {
    if (taken == options_.max_outgoing) break;
    if (std::find(targets.begin(), targets.end(), address) != targets.end()) continue;
    targets.push_back(address);
    ++taken;
  }
  const auto now = std::chrono::steady_clock::now();
  std::erase_if(discovered_,
                [&](const auto& d) { return now - d.second.seen > options_.discovered_ttl; });
  for (const auto& [address, d] : discovered_) {
    if (node_.id() < d.node &&
        std::find(targets.begin(), targets.end(), address) == targets.end()) {
      targets.push_back(address);
    }
  }
  std::erase_if(targets, [&](const std::string& a) { return self_addresses_.count(a) > 0; });
  return targets;
}

Awaitable<void> SyncService::Discover() {
  while (!stopping_) {
    auto targets = Targets();
    if (!targets.ok()) {
      if (log_) log_("peers: " + targets.status().ToString());
    } else {
      targets_ = std::set<std::string>(targets->begin(), targets->end());
      for (const auto& address : *targets) {
        if (dialling_.insert(address).second)
          asio::co_spawn(executor_, Dial(address), asio::detached);
      }
    }
    co_await Sleep(options_.discover_interval);
  }
}

void SyncService::AddDiscovered(const std::string& address, const PublicKey& node) {
  if (stopping_ || node == node_.id()) return;
  const bool fresh = !discovered_.count(address);
  discovered_[address] = {node, std::chrono::steady_clock::now()};
  if (!fresh) return;
  if (log_) log_("discovered node " + ShortId(node) + " at " + address + " on the local network");
  // Dial at once rather than at the next round of Discover.
  if (node_.id() < node && !self_addresses_.count(address)) {
    targets_.insert(address);
    if (dialling_.insert(address).second) asio::co_spawn(executor_, Dial(address), asio::detached);
  }
}

Awaitable<void> SyncService::Dial(std::string address) {
  std::chrono::milliseconds delay = options_.backoff_base;
  std::optional<PublicKey> known;
  if (auto it = discovered_.find(address); it != discovered_.end()) known = it->second.node;
  while (!stopping_ && targets_.count(address) && !self_addresses_.count(address)) {
    if (known && HasLink(*known)) {  // linked already (perhaps it dialled us): look later
      co_await Sleep(options_.discover_interval);
      continue;
    }
    (void)book_.RecordAttempt(address, clock_.NowMillis());
    auto conn = co_await transport_.Connect(address);
    if (stopping_) break;
    if (!conn.ok()) {
      (void)book_.RecordDialFailure(address, conn.status().ToString(), clock_.NowMillis());
      if (log_) log_("peer " + address + ": " + conn.status().ToString());
      const auto wait = Jitter(delay);
      delay = std::min(delay * 2, options_.backoff_max);
      co_await Sleep(wait);
      continue;
    }
    known = (*conn)->peer_id();
    (void)book_.RecordDialSuccess(address, *known, clock_.NowMillis());
    const bool worked = co_await RunLink(std::move(*conn), /*outbound=*/true, address);
    // A link that caught up starts the backoff over; one that failed before doubles it.
    const auto wait = Jitter(worked ? options_.backoff_base : delay);
    delay = worked ? options_.backoff_base : std::min(delay * 2, options_.backoff_max);
    co_await Sleep(wait);
  }
  dialling_.erase(address);
}

Awaitable<void> SyncService::Poll() {
  auto last_record = std::chrono::steady_clock::now();
  while (!stopping_) {
    auto version = node_.store().DataVersion();
    if (version.ok() && *version != data_version_) {
      if (data_version_ != -1) WakeAll(nullptr);
      data_version_ = *version;
    }
    if (std::chrono::steady_clock::now() - last_record >= options_.record_interval) {
      for (Link* link : links_) Record(*link, true, "");
      last_record = std::chrono::steady_clock::now();
    }
    co_await Sleep(options_.poll_interval);
  }
}

}  // namespace nanse
