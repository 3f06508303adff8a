// Running a SyncSession over a Connection: the only place where sync meets Asio. It moves the
// session's messages both ways at once (a sender and a receiver coroutine) and nothing else.
#pragma once

#include "node/transport.h"  // first: it prepares Asio for coroutines

#include <functional>

#include "node/sync_session.h"

namespace nanse {

struct SyncLinkOptions {
  // End (close the connection, status OK) once both sides have caught up and this side has
  // nothing more to send: `nanse sync`. Otherwise the link stays live until the connection
  // ends or fails: `nanse serve`.
  bool until_caught_up = false;
  // Runs after each message received and handled, and after each message sent: to wake other
  // links when session.stored_new_ops() (they then push the new ops on to their peers), and to
  // notice session.caught_up() (which either side's last message may bring).
  std::function<void(const SyncSession&)> on_progress;
};

// Runs `session` over `conn` until the link ends; returns why: OK when it ended as asked
// (until_caught_up), the peer's Bye or the connection's end otherwise, or the protocol error
// the session found (the peer is then told with a Bye and disconnected). `wake` is the link's
// doorbell: Notify it when the store has new ops (made here, or received by another link),
// and the link looks for what its peer lacks. Owns nothing: `conn`, `session` and `wake` must
// outlive the returned awaitable.
Awaitable<Status> RunSyncLink(Connection& conn, SyncSession& session, detail::Signal& wake,
                              SyncLinkOptions options);

}  // namespace nanse
