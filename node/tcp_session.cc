#include "node/tcp_session.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/write.hpp>

#include <vector>

#include "crdt/text_codec.h"

namespace nanse::detail {
namespace {

constexpr size_t kReadBufferSize = 16 * 1024;

namespace asio = boost::asio;
using asio::redirect_error;
using asio::use_awaitable;

}  // namespace

TransportStats AtomicStats::Snapshot() const {
  TransportStats s;
  s.accepted = accepted.load();
  s.refused_cap = refused_cap.load();
  s.rate_limited = rate_limited.load();
  s.handshakes_ok = handshakes_ok.load();
  s.handshake_failed_message1 = handshake_failed_message1.load();
  s.handshake_failed_identity = handshake_failed_identity.load();
  s.handshake_failed_protocol = handshake_failed_protocol.load();
  s.handshake_failed_timeout = handshake_failed_timeout.load();
  s.handshake_failed_closed = handshake_failed_closed.load();
  s.dropped = dropped.load();
  s.idle_timeouts = idle_timeouts.load();
  s.connects_ok = connects_ok.load();
  s.connects_failed = connects_failed.load();
  s.active = active.load();
  return s;
}

void AtomicStats::CountHandshakeFailure(HandshakeFailure kind) {
  switch (kind) {
    case HandshakeFailure::kMessage1:
      ++handshake_failed_message1;
      break;
    case HandshakeFailure::kIdentity:
      ++handshake_failed_identity;
      break;
    case HandshakeFailure::kTimeout:
      ++handshake_failed_timeout;
      break;
    case HandshakeFailure::kClosed:
      ++handshake_failed_closed;
      break;
    case HandshakeFailure::kNone:
    case HandshakeFailure::kProtocol:
      ++handshake_failed_protocol;
      break;
  }
}

TcpShared::TcpShared(asio::any_io_executor executor_in, PeerIdentity identity_in, Random& random_in,
                     TcpTransportOptions options_in, LogSink log_in)
    : executor(std::move(executor_in)),
      identity(std::move(identity_in)),
      random(random_in),
      options(options_in),
      log(std::move(log_in)),
      limiter(options.rate_limit_burst, options.rate_limit_window) {}

void TcpShared::StopNow() {
  if (stopped) return;
  stopped = true;
  if (acceptor) {
    boost::system::error_code ignored;
    acceptor->close(ignored);
  }
  std::vector<std::shared_ptr<TcpSession>> open;
  for (auto& [id, weak] : sessions) {
    if (auto session = weak.lock()) open.push_back(std::move(session));
  }
  for (auto& session : open) session->CloseLocally(Status::Io("connection", "transport stopped"));
  sessions.clear();
  Log("transport stopped");
}

std::string FormatEndpoint(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  if (address.is_v6()) {
    return "[" + address.to_string() + "]:" + std::to_string(endpoint.port());
  }
  return address.to_string() + ":" + std::to_string(endpoint.port());
}

TcpSession::TcpSession(std::shared_ptr<TcpShared> shared, tcp::socket socket, bool inbound)
    : shared_(std::move(shared)),
      socket_(std::move(socket)),
      resolver_(shared_->executor),
      inbound_(inbound),
      watchdog_(shared_->executor),
      keepalive_(shared_->executor),
      decoder_(shared_->options.max_frame),
      read_buffer_(kReadBufferSize),
      write_done_(shared_->executor),
      arrived_(shared_->executor),
      taken_(shared_->executor) {
  if (inbound_) ++shared_->stats.active;
}

TcpSession::~TcpSession() {
  // Close() without waking anyone: nothing can be waiting on a session that is being destroyed.
  if (open_) {
    open_ = false;
    if (inbound_) --shared_->stats.active;
  }
  if (id_ != 0) shared_->sessions.erase(id_);
}

void TcpSession::Begin(SteadyClock::time_point handshake_deadline) {
  id_ = shared_->next_session_id++;
  shared_->sessions[id_] = weak_from_this();
  deadline_ = handshake_deadline;
  asio::co_spawn(
      shared_->executor, [self = shared_from_this()] { return self->Watchdog(); }, asio::detached);
}

void TcpSession::Close(Status reason) {
  if (!open_) return;
  open_ = false;
  reason_ = std::move(reason);
  boost::system::error_code ignored;
  socket_.close(ignored);
  resolver_.cancel();
  watchdog_.cancel();
  keepalive_.cancel();
  write_done_.Notify();
  arrived_.Notify();
  taken_.Notify();
  if (inbound_) --shared_->stats.active;
  if (id_ != 0) shared_->sessions.erase(id_);
  id_ = 0;
}

void TcpSession::CloseLocally(Status reason) {
  closed_locally_ = true;
  Close(std::move(reason));
}

void TcpSession::Drop(const Status& why) {
  if (!open_) return;
  ++shared_->stats.dropped;
  shared_->Log(remote_address_ + ": dropped: " + why.ToString());
  Close(why);
}

Awaitable<void> TcpSession::Watchdog() {
  while (open_) {
    if (SteadyClock::now() >= deadline_) {
      if (established_) {
        ++shared_->stats.idle_timeouts;
        shared_->Log(remote_address_ + ": closed: idle for " +
                     std::to_string(shared_->options.idle_timeout.count()) + " ms");
        Close(Status::Io("connection", "idle timeout"));
      } else {
        timed_out_ = true;
        Close(Status::Io("handshake",
                         "deadline passed (" +
                             std::to_string(shared_->options.handshake_deadline.count()) + " ms)"));
      }
      co_return;
    }
    watchdog_.expires_at(deadline_);
    boost::system::error_code ignored;
    co_await watchdog_.async_wait(redirect_error(use_awaitable, ignored));
  }
}

Awaitable<Result<Bytes>> TcpSession::ReadMessage() {
  for (;;) {
    while (read_pos_ < read_end_) {
      const ByteView pending(read_buffer_.data() + read_pos_, read_end_ - read_pos_);
      auto used = decoder_.Feed(pending);
      if (!used.ok()) co_return used.status();
      read_pos_ += *used;
      if (auto message = decoder_.Take()) co_return std::move(*message);
    }
    if (!open_) co_return reason_;
    read_pos_ = read_end_ = 0;
    boost::system::error_code ec;
    const size_t n = co_await socket_.async_read_some(asio::buffer(read_buffer_),
                                                      redirect_error(use_awaitable, ec));
    if (!open_) co_return reason_;
    if (ec == asio::error::eof) {
      co_return Status::Io("connection", decoder_.in_frame() ? "closed by the peer mid-frame"
                                                             : "closed by the peer");
    }
    if (ec) co_return Status::Io("connection", ec.message());
    read_end_ = n;
    // Bytes arrived: the link is slow perhaps, but moving. Only a silent one is cut.
    if (established_) deadline_ = SteadyClock::now() + shared_->options.idle_timeout;
  }
}

Awaitable<Status> TcpSession::WriteMessage(Bytes message) {
  auto frame = EncodeFrame(message);
  if (!frame.ok()) co_return frame.status();
  // Queued before the first suspension: frames go out in the order their messages were made.
  const uint64_t mine = ++queued_;
  outbox_.push_back(std::move(*frame));
  auto self = shared_from_this();
  for (;;) {
    if (!open_) co_return reason_;
    if (written_ >= mine) co_return Status::Ok();
    if (writing_) {
      co_await write_done_.Wait();
      continue;
    }
    writing_ = true;
    while (open_ && written_ < mine) {
      Bytes next = std::move(outbox_.front());
      outbox_.pop_front();
      boost::system::error_code ec;
      co_await asio::async_write(socket_, asio::buffer(next), redirect_error(use_awaitable, ec));
      if (ec && open_) Close(Status::Io("connection", ec.message()));
      if (!open_) break;
      ++written_;
    }
    writing_ = false;
    write_done_.Notify();
  }
}

void TcpSession::Establish(EstablishedPeer peer) {
  // At most kMaxUnsentBytes wait unsent in the kernel (beyond the frame being written): a Send
  // completes once its frame is nearly on the wire, so the sync above never queues megabytes
  // ahead of a slow peer (what it sends next may change meanwhile, and a cut link loses only
  // what was in flight). Small messages go at once (no Nagle delay on a 1 s round trip).
  const int unsent = static_cast<int>(kMaxUnsentBytes);
  const int one = 1;
  (void)setsockopt(socket_.native_handle(), IPPROTO_TCP, TCP_NOTSENT_LOWAT, &unsent, sizeof unsent);
  (void)setsockopt(socket_.native_handle(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  noise_.emplace(std::move(peer.session));
  peer_id_ = peer.peer_id;
  established_ = true;
  deadline_ = SteadyClock::now() + shared_->options.idle_timeout;
  watchdog_.expires_at(deadline_);  // wakes the watchdog, which re-arms for the new deadline
  auto self = shared_from_this();
  asio::co_spawn(
      shared_->executor, [self] { return self->Reader(); }, asio::detached);
  asio::co_spawn(
      shared_->executor, [self] { return self->Keepalive(); }, asio::detached);
}

Awaitable<void> TcpSession::Reader() {
  while (open_) {
    auto message = co_await ReadMessage();
    if (!open_) co_return;
    if (!message.ok()) {
      if (message.status().code() == Status::Code::kMalformed) {
        Drop(message.status());
      } else {
        Close(message.status());
      }
      co_return;
    }
    deadline_ = SteadyClock::now() + shared_->options.idle_timeout;
    auto plaintext = noise_->Open(*message);
    if (!plaintext.ok()) {
      Drop(plaintext.status());
      co_return;
    }
    if (plaintext->empty()) continue;  // a keepalive
    inbox_.push_back(std::move(*plaintext));
    arrived_.Notify();
    while (open_ && inbox_.size() >= shared_->options.max_inbox) co_await taken_.Wait();
  }
}

Awaitable<void> TcpSession::Keepalive() {
  const auto period = std::max(shared_->options.idle_timeout / 3, std::chrono::milliseconds(1));
  while (open_) {
    keepalive_.expires_after(period);
    boost::system::error_code ignored;
    co_await keepalive_.async_wait(redirect_error(use_awaitable, ignored));
    if (!open_) co_return;
    if (!(co_await SendSealed({})).ok()) co_return;
  }
}

Awaitable<Status> TcpSession::SendSealed(ByteView plaintext) {
  if (!open_) co_return reason_;
  auto sealed = noise_->Seal(plaintext);
  if (!sealed.ok()) {
    Close(sealed.status());
    co_return sealed.status();
  }
  co_return co_await WriteMessage(std::move(*sealed));
}

Awaitable<Status> TcpSession::Send(ByteView plaintext) {
  if (plaintext.empty() || plaintext.size() > kMaxTransportPayload) {
    co_return Status::Usage("connection.send",
                            "a message of 1.." + std::to_string(kMaxTransportPayload) +
                                " bytes, got " + std::to_string(plaintext.size()));
  }
  auto self = shared_from_this();
  co_return co_await SendSealed(plaintext);
}

Awaitable<Result<Bytes>> TcpSession::Receive() {
  auto self = shared_from_this();
  for (;;) {
    if (closed_locally_) co_return reason_;
    if (!inbox_.empty()) {
      Bytes message = std::move(inbox_.front());
      inbox_.pop_front();
      taken_.Notify();
      co_return message;
    }
    if (!open_) co_return reason_;
    co_await arrived_.Wait();
  }
}

}  // namespace nanse::detail
