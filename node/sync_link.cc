#include "node/sync_link.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/this_coro.hpp>

namespace nanse {
namespace {

namespace asio = boost::asio;

// What the two coroutines of one link share.
struct LinkState {
  explicit LinkState(const asio::any_io_executor& executor) : sender_ended(executor) {}
  bool ending = false;  // the receiver is done: the sender stops
  bool sender_running = true;
  bool finished_as_asked = false;  // until_caught_up, and both sides caught up
  Status sender_error;             // a store failure while building a message
  detail::Signal sender_ended;
};

// Yields and sends the session's messages; waits on `wake` when there is nothing to send.
Awaitable<void> SendLoop(Connection& conn, SyncSession& session, detail::Signal& wake,
                         std::shared_ptr<LinkState> state, const SyncLinkOptions& options) {
  while (!state->ending) {
    auto next = session.Next();
    if (!next.ok()) {
      state->sender_error = next.status();
      conn.Close();
      break;
    }
    if (*next) {
      Bytes message = std::move(**next);
      if (!(co_await conn.Send(message)).ok()) break;  // the receiver sees the end too
      if (options.on_progress && !state->ending) options.on_progress(session);
      continue;
    }
    if (options.until_caught_up && session.caught_up()) {
      state->finished_as_asked = true;
      conn.Close();
      break;
    }
    co_await wake.Wait();
  }
  state->sender_running = false;
  state->sender_ended.Notify();
}

}  // namespace

Awaitable<Status> RunSyncLink(Connection& conn, SyncSession& session, detail::Signal& wake,
                              SyncLinkOptions options) {
  auto executor = co_await asio::this_coro::executor;
  auto state = std::make_shared<LinkState>(executor);
  asio::co_spawn(executor, SendLoop(conn, session, wake, state, options), asio::detached);

  Status end;
  for (;;) {
    auto message = co_await conn.Receive();
    if (!message.ok()) {
      end = message.status();
      break;
    }
    Status handled = session.OnMessage(*message);
    if (!handled.ok()) {
      end = handled;
      // Tell the peer why, unless it was the one saying goodbye or the store failed.
      if (handled.field() != "peer" && handled.code() != Status::Code::kIo) {
        Bytes bye = EncodeSyncBye(handled.ToString());
        (void)co_await conn.Send(bye);
      }
      conn.Close();
      break;
    }
    if (options.on_progress) options.on_progress(session);
    wake.Notify();  // the message may call for an answer (vector, ops, caught up)
  }

  state->ending = true;
  conn.Close();
  while (state->sender_running) {
    wake.Notify();
    co_await state->sender_ended.Wait();
  }
  if (state->finished_as_asked) co_return Status::Ok();
  if (!state->sender_error.ok()) co_return state->sender_error;
  co_return end;
}

}  // namespace nanse
